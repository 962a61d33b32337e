import Checksums
import JSONBytes
import ReturnRulesLanguage

/// Compiled rules × one event × a store snapshot → the steps for that event, and the facts
/// (`StateChange`s) that planning it adds to what is known.
///
/// Pure: no I/O, no clock. Whatever a rule file says, the planner enforces the safety rules:
/// refunds only against the event's original order, in a refundable status and currency, never
/// above what is left to refund, at most once per returned unit, through the gateway only when
/// the merchant pays the original payment method; restocks only after an accepting inspection;
/// exchanges as zero-value orders. A violated rule becomes a review item, never a request.
public struct Planner: Sendable {
    /// Everything a planner holds, behind one reference: a planner is copied into the working
    /// context of every event, and copying one reference is cheaper than copying two dozen.
    final class Parts: Sendable {
        let rules: CompiledRuleSet
        let mapper: PayloadMapper
        let configuration: PlannerConfiguration
        let store: StoreSnapshot?
        let names: EnumNames
        /// Per member of `return_status`: the return-level tables for that status.
        let returnBlocks: [[Int]]
        let inspectedBlocks: [Int]
        /// Per table and rule, worked out once: the rule as steps cite it, and whether one of
        /// its actions issues store credit.
        let ruleReferences: [[RuleReference]]
        let issuesStoreCredit: [[Bool]]
        /// Per table, rule and action: how the planner dispatches it (see `PlannedAction`).
        let actions: [[[PlannedAction]]]

        init(rules: CompiledRuleSet, store: StoreSnapshot?) {
            self.rules = rules
            self.store = store
            mapper = PayloadMapper(program: rules.program)
            configuration = PlannerConfiguration(program: rules.program)
            names = EnumNames(rules.program.enums)
            returnBlocks = (names[.returnStatus] ?? []).map { rules.blocks(subject: "return", event: $0) }
            inspectedBlocks = rules.blocks(subject: "item", event: "inspected")
            let sources = rules.program.sources
            ruleReferences = rules.program.blocks.map { block in
                block.rules.map { rule in
                    let file = sources.file(for: rule.nameSpan)
                    let location = file?.location(of: rule.nameSpan.start)
                    return RuleReference(name: rule.name, file: file?.path ?? "?", line: location?.line ?? 0, column: location?.column ?? 0)
                }
            }
            issuesStoreCredit = rules.program.blocks.map { block in block.rules.map { rule in rule.actions.contains { $0.name == "store_credit" } } }
            actions = rules.program.blocks.map { block in block.rules.map { rule in rule.actions.map(PlannedAction.init) } }
        }
    }

    let parts: Parts
    public var rules: CompiledRuleSet { parts.rules }
    public var mapper: PayloadMapper { parts.mapper }
    public var configuration: PlannerConfiguration { parts.configuration }
    public var store: StoreSnapshot? { parts.store }
    var enums: [String: [String]] { parts.names.all }

    public init(rules: CompiledRuleSet, store: StoreSnapshot?) {
        parts = Parts(rules: rules, store: store)
    }

    /// Plans one event given as parsed JSON.
    public func plan(_ root: JSONNode, source: EventSource, state: PlannerState) -> (EventPlan, [StateChange]) {
        switch mapper.map(root) {
        case .failure(let error):
            return (EventPlan(source: source, outcome: .rejected, eventID: root.lookup(Planner.eventIDPath).flatMap(\.stringValue),
                              reason: error.message, jsonPath: error.jsonPath), [])
        case .success(let record):
            return plan(record, source: source, state: state)
        }
    }

    static let eventIDPath = try! JSONPath("$.id")

    /// Plans one mapped event.
    public func plan(_ record: EventRecord, source: EventSource, state: PlannerState) -> (EventPlan, [StateChange]) {
        let context = EventContext(planner: self, event: ReturnEvent(record: record, names: parts.names), source: source, state: state)
        context.run()
        return context.take()
    }
}

