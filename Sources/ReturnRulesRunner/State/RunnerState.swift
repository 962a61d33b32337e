import Checksums
import ReturnRulesDomain

/// Everything derived from the journal: the planner's knowledge, the outbox index and its
/// statuses, the review queue, restock holds, the ledger, dead letters, and the byte lengths
/// of the projection files. `apply` is the only way it changes, so replaying the journal (from
/// a snapshot) rebuilds it exactly.
///
/// Memory grows with open returns and the requests, reviews and holds they cause, not with
/// events: duplicates and stale deliveries only bump counters and the planner's bounded window,
/// and a closed return is kept compact (`PlannerState.settle`).
public struct RunnerState: Sendable {
    public var planner = PlannerState()
    /// The last record applied.
    public var lastSequence: UInt64 = 0
    public var lastTime: Int64 = 0
    public var counters = Counters()
    /// Bytes of each projection file that the applied records account for.
    public var outboxBytes: Int64 = 0
    public var decisionBytes: Int64 = 0
    public var deadLetterBytes: Int64 = 0
    /// Outbox requests by idempotency key, in planning order.
    public var outbox = OutboxIndex()
    /// Review items; id n is at index n − 1. In chunks: see `ChunkedArray`.
    public var reviews = ChunkedArray<ReviewRecord>()
    /// Restock holds; id n is at index n − 1.
    public var holds = ChunkedArray<HoldRecord>()
    /// Return and item → hold id.
    public var holdIndex: [HoldKey: Int] = [:]
    /// Dead letters by the SHA-256 of their raw input.
    public var deadLetters: [SHA256Digest: DeadLetterRecord] = [:]
    /// Spool files recorded as consumed (they could not be moved away), by name.
    public var consumedSpool: [String: SHA256Digest] = [:]
    /// The last run's rules and store.
    public var session: SessionEntry?
    /// One copy of the few texts repeated in every hold and review (rule names, locations,
    /// outcomes, queues).
    var texts = TextPool()

    public init() {}

    public struct Counters: Sendable, Hashable {
        public var events = 0
        public var planned = 0
        public var duplicates = 0
        public var stale = 0
        public var deadLetters = 0
        public var requests = 0
        public var acks = 0
        public var reviewsOpened = 0
        public var reviewsResolved = 0
        public var holdsOpened = 0
        public var holdReleases = 0
        public var sessions = 0
        public init() {}
    }

    /// A hold's return and item: the strings of its record, so the index allocates nothing.
    public struct HoldKey: Hashable, Sendable {
        public var returnID: String
        public var item: String
    }

    static func holdKey(_ returnID: String, _ item: String) -> HoldKey { HoldKey(returnID: returnID, item: item) }

    public func hold(returnID: String, item: String) -> HoldRecord? {
        holdIndex[RunnerState.holdKey(returnID, item)].map { holds[$0 - 1] }
    }

    /// Applies one record. `time` and `sequence` come from its header.
    ///
    /// - Parameter plannerApplied: the record's state changes are already in `planner` (the
    ///   runner planned in place); only the runner's own bookkeeping is updated.
    public mutating func apply(_ record: JournalRecord, plannerApplied: Bool = false) {
        apply(record.entry, header: record.header, plannerApplied: plannerApplied)
    }

    /// Applies one record given as its parts (no `JournalRecord` around them to build).
    mutating func apply(_ entry: JournalEntry, header: RecordHeader, plannerApplied: Bool = false) {
        _ = apply(entry, header: header, plannerApplied: plannerApplied, awaitingLines: false)
    }

    /// Applies an event or dead letter whose lines are still being rendered (on the commit
    /// thread): everything but where its lines sit in the projection files, which
    /// `settleLines` adds, in record order, once their lengths are known.
    mutating func applyAwaitingLines(_ entry: JournalEntry, header: RecordHeader) -> AwaitingLines {
        apply(entry, header: header, plannerApplied: true, awaitingLines: true)!
    }

    /// `applyAwaitingLines` for an event planned in place (read where it is, not copied into a `JournalEntry`).
    mutating func applyAwaitingLines(event: EventEntry, header: RecordHeader) -> AwaitingLines {
        lastSequence = header.sequence
        lastTime = header.time
        return apply(event, header: header, plannerApplied: true, awaitingLines: true)!
    }

