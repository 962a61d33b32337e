import ReturnRulesLanguage

/// When tables run: a return reaching a status, or an item's inspection result arriving.
enum LintTrigger: Hashable, Comparable {
    case status(String)
    case inspected

    var rank: Int {
        switch self {
        case .status(let status): ReturnSchema.statuses.firstIndex(of: status) ?? 0
        case .inspected: ReturnSchema.statuses.count
        }
    }

    static func < (lhs: LintTrigger, rhs: LintTrigger) -> Bool { lhs.rank < rhs.rank }

    /// `return accepted`, `item inspected`.
    var text: String {
        switch self {
        case .status(let status): "return \(status)"
        case .inspected: "item inspected"
        }
    }

    /// A return ends in exactly one of these (Reveni's final states, domain.md §1.4).
    static let finalStatuses: Set<String> = ["accepted", "partly_accepted", "rejected", "cancelled"]

    /// Whether one return can meet both triggers (in two events, or one for an inspection).
    func canShareReturn(with other: LintTrigger) -> Bool {
        switch (self, other) {
        case (.status(let a), .status(let b)):
            return a != b && !(LintTrigger.finalStatuses.contains(a) && LintTrigger.finalStatuses.contains(b))
        default:
            return true
        }
    }
}

/// One table's hit policy evaluated over a context's space. A class: every action firing of
/// the table refers to it, and a struct of six arrays cost six reference counts per copy.
final class TableEvaluation {
    let block: Int
    /// Per rule: where its condition can be true / false (nil for `otherwise`).
    let truths: [Truth?]
    /// Per rule: where it may fire / certainly fires under the hit policy.
    let mayFire: [BitSet]
    let mustFire: [BitSet]
    /// Where some rule of the table certainly fires (the event is handled).
    let handled: BitSet
    /// Where some rule may fire.
    let anyMayFire: BitSet
    /// Per rule: the abstracted condition (nil for `otherwise`).
    let conditions: [AbstractCondition?]
    /// What a witness for rule `r` names, read off the conditions of rules `0...r`, kept as prefixes
    /// so a table with many findings does not walk its earlier rules once per finding: each field
    /// with the first rule that reads it, and the jointly enumerated unknowns (the only ones a
    /// witness shows a value for) with the rule that reads them, in rule order.
    let fieldFirstReads: [(name: String, rule: Int)]
    let jointAtomReads: [(rule: Int, atom: Int)]
    /// The rules that may fire somewhere, in order: what can hide a later rule. In a table where
    /// many rules repeat an earlier condition most never fire, and a finding need not ask them.
    let fireable: [Int]

    init(block: Int, truths: [Truth?], mayFire: [BitSet], mustFire: [BitSet], handled: BitSet, anyMayFire: BitSet,
         conditions: [AbstractCondition?], jointAtoms: Int) {
        self.block = block
        self.truths = truths
        self.mayFire = mayFire
        self.mustFire = mustFire
        self.handled = handled
        self.anyMayFire = anyMayFire
        self.conditions = conditions
        var fieldFirstReads: [(name: String, rule: Int)] = []
        var jointAtomReads: [(rule: Int, atom: Int)] = []
        for (rule, condition) in conditions.enumerated() {
            guard let condition else { continue }
            for name in condition.fields where !fieldFirstReads.contains(where: { $0.name == name }) {
                fieldFirstReads.append((name, rule))
            }
            if jointAtoms > 0 {
                for atom in condition.atoms where atom < jointAtoms { jointAtomReads.append((rule, atom)) }
            }
        }
        self.fieldFirstReads = fieldFirstReads
        self.jointAtomReads = jointAtomReads
        fireable = mayFire.indices.filter { !mayFire[$0].isEmpty }
    }

    /// The fields the conditions of rules `0...rule` read.
    func fieldsRead(upTo rule: Int) -> Set<String> {
        Set(fieldFirstReads.lazy.filter { $0.rule <= rule }.map(\.name))
    }