/// The working state of planning one event.
///
/// A class: the context is created once per event and handed to every planning step, and a
/// struct this size was copied and destroyed around each event. Its state is only touched by
/// the one thread planning the event, so the exclusivity checks of class properties are off.
final class EventContext {
    let planner: Planner
    let event: ReturnEvent
    let source: EventSource
    /// The state as it evolves while this event is planned (changes applied as they are made).
    @exclusivity(unchecked) var state: PlannerState
    @exclusivity(unchecked) var changes: [StateChange] = []
    @exclusivity(unchecked) var steps: [PlanStep] = []
    /// The verdict so far; the plan is made of these, the event and `steps` at the end (`take`),
    /// so no plan is copied in and out of the context.
    @exclusivity(unchecked) var outcome = EventPlan.Outcome.planned
    @exclusivity(unchecked) var reason: String?
    let frame: EvaluationFrame
    /// A rule that fired at the return level for this event issues store credit.
    @exclusivity(unchecked) var storeCreditFires = false
    /// The record's content digest, when the caller computed it beforehand.
    @exclusivity(unchecked) var knownDigest: SHA256Digest?
    /// Whether `changes` collects what `record` applies (the runner journals them; `plan`
    /// prints only the plan and need not keep them).
    @exclusivity(unchecked) var keepsChanges = true
    /// The position of the event's return in `state.returns` once `knowledgeIndex` found it;
    /// valid while no return is added to or removed from `returns`.
    @exclusivity(unchecked) var returnIndex: Dictionary<String, ReturnKnowledge>.Index?

    var parts: Planner.Parts { planner.parts }
    var configuration: PlannerConfiguration { parts.configuration }
    var store: StoreSnapshot? { parts.store }
    var currency: Currency { parts.configuration.currency }

    init(planner: Planner, event: consuming ReturnEvent, source: EventSource, state: consuming PlannerState, frame: EvaluationFrame? = nil) {
        if let frame {
            frame.load(event.record)
            self.frame = frame
        } else {
            self.frame = planner.rules.makeFrame(event.record)
        }
        self.planner = planner
        self.event = event
        self.source = source
        self.state = state
    }

    /// The plan and the changes, moved out of the context (which is done with them).
    func take() -> (EventPlan, [StateChange]) {
        var taken: [StateChange] = []
        swap(&taken, &changes)
        return (plan(), taken)
    }

    /// The plan as decided so far; the steps are moved into it.
    func plan() -> EventPlan {
        var taken: [PlanStep] = []
        swap(&taken, &steps)
        return EventPlan(source: source, outcome: outcome, eventID: event.eventID, returnID: event.returnID, status: event.status,
                         returnType: event.type, orderReference: event.orderReference, steps: taken, reason: reason)
    }

    func record(_ change: StateChange) {
        if keepsChanges { changes.append(change) }
        // Read once: the getter copies the change out to find it.
        let returnID = change.returnID
        if let index = returnIndex, let returnID, returnID == event.returnID {
            state.apply(change, at: index)
            return
        }
        state.apply(change, returnID: returnID)
        // Another return's change may have added it to `returns`, which moves the others.
        if returnID != nil { returnIndex = nil }
    }

    /// How this delivery relates to what is known about its return.
    enum Delivery {
        case fresh
        case sameID
        case sameContent(as: String)
        case stale(String)
    }

    /// Reads the return's knowledge in place, without a copy of it (see `known`).
    func delivery(digest: SHA256Digest) -> Delivery {
        known { knowledge -> Delivery in
            if knowledge.recentEvents.contains(where: { $0.id == self.event.eventID }) { return .sameID }
            if let first = knowledge.recentEvents.first(where: { $0.digest == digest }) { return .sameContent(as: first.id) }
            if knowledge.lastRank >= 0, PlannerState.isLater(knowledge.lastTime, knowledge.lastRank, than: self.event.createdAt, self.event.statusRank) {
                return .stale("older than what is known: the return is already \(knowledge.lastStatus ?? "further")"
                    + (knowledge.lastTime.map { " (as of \($0))" } ?? ""))
            }
            return .fresh
        } ?? .fresh
    }

