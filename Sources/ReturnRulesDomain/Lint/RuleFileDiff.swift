import ReturnRulesLanguage

/// Which cells of the finite domain change outcome between two versions of a rule file: the
/// review artefact for a consultant's pull request (`returnrules diff OLD NEW`).
///
/// Per trigger (`return accepted`, …, `item inspected`), the cells are the return type (and for
/// inspections the grade) times every enumerated field either version's conditions read. A
/// cell's outcome is the decision list of each table that runs: the rules that can fire there,
/// in order, each with its actions and, when it depends on unknown conditions, the part of its
/// condition still open in that cell (`if refund.amount > 400.00 EUR`, constants inlined). Two
/// versions differ in a cell when these lists differ.
public struct RuleFileDiff: Sendable {
    /// Cells with the same change, merged where a field takes all its values (`*`).
    public struct Change: Sendable {
        /// `return accepted`, `return accepted, partly_accepted`, `item inspected`.
        public var trigger: String
        /// Each merged cell: (label, value) pairs; a field with every value is left out.
        public var cells: [[(label: String, value: String)]]
        /// How many cells of the domain this change covers.
        public var count: Int
        public var before: [String]
        public var after: [String]
    }

    public private(set) var changes: [Change] = []
    public private(set) var totalCells = 0
    public var changedCells: Int { changes.reduce(0) { $0 + $1.count } }

    public init(old: CheckedProgram, new: CheckedProgram) {
        let catalogs = [LintCatalog(program: old), LintCatalog(program: new)]
        var triggers = Set<LintTrigger>()
        for program in [old, new] {
            for block in program.blocks {
                if block.subject == "item" { triggers.insert(.inspected) } else { for event in block.events { triggers.insert(.status(event)) } }
            }
        }
        for trigger in triggers.sorted() { compare(trigger, catalogs) }
        // The same change on several statuses (one table on `accepted, partly_accepted`) is one entry.
        var merged: [Change] = []
        for change in changes {
            if let index = merged.firstIndex(where: { $0.before == change.before && $0.after == change.after && RuleFileDiff.same($0.cells, change.cells) }),
               merged[index].trigger.hasPrefix("return "), change.trigger.hasPrefix("return ") {
                merged[index].trigger += ", " + change.trigger.dropFirst("return ".count)
                merged[index].count += change.count
            } else {
                merged.append(change)
            }
        }
        changes = merged
    }