    /// The jointly enumerated unknowns the conditions of rules `0...rule` read, once per read.
    func jointAtomsRead(upTo rule: Int) -> [Int] {
        jointAtomReads.prefix { $0.rule <= rule }.map(\.atom)
    }
}

/// The tables that run on one trigger, over one decision space.
final class DecisionContext {
    let trigger: LintTrigger
    let space: DecisionSpace
    var tables: [TableEvaluation]
    /// Fields some condition of these tables reads: a witness prints these (and type, status).
    let mentioned: Set<String>
    let catalog: LintCatalog

    var isItem: Bool { trigger == .inspected }

    /// Fields in every context: a return's type, and who pays a refund how (the money path).
    /// Other fields are in a context only when one of its conditions reads them.
    static let baseFields = ["return.type", "refund.method", "refund.executed_by"]
    static let itemBaseFields = ["item.grade"]
    /// Above this many cells, the widest fields a condition reads become unknowns instead.
    static let cellLimit = 1 << 16

    /// - Parameter base: fields every space has; nil for the lints' base (what money, credit and
    ///   exchanges depend on). `diff` passes only the return type (and grade), so its cells are
    ///   the fields the rules read.
    init(trigger: LintTrigger, blocks: [Int], catalog: LintCatalog, extraFields: Set<String> = [], base: [String]? = nil) {
        self.trigger = trigger
        self.catalog = catalog
        let program = catalog.program
        let isItem = trigger == .inspected
        var excluded = Set<String>()
        var atoms = AtomTable()
        var conditions: [[AbstractCondition?]] = []
        var mentioned = Set<String>()
        var fields: [DomainField] = []
        let ruleCount = blocks.reduce(0) { $0 + program.blocks[$1].rules.count }
        while true {
            atoms = AtomTable(expected: ruleCount)
            let abstraction = ConditionAbstraction(catalog: catalog, itemDepth: isItem ? 0 : nil, enumerateEventFields: true,
                                                   excluded: excluded, atoms: atoms)
            // By index: iterating the rules would copy each whole rule (name, actions, …); and
            // `if let`, as `condition.map(abstraction.abstract)` copied the abstraction per rule.
            conditions = blocks.map { block in
                let rules = program.blocks[block].rules
                return rules.indices.map { index -> AbstractCondition? in
                    guard let condition = rules[index].condition else { return nil }
                    return abstraction.abstract(condition)
                }
            }
            mentioned = []
            for table in conditions { for case let condition? in table { mentioned.formUnion(condition.fields) } }
            var names = Set(base ?? DecisionContext.baseFields).union(mentioned).union(extraFields)
            if case .status = trigger { names.insert("return.status") }
            if isItem { names.formUnion(base == nil ? DecisionContext.itemBaseFields : ["item.grade"]) }
            names.subtract(excluded)
            fields = names.compactMap { name -> DomainField? in
                let field = name.hasPrefix("item.") ? catalog.itemField(named: String(name.dropFirst(5))) : catalog.eventField(named: name)
                guard var found = field else { return nil }
                if case .status(let status) = trigger, name == "return.status" { found = catalog.restricted(found, to: [status]) }
                if isItem, name == "item.grade" { found = catalog.restricted(found, to: catalog.grades) }
                return found
            }.sorted { (LintCatalog.rank(of: $0.name), $0.name) < (LintCatalog.rank(of: $1.name), $1.name) }
            let cells = fields.reduce(1) { $0 * max($1.radix, 1) }
            guard cells > DecisionContext.cellLimit,
                  let widest = fields.filter({ mentioned.contains($0.name) && !DecisionContext.baseFields.contains($0.name) && $0.name != "return.status" })
                      .max(by: { ($0.radix, $1.name) < ($1.radix, $0.name) }) else { break }
            excluded.insert(widest.name)
        }
        self.mentioned = mentioned
        space = DecisionSpace(fields: fields, atoms: atoms)
        tables = []
        for (position, block) in blocks.enumerated() {
            tables.append(evaluate(block: block, conditions: conditions[position]))
        }
    }

