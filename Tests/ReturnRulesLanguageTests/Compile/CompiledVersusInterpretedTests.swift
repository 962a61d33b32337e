import Testing
@testable import ReturnRulesLanguage
import ReturnRulesTestSupport

/// The compiled closures and the tree-walking `Interpreter` must agree on every condition, every
/// action value and every selection, on seeded random events (absent values and errors included).
@Suite("Compiled rules versus the interpreter")
struct CompiledVersusInterpretedTests {
    struct RuleFile: Sendable, CustomStringConvertible {
        var name: String
        var source: String
        var description: String { name }
    }

    static let ruleFiles: [RuleFile] = [
        RuleFile(name: "comparisons", source: TestSchema.header + """
        let big = 200.00 EUR
        let names = ["ann", "bob"]
        on order paid, created match all {
          rule c1 when order.total > big then flag "q" reason: "r"
          rule c2 when 10.00 EUR <= order.total then flag "q" reason: "r"
          rule c3 when order.discount == none then flag "q" reason: "r"
          rule c4 when order.discount != none and order.discount < order.total then flag "q" reason: "r"
          rule c5 when order.status == paid or order.previous != open then flag "q" reason: "r"
          rule c6 when order.previous == order.status then flag "q" reason: "r"
          rule c7 when order.note == "rush" or customer.name in names then flag "q" reason: "r"
          rule c8 when customer.name not in ["ann", "cid"] and order.priority >= 2 then flag "q" reason: "r"
          rule c9 when order.priority == 1.5 or order.priority != 3 then flag "q" reason: "r"
          rule c10 when order.express == yes or customer.vip == no then flag "q" reason: "r"
          rule c11 when not (order.status in [paid, shipped]) then flag "q" reason: "r"
          rule c12 when order.previous not in [paid, cancelled] then flag "q" reason: "r"
          rule c13 when paid in [order.status, order.previous] then flag "q" reason: "r"
          rule c14 when customer.vip and order.total < 50.00 EUR or not customer.vip then flag "q" reason: "r"
          rule c15 when order.note != none and order.note != "x" then flag "q" reason: "r"
          rule c16 otherwise then flag "q" reason: "none fired"
        }

        """),
        RuleFile(name: "arithmetic", source: TestSchema.header.replacingOccurrences(of: "half_up", with: "half_even") + """
        let fee = 2.50 EUR
        on order paid match all {
          rule a1 when order.total - order.discount > 100.00 EUR then flag "q" reason: "{order.total - order.discount}"
          rule a2 when order.total * 0.15 >= fee then flag "q" reason: "{order.total * 0.15}"
          rule a3 when order.total / order.priority < 20.00 EUR then flag "q" reason: "{order.total / order.priority}"
          rule a4 when order.priority / 3 > 0.5 then flag "q" reason: "{order.priority / 3}"
          rule a5 when -order.total < -fee then flag "q" reason: "{-order.total}"
          rule a6 when order.priority * order.priority - 1 > 2 then flag "q" reason: "{order.priority + 1}"
          rule a7 when 3 * order.total + order.total > 400.00 EUR then flag "q" reason: "{customer.name}: {order.status} {customer.vip}"
        }

        """),
        RuleFile(name: "aggregates", source: TestSchema.header + """
        grades A, B, C
        good_grades A, B
        let skus = ["S1", "S2"]
        let caps = [10.00 EUR, 20.00 EUR, 5.00 EUR]
        on order paid match all {
          rule g1 when count(lines) > 2 then ship lines count: count(lines) note: "{count(lines)}"
          rule g2 when count(lines, line.quantity > 1) >= 1 then ship lines where line.quantity > 1 count: count(lines, line.quantity > 1)
          rule g3 when any(lines) and any(lines where line.sku in skus) then ship lines where line.sku in skus
          rule g4 when all(lines, line.grade in good_grades) then ship lines amount: sum(lines, line.price)
          rule g5 when sum(lines, line.price) > 30.00 EUR then ship lines amount: max(lines, line.price)
          rule g6 when min(lines, line.quantity) >= 2 then ship lines count: min(lines, line.quantity)
          rule g7 when max(lines where line.grade == C, line.price) < 15.00 EUR then ship lines where line.grade == C
          rule g8 when sum(lines where line.state != cancelled, line.quantity) > 3 then ship lines count: sum(lines, line.quantity)
          rule g9 when any(lines, line.quantity > 0 and line.grade == A) and all(lines where line.sku == "S1", line.quantity > 0) then ship lines
          rule g10 when count(lines where line.state == open or line.grade == B) == 1 then ship lines where line.state == open
          rule g11 when sum(caps) > 30.00 EUR and max(caps) == 20.00 EUR and min([3, 1, 2]) == 1 then ship lines amount: sum(caps)
          rule g12 when count(lines where line.quantity > 2 or line.price == none) > 1 then ship lines
          rule g13 when any(lines where line.price > 5.00 EUR, line.sku == "S2") then ship lines note: "{sum(lines, line.quantity)} units"
        }

        """),
        RuleFile(name: "per-line", source: TestSchema.header + """
        grades A, B, C
        good_grades A
        on line checked match first {
          rule l1 when line.grade in good_grades and line.quantity > 1 then ship line note: "{line.sku} x {line.quantity}"
          rule l2 when line.price == none or line.price > order.total / 2 then ship line amount: line.price
          rule l3 when line.state == order.status then ship line
          rule l4 when count(lines) > 1 and line.grade != C then ship line count: line.quantity * 2
          rule l5 otherwise then flag "q" reason: "{line.sku}"
        }
        on order cancelled match first {
          rule o1 when any(lines, line.grade == C) then ship lines where line.grade == C
          rule o2 otherwise then flag "q" reason: "r"
        }

        """),
    ]

