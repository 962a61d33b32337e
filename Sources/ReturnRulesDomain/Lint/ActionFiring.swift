import ReturnRulesLanguage

/// Every firing, and per action name the positions of its firings (increasing).
struct FiringIndex {
    let all: [ActionFiring]
    let positions: [String: [Int]]
}

/// One action of one rule, in one context: where it may fire.
struct ActionFiring {
    let context: DecisionContext
    let table: TableEvaluation
    let rule: RuleID
    let actionIndex: Int
    let action: CheckedAction

    /// Points where the rule may fire.
    var may: BitSet { table.mayFire[rule.rule] }

    var condition: AbstractCondition? { table.conditions[rule.rule] }
}

extension LintRun {
    /// Every firing of the named actions, in lifecycle then program order.
    func firings(_ names: Set<String>) -> [ActionFiring] {
        let index = firingIndex
        if names.count == 1, let name = names.first { return (index.positions[name] ?? []).map { index.all[$0] } }
        var positions: [Int] = []
        for name in names { positions += index.positions[name] ?? [] }
        return positions.sorted().map { index.all[$0] }
    }

    /// Every action firing of the program, in lifecycle then program order, and where each
    /// action name's firings are in that list: built once, since most lints ask for some.
    static func firingIndex(of model: DecisionModel, program: CheckedProgram) -> FiringIndex {
        var all: [ActionFiring] = []
        // A program uses a handful of action names: a list found by comparison beats hashing
        // every action's name.
        var names: [String] = []
        var positions: [[Int]] = []
        for context in model.contexts {
            for table in context.tables {
                let rules = program.blocks[table.block].rules
                for ruleIndex in rules.indices {
                    let actions = rules[ruleIndex].actions
                    for actionIndex in actions.indices {
                        let action = actions[actionIndex]
                        if let known = names.firstIndex(of: action.name) {
                            positions[known].append(all.count)
                        } else {
                            names.append(action.name)
                            positions.append([all.count])
                        }
                        all.append(ActionFiring(context: context, table: table, rule: RuleID(block: table.block, rule: ruleIndex),
                                                actionIndex: actionIndex, action: action))
                    }
                }
            }
        }
        return FiringIndex(all: all, positions: Dictionary(uniqueKeysWithValues: zip(names, positions)))
    }

    /// The enum value an argument names when it is a constant (`path: gateway`).
    func constantMember(_ expr: TypedExpr?) -> String? {
        guard let expr, case .constant(.enumMember(_, _, let name)) = expr.kind else { return nil }
        return name
    }

    /// The money paths a refund may take: its constant `path`, or both.
    func paths(of action: CheckedAction) -> [String] {
        if let path = constantMember(action.arguments["path"]) { return [path] }
        return ["record_only", "gateway"]
    }

    /// A field's value at a point, nil for `none` or when the space does not have it.
    func value(_ name: String, at point: Int, in context: DecisionContext) -> String? {
        guard let text = context.space.valueName(name, at: point), text != "none" else { return nil }
        return text
    }

    /// Whether Reveni pays (or issues) the refund at a point (MoneyPathPolicy, as the planner).
    func reveniPays(at point: Int, in context: DecisionContext) -> Bool? {
        policy.reveniPays(method: value("refund.method", at: point, in: context), executedBy: value("refund.executed_by", at: point, in: context))
    }

    /// Whether Reveni issues the store credit at a point (the planner's `planStoreCredit`).
    func reveniIssuesCredit(at point: Int, in context: DecisionContext) -> Bool {
        value("refund.executed_by", at: point, in: context).map { $0 == "reveni" } ?? catalog.configuration.reveniIssuesStoreCredit
    }

    /// Points of a context where a predicate holds; the predicate reads only fields (it is asked
    /// once per cell, with the cell's first point).
    func points(in context: DecisionContext, within: BitSet, _ predicate: (Int) -> Bool) -> BitSet {
        context.space.points(within: within, where: predicate)
    }

    /// The item cells of an `on item inspected` point (the inspected item): the point's grade,
    /// validation and outcome, every value for a field the context does not have.
    func itemCells(at point: Int, in context: DecisionContext) -> BitSet {
        var cells = BitSet(count: items.cellCount, filled: true)
        for name in ["grade", "validation", "outcome"] {
            guard let value = context.space.valueName("item." + name, at: point) else { continue }
            cells.formIntersection(items.cells(where: name, in: [value]))
        }
        return cells
    }

    /// The item cells an action's selection may include at some point where it fires.
    func selectedCells(_ firing: ActionFiring, argument: String = "items", within: BitSet? = nil) -> BitSet {
        guard let expr = firing.action.arguments[argument] else { return BitSet(count: items.cellCount, filled: true) }
        let selection = items.analyse(expr)
        guard selection.kind == .element else { return selection.cells }
        var cells = BitSet(count: items.cellCount)
        let space = firing.context.space
        let points = within ?? firing.may
        for cell in 0..<space.cellCount where points.intersects(space.points(ofCell: cell)) {
            cells.formUnion(itemCells(at: cell << space.jointAtoms, in: firing.context))
        }
        return cells
    }

    /// The span of an action's argument, else of the action.
    func span(of firing: ActionFiring, argument: String) -> Span {
        firing.action.arguments[argument]?.span ?? firing.action.span
    }

    /// A witness at a point, naming the fields the table's conditions read plus `extra`.
    func witness(_ firing: ActionFiring, at point: Int, extra: [String] = []) -> Witness {
        let table = firing.table
        let relevant = table.fieldsRead(upTo: firing.rule.rule).union(extra)
        return Witness(point: point, context: firing.context, relevant: relevant, atoms: table.jointAtomsRead(upTo: firing.rule.rule))
    }
}