    /// Adds the lengths of a record's rendered lines (`lengths[start...]`) to the projection
    /// byte counts and its requests' offsets. Returns where the next record's lengths start.
    mutating func settleLines(_ awaiting: AwaitingLines, lengths: RenderedLengths, from start: Int) -> Int {
        var cursor = start
        switch awaiting {
        case .deadLetter:
            deadLetterBytes += Int64(lengths[cursor])
            return cursor + 1
        case .event(let first, let count):
            for position in first..<first + count {
                settleOutboxLine(at: position, length: lengths[cursor])
                cursor += 1
            }
        case .eventAt(let positions):
            for position in positions {
                settleOutboxLine(at: position, length: lengths[cursor])
                cursor += 1
            }
        }
        decisionBytes += Int64(lengths[cursor])
        return cursor + 1
    }

    private mutating func settleOutboxLine(at position: Int, length: Int) {
        if position >= 0 { outbox.setLine(at: position, offset: outboxBytes, length: Int32(length)) }
        outboxBytes += Int64(length)
    }

    private mutating func apply(_ entry: JournalEntry, header: RecordHeader, plannerApplied: Bool, awaitingLines: Bool) -> AwaitingLines? {
        var awaiting: AwaitingLines?
        lastSequence = header.sequence
        lastTime = header.time
        switch entry {
        case .event(let e):
            awaiting = apply(e, header: header, plannerApplied: plannerApplied, awaitingLines: awaitingLines)
        case .deadLetter(let d):
            counters.deadLetters += 1
            deadLetters[d.rawDigest] = DeadLetterRecord(sequence: header.sequence, time: header.time, source: d.source, error: d.error,
                                                        jsonPath: d.jsonPath, eventID: d.eventID, replayedAt: nil)
            if awaitingLines {
                awaiting = .deadLetter
            } else {
                deadLetterBytes += Int64(d.lineLength)
            }
        case .ack(let a):
            counters.acks += 1
            outbox.update(a.key) { $0.ack = AckInfo(wooID: a.wooID, time: header.time, note: a.note, by: a.by) }
        case .reviewResolved(let r):
            counters.reviewsResolved += 1
            if r.reviewID >= 1, r.reviewID <= reviews.count {
                reviews[r.reviewID - 1].resolution = ReviewRecord.Resolution(note: r.note, time: header.time, by: r.by)
            }
        case .holdReleased(let h):
            counters.holdReleases += 1
            let orderReference = h.holdID >= 1 && h.holdID <= holds.count ? holds[h.holdID - 1].hold.orderID.map(String.init) : nil
            precondition(!awaitingLines, "a hold release is appended with its lines")
            apply(h.effects, plannerApplied: plannerApplied, returnID: h.returnID, eventID: "release-H\(h.holdID)", orderReference: orderReference, eventTime: nil,
                  header: header, awaitingLines: false)
            if h.holdID >= 1, h.holdID <= holds.count { holds[h.holdID - 1].releasedBy = h.by ?? "" }
            planner.settleLater(h.returnID)
            decisionBytes += Int64(h.decisionLength)
        case .spoolConsumed(let s):
            consumedSpool[s.name] = s.digest
        case .session(let s):
            counters.sessions += 1
            session = s
        }
        return awaiting
    }

    private mutating func apply(_ e: EventEntry, header: RecordHeader, plannerApplied: Bool, awaitingLines: Bool) -> AwaitingLines? {
        counters.events += 1
        switch e.outcome {
        case .planned: counters.planned += 1
        case .duplicate: counters.duplicates += 1
        case .stale: counters.stale += 1
        }
        let positions = apply(e.effects, plannerApplied: plannerApplied, returnID: e.returnID, eventID: e.eventID, orderReference: e.orderReference,
                              eventTime: e.envelopeTime, header: header, awaitingLines: awaitingLines)
        if !awaitingLines { decisionBytes += Int64(e.decisionLength) }
        if let replayed = e.replayOf { deadLetters[replayed]?.replayedAt = header.time }
        // A return whose lifecycle has ended goes compact (also after a duplicate: the
        // planner brought it back to full knowledge to recognise it).
        planner.settleLater(e.returnID)
        return awaitingLines ? positions : nil
    }

