/// A checked program lowered for evaluation: every decision table with its conditions and
/// action arguments as closures, and an index from trigger to tables.
///
/// Build it once per rule file; evaluate it for every event. It is immutable and Sendable;
/// each thread brings its own `EvaluationFrame` (`makeFrame`).
public final class CompiledRuleSet: Sendable {
    public let program: CheckedProgram
    public let blocks: [CompiledBlock]
    /// Table indices by `subject event` (for example `return accepted`), in program order.
    private let triggerIndex: [String: [Int]]
    let interpreter: Interpreter
    /// The deepest element binding any expression uses, so frames can be sized once.
    public let maximumDepth: Int
    /// The program's string constants, shared by every frame.
    public let constantText: [UInt8]
    /// Per table, for the hot path: the `match first` closure and the `otherwise` rule (−1: none).
    private let tables: ContiguousArray<TableCode>
    private let otherwiseIndex: ContiguousArray<Int?>

    public init(_ program: CheckedProgram) {
        self.program = program
        let pool = ConstantPool()
        let compiler = Compiler(program: program, pool: pool)
        var index: [String: [Int]] = [:]
        var depth = 1
        var compiled: [CompiledBlock] = []
        for (blockIndex, block) in program.blocks.enumerated() {
            for event in block.events { index["\(block.subject) \(event)", default: []].append(blockIndex) }
            let selectionDepth = block.binds == nil ? 0 : 1
            let rules = block.rules.map { rule in
                CompiledRule(
                    name: rule.name,
                    condition: rule.condition == nil ? nil : compiler.condition(rule.condition!),
                    actions: rule.actions.map { action in
                        CompiledAction(
                            name: action.name,
                            values: action.arguments.compactMapValues { argument in
                                CompiledRuleSet.isSelection(argument.type) ? nil : compiler.value(argument)
                            },
                            selections: action.arguments.compactMapValues { argument in
                                CompiledRuleSet.isSelection(argument.type) ? compiler.selection(argument, depth: selectionDepth) : nil
                            }
                        )
                    }
                )
            }
            for rule in block.rules {
                if let condition = rule.condition { depth = max(depth, CompiledRuleSet.depth(of: condition) + 1) }
                for action in rule.actions { for argument in action.arguments.values { depth = max(depth, CompiledRuleSet.depth(of: argument) + 1) } }
            }
            compiled.append(CompiledBlock(
                policy: block.policy, rules: rules,
                otherwise: block.rules.firstIndex { $0.condition == nil },
                table: compiler.firstMatchTable(block.rules.map(\.condition))
            ))
        }
        blocks = compiled
        tables = ContiguousArray(compiled.map(\.table))
        otherwiseIndex = ContiguousArray(compiled.map(\.otherwise))
        constantText = pool.bytes
        triggerIndex = index
        interpreter = Interpreter(program: program)
        maximumDepth = depth + 1
    }

    static func isSelection(_ type: ValueType) -> Bool {
        switch type {
        case .list(.record), .record: true
        default: false
        }
    }

    /// The tables that run when `subject` reaches `event` (`return`, `accepted`), in order.
    public func blocks(subject: String, event: String) -> [Int] { triggerIndex["\(subject) \(event)"] ?? [] }

    /// A frame sized for this rule set.
    public func makeFrame(_ event: EventRecord) -> EvaluationFrame {
        EvaluationFrame(event: event, depth: maximumDepth, constants: constantText)
    }

    /// Runs one table under its hit policy and appends the index of every rule that fires.
    /// An error in a condition stops the table: under `first` nobody can know which rule should
    /// have fired, and under `all` the rest would be decided without it.
    public func evaluate(block blockIndex: Int, frame: EvaluationFrame, into fired: inout [Int]) -> EvaluationError? {
        let block = blocks[blockIndex]
        frame.failure = nil
        if block.policy == .first {
            let found = block.table(frame)
            if let failure = frame.failure { return failure }
            if found >= 0 { fired.append(found) } else if let otherwise = block.otherwise { fired.append(otherwise) }
            return nil
        }
        let before = fired.count
        for (index, rule) in block.rules.enumerated() {
            guard let condition = rule.condition else { continue }
            let holds = condition(frame)
            if let failure = frame.failure {
                fired.removeSubrange(before...)
                return failure
            }
            if holds { fired.append(index) }
        }
        if fired.count == before, let otherwise = block.otherwise { fired.append(otherwise) }
        return nil
    }

    /// The rule of a `match first` table that fires (the `otherwise` rule when no other does),
    /// or nil; the fastest path.
    @inline(__always)
    public func firstMatch(block blockIndex: Int, frame: EvaluationFrame) throws(EvaluationError) -> Int? {
        frame.failure = nil
        // Only the table closure and the `otherwise` index are read: copying the whole block
        // would retain its arrays on every event.
        let found = tables[blockIndex](frame)
        if let failure = frame.failure { throw failure }
        return found >= 0 ? found : otherwiseIndex[blockIndex]
    }

    /// An action argument's value (not a selection).
    public func argument(_ name: String, block: Int, rule: Int, action: Int, frame: EvaluationFrame) throws(EvaluationError) -> Value? {
        guard let code = blocks[block].rules[rule].actions[action].values[name] else { return nil }
        frame.failure = nil
        let result = code(frame)
        if let failure = frame.failure { throw failure }
        return result
    }

    /// The element indices a selection argument (`items where …`, `item`) names.
    public func selection(_ name: String, block: Int, rule: Int, action: Int, frame: EvaluationFrame) throws(EvaluationError) -> [Int]? {
        guard let code = blocks[block].rules[rule].actions[action].selections[name] else { return nil }
        frame.failure = nil
        let result = code(frame)
        if let failure = frame.failure { throw failure }
        return result
    }

    /// Explains a rule's condition with the tracing interpreter.
    public func explain(block: Int, rule: Int, frame: EvaluationFrame) -> (Result<Bool, EvaluationError>, Interpreter.Trace)? {
        guard let condition = program.blocks[block].rules[rule].condition else { return nil }
        return interpreter.explain(condition, frame: frame)
    }

    static func depth(of expr: TypedExpr) -> Int {
        switch expr.kind {
        case .constant, .eventField, .collection: return 0
        case .element(let depth, _), .elementField(let depth, _, _): return depth
        case .not(let a), .negate(let a): return depth(of: a)
        case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b), .membership(let a, let b, _):
            return max(depth(of: a), depth(of: b))
        case .filter(let a, let p, let d): return max(d, depth(of: a), depth(of: p))
        case .aggregate(_, let a, let body, let d): return max(d, depth(of: a), body.map { depth(of: $0) } ?? 0)
        case .list(let items): return items.map { depth(of: $0) }.max() ?? 0
        case .interpolation(let parts):
            return parts.map { if case .value(let v) = $0 { depth(of: v) } else { 0 } }.max() ?? 0
        }
    }
}

public struct CompiledBlock: Sendable {
    public let policy: HitPolicy
    let rules: [CompiledRule]
    /// The index of the `otherwise` rule, if the table has one.
    public let otherwise: Int?
    /// The table as one chain of closures (for `match first`).
    let table: TableCode
}

struct CompiledRule: Sendable {
    let name: String
    let condition: ConditionCode?
    let actions: [CompiledAction]
}

struct CompiledAction: Sendable {
    let name: String
    let values: [String: ValueCode]
    let selections: [String: @Sendable (EvaluationFrame) -> [Int]]
}