    static let absentYesNo = RuleFile(name: "absent yes/no", source: TestSchema.header + """
        on order paid match all {
          rule b1 when order.express then flag "q" reason: "r"
          rule b2 when order.express and customer.vip then flag "q" reason: "r"
          rule b3 when customer.vip and order.express then flag "q" reason: "r"
          rule b4 when order.express or customer.vip then flag "q" reason: "r"
          rule b5 when not order.express then flag "q" reason: "r"
          rule b6 when any(lines, order.express) then flag "q" reason: "r"
        }

        """)

    // MARK: - Random events

    static let names = ["ann", "bob", "cid", "rush", "x"]
    static let skus = ["S1", "S2", "S3"]

    /// A random value of `type`; text goes into the event's text store.
    static func randomValue(_ type: ValueType, optional: Bool, enums: [String: [String]], event: inout EventRecord, random: inout SplitMix64) -> Value {
        if optional, random.chance(1, in: 4) { return .missing }
        switch type {
        case .money:
            return .money(Int64(random.int(in: -2_000...30_000)))
        case .number:
            switch random.below(5) {
            case 0: return .number(.zero)
            case 1: return .number(ExactDecimal(significand: Int64(random.int(in: -50...50)), scale: 1))
            default: return .number(ExactDecimal(Int64(random.int(in: 1...4))))
            }
        case .bool:
            return .bool(random.bool())
        case .string:
            return event.appendText(random.element(of: names + skus))
        case .enumeration(let name):
            let count = enums[name]?.count ?? 0
            return count == 0 ? .missing : .member(Int32(random.below(count)))
        default:
            return .missing
        }
    }

    static func randomEvent(_ program: CheckedProgram, random: inout SplitMix64) -> EventRecord {
        var event = EventRecord(fieldCount: TestSchema.eventFieldList.count, collectionFieldCounts: [TestSchema.lineFieldList.count])
        for (slot, (_, type, optional)) in TestSchema.eventFieldList.enumerated() {
            event.fields[slot] = randomValue(type, optional: optional, enums: program.enums, event: &event, random: &random)
        }
        event.beginCollection(TestSchema.linesSlot)
        for _ in 0..<random.int(in: 0...5) {
            let base = event.appendElement(to: TestSchema.linesSlot)
            for (slot, (name, type, optional)) in TestSchema.lineFieldList.enumerated() {
                event.elements[base + slot] = name == "sku"
                    ? event.appendText(random.element(of: skus))
                    : randomValue(type, optional: optional, enums: program.enums, event: &event, random: &random)
            }
        }
        return event
    }

    // MARK: - Comparison

    /// What an evaluation produced, comparable across the two evaluators (text by its bytes,
    /// since each evaluator stores the text it makes at its own place).
    enum Outcome: Equatable, CustomStringConvertible {
        case value(String)
        case error
        var description: String {
            switch self {
            case .value(let text): text
            case .error: "error"
            }
        }
    }

    static func outcome(_ frame: EvaluationFrame, _ body: () throws(EvaluationError) -> Value) -> Outcome {
        do {
            let value = try body()
            if let text = frame.string(value) { return .value("text \"\(text)\"") }
            return .value(value.description)
        } catch {
            return .error
        }
    }

    /// A condition's value as the compiled rules see it: an absent value is false.
    static func asCondition(_ outcome: Outcome) -> Outcome {
        outcome == .value(Value.missing.description) ? .value(Value.bool(false).description) : outcome
    }