    /// Reads (or changes) this event's return's knowledge in place: nil when the return is
    /// unknown. `state.knowledge(of:)` copies all of it, to read one fact.
    func known<R>(_ read: (inout ReturnKnowledge) -> R) -> R? {
        guard let index = knowledgeIndex() else { return nil }
        return read(&state.returns.values[index])
    }

    /// Where this event's return's knowledge is in `state.returns`, looked up once: hashing
    /// the return id costs more than most facts read there. Nil while the return is unknown.
    func knowledgeIndex() -> Dictionary<String, ReturnKnowledge>.Index? {
        if let returnIndex { return returnIndex }
        // An open return is found with one lookup; `reopen` looks in `returns` and `closed` first.
        if let index = state.returns.index(forKey: event.returnID) {
            returnIndex = index
            return index
        }
        guard !state.closed.isEmpty else { return nil }
        // As `withKnowledge`: a closed return comes back to `returns` to be read.
        state.reopen(event.returnID)
        returnIndex = state.returns.index(forKey: event.returnID)
        return returnIndex
    }

    /// Whether a write with `key` is already planned for this event's return.
    func isPlanned(_ key: String) -> Bool {
        known { $0.plannedKeys.contains(key) } ?? false
    }

    func run() {
        let returnID = event.returnID
        let digest = knownDigest ?? RecordDigest.digest(event.record)
        let seen = StateChange.eventSeen(eventID: event.eventID, digest: digest, returnID: returnID, time: event.createdAt,
                                         rank: event.statusRank, status: event.status)
        switch delivery(digest: digest) {
        // 1. The same delivery again: by id, then by content under a new id.
        case .sameID:
            outcome = .duplicate
            reason = "event \(event.eventID) was already planned"
            return
        case .sameContent(let firstID):
            outcome = .duplicate
            reason = "same content as event \(firstID), already planned"
            record(seen)
            return
        // 2. Older than what is known about the return: a late delivery changes nothing.
        case .stale(let why):
            outcome = .stale
            reason = why
            record(seen)
            return
        case .fresh:
            record(seen)
        }
        // 3. An amount in another currency cannot be compared with anything in the rule file.
        if let code = event.currencyCode(differingFrom: currency) {
            review(queue: "finance", reason: "the return is in \(code) but the rule file's currency is \(currency.code)",
                   figures: ["return currency: \(code)", "rule file currency: \(currency.code)"], rule: nil)
            return
        }
        // 4. A reversal after a refund is for a person to decide, never an automatic delete.
        if event.status == "cancelled" || event.status == "rejected", known({ $0.hasRefunds }) == true, let knowledge = state.returns[returnID] {
            review(queue: "finance", reason: "return \(event.status) after a refund was recorded",
                   figures: ["refunded so far: \(Money(minorUnits: knowledge.amountRefunded + knowledge.differenceRefunded, currency: currency))",
                             "refund keys: \(knowledge.refundKeys.joined(separator: ", "))"], rule: nil)
        }
        // 5. The return-level tables for this status. All tables are evaluated before any action
        // is planned, so an action can see what else fires (a refund booked as store credit
        // needs to know a coupon is issued in the same decision).
        let blocks: [Int]
        if case .member(let statusIndex) = event.record.fields[ReturnEvent.slots.returnStatus], event.names != nil,
           statusIndex >= 0, Int(statusIndex) < parts.returnBlocks.count {
            blocks = parts.returnBlocks[Int(statusIndex)]
        } else {
            blocks = event.status.isEmpty ? [] : planner.rules.blocks(subject: "return", event: event.status)
        }
        if blocks.count == 1 {
            // One table (the usual): the same, without a list of what fired.
            if let rules = evaluate(blocks[0]) {
                for rule in rules where parts.issuesStoreCredit[blocks[0]][rule] { storeCreditFires = true }
                perform(block: blocks[0], rules: rules, element: nil)
            }
        } else {
            var fired: [(block: Int, rules: [Int])] = []
            for block in blocks {
                if let rules = evaluate(block) { fired.append((block, rules)) }
            }
            for (block, rules) in fired {
                for rule in rules where parts.issuesStoreCredit[block][rule] { storeCreditFires = true }
            }
            for (block, rules) in fired { perform(block: block, rules: rules, element: nil) }
        }
        // 6. Inspection results: each item's first one fires `on item inspected` and settles holds.
        for index in event.itemIndices {
            // An item without a grade value is skipped before a view of it is made (a view
            // retains the record's storage).
            guard case .member = event.record.element(ReturnSchema.itemsSlot, index, ReturnEvent.slots.itemGrade) else { continue }
            let item = event.item(index)
            guard let grade = item.grade else { continue }
            let identity = item.identity
            guard known({ $0.inspected.isEmpty ? nil : $0.inspected[identity] }) ?? nil == nil else { continue }
            record(.itemInspected(returnID: returnID, item: identity, grade: grade))
            frame.bindTriggerElement(collection: ReturnSchema.itemsSlot, index: index)
            var deciders: [RuleReference] = []
            for block in parts.inspectedBlocks {
                guard let fired = evaluate(block) else { continue }
                deciders += fired.map { parts.ruleReferences[block][$0] }
                perform(block: block, rules: fired, element: index)
            }
            settleHold(for: item, grade: grade, decidedBy: deciders)
        }
        // 7. One internal note per return and status, for customer service.
        if configuration.statusNotes { statusNote() }
    }

