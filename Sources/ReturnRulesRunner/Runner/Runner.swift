import Checksums
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage

/// The event runner: plans each event with the planner against the runner's state, journals
/// what was decided (one record per event), and writes the resulting requests to the outbox.
///
/// Exactly once: the planner recognises a delivery it has seen (same event id, or same content
/// under a new id) and stale deliveries; its knowledge lives in the journal, so this holds
/// across restarts and crashes. A request is written to the outbox only after the record that
/// planned it is durable, and the outbox is completed from the journal after a crash, so every
/// planned request is in the outbox exactly once.
///
/// Not thread-safe: one runner per state directory, used from one thread. Never prints.
public final class Runner {
    public enum Sync: Sendable, Hashable {
        /// One fdatasync per event.
        case every
        /// Group commit: one fdatasync per group of records, when the group reaches `records`
        /// records or `bytes` bytes, or `milliseconds` after its first record, and whenever the
        /// input has nothing ready (`commit()` before blocking on a read).
        case batch(records: Int, bytes: Int, milliseconds: Int)

        public static let defaultBatch = Sync.batch(records: 4096, bytes: 8 << 20, milliseconds: 20)
    }

    public let store: StateStore
    public let planner: Planner
    public let rulesDigest: SHA256Digest
    public let sync: Sync
    public private(set) var summary = RunSummary()
    /// Called after each event with the running summary (for a progress line).
    public var onProgress: ((RunSummary) -> Void)?
    public var progressEvery = 1000
    /// Called with what needs a person's attention while running (a queued acknowledgement
    /// that could not be recorded), as `file:line: reason`.
    public var onWarning: ((String) -> Void)?
    /// How often commits look into the ack inbox (`flush()` always does).
    public var ackInboxEveryMilliseconds: Int64 = 100

    let clock: RunnerClock
    let enums: [String: [String]]
    let startedAt: Int64
    var batchOpenedAt: Int64?
    var ackInboxCheckedAt: Int64 = 0
    let rulesHex: String
    /// Renders the lines of the records made on this thread (hold releases).
    var renderer = RecordRenderer()
    /// Reused from event to event: the mapped record and the evaluation frame keep their storage.
    var record = EventRecord(fieldCount: 0, collectionFieldCounts: [])
    let frame: EvaluationFrame
    static let idPath = try! JSONPath("$.id")
    static let createdAtSlot = ReturnSchema.eventSlot("event.created_at")
    static let customerEmailSlot = ReturnSchema.eventSlot("customer.email")

    public init(store: StateStore, planner: Planner, rulesDigest: SHA256Digest, sync: Sync = .defaultBatch) {
        self.store = store
        self.planner = planner
        self.rulesDigest = rulesDigest
        self.sync = sync
        clock = store.clock
        rulesHex = rulesDigest.hex
        enums = planner.rules.program.enums
        frame = planner.rules.makeFrame(record)
        startedAt = store.clock.now()
        count(store.ackInboxAtOpen)
    }

    /// The SHA-256 of a rule set: the content of every source file (included ones too), in
    /// the order they were read, each with its length. Not the paths: the same file named
    /// another way is the same rules.
    /// A rule set of one file has the SHA-256 of that file (what `sha256sum` prints). Built-in
    /// mappings (`<built-in …>`) belong to the tool's version, which each run records too.
    public static func rulesDigest(_ rules: CompiledRuleSet) -> SHA256Digest {
        let files = rules.program.sources.files.filter { !$0.path.hasPrefix("<") }
        if files.count == 1 { return SHA256.hash(files[0].bytes) }
        var hasher = SHA256()
        for file in files {
            hasher.update(Array("\(file.bytes.count):".utf8))
            hasher.update(file.bytes)
        }
        return hasher.finalize()
    }

    /// Records which rules and store this run uses (only when they changed since the last run).
    public func startSession(rulesPath: String, storePath: String?, version: String, pid: Int) throws {
        let session = SessionEntry(rulesDigest: rulesDigest, rulesPath: rulesPath, client: planner.rules.program.client,
                                   storePath: storePath, version: version, pid: pid)
        if let last = store.state.session, last.rulesDigest == session.rulesDigest, last.rulesPath == session.rulesPath,
           last.storePath == session.storePath, last.version == session.version {
            return
        }
        try store.append(.session(session))
        try commitIfDue()
    }

