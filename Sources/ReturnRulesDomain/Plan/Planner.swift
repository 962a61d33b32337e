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
    public let rules: CompiledRuleSet
    public let mapper: PayloadMapper
    public let configuration: PlannerConfiguration
    public let store: StoreSnapshot?
    let enums: [String: [String]]
    let returnBlocks: [String: [Int]]
    let inspectedBlocks: [Int]

    public init(rules: CompiledRuleSet, store: StoreSnapshot?) {
        self.rules = rules
        self.store = store
        mapper = PayloadMapper(program: rules.program)
        configuration = PlannerConfiguration(program: rules.program)
        enums = rules.program.enums
        var byStatus: [String: [Int]] = [:]
        for status in ReturnSchema.statuses { byStatus[status] = rules.blocks(subject: "return", event: status) }
        returnBlocks = byStatus
        inspectedBlocks = rules.blocks(subject: "item", event: "inspected")
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
        var context = EventContext(planner: self, event: ReturnEvent(record: record, enums: enums), source: source, state: state)
        context.run()
        return (context.result, context.changes)
    }
}

/// The working state of planning one event.
struct EventContext {
    let planner: Planner
    let event: ReturnEvent
    let source: EventSource
    /// The state as it evolves while this event is planned (changes applied as they are made).
    var state: PlannerState
    var changes: [StateChange] = []
    var steps: [PlanStep] = []
    var result: EventPlan
    let frame: EvaluationFrame
    /// The actions of every rule that fired at the return level for this event.
    var firedActionNames: Set<String> = []

    var configuration: PlannerConfiguration { planner.configuration }
    var store: StoreSnapshot? { planner.store }
    var currency: Currency { configuration.currency }

    init(planner: Planner, event: ReturnEvent, source: EventSource, state: PlannerState, frame: EvaluationFrame? = nil) {
        self.planner = planner
        self.event = event
        self.source = source
        self.state = state
        if let frame {
            frame.load(event.record)
            self.frame = frame
        } else {
            self.frame = planner.rules.makeFrame(event.record)
        }
        result = EventPlan(source: source, outcome: .planned, eventID: event.eventID, returnID: event.returnID,
                           status: event.status, orderReference: event.orderReference)
        result.returnType = event.type
    }

    mutating func record(_ change: StateChange) {
        changes.append(change)
        state.apply(change)
    }

    /// How this delivery relates to what is known about its return.
    enum Delivery {
        case fresh
        case sameID
        case sameContent(as: String)
        case stale(String)
    }

    /// Reads the return's knowledge without keeping a copy of it: a copy alive while the event
    /// is recorded would make the knowledge's arrays copy themselves (copy-on-write).
    func delivery(of returnID: String, digest: SHA256Digest) -> Delivery {
        guard let knowledge = state.returns[returnID] else { return .fresh }
        if knowledge.recentEvents.contains(where: { $0.id == event.eventID }) { return .sameID }
        if let first = knowledge.recentEvents.first(where: { $0.digest == digest }) { return .sameContent(as: first.id) }
        if knowledge.lastRank >= 0, PlannerState.isLater(knowledge.lastTime, knowledge.lastRank, than: event.createdAt, event.statusRank) {
            return .stale("older than what is known: the return is already \(knowledge.lastStatus ?? "further")"
                + (knowledge.lastTime.map { " (as of \($0))" } ?? ""))
        }
        return .fresh
    }