    // MARK: - Rules

    func runBlock(_ block: Int, element: Int?) {
        if let fired = evaluate(block) { perform(block: block, rules: fired, element: element) }
    }

    /// The rules of one table that fire, or nil (with a review item) when a condition failed.
    func evaluate(_ block: Int) -> [Int]? {
        var fired: [Int] = []
        if let error = planner.rules.evaluate(block: block, frame: frame, into: &fired) {
            let location = ruleLocation(span: error.span)
            review(queue: "rules", reason: "a rule could not be evaluated: \(error.message)",
                   figures: ["at \(location)"], rule: nil)
            return nil
        }
        return fired
    }

    func perform(block: Int, rules fired: [Int], element: Int?) {
        for ruleIndex in fired {
            let reference = parts.ruleReferences[block][ruleIndex]
            let actions = parts.actions[block][ruleIndex]
            for actionIndex in actions.indices {
                perform(actions[actionIndex], block: block, rule: ruleIndex, actionIndex: actionIndex, reference: reference, element: element)
            }
        }
    }

    func ruleLocation(span: Span) -> String {
        let sources = planner.rules.program.sources
        guard let file = sources.file(for: span) else { return "?" }
        let location = file.location(of: span.start)
        return "\(file.path):\(location.line):\(location.column)"
    }