    // MARK: - Events

    /// Plans one event and journals the decision (or a dead letter). Returns the plan.
    ///
    /// - Parameter replayOf: the dead letter this event re-runs (`returnrules replay`).
    @discardableResult
    public func process(_ incoming: IncomingEvent, replayOf: SHA256Digest? = nil) throws -> EventPlan {
        summary.events += 1
        let root: JSONNode
        switch incoming.document {
        case .failure(let error):
            return try deadLetter(source: incoming.source, raw: Array(incoming.raw), error: error.message, jsonPath: error.jsonPath, eventID: nil)
        case .success(let document):
            root = document.root
        }
        if let error = planner.mapper.map(root, into: &record) {
            return try deadLetter(source: incoming.source, raw: Array(incoming.raw), error: error.message, jsonPath: error.jsonPath,
                                  eventID: root.lookup(Runner.idPath)?.stringValue)
        }
        // Digested here rather than by the planner: a redelivery under the same id is not
        // digested by the planner, and its record needs the digest all the same.
        return try plan(record, digest: Planner.contentDigest(of: record), source: incoming.source, replayOf: replayOf)
    }

    /// Plans one event that was read, mapped and digested ahead (`PreparedInput`, on a reader
    /// thread); the same record and lines as `process(_: IncomingEvent)` for the same input.
    @discardableResult
    public func process(_ prepared: PreparedInput) throws -> EventPlan {
        summary.events += 1
        if let rejection = prepared.rejection {
            return try deadLetter(source: prepared.source, raw: rejection.raw, error: rejection.error.message, jsonPath: rejection.error.jsonPath,
                                  eventID: rejection.eventID)
        }
        return try plan(prepared.record, digest: prepared.digest, source: prepared.source, replayOf: nil)
    }

    /// Plans a mapped event against the state, journals the decision, writes nothing yet.
    func plan(_ record: EventRecord, digest: SHA256Digest, source: EventSource, replayOf: SHA256Digest?) throws -> EventPlan {
        let header = store.nextHeader()
        let (plan, changes) = store.planInPlace { state in
            planner.plan(record, source: source, applyingTo: &state, frame: frame, digest: digest)
        }
        // Two fields of the event, read from its slots: a whole `ReturnEvent` only when the
        // plan lacks an id or status (it never does when planned in place).
        let eventTime = record.string(record.fields[Runner.createdAtSlot])
        let customer = record.string(record.fields[Runner.customerEmailSlot])
        let event = plan.returnID == nil || plan.eventID == nil || plan.status == nil ? ReturnEvent(record: record, enums: enums) : nil
        let outcome: EventEntry.Outcome
        switch plan.outcome {
        case .duplicate: outcome = .duplicate
        case .stale: outcome = .stale
        case .planned, .rejected: outcome = .planned
        }
        let returnID = plan.returnID ?? event?.returnID ?? ""
        let eventID = plan.eventID ?? event?.eventID ?? ""
        var (effects, requestSteps, suppressed) = effects(of: plan, returnID: returnID, orderReference: plan.orderReference)
        effects.changes = changes
        // The outbox and decision lines are rendered on the commit thread (`UnrenderedEvent`).
        let entry = EventEntry(outcome: outcome, eventID: eventID, returnID: returnID, status: plan.status ?? event?.status ?? "",
                               envelopeTime: eventTime, orderReference: plan.orderReference, reason: plan.reason,
                               digest: digest, source: SourceRef(source), replayOf: replayOf, effects: effects, decisionLine: [], decisionLength: 0)
        try store.append(UnrenderedEvent(entry: entry, plan: plan, requestSteps: requestSteps, customer: customer, suppressed: suppressed,
                                         rulesHex: rulesHex), header: header)
        count(plan, effects: effects, suppressed: suppressed)
        if replayOf != nil { summary.replayed += 1 }
        try afterRecord(now: header.time)
        return plan
    }