    mutating func run() {
        let returnID = event.returnID
        let digest = RecordDigest.digest(event.record)
        let seen = StateChange.eventSeen(eventID: event.eventID, digest: digest, returnID: returnID, time: event.createdAt,
                                         rank: event.statusRank, status: event.status)
        switch delivery(of: returnID, digest: digest) {
        // 1. The same delivery again: by id, then by content under a new id.
        case .sameID:
            result.outcome = .duplicate
            result.reason = "event \(event.eventID) was already planned"
            return
        case .sameContent(let firstID):
            result.outcome = .duplicate
            result.reason = "same content as event \(firstID), already planned"
            record(seen)
            return
        // 2. Older than what is known about the return: a late delivery changes nothing.
        case .stale(let reason):
            result.outcome = .stale
            result.reason = reason
            record(seen)
            return
        case .fresh:
            record(seen)
        }
        // 3. An amount in another currency cannot be compared with anything in the rule file.
        if let code = event.currencyCode, code != currency.code {
            review(queue: "finance", reason: "the return is in \(code) but the rule file's currency is \(currency.code)",
                   figures: ["return currency: \(code)", "rule file currency: \(currency.code)"], rule: nil)
            result.steps = steps
            return
        }
        // 4. A reversal after a refund is for a person to decide, never an automatic delete.
        if event.status == "cancelled" || event.status == "rejected", let knowledge = state.returns[returnID], knowledge.hasRefunds {
            review(queue: "finance", reason: "return \(event.status) after a refund was recorded",
                   figures: ["refunded so far: \(Money(minorUnits: knowledge.amountRefunded + knowledge.differenceRefunded, currency: currency))",
                             "refund keys: \(knowledge.refundKeys.joined(separator: ", "))"], rule: nil)
        }
        // 5. The return-level tables for this status. All tables are evaluated before any action
        // is planned, so an action can see what else fires (a refund booked as store credit
        // needs to know a coupon is issued in the same decision).
        var fired: [(block: Int, rules: [Int])] = []
        for block in planner.returnBlocks[event.status] ?? [] {
            if let rules = evaluate(block) { fired.append((block, rules)) }
        }
        for (block, rules) in fired {
            for rule in rules {
                for action in planner.rules.program.blocks[block].rules[rule].actions { firedActionNames.insert(action.name) }
            }
        }
        for (block, rules) in fired { perform(block: block, rules: rules, element: nil) }
        // 6. Inspection results: each item's first one fires `on item inspected` and settles holds.
        for index in event.itemIndices {
            let item = event.item(index)
            guard let grade = item.grade, state.returns[returnID]?.inspected[item.identity] == nil else { continue }
            record(.itemInspected(returnID: returnID, item: item.identity, grade: grade))
            frame.bindTriggerElement(collection: ReturnSchema.itemsSlot, index: index)
            var deciders: [RuleReference] = []
            for block in planner.inspectedBlocks {
                guard let fired = evaluate(block) else { continue }
                deciders += fired.map { ruleReference(planner.rules.program.blocks[block].rules[$0]) }
                perform(block: block, rules: fired, element: index)
            }
            settleHold(for: item, grade: grade, decidedBy: deciders)
        }
        // 7. One internal note per return and status, for customer service.
        if configuration.statusNotes { statusNote() }
        result.steps = steps
    }

    // MARK: - Rules

    mutating func runBlock(_ block: Int, element: Int?) {
        if let fired = evaluate(block) { perform(block: block, rules: fired, element: element) }
    }

    /// The rules of one table that fire, or nil (with a review item) when a condition failed.
    mutating func evaluate(_ block: Int) -> [Int]? {
        var fired: [Int] = []
        if let error = planner.rules.evaluate(block: block, frame: frame, into: &fired) {
            let location = ruleLocation(span: error.span)
            review(queue: "rules", reason: "a rule could not be evaluated: \(error.message)",
                   figures: ["at \(location)"], rule: nil)
            return nil
        }
        return fired
    }

    mutating func perform(block: Int, rules fired: [Int], element: Int?) {
        for ruleIndex in fired {
            let rule = planner.rules.program.blocks[block].rules[ruleIndex]
            let reference = ruleReference(rule)
            for (actionIndex, action) in rule.actions.enumerated() {
                perform(action, block: block, rule: ruleIndex, actionIndex: actionIndex, reference: reference, element: element)
            }
        }
    }