    private func evaluate(block: Int, conditions: [AbstractCondition?]) -> TableEvaluation {
        let checked = catalog.program.blocks[block]
        let count = space.pointCount
        var truths: [Truth?] = []
        var mayFire: [BitSet] = []
        var mustFire: [BitSet] = []
        var noneMay = BitSet(count: count, filled: true)
        var noneMust = BitSet(count: count, filled: true)
        var handled = BitSet(count: count)
        var otherwiseIndex: Int?
        for index in checked.rules.indices {
            guard let condition = conditions[index] else {
                truths.append(nil)
                mayFire.append(BitSet(count: count))
                mustFire.append(BitSet(count: count))
                otherwiseIndex = index
                continue
            }
            let truth = space.truth(of: condition, catalog: catalog, itemDepth: isItem ? 0 : nil)
            truths.append(truth)
            let mustTrue = truth.mustTrue
            switch checked.policy {
            case .first:
                mayFire.append(truth.canTrue.intersection(noneMay))
                mustFire.append(mustTrue.intersection(noneMust))
            case .all:
                mayFire.append(truth.canTrue)
                mustFire.append(mustTrue)
            }
            noneMay.formIntersection(truth.canFalse)
            // `formIntersection(truth.mustFalse)` without building `mustFalse`.
            noneMust.formIntersection(truth.canFalse, subtracting: truth.canTrue)
            handled.formUnion(mustTrue)
        }
        if let otherwiseIndex {
            mayFire[otherwiseIndex] = noneMay
            mustFire[otherwiseIndex] = noneMust
            handled = BitSet(count: count, filled: true)
        }
        var anyMay = BitSet(count: count)
        for may in mayFire { anyMay.formUnion(may) }
        return TableEvaluation(block: block, truths: truths, mayFire: mayFire, mustFire: mustFire, handled: handled,
                               anyMayFire: anyMay, conditions: conditions, jointAtoms: space.jointAtoms)
    }

    /// Where something certainly fires, over every table of the trigger.
    var handled: BitSet {
        var result = BitSet(count: space.pointCount)
        for table in tables { result.formUnion(table.handled) }
        return result
    }

    var anyMayFire: BitSet {
        var result = BitSet(count: space.pointCount)
        for table in tables { result.formUnion(table.anyMayFire) }
        return result
    }

    func table(for block: Int) -> TableEvaluation? { tables.first { $0.block == block } }
}

/// Every trigger's context for one program.
struct DecisionModel {
    let catalog: LintCatalog
    /// In lifecycle order; only triggers some table runs on, plus the decision points.
    let contexts: [DecisionContext]

    init(catalog: LintCatalog, extraTriggers: Set<LintTrigger> = [], extraFields: [LintTrigger: Set<String>] = [:]) {
        self.catalog = catalog
        let program = catalog.program
        var triggers = extraTriggers
        for block in program.blocks {
            if block.subject == "item" { triggers.insert(.inspected) } else { for event in block.events { triggers.insert(.status(event)) } }
        }
        let sortedTriggers = triggers.sorted()
        let blocksByTrigger = sortedTriggers.map { trigger in
            program.blocks.indices.filter { index in
                let block = program.blocks[index]
                switch trigger {
                case .status(let status): return block.subject == "return" && block.events.contains(status)
                case .inspected: return block.subject == "item"
                }
            }
        }
        // Contexts share only the read-only catalog and program, so they are built on every
        // core: evaluating each rule's condition over its space is most of the linter's work.
        // Building one is a pure function of its trigger, so a stalled helper's may be redone.
        contexts = ParallelWork.map(sortedTriggers.count, redoStalled: true) { position in
            let trigger = sortedTriggers[position]
            return DecisionContext(trigger: trigger, blocks: blocksByTrigger[position], catalog: catalog, extraFields: extraFields[trigger] ?? [])
        }
    }

    func context(_ trigger: LintTrigger) -> DecisionContext? { contexts.first { $0.trigger == trigger } }
}