    /// Evaluates every condition, value argument and selection of `file` on `count` events both
    /// ways and returns the disagreements.
    static func disagreements(in file: RuleFile, events count: Int, seed: UInt64) -> [String] {
        let checked = LanguageHarness.run(source: file.source)
        guard let program = checked.program else {
            Issue.record("\(file.name) does not check:\n\(checked.rendered)")
            return []
        }
        let ruleSet = CompiledRuleSet(program)
        let interpreter = Interpreter(program: program)
        var random = SplitMix64(seed: seed)
        var problems: [String] = []
        var evaluated = 0
        for eventNumber in 0..<count {
            let event = randomEvent(program, random: &random)
            let frame = ruleSet.makeFrame(event)
            func compiled(_ body: (EvaluationFrame) -> Value) -> Outcome {
                outcome(frame) { () throws(EvaluationError) -> Value in
                    frame.failure = nil
                    let value = body(frame)
                    if let failure = frame.failure { throw failure }
                    return value
                }
            }
            for (blockIndex, block) in program.blocks.enumerated() {
                let elementIndices: [Int?] = block.binds == nil ? [nil] : (0..<event.count(of: TestSchema.linesSlot)).map { $0 }
                for elementIndex in elementIndices {
                    if let elementIndex { frame.bindTriggerElement(collection: TestSchema.linesSlot, index: elementIndex) }
                    let place = "event \(eventNumber)\(elementIndex.map { ", line \($0)" } ?? "")"
                    var holds: [Outcome] = []
                    for (ruleIndex, rule) in block.rules.enumerated() {
                        if let condition = rule.condition {
                            let code = ruleSet.blocks[blockIndex].rules[ruleIndex].condition!
                            let fast = compiled { .bool(code($0)) }
                            let slow = asCondition(outcome(frame) { () throws(EvaluationError) in try interpreter.evaluate(condition, frame: frame) })
                            holds.append(slow)
                            evaluated += 1
                            if fast != slow {
                                problems.append("\(file.name) rule \(rule.name), \(place): compiled \(fast), interpreted \(slow)")
                            }
                        } else {
                            holds.append(.value("otherwise"))
                        }
                        for (actionIndex, action) in rule.actions.enumerated() {
                            for (name, argument) in action.arguments.sorted(by: { $0.key < $1.key }) {
                                evaluated += 1
                                if CompiledRuleSet.isSelection(argument.type) {
                                    let fast = try? ruleSet.selection(name, block: blockIndex, rule: ruleIndex, action: actionIndex, frame: frame)
                                    let slow = try? interpreter.selection(argument, frame: frame)
                                    if fast != slow {
                                        problems.append("\(file.name) rule \(rule.name) `\(name):`, \(place): compiled \(String(describing: fast)), interpreted \(String(describing: slow))")
                                    }
                                } else {
                                    let fast = outcome(frame) { () throws(EvaluationError) in
                                        try ruleSet.argument(name, block: blockIndex, rule: ruleIndex, action: actionIndex, frame: frame) ?? .missing
                                    }
                                    let slow = outcome(frame) { () throws(EvaluationError) in try interpreter.evaluate(argument, frame: frame) }
                                    if fast != slow {
                                        problems.append("\(file.name) rule \(rule.name) `\(name):`, \(place): compiled \(fast), interpreted \(slow)")
                                    }
                                }
                            }
                        }
                    }
                    // The table as a whole: the rules that fire are those whose condition holds.
                    var fired: [Int] = []
                    let failure = ruleSet.evaluate(block: blockIndex, frame: frame, into: &fired)
                    if holds.contains(.error) {
                        if failure == nil, block.policy == .all {
                            problems.append("\(file.name) block \(blockIndex), \(place): a condition fails but the table reported no error")
                        }
                        continue
                    }
                    var expected: [Int] = []
                    for (ruleIndex, outcome) in holds.enumerated() where outcome == .value(Value.bool(true).description) {
                        expected.append(ruleIndex)
                        if block.policy == .first { break }
                    }
                    if expected.isEmpty, let otherwise = block.rules.firstIndex(where: { $0.condition == nil }) { expected.append(otherwise) }
                    if failure != nil || fired != expected {
                        problems.append("\(file.name) block \(blockIndex), \(place): compiled fired \(fired) \(failure.map { "(\($0))" } ?? ""), interpreted \(expected)")
                    }
                }
            }
        }
        #expect(evaluated > count, "\(file.name): too little was evaluated")
        return problems
    }

    @Test(arguments: ruleFiles)
    func compiledAndInterpretedAgree(_ file: RuleFile) {
        let seed = file.name.utf8.reduce(UInt64(5381)) { ($0 &* 33) &+ UInt64($1) }
        let problems = CompiledVersusInterpretedTests.disagreements(in: file, events: 300, seed: seed)
        #expect(problems.isEmpty, "\(problems.count) disagreements, the first:\n\(problems.prefix(10).joined(separator: "\n"))")
    }

    /// An absent optional yes/no used as a condition counts as no, in `and`, `or` and `not`
    /// alike, in both evaluators.
    @Test func absentYesNoFieldsAgree() {
        let problems = CompiledVersusInterpretedTests.disagreements(in: CompiledVersusInterpretedTests.absentYesNo, events: 100, seed: 7)
        #expect(problems.isEmpty, "\(problems.count) disagreements, the first:\n\(problems.prefix(10).joined(separator: "\n"))")
    }
}
