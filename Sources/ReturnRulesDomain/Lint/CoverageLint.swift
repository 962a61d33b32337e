import ReturnRulesLanguage

/// RR0301, RR0302: every return type × status cell (× grade for `on item inspected`) is
/// handled: some rule certainly fires (a rule that can fire, an `ignore`, or a review catch-all).
///
/// Policy, for a real client:
/// - Decision points are required (RR0301, error): `return accepted` and `return partly_accepted`
///   (the merchant's validation, where standard returns are refunded or exchanged) for every
///   return type, whether or not the file has a table for them; and, when the file has an
///   `on item inspected` table, every return type × grade the header declares (a grade nobody
///   decides on leaves a unit neither restocked nor reviewed).
/// - Other statuses are opt-in (RR0302, warning): once the file has a table for `in_progress`,
///   `shipped`, `received`, `for_review`, `rejected` or `cancelled`, that table should say what
///   happens for every type (an `otherwise … then ignore "…"` says "nothing, on purpose").
///   A status with no table is fine: most statuses need nothing, and the status note records them.
///
/// A cell is handled when something certainly fires at every point of it (for every value of
/// the other enumerated fields and of the unknown conditions).
enum CoverageLint {
    static func findings(_ run: LintRun) -> [LintFinding] {
        var findings: [LintFinding] = []
        // Decision statuses no table runs on.
        let bare = LintRun.decisionStatuses.filter { status in run.model.context(.status(status))?.tables.isEmpty ?? true }
        if !bare.isEmpty {
            let names = bare.map { "`\($0)`" }.joined(separator: " or ")
            let witness = Witness(fields: [("type", "return.type", "refund"), ("status", "return.status", bare[0])])
            var notes = [DiagnosticNote("this is where the merchant accepts a return: standard returns are refunded or exchanged here"),
                         DiagnosticNote("for example \(witness.text): no rule fires")]
            if let payload = witness.payload(mapping: run.program.mapping) { notes.append(DiagnosticNote("payload: \(payload)")) }
            findings.append(LintFinding(
                code: .unhandledCells, message: "no rule handles returns that are \(names)", span: run.fileSpan,
                notes: notes,
                help: "add `on return \(bare.joined(separator: ", ")) match first { … }` with a rule per return type, or an `otherwise` rule that reviews or ignores"))
        }
        // Return statuses with tables, grouped by the first table that runs on them.
        var groups: [(block: Int, statuses: [String])] = []
        for context in run.model.contexts {
            guard case .status(let status) = context.trigger, let first = context.tables.first?.block else { continue }
            if let index = groups.firstIndex(where: { $0.block == first }) { groups[index].statuses.append(status) } else { groups.append((first, [status])) }
        }
        for group in groups {
            let required = group.statuses.filter { LintRun.decisionStatuses.contains($0) }
            let optional = group.statuses.filter { !LintRun.decisionStatuses.contains($0) }
            for (statuses, code) in [(required, DiagnosticCode.unhandledCells), (optional, .unhandledStatusCells)] where !statuses.isEmpty {
                let contexts = statuses.compactMap { run.model.context(.status($0)) }
                if let finding = statusFinding(run, contexts: contexts, block: group.block, code: code) { findings.append(finding) }
            }
        }
        if let context = run.model.context(.inspected), let first = context.tables.first?.block {
            if run.catalog.grades.isEmpty {
                findings.append(LintFinding(
                    code: .unhandledCells, message: "`on item inspected` never runs: the header declares no `grades`",
                    span: run.program.blocks[first].triggerSpan, label: "no grade, no inspection",
                    notes: [DiagnosticNote("an item's inspection is its grade arriving; without `grades` no payload can carry one")],
                    help: "declare the warehouse's grades in the header, e.g. `grades A, B, C`", rules: rules(of: [context])))
            } else if let finding = itemFinding(run, context: context, block: first) {
                findings.append(finding)
            }
        }
        return findings
    }

    enum Mark: String {
        case handled = "✓"
        case never = "✗"
        case sometimes = "~"
    }

    /// The mark of a set of points, and an unhandled point.
    static func mark(_ points: BitSet, handled: BitSet, anyMay: BitSet) -> (Mark, Int?) {
        let open = points.subtracting(handled)
        guard let first = open.first else { return (.handled, nil) }
        return (points.intersects(anyMay) ? .sometimes : .never, first)
    }