    static func same(_ a: [[(label: String, value: String)]], _ b: [[(label: String, value: String)]]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in x.count == y.count && zip(x, y).allSatisfy { $0.label == $1.label && $0.value == $1.value } }
    }

    static func blocks(_ program: CheckedProgram, _ trigger: LintTrigger) -> [Int] {
        program.blocks.indices.filter { index in
            let block = program.blocks[index]
            switch trigger {
            case .status(let status): return block.subject == "return" && block.events.contains(status)
            case .inspected: return block.subject == "item"
            }
        }
    }

    private mutating func compare(_ trigger: LintTrigger, _ catalogs: [LintCatalog]) {
        let base = ["return.type"]
        let first = catalogs.map { DecisionContext(trigger: trigger, blocks: RuleFileDiff.blocks($0.program, trigger), catalog: $0, base: base) }
        let union = first[0].mentioned.union(first[1].mentioned)
        let contexts = catalogs.map { DecisionContext(trigger: trigger, blocks: RuleFileDiff.blocks($0.program, trigger), catalog: $0,
                                                      extraFields: union, base: base) }
        // The cell fields, with the union of both versions' values (grades may differ).
        var names: [String] = []
        var domains: [[String]] = []
        var labels: [String] = []
        for context in contexts {
            for field in context.space.fields {
                if let index = names.firstIndex(of: field.name) {
                    for value in field.valueNames where !domains[index].contains(value) { domains[index].append(value) }
                } else {
                    names.append(field.name)
                    domains.append(field.valueNames)
                    labels.append(field.label)
                }
            }
        }
        let count = domains.reduce(1) { $0 * $1.count }
        totalCells += count
        var groups: [String: (before: [String], after: [String], cells: [[Int]])] = [:]
        var order: [String] = []
        var coordinates = Array(repeating: 0, count: names.count)
        for _ in 0..<count {
            let described = contexts.map { context in
                RuleFileDiff.describe(context, names: names, values: zip(names.indices, coordinates).map { domains[$0][$1] })
            }
            if described[0] != described[1] {
                let key = described[0].joined(separator: "\n") + "\u{0}" + described[1].joined(separator: "\n")
                if groups[key] == nil {
                    groups[key] = (described[0], described[1], [])
                    order.append(key)
                }
                groups[key]!.cells.append(coordinates)
            }
            // Next cell, last field fastest.
            var position = names.count - 1
            while position >= 0 {
                coordinates[position] += 1
                if coordinates[position] < domains[position].count { break }
                coordinates[position] = 0
                position -= 1
            }
        }
        for key in order {
            let group = groups[key]!
            let merged = RuleFileDiff.merge(group.cells, domains: domains)
            let shown = merged.map { cell in
                cell.enumerated().compactMap { index, value -> (label: String, value: String)? in
                    guard let value, names[index] != "return.status" else { return nil }
                    return (labels[index], domains[index][value])
                }
            }
            changes.append(Change(trigger: trigger.text, cells: shown, count: group.cells.count, before: group.before, after: group.after))
        }
    }

    /// Merges cells that differ in one field and together take all its values into one with `nil` there.
    static func merge(_ cells: [[Int]], domains: [[String]]) -> [[Int?]] {
        var current: [[Int?]] = cells.map { $0.map { Optional($0) } }
        var changed = true
        while changed {
            changed = false
            for field in domains.indices where domains[field].count > 1 {
                var byRest: [[Int?]: Set<Int>] = [:]
                var keys: [[Int?]] = []
                var kept: [[Int?]] = []
                for cell in current {
                    guard let value = cell[field] else { kept.append(cell); continue }
                    var rest = cell
                    rest[field] = nil
                    if byRest[rest] == nil { keys.append(rest) }
                    byRest[rest, default: []].insert(value)
                }
                var next = kept
                for rest in keys {
                    let values = byRest[rest]!
                    if values.count == domains[field].count {
                        next.append(rest)
                        changed = true
                    } else {
                        for value in values.sorted() {
                            var cell = rest
                            cell[field] = value
                            next.append(cell)
                        }
                    }
                }
                current = next
            }
        }
        var seen = Set<[Int?]>()
        return current.filter { seen.insert($0).inserted }.sorted { lhs, rhs in
            for (a, b) in zip(lhs, rhs) where a != b { return (a ?? -1) < (b ?? -1) }
            return false
        }
    }

    /// The decision list of a context at a cell (given by field names and values).
    static func describe(_ context: DecisionContext, names: [String], values: [String]) -> [String] {
        let space = context.space
        let program = context.catalog.program
        var cell = 0
        for (index, field) in space.fields.enumerated() {
            guard let position = names.firstIndex(of: field.name) else { continue }
            guard let value = field.valueNames.firstIndex(of: values[position]) else {
                return ["(\(field.label) \(values[position]) is not declared in this version)"]
            }
            cell += value * space.strides[index]
        }
        guard !context.tables.isEmpty else { return ["(no table)"] }
        let range = (cell << space.jointAtoms)..<((cell + 1) << space.jointAtoms)
        var lines: [String] = []
        for table in context.tables {
            let block = program.blocks[table.block]
            let subject = block.subject == "item" ? "item" : "return"
            lines.append("on \(subject) \(block.events.joined(separator: ", ")) match \(block.policy.rawValue)")
            var fired = false
            for (index, rule) in block.rules.enumerated() {
                guard range.contains(where: { table.mayFire[index][$0] }) else { continue }
                fired = true
                let certain = range.allSatisfy { table.mustFire[index][$0] }
                var suffix = ""
                if let condition = table.conditions[index] {
                    let residual = Residual.of(condition.expr, space: space, cell: range.lowerBound, catalog: context.catalog,
                                               itemDepth: context.isItem ? 0 : nil)
                    if case .open(let text, _) = residual { suffix = " if \(text)" }
                } else {
                    suffix = " (otherwise)"
                }
                let actions = rule.actions.map { TypedExprText.action($0, signature: ReturnSchema.schema.actions[$0.name]) }.joined(separator: " + ")
                lines.append("  \(rule.name)\(suffix): \(actions)")
                if certain, block.policy == .first { break }
            }
            if !fired { lines.append("  (no rule fires)") }
        }
        return lines
    }
}

/// A condition partly evaluated at a cell: decided, or the unknown part still open.
enum Residual: Equatable {
    case decided(Bool)
    /// Text and its precedence (1 or, 2 and, 3 not/atom).
    case open(String, Int)

    static func of(_ expr: TypedExpr, space: DecisionSpace, cell point: Int, catalog: LintCatalog, itemDepth: Int?) -> Residual {
        func wrap(_ residual: Residual, above level: Int) -> String {
            guard case .open(let text, let precedence) = residual else { return "" }
            return precedence < level ? "(\(text))" : text
        }
        switch expr.kind {
        case .and(let lhs, let rhs), .or(let lhs, let rhs):
            let isAnd: Bool
            if case .and = expr.kind { isAnd = true } else { isAnd = false }
            let left = of(lhs, space: space, cell: point, catalog: catalog, itemDepth: itemDepth)
            let right = of(rhs, space: space, cell: point, catalog: catalog, itemDepth: itemDepth)
            if case .decided(let flag) = left { return flag == isAnd ? right : left }
            if case .decided(let flag) = right { return flag == isAnd ? left : right }
            let level = isAnd ? 2 : 1
            return .open(wrap(left, above: level) + (isAnd ? " and " : " or ") + wrap(right, above: level + (isAnd ? 0 : 0)), level)
        case .not(let operand):
            let inner = of(operand, space: space, cell: point, catalog: catalog, itemDepth: itemDepth)
            if case .decided(let flag) = inner { return .decided(!flag) }
            return .open("not " + wrap(inner, above: 3), 3)
        case .eventField(let slot, let name) where slot >= catalog.eventFieldCount:
            return .open(name, 3)
        case .constant(.bool(let flag)):
            return .decided(flag)
        default:
            switch space.evaluate(expr, at: point, catalog: catalog, itemDepth: itemDepth) {
            case .bool(let flag)?: return .decided(flag)
            case .missing?: return .decided(false)
            default: return .open(TypedExprText.text(expr), 3)
            }
        }
    }
}