    /// The outbox entries (without their lines: see `RecordRenderer`) and review items a plan
    /// creates, with the step of each outbox entry. Indices of steps whose key is already in
    /// the outbox come back in `suppressed`.
    func effects(of plan: EventPlan, returnID: String, orderReference: String?) -> (Effects, requestSteps: [Int], suppressed: Set<Int>) {
        var effects = Effects()
        var requestSteps: [Int] = []
        var suppressed = Set<Int>()
        // The steps are read in place: a copy of each would retain every one of its fields.
        plan.steps.withUnsafeBufferPointer { steps in
            for index in steps.indices {
                let kind = steps[index].kind
                if let path = steps[index].request?.path, let key = steps[index].key {
                    // A plan has a handful of steps: a scan of this record's keys beats hashing them.
                    if store.outboxContains(key) || effects.outbox.contains(where: { $0.key == key }) {
                        suppressed.insert(index)
                        continue
                    }
                    let orderID = Runner.orderID(of: path) ?? orderReference.flatMap { Int($0) }
                    let ledger = kind == .refund || kind == .storeCredit ? Runner.ledger(steps[index], steps[index].request!) : nil
                    effects.outbox.append(OutboxEntry(key: key, kind: kind.rawValue, orderID: orderID, ledger: ledger, line: []))
                    requestSteps.append(index)
                }
                if kind == .review, let review = steps[index].review {
                    effects.reviews.append(ReviewEntry(queue: review.queue, reason: review.reason, figures: review.figures, rule: steps[index].rule,
                                                       summary: steps[index].summary))
                }
            }
        }
        return (effects, requestSteps, suppressed)
    }