    func perform(_ action: PlannedAction, block: Int, rule: Int, actionIndex: Int, reference: RuleReference, element: Int?) {
        func value(_ name: String) -> Value? {
            try? planner.rules.argument(name, block: block, rule: rule, action: actionIndex, frame: frame)
        }
        func text(_ name: String) -> String? { value(name).flatMap { frame.string($0) } }
        func selection(_ name: String) -> Result<[Int]?, EvaluationError> {
            do { return .success(try planner.rules.selection(name, block: block, rule: rule, action: actionIndex, frame: frame)) }
            catch { return .failure(error) }
        }
        func member(_ name: String, _ known: EnumNames.Known) -> String? {
            guard case .member(let index)? = value(name) else { return nil }
            return parts.names.name(known, index)
        }
        switch action.kind {
        case .refund:
            switch selection("items") {
            case .failure(let error): evaluationFailed(error, reference)
            case .success(let indices):
                let path = member("path", .moneyPath) ?? "record_only"
                var restock = false
                if case .bool(true)? = value("restock") { restock = true }
                planRefund(items: indices ?? [], path: path, reason: text("reason"), restockRequested: restock, rule: reference)
            }
        case .refundAmount:
            guard case .money(let amount)? = value("amount") else {
                review(queue: "finance", reason: "the refund amount is absent in this event", figures: [], rule: reference)
                return
            }
            planDifferenceRefund(amount: amount, path: member("path", .moneyPath) ?? "record_only", reason: text("reason"), rule: reference)
        case .restock:
            switch selection("items") {
            case .failure(let error): evaluationFailed(error, reference)
            case .success(let indices): planRestock(items: indices ?? [], rule: reference)
            }
        case .replacementOrder:
            switch selection("items") {
            case .failure(let error): evaluationFailed(error, reference)
            case .success(let indices): planReplacementOrder(newItems: indices ?? Array(0..<event.newItemCount), note: text("note"), rule: reference)
            }
        case .storeCredit:
            var amount: Int64?
            if case .money(let units)? = value("amount") { amount = units }
            planStoreCredit(amount: amount, reason: text("reason"), rule: reference)
        case .note:
            planNote(visibility: member("visibility", .noteVisibility) ?? "internal", text: text("text") ?? "", rule: reference)
        case .review:
            if let known = action.review {
                review(queue: known.queue, reason: known.reason, summary: known.summary, figures: [], rule: reference)
            } else {
                review(queue: text("queue") ?? "review", reason: text("reason") ?? "", figures: [], rule: reference)
            }
        case .ignore:
            steps.append(PlanStep(kind: .ignore, summary: action.ignoreSummary ?? EventContext.ignoreSummary(reason: text("reason")), rule: reference))
        case .unknown:
            let name = planner.rules.program.blocks[block].rules[rule].actions[actionIndex].name
            review(queue: "rules", reason: "unknown action `\(name)`", figures: [], rule: reference)
        }
    }

    /// An `ignore` step's summary.
    static func ignoreSummary(reason: String?) -> String {
        "ignore" + (reason.map { ": \($0)" } ?? "")
    }

    /// A review step's summary.
    static func reviewSummary(queue: String, reason: String) -> String {
        "review \(queue): \(reason)"
    }

    func evaluationFailed(_ error: EvaluationError, _ reference: RuleReference) {
        review(queue: "rules", reason: "rule `\(reference.name)` could not be evaluated: \(error.message)", figures: ["at \(ruleLocation(span: error.span))"], rule: reference)
    }

    // MARK: - Steps every action uses

    func review(queue: String, reason: String, figures: [String], rule: RuleReference?) {
        review(queue: queue, reason: reason, summary: EventContext.reviewSummary(queue: queue, reason: reason), figures: figures, rule: rule)
    }

    /// A review step whose summary is made already (see `PlannedAction`).
    func review(queue: String, reason: String, summary: String, figures: [String], rule: RuleReference?) {
        steps.append(PlanStep(kind: .review, summary: summary, details: figures, rule: rule,
                              review: ReviewItem(queue: queue, reason: reason, figures: figures)))
        record(.reviewOpened(returnID: event.returnID, queue: queue))
    }

    func noop(_ summary: String, rule: RuleReference?, details: [String] = []) {
        steps.append(PlanStep(kind: .noop, summary: summary, details: details, rule: rule))
    }

    func money(_ units: Int64) -> Money { Money(minorUnits: units, currency: currency) }

    func key(_ kind: String, _ parts: [String]) -> String {
        IdempotencyKey.make(client: configuration.client, returnID: event.returnID, kind: kind, parts: parts)
    }

    /// The WooCommerce order this return belongs to, following a replacement order's meta back
    /// to the order that was paid.
    func targetOrderID() -> Result<Int, PlanProblem> {
        let reference = event.orderReference
        guard let id = Int(reference), id > 0 else {
            return .failure(PlanProblem("the order reference `\(reference)` is not a WooCommerce order id"))
        }
        if let store, let order = store.order(id), let original = order.metaString("reveni_original_order_id"), let originalID = Int(original), originalID != id {
            return .success(originalID)
        }
        return .success(id)
    }
}

/// Why the planner cannot do something; becomes the reason of a review item.
struct PlanProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
