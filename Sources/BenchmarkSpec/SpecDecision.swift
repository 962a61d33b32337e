import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage

/// The peer benchmark's decision (SPEC.md): rule id, action, reason, amount.
public struct SpecDecision: Equatable, Sendable {
    public var rule: String
    public var action: String
    public var reason: String
    /// Two-decimal text, or nil.
    public var amount: String?

    public init(rule: String, action: String, reason: String, amount: String?) {
        self.rule = rule
        self.action = action
        self.reason = reason
        self.amount = amount
    }

    public static let duplicate = SpecDecision(rule: "R01", action: "ignore", reason: "duplicate", amount: nil)

    public var json: String {
        let amountText = amount.map { "\"\($0)\"" } ?? "null"
        return "{\"rule\": \"\(rule)\", \"action\": \"\(action)\", \"reason\": \"\(reason)\", \"amount\": \(amountText)}"
    }
}

/// Evaluates the spec's one `match first` table for a mapped event and reads the decision off
/// the rule that fired: the action's kind in the spec's words, its reason argument, its amount.
/// Everything but R01 (the stream's duplicate flag) comes from the compiled rules.
public struct SpecDecider {
    let rules: CompiledRuleSet
    let frame: EvaluationFrame
    /// Per block and rule, what the decision needs, resolved once.
    let plans: [[RulePlan]]
    let statusSlot: Int
    /// The table for each status index (−1: none).
    let statusBlocks: [Int]

    struct RulePlan {
        var rule: String
        var action: String
        /// The reason when it is a constant (it always is in the spec); else evaluated.
        var reason: String?
        var hasAmount: Bool
        var zeroAmount: Bool
    }

    public init(rules: CompiledRuleSet) {
        self.rules = rules
        frame = rules.makeFrame(EventRecord(fieldCount: 0, collectionFieldCounts: []))
        var plans: [[RulePlan]] = []
        for block in rules.program.blocks {
            plans.append(block.rules.map { rule in
                let action = rule.actions.first!
                let spec: String = switch action.name {
                case "review": "manual_review"
                case "refund", "refund_amount": "refund"
                default: action.name
                }
                var reason: String?
                if let argument = action.arguments["reason"], case .constant(.string(let text)) = argument.kind { reason = text }
                return RulePlan(rule: rule.name, action: spec, reason: reason, hasAmount: action.arguments["amount"] != nil,
                                zeroAmount: action.name == "replacement_order")
            })
        }
        self.plans = plans
        statusSlot = ReturnSchema.eventSlot("return.status")
        var byStatus = [Int](repeating: -1, count: ReturnSchema.statuses.count)
        for (index, status) in ReturnSchema.statuses.enumerated() {
            if let block = rules.blocks(subject: "return", event: status).first { byStatus[index] = block }
        }
        statusBlocks = byStatus
    }

    /// The decision for one mapped event (not a duplicate).
    public func decide(_ record: EventRecord) -> SpecDecision {
        frame.load(record)
        guard case .member(let status) = record.fields[statusSlot], status >= 0, Int(status) < statusBlocks.count, statusBlocks[Int(status)] >= 0 else {
            return SpecDecision(rule: "-", action: "none", reason: "no table", amount: nil)
        }
        let block = statusBlocks[Int(status)]
        do {
            guard let index = try rules.firstMatch(block: block, frame: frame) else {
                return SpecDecision(rule: "-", action: "none", reason: "no rule", amount: nil)
            }
            let plan = plans[block][index]
            var amount: String?
            if plan.zeroAmount { amount = "0.00" }
            if plan.hasAmount, case .money(let units)? = try rules.argument("amount", block: block, rule: index, action: 0, frame: frame) {
                amount = Money(minorUnits: units, currency: rules.program.currency).formatted
            }
            return SpecDecision(rule: plan.rule, action: plan.action, reason: plan.reason ?? "", amount: amount)
        } catch {
            return SpecDecision(rule: "error", action: "error", reason: error.message, amount: nil)
        }
    }
}

/// The bench's JSON Lines events, mapped by the rule file's mapping, with the stream's duplicate
/// flag (SPEC.md's R01: an event id seen before in the stream).
public enum SpecEvents {
    public struct Event {
        public var id: String
        public var duplicate: Bool
        public var record: EventRecord
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func load(_ bytes: [UInt8], path: String, rules: CompiledRuleSet) throws(LoadError) -> [Event] {
        let mapper = PayloadMapper(program: rules.program)
        var seen = Set<String>()
        var events: [Event] = []
        var parser = JSONParser()
        for line in JSONLines(bytes) {
            guard let document = try? parser.parse(bytes[line.range]) else { throw LoadError(description: "\(path):\(line.number): malformed JSON") }
            let record: EventRecord
            switch mapper.map(document.root) {
            case .success(let mapped): record = mapped
            case .failure(let error): throw LoadError(description: "\(path):\(line.number): \(error.message) at \(error.jsonPath)")
            }
            let id = document.root.member("event_id")?.stringValue ?? ""
            events.append(Event(id: id, duplicate: !seen.insert(id).inserted, record: record))
        }
        return events
    }
}