    /// - Returns: with `awaitingLines`, where each request went in the outbox index, for `settleLines`.
    @discardableResult
    mutating func apply(_ effects: Effects, plannerApplied: Bool, returnID: String, eventID: String, orderReference: String?, eventTime: String?,
                        header: RecordHeader, awaitingLines: Bool) -> AwaitingLines {
        var positions = AwaitingLines.event(first: 0, count: 0)
        for change in effects.changes {
            if !plannerApplied { planner.apply(change) }
            switch change {
            case .restockHeld(let heldReturn, let hold):
                let heldReturn = outbox.shared(returnID: heldReturn)
                let key = RunnerState.holdKey(heldReturn, hold.item)
                if let existing = holdIndex[key] {
                    holds[existing - 1].hold = hold
                } else {
                    holds.append(HoldRecord(id: holds.count + 1, returnID: heldReturn, hold: texts.shared(hold, key: key), openedAt: header.time,
                                            eventTime: eventTime, sequence: header.sequence))
                    holdIndex[key] = holds.count
                    counters.holdsOpened += 1
                }
            case .restockHoldClosed(let heldReturn, let item, let outcome):
                if let id = holdIndex[RunnerState.holdKey(heldReturn, item)] {
                    holds[id - 1].hold.closed = true
                    holds[id - 1].closedAt = header.time
                    holds[id - 1].outcome = texts.intern(outcome)
                }
            default:
                break
            }
        }
        if !effects.outbox.isEmpty {
            let eventMillis = eventTime.flatMap(Timestamp.parse)
            for entry in effects.outbox {
                counters.requests += 1
                let record = OutboxRecord(sequence: header.sequence, key: entry.key, kind: entry.kind, returnID: returnID,
                                          orderID: entry.orderID, plannedAt: header.time, eventTime: eventMillis, offset: awaitingLines ? -1 : outboxBytes,
                                          length: awaitingLines ? 0 : Int32(entry.lineLength), ledger: entry.ledger, ack: nil)
                // The planner never plans a key twice; the runner writes a key once whatever happens.
                if awaitingLines {
                    positions.add(outbox.insertAwaitingLine(record) ?? -1)
                } else {
                    outbox.insert(record)
                    outboxBytes += Int64(entry.lineLength)
                }
            }
        }
        let sharedReturnID = effects.reviews.isEmpty ? returnID : outbox.shared(returnID: returnID)
        for review in effects.reviews {
            counters.reviewsOpened += 1
            reviews.append(ReviewRecord(id: reviews.count + 1, sequence: header.sequence, openedAt: header.time, eventTime: eventTime,
                                        returnID: sharedReturnID, orderReference: orderReference, eventID: eventID, queue: texts.intern(review.queue),
                                        reason: review.reason, figures: review.figures, rule: review.rule, summary: review.summary,
                                        resolution: nil))
        }
        return positions
    }
}

/// A record applied before its lines were rendered: where its requests went in the outbox
/// index, or that it is a dead letter.
enum AwaitingLines: Sendable {
    case deadLetter
    /// An event whose `count` requests went into the index at `first`, `first + 1`, …: what
    /// every event's requests do, as the index appends them (no array per event).
    case event(first: Int, count: Int)
    /// An event some of whose requests were in the index already (-1 for those).
    case eventAt([Int])

    /// Adds the position of an event's next request (-1: its key was in the index already).
    mutating func add(_ position: Int) {
        switch self {
        case .event(let first, let count) where position >= 0 && (count == 0 || position == first + count):
            self = .event(first: count == 0 ? position : first, count: count + 1)
        case .event(let first, let count):
            self = .eventAt(Array(first..<first + count) + [position])
        case .eventAt(let positions):
            self = .eventAt(positions + [position])
        case .deadLetter:
            preconditionFailure("a dead letter has no requests")
        }
    }
}

/// One request of the outbox.
public struct OutboxRecord: Sendable, Hashable {
    public var sequence: UInt64
    public var key: String
    public var kind: String
    public var returnID: String
    public var orderID: Int?
    /// Journal time the request was planned.
    public var plannedAt: Int64
    /// Envelope time of the event that planned it (milliseconds since 1970).
    public var eventTime: Int64?
    /// Where its line starts in outbox.jsonl, and its length.
    public var offset: Int64
    public var length: Int32
    // The ledger (refunds and store credit only) and the acknowledgement (once acknowledged)
    // are boxed: most requests have neither, and inline they doubled the size of every one
    // of what can be millions of records.
    private var ledgerBox: Boxed<LedgerInfo>?
    private var ackBox: Boxed<AckInfo>?