    func ruleReference(_ rule: CheckedRule) -> RuleReference {
        let sources = planner.rules.program.sources
        let file = sources.file(for: rule.nameSpan)
        let location = file?.location(of: rule.nameSpan.start)
        return RuleReference(name: rule.name, file: file?.path ?? "?", line: location?.line ?? 0, column: location?.column ?? 0)
    }

    func ruleLocation(span: Span) -> String {
        let sources = planner.rules.program.sources
        guard let file = sources.file(for: span) else { return "?" }
        let location = file.location(of: span.start)
        return "\(file.path):\(location.line):\(location.column)"
    }

    mutating func perform(_ action: CheckedAction, block: Int, rule: Int, actionIndex: Int, reference: RuleReference, element: Int?) {
        func value(_ name: String) -> Value? {
            try? planner.rules.argument(name, block: block, rule: rule, action: actionIndex, frame: frame)
        }
        func text(_ name: String) -> String? { value(name).flatMap { frame.string($0) } }
        func selection(_ name: String) -> Result<[Int]?, EvaluationError> {
            do { return .success(try planner.rules.selection(name, block: block, rule: rule, action: actionIndex, frame: frame)) }
            catch { return .failure(error) }
        }
        func member(_ name: String, _ enumName: String) -> String? {
            guard case .member(let index)? = value(name), let members = planner.enums[enumName], Int(index) < members.count else { return nil }
            return members[Int(index)]
        }
        switch action.name {
        case "refund":
            switch selection("items") {
            case .failure(let error): evaluationFailed(error, reference)
            case .success(let indices):
                let path = member("path", ReturnSchema.moneyPath) ?? "record_only"
                var restock = false
                if case .bool(true)? = value("restock") { restock = true }
                planRefund(items: indices ?? [], path: path, reason: text("reason"), restockRequested: restock, rule: reference)
            }
        case "refund_amount":
            guard case .money(let amount)? = value("amount") else {
                review(queue: "finance", reason: "the refund amount is absent in this event", figures: [], rule: reference)
                return
            }
            planDifferenceRefund(amount: amount, path: member("path", ReturnSchema.moneyPath) ?? "record_only", reason: text("reason"), rule: reference)
        case "restock":
            switch selection("items") {
            case .failure(let error): evaluationFailed(error, reference)
            case .success(let indices): planRestock(items: indices ?? [], rule: reference)
            }
        case "replacement_order":
            switch selection("items") {
            case .failure(let error): evaluationFailed(error, reference)
            case .success(let indices): planReplacementOrder(newItems: indices ?? Array(0..<event.newItemCount), note: text("note"), rule: reference)
            }
        case "store_credit":
            var amount: Int64?
            if case .money(let units)? = value("amount") { amount = units }
            planStoreCredit(amount: amount, reason: text("reason"), rule: reference)
        case "note":
            planNote(visibility: member("visibility", ReturnSchema.noteVisibility) ?? "internal", text: text("text") ?? "", rule: reference)
        case "review":
            review(queue: text("queue") ?? "review", reason: text("reason") ?? "", figures: [], rule: reference)
        case "ignore":
            steps.append(PlanStep(kind: .ignore, summary: "ignore" + (text("reason").map { ": \($0)" } ?? ""), rule: reference))
        default:
            review(queue: "rules", reason: "unknown action `\(action.name)`", figures: [], rule: reference)
        }
    }

    mutating func evaluationFailed(_ error: EvaluationError, _ reference: RuleReference) {
        review(queue: "rules", reason: "rule `\(reference.name)` could not be evaluated: \(error.message)", figures: ["at \(ruleLocation(span: error.span))"], rule: reference)
    }

    // MARK: - Steps every action uses

    mutating func review(queue: String, reason: String, figures: [String], rule: RuleReference?) {
        steps.append(PlanStep(kind: .review, summary: "review \(queue): \(reason)", details: figures, rule: rule,
                              review: ReviewItem(queue: queue, reason: reason, figures: figures)))
        record(.reviewOpened(returnID: event.returnID, queue: queue))
    }

    mutating func noop(_ summary: String, rule: RuleReference?, details: [String] = []) {
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