    static func statusFinding(_ run: LintRun, contexts: [DecisionContext], block: Int, code: DiagnosticCode) -> LintFinding? {
        let types = run.catalog.eventField(named: "return.type")!.valueNames
        var rows: [[Mark]] = types.map { _ in [] }
        var open = 0
        var witness: (DecisionContext, Int)?
        var missing = 0
        for context in contexts {
            let handled = context.handled
            let anyMay = context.anyMayFire
            for (row, type) in types.enumerated() {
                let points = context.space.points(where: "return.type", in: [type])
                let (mark, point) = CoverageLint.mark(points, handled: handled, anyMay: anyMay)
                rows[row].append(mark)
                if mark != .handled { open += 1 }
                if mark == .never { missing += 1 }
                if witness == nil, let point { witness = (context, point) }
            }
        }
        guard open > 0, let (context, point) = witness else { return nil }
        let checked = run.program.blocks[block]
        let columns = contexts.compactMap { if case .status(let status) = $0.trigger { status } else { nil } }
        let total = types.count * columns.count
        var notes = matrix(rowTitle: "type", rows: types, columns: columns, marks: rows)
        notes += example(run, context: context, point: point)
        let statusText = columns.map { "`\($0)`" }.joined(separator: ", ")
        let message = "\(open) of \(total) return type × status cell\(total == 1 ? "" : "s") of \(statusText) \(open == 1 ? "is" : "are") not always handled"
        return LintFinding(
            code: code, message: message, span: checked.triggerSpan,
            label: missing > 0 ? "\(missing) cell\(missing == 1 ? "" : "s") fire no rule at all" : "some cases fire no rule",
            notes: notes,
            help: "add rules for these cases, or end the table with `rule … otherwise then ignore \"…\"` (nothing to do, on purpose) or `then review \"…\" reason: \"…\"`",
            rules: rules(of: contexts))
    }

    static func itemFinding(_ run: LintRun, context: DecisionContext, block: Int) -> LintFinding? {
        let types = run.catalog.eventField(named: "return.type")!.valueNames
        let grades = run.catalog.grades
        let handled = context.handled
        let anyMay = context.anyMayFire
        var rows: [[Mark]] = []
        var open = 0
        var missing = 0
        var witness: Int?
        for type in types {
            var row: [Mark] = []
            let typePoints = context.space.points(where: "return.type", in: [type])
            for grade in grades {
                let points = typePoints.intersection(context.space.points(where: "item.grade", in: [grade]))
                let (mark, point) = CoverageLint.mark(points, handled: handled, anyMay: anyMay)
                row.append(mark)
                if mark != .handled { open += 1 }
                if mark == .never { missing += 1 }
                if witness == nil, let point { witness = point }
            }
            rows.append(row)
        }
        guard open > 0, let point = witness else { return nil }
        let total = types.count * grades.count
        var notes = matrix(rowTitle: "type", rows: types, columns: grades.map { "grade \($0)" }, marks: rows)
        notes += example(run, context: context, point: point)
        return LintFinding(
            code: .unhandledCells,
            message: "\(open) of \(total) return type × grade cell\(total == 1 ? "" : "s") of `on item inspected` \(open == 1 ? "is" : "are") not always handled",
            span: run.program.blocks[block].triggerSpan,
            label: missing > 0 ? "\(missing) cell\(missing == 1 ? "" : "s") fire no rule at all" : "some cases fire no rule",
            notes: notes + [DiagnosticNote("an inspected unit no rule decides on is neither restocked nor reviewed")],
            help: "decide for every grade the header declares (`grades`): restock, review, or `otherwise … then note internal \"…\"`",
            rules: rules(of: [context]))
    }

    static func rules(of contexts: [DecisionContext]) -> [RuleID] {
        var result = Set<RuleID>()
        for context in contexts {
            for table in context.tables {
                for index in table.truths.indices { result.insert(RuleID(block: table.block, rule: index)) }
            }
        }
        return result.sorted()
    }

    /// The matrix as note lines: a legend, a header, one line per row.
    static func matrix(rowTitle: String, rows: [String], columns: [String], marks: [[Mark]]) -> [DiagnosticNote] {
        let first = max(rowTitle.count, rows.map(\.count).max() ?? 0) + 2
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        var lines = ["cells: ✓ handled, ✗ no rule fires, ~ only in some cases"]
        lines.append(pad(rowTitle, first) + columns.map { pad($0, $0.count + 2) }.joined())
        for (index, row) in rows.enumerated() {
            lines.append(pad(row, first) + zip(columns, marks[index]).map { pad($1.rawValue, $0.count + 2) }.joined())
        }
        return lines.map { DiagnosticNote($0.trimmingTrailingSpaces) }
    }

    static func example(_ run: LintRun, context: DecisionContext, point: Int) -> [DiagnosticNote] {
        let space = context.space
        let witness = Witness(point: point, context: context, relevant: context.mentioned, atoms: Array(0..<space.jointAtoms))
        var text = "for example \(witness.text): no rule fires"
        if space.jointAtoms == 0, space.atoms.count > 0 {
            // Too many unknowns to enumerate together: say what the case depends on.
            let shown = (0..<min(3, space.atoms.count)).map { "`\(space.atoms.text($0))`" }.joined(separator: ", ") + (space.atoms.count > 3 ? ", …" : "")
            text = "for example \(witness.text): whether a rule fires depends on \(shown)"
        }
        var notes = [DiagnosticNote(text)]
        if let payload = witness.payload(mapping: run.program.mapping) { notes.append(DiagnosticNote("payload: \(payload)")) }
        return notes
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