    /// `/wc/v3/orders/5123/refunds` → 5123.
    static func orderID(of path: String) -> Int? {
        // Bytes, not Characters: this runs for every request.
        let fast: Int?? = path.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            let prefix = Runner.orderPathPrefix
            let prefixCount = prefix.count
            guard bytes.count > prefixCount else { return nil }
            for index in 0..<prefixCount where bytes[index] != prefix[index] { return nil }
            var value = 0
            var index = prefixCount
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(bytes[index] - 0x30))
                guard !overflow, !overflow2 else { return nil }
                value = sum
                index += 1
            }
            // A digit of another script would make the Character path below fail: let it decide.
            if index < bytes.count, bytes[index] >= 0x80 { return orderIDByCharacters(of: path) }
            return index > prefixCount ? value : nil
        }
        if let fast { return fast }
        return orderIDByCharacters(of: path)
    }

    static let orderPathPrefix = Array("/wc/v3/orders/".utf8)

    static func orderIDByCharacters(of path: String) -> Int? {
        let prefix = "/wc/v3/orders/"
        guard path.hasPrefix(prefix) else { return nil }
        return Int(path.dropFirst(prefix.count).prefix { $0.isNumber })
    }

    /// The ledger columns of a refund or store-credit request.
    static func ledger(_ step: PlanStep, _ request: PlannedRequest) -> LedgerInfo? {
        guard step.kind == .refund || step.kind == .storeCredit, let amount = step.amount else { return nil }
        let currency = amount.currency
        var taxes: [Int: Int64] = [:]
        var reference: String?
        var path = step.kind == .storeCredit ? "coupon" : "record_only"
        if let body = request.body {
            if body["api_refund"] == .bool(true) { path = "gateway" }
            if case .array(let lines)? = body["line_items"] {
                for line in lines {
                    guard case .array(let rates)? = line["refund_tax"] else { continue }
                    for rate in rates {
                        guard case .number(let idText)? = rate["id"], let id = Int(idText), case .number(let total)? = rate["refund_total"],
                              case .success(let money) = Money.parse(total, currency: currency) else { continue }
                        taxes[id, default: 0] += money.minorUnits
                    }
                }
            }
            if case .array(let meta)? = body["meta_data"] {
                for item in meta {
                    guard case .string(let key)? = item["key"], case .string(let value)? = item["value"] else { continue }
                    if key == "reveni_refund_reference" || key == "reveni_gift_card" { reference = value }
                }
            }
            if step.kind == .storeCredit, case .string(let code)? = body["code"] { reference = reference ?? code }
        }
        return LedgerInfo(amount: amount.minorUnits, currency: currency.code, moneyPath: path, reference: reference,
                          taxes: taxes.sorted { $0.key < $1.key }.map { LedgerInfo.TaxShare(rateID: $0.key, amount: $0.value) }, untypedTax: nil)
    }

    func count(_ plan: EventPlan, effects: Effects, suppressed: Set<Int>) {
        switch plan.outcome {
        case .duplicate: summary.duplicates += 1
        case .stale: summary.stale += 1
        default: summary.planned += 1
        }
        plan.steps.withUnsafeBufferPointer { steps in
            for index in steps.indices {
                let kind = steps[index].kind
                let slot = RunSummary.slot(of: kind)
                summary.stepCounts[slot] += 1
                let hasRequest = steps[index].request != nil
                // The steps that became outbox entries (see `effects(of:)`).
                if hasRequest, steps[index].key != nil, !suppressed.contains(index) { summary.requestCounts[slot] += 1 }
                if kind == .restockHold { summary.holdsOpened += 1 }
                if kind == .refund, hasRequest, let amount = steps[index].amount {
                    summary.refundTotals[amount.currency.code, default: 0] += amount.minorUnits
                }
            }
        }
        summary.reviewItems += effects.reviews.count
        summary.suppressed += suppressed.count
    }

    func deadLetter(source eventSource: EventSource, raw: [UInt8], error: String, jsonPath: String, eventID: String?) throws -> EventPlan {
        let digest = SHA256.hash(raw)
        let plan = EventPlan(source: eventSource, outcome: .rejected, eventID: eventID, reason: error, jsonPath: jsonPath)
        if store.state.deadLetters[digest] != nil {
            summary.repeatedDeadLetters += 1
            try afterRecord(appended: false)
            return plan
        }
        let header = store.nextHeader()
        // Its line is rendered on the commit thread.
        try store.appendDeadLetter(DeadLetterEntry(source: SourceRef(eventSource), error: error, jsonPath: jsonPath, raw: raw, rawDigest: digest,
                                                   eventID: eventID, line: [], lineLength: 0), header: header)
        summary.deadLetters += 1
        try afterRecord(now: header.time)
        return plan
    }

    // MARK: - Commits

    /// - Parameter now: the clock as the record was made (one clock read per event is enough).
    func afterRecord(appended: Bool = true, now: Int64? = nil) throws {
        if appended { try commitIfDue(now: now) }
        if let onProgress, summary.events % progressEvery == 0 {
            summary.elapsedMilliseconds = clock.now() - startedAt
            onProgress(summary)
        }
    }

    /// Commits when the group is full (batch) or after every record (every).
    public func commitIfDue() throws { try commitIfDue(now: nil) }

    func commitIfDue(now given: Int64?) throws {
        guard store.hasPending else { return }
        switch sync {
        case .every:
            try commit()
        case .batch(let records, let bytes, let milliseconds):
            let now = given ?? clock.now()
            if batchOpenedAt == nil { batchOpenedAt = now }
            if store.pendingRecords >= records || store.pendingBytes >= bytes || now - (batchOpenedAt ?? now) >= Int64(milliseconds) {
                try commit()
            }
        }
    }

    /// Makes every record so far durable. Their outbox lines follow within
    /// `projectionFlushMilliseconds` (use `flush()` to write them now). Every
    /// `ackInboxEveryMilliseconds`, also records the acknowledgements queued in the ack inbox.
    public func commit() throws {
        guard store.hasPending else { return }
        try store.commit()
        summary.commits += 1
        batchOpenedAt = nil
        if clock.now() - ackInboxCheckedAt >= ackInboxEveryMilliseconds { try takeQueuedAcks() }
    }

    /// Commits, records queued acknowledgements, and writes every committed record's outbox,
    /// decision and dead-letter lines now (before waiting for input, so an executor tailing
    /// the outbox is never kept waiting).
    public func flush() throws {
        try commit()
        try takeQueuedAcks()
        try store.flushProjections()
    }

    /// Records the acknowledgements `ack` queued while this runner holds the lock (at commits,
    /// and at every poll tick while the input is idle).
    public func takeQueuedAcks() throws {
        ackInboxCheckedAt = clock.now()
        count(try store.takeQueuedAcks())
    }

    func count(_ report: AckInbox.Report) {
        summary.acksRecorded += report.recorded.count
        summary.acksRepeated += report.already.count
        summary.acksRejected += report.rejected.count
        for rejection in report.rejected { onWarning?("acknowledgement not recorded: \(rejection) (its file is kept as .rejected)") }
    }

    /// Commits what is left and closes the state (snapshot if due, lock released).
    @discardableResult
    public func finish() throws -> RunSummary {
        try flush()
        try store.close()
        summary.elapsedMilliseconds = clock.now() - startedAt
        return summary
    }
}