    public var ledger: LedgerInfo? {
        get { ledgerBox?.value }
        set { ledgerBox = newValue.map(Boxed.init) }
    }

    public var ack: AckInfo? {
        get { ackBox?.value }
        set { ackBox = newValue.map(Boxed.init) }
    }

    public init(sequence: UInt64, key: String, kind: String, returnID: String, orderID: Int?, plannedAt: Int64, eventTime: Int64?, offset: Int64,
                length: Int32, ledger: LedgerInfo?, ack: AckInfo?) {
        self.sequence = sequence
        self.key = key
        self.kind = kind
        self.returnID = returnID
        self.orderID = orderID
        self.plannedAt = plannedAt
        self.eventTime = eventTime
        self.offset = offset
        self.length = length
        ledgerBox = ledger.map(Boxed.init)
        ackBox = ack.map(Boxed.init)
    }

    /// planned → emitted → acknowledged.
    public func status(emittedBytes: Int64) -> String {
        if ack != nil { return "acknowledged" }
        return offset + Int64(length) <= emittedBytes ? "emitted" : "planned"
    }
}

/// An immutable value behind one reference (compared and hashed by its value), so a rarely
/// set field costs a pointer where it is absent.
final class Boxed<Value: Hashable & Sendable>: Hashable, Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }

    static func == (a: Boxed, b: Boxed) -> Bool { a === b || a.value == b.value }
    func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

public struct AckInfo: Sendable, Hashable {
    public var wooID: Int64?
    public var time: Int64
    public var note: String?
    public var by: String?
}

public struct ReviewRecord: Sendable, Hashable {
    public var id: Int
    public var sequence: UInt64
    public var openedAt: Int64
    public var eventTime: String?
    public var returnID: String
    public var orderReference: String?
    public var eventID: String
    public var queue: String
    public var reason: String
    public var figures: [String]
    public var rule: RuleReference?
    public var summary: String
    public var resolution: Resolution?

    public struct Resolution: Sendable, Hashable {
        public var note: String
        public var time: Int64
        public var by: String?
    }

    public var isOpen: Bool { resolution == nil }
    public var displayID: String { "R-\(id)" }
}

public struct HoldRecord: Sendable, Hashable {
    public var id: Int
    public var returnID: String
    public var hold: RestockHold
    public var openedAt: Int64
    public var eventTime: String?
    public var sequence: UInt64
    public var closedAt: Int64?
    public var outcome: String?
    /// Set when a person released it by hand.
    public var releasedBy: String?

    public var isOpen: Bool { !hold.closed }
    public var displayID: String { "H-\(id)" }
}

public struct DeadLetterRecord: Sendable, Hashable {
    public var sequence: UInt64
    public var time: Int64
    public var source: SourceRef
    public var error: String
    public var jsonPath: String
    public var eventID: String?
    /// Set when `replay` planned it successfully.
    public var replayedAt: Int64?
}

/// Interns the few distinct texts repeated across hundreds of thousands of holds and reviews:
/// equal strings share one buffer.
struct TextPool: Sendable {
    private var table: [String: String] = [:]

    mutating func intern(_ text: String) -> String {
        // Short texts are stored inline in the String itself: nothing to share.
        if text.utf8.count <= 15 { return text }
        if let shared = table[text] { return shared }
        // The table stays small: only rule names and the like repeat; anything else is kept
        // once as it comes (never more than a few thousand entries for the texts passed here).
        if table.count < 4096 { table[text] = text }
        return text
    }

    /// A hold whose rule name and location share their buffers with every other hold's, and
    /// whose item shares the index key's.
    mutating func shared(_ hold: RestockHold, key: RunnerState.HoldKey) -> RestockHold {
        var hold = hold
        hold.item = key.item
        hold.rule = intern(hold.rule)
        hold.ruleLocation = intern(hold.ruleLocation)
        return hold
    }
}
