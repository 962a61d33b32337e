import ReturnRulesLanguage

/// RR0303 two money-moving outcomes for the same units over one return's lifecycle; RR0304 a
/// unit both restocked and sent to review.
///
/// A return meets its statuses in lifecycle order and ends in one final status (accepted,
/// partly accepted, rejected or cancelled); each item's inspection fires once, during one of
/// those events. Across the events of one return, the type, mode, refund method and who pays
/// stay the same; the refund status, the items' validation and grade, and every unknown
/// condition may change. Money moves when the planner would post it: a refund its money path
/// allows (MoneyPathPolicy), a coupon we issue (not Reveni), a price-difference refund. A
/// record-only refund plus the coupon that books the store credit is bookkeeping, not a
/// conflict. The planner also refunds each unit at most once at run time; these lints catch
/// the intent early, with a witness.
enum LifecycleLint {
    enum Kind: Equatable {
        case refund(path: String)
        case difference
        case credit
    }

    struct Money {
        let firing: ActionFiring
        let kind: Kind
        /// Points where it may fire and money moves.
        let points: BitSet
        /// Cells of the constant fields where it may move money.
        let constant: BitSet
        /// Item cells a refund may include.
        let cells: BitSet
    }

    /// The fields that decide a money path: a witness always shows them.
    static let moneyFields = ["refund.method", "refund.executed_by"]

    /// The fields that stay the same over a return's lifecycle.
    static let constantFields = ["return.type", "return.mode", "refund.method", "refund.executed_by"]

    static func findings(_ run: LintRun) -> [LintFinding] {
        money(run) + restockReview(run)
    }

    /// The constant-field cells a point may be in: its values, and every value of a constant
    /// field the context does not have.
    static func constantCells(_ point: Int, in context: DecisionContext, _ run: LintRun) -> [Int] {
        var cells = [0]
        for (position, name) in constantFields.enumerated() {
            let radix = run.constantRadices[position]
            let values = context.space.fieldIndex(name).map { [context.space.value($0, at: point)] } ?? Array(0..<radix)
            cells = cells.flatMap { cell in values.map { cell * radix + $0 } }
        }
        return cells
    }

    static func constantCount(_ run: LintRun) -> Int { run.constantRadices.reduce(1, *) }

    static func project(_ points: BitSet, _ context: DecisionContext, _ run: LintRun) -> BitSet {
        var result = BitSet(count: constantCount(run))
        let space = context.space
        for cell in 0..<space.cellCount where points.intersects(space.points(ofCell: cell)) {
            for constant in constantCells(cell << space.jointAtoms, in: context, run) { result[constant] = true }
        }
        return result
    }

    /// The first point of `points` that may be in constant cell `constant`.
    static func first(_ points: BitSet, constant: Int, _ context: DecisionContext, _ run: LintRun) -> Int? {
        let space = context.space
        for cell in 0..<space.cellCount {
            let range = space.points(ofCell: cell)
            guard points.intersects(range), constantCells(range.lowerBound, in: context, run).contains(constant) else { continue }
            return range.first { points[$0] }
        }
        return nil
    }

    static func outcomes(_ cells: BitSet, _ run: LintRun) -> Set<String> {
        Set(cells.members.map { run.items.value("outcome", ofCell: $0) })
    }

    // MARK: - RR0303

    static func money(_ run: LintRun) -> [LintFinding] {
        conflicts(among: moneyEntries(run), run)
    }

    /// Every money-moving firing with where it moves money, sorted by trigger, rule and action.
    static func moneyEntries(_ run: LintRun) -> [Money] {
        // Coupons we issue: a record-only store-credit refund is allowed when one is issued in
        // the same event or was issued earlier for the return (MoneyPathPolicy's
        // `couponInThisReturn`, as the planner computes it).
        var coupons: [(context: DecisionContext, points: BitSet, constant: BitSet)] = []
        let credits = run.firings(["store_credit"])
        var entries: [Money] = []
        for firing in credits {
            let points = run.points(in: firing.context, within: firing.may) { !run.reveniIssuesCredit(at: $0, in: firing.context) }
            guard !points.isEmpty else { continue }
            let constant = project(points, firing.context, run)
            coupons.append((firing.context, points, constant))
            entries.append(Money(firing: firing, kind: .credit, points: points, constant: constant, cells: BitSet(count: run.items.cellCount, filled: true)))
        }
        func couponIssued(at point: Int, in context: DecisionContext) -> Bool {
            for coupon in coupons {
                if coupon.context === context {
                    if coupon.points.intersects(context.space.points(ofCell: context.space.cell(of: point))) { return true }
                    continue
                }
                guard case .status = coupon.context.trigger, coupon.context.trigger.canShareReturn(with: context.trigger),
                      context.trigger == .inspected || coupon.context.trigger < context.trigger else { continue }
                if constantCells(point, in: context, run).contains(where: { coupon.constant[$0] }) { return true }
            }
            return false
        }
        // The policy's verdict is asked for every cell of every refund, but has few questions
        // (path × method × who pays × coupon): each is answered once.
        var verdicts: [VerdictQuestion: Bool] = [:]
        func moneyMoves(_ question: VerdictQuestion) -> Bool {
            if let known = verdicts[question] { return known }
            let allowed = run.policy.verdict(path: question.path, method: question.method, executedBy: question.executedBy,
                                             couponInThisReturn: question.coupon) == .allowed
            verdicts[question] = allowed
            return allowed
        }
        for firing in run.firings(["refund", "refund_amount"]) {
            let context = firing.context
            for path in run.paths(of: firing.action) {
                let isRefund = firing.action.name == "refund"
                let points = run.points(in: context, within: firing.may) { point in
                    let coupon = isRefund && couponIssued(at: point, in: context)
                    return moneyMoves(VerdictQuestion(path: path, method: run.value("refund.method", at: point, in: context),
                                                      executedBy: run.value("refund.executed_by", at: point, in: context), coupon: coupon))
                }
                guard !points.isEmpty else { continue }
                entries.append(Money(firing: firing, kind: isRefund ? .refund(path: path) : .difference, points: points,
                                     constant: project(points, context, run),
                                     cells: isRefund ? run.selectedCells(firing, within: points) : BitSet(count: run.items.cellCount, filled: true)))
            }
        }
        entries.sort { ($0.firing.context.trigger, $0.firing.rule, $0.firing.actionIndex) < ($1.firing.context.trigger, $1.firing.rule, $1.firing.actionIndex) }
        return entries
    }

    /// What `MoneyPathPolicy.verdict` is asked about a refund at a cell.
    struct VerdictQuestion: Hashable {
        let path: String
        let method: String?
        let executedBy: String?
        let coupon: Bool
    }

    /// An action in the program, whatever context it fires in.
    struct Site: Hashable, Comparable {
        let rule: RuleID
        let action: Int

        init(_ firing: ActionFiring) {
            rule = firing.rule
            action = firing.actionIndex
        }

        static func < (lhs: Site, rhs: Site) -> Bool { (lhs.rule, lhs.action) < (rhs.rule, rhs.action) }
    }

    /// The findings of every pair of `entries` (sorted as `moneyEntries` sorts them), each pair
    /// of sites once. Under `match first` two rules of one table never fire on the same event
    /// (`pair` finds nothing), so the rest of such a table is skipped at once: a table of a
    /// thousand refunds is not half a million pairs.
    static func conflicts(among entries: [Money], _ run: LintRun) -> [LintFinding] {
        // Where each entry's run of entries of the same table and context ends (they are adjacent).
        var tableEnd = Array(repeating: entries.count, count: entries.count)
        var index = entries.count - 2
        while index >= 0 {
            tableEnd[index] = sameTable(entries[index], entries[index + 1]) ? tableEnd[index + 1] : index + 1
            index -= 1
        }
        var findings: [LintFinding] = []
        var reported = Set<[Site]>()
        for (index, first) in entries.enumerated() {
            let firstOnly = run.program.blocks[first.firing.rule.block].policy == .first
            var next = index + 1
            while next < entries.count {
                let second = entries[next]
                if firstOnly, next < tableEnd[index], second.firing.rule != first.firing.rule {
                    // Later entries of this table belong to later rules too.
                    next = tableEnd[index]
                    continue
                }
                next += 1
                guard conflicting(first.kind, second.kind) else { continue }
                let key = [Site(first.firing), Site(second.firing)].sorted()
                guard !reported.contains(key), let finding = pair(first, second, run) else { continue }
                reported.insert(key)
                findings.append(finding)
            }
        }
        return findings
    }

    /// Whether two entries fire in the same table on the same trigger.
    static func sameTable(_ a: Money, _ b: Money) -> Bool {
        a.firing.context === b.firing.context && a.firing.rule.block == b.firing.rule.block
    }

    static func conflicting(_ a: Kind, _ b: Kind) -> Bool {
        switch (a, b) {
        case (.refund, .refund), (.credit, .credit), (.difference, .difference): true
        case (.credit, .refund(let path)), (.refund(let path), .credit): path == "gateway"
        default: false
        }
    }

    static func pair(_ a: Money, _ b: Money, _ run: LintRun) -> LintFinding? {
        let sameSite = a.firing.rule == b.firing.rule && a.firing.actionIndex == b.firing.actionIndex
        let bothRefunds: Bool
        if case .refund = a.kind, case .refund = b.kind { bothRefunds = true } else { bothRefunds = false }
        var text: String
        if a.firing.context === b.firing.context {
            guard !sameSite else { return nil }
            let sameTable = a.firing.rule.block == b.firing.rule.block
            if sameTable, a.firing.rule.rule != b.firing.rule.rule, run.program.blocks[a.firing.rule.block].policy == .first { return nil }
            let both = a.points.intersection(b.points)
            guard let point = both.first else { return nil }
            if bothRefunds {
                let cellsA = run.selectedCells(a.firing, within: both)
                let cellsB = run.selectedCells(b.firing, within: both)
                guard cellsA.intersects(cellsB) else { return nil }
            }
            let witnessA = run.witness(a.firing, at: point, extra: moneyFields)
            let witnessB = run.witness(b.firing, at: point, extra: moneyFields)
            let fields = merge(witnessA.fields, witnessB.fields)
            text = "for example \(Witness(fields: fields, unknowns: witnessA.unknowns + witnessB.unknowns.filter { u in !witnessA.unknowns.contains { $0.text == u.text } }).text): both fire on the same event"
        } else {
            guard a.firing.context.trigger.canShareReturn(with: b.firing.context.trigger) else { return nil }
            let constant = a.constant.intersection(b.constant)
            guard !constant.isEmpty else { return nil }
            if bothRefunds, outcomes(a.cells, run).isDisjoint(with: outcomes(b.cells, run)) { return nil }
            guard let cell = constant.first,
                  let pointA = first(a.points, constant: cell, a.firing.context, run),
                  let pointB = first(b.points, constant: cell, b.firing.context, run) else { return nil }
            let witnessA = run.witness(a.firing, at: pointA, extra: moneyFields)
            let witnessB = run.witness(b.firing, at: pointB, extra: moneyFields)
            let shared = merge(witnessA.fields, witnessB.fields).filter { constantFields.contains($0.name) }
            func own(_ witness: Witness) -> String {
                let rest = Witness(fields: witness.fields.filter { !constantFields.contains($0.name) && $0.name != "return.status" }, unknowns: witness.unknowns)
                return rest.fields.isEmpty && rest.unknowns.isEmpty ? "" : " (\(rest.text))"
            }
            text = "for example \(Witness(fields: shared).cellText): at `\(a.firing.context.trigger.text)`\(own(witnessA)) `\(run.name(a.firing.rule))` \(verb(a.kind)); at `\(b.firing.context.trigger.text)`\(own(witnessB)) `\(run.name(b.firing.rule))` \(verb(b.kind))"
        }
        let nameA = run.name(a.firing.rule)
        let nameB = run.name(b.firing.rule)
        let message: String
        let help: String
        switch (a.kind, b.kind) {
        case (.refund, .refund):
            message = sameSite ? "rule `\(nameB)` refunds the same units at `\(a.firing.context.trigger.text)` and again at `\(b.firing.context.trigger.text)`"
                               : "`\(nameB)` refunds units that `\(nameA)` already refunds for the same return"
            help = "make the rules exclusive (a condition on a field that tells the cases apart), or refund different units"
        case (.credit, .credit):
            message = "two store-credit coupons for the same return: `\(nameA)` and `\(nameB)`"
            help = "issue the coupon in one place"
        case (.difference, .difference):
            message = "the price difference is refunded twice: `\(nameA)` and `\(nameB)`"
            help = "refund the difference in one place"
        default:
            message = "a gateway refund and a store-credit coupon for the same return: `\(nameA)` and `\(nameB)`"
            help = "pay the customer one way: a coupon (book it with `refund … path: record_only`) or the gateway refund"
        }
        return LintFinding(
            code: .doubleMoney, message: message, span: b.firing.action.span, label: "money moves twice",
            notes: [DiagnosticNote("the other one is here", at: a.firing.action.span), DiagnosticNote(text),
                    DiagnosticNote("the planner refunds each unit and issues each coupon at most once, so at run time the second is dropped: the rules should say which one applies")],
            help: help, rules: [a.firing.rule, b.firing.rule])
    }

    static func verb(_ kind: Kind) -> String {
        switch kind {
        case .refund(let path): path == "gateway" ? "refunds the items through the gateway" : "refunds the items (record only)"
        case .difference: "refunds the difference"
        case .credit: "issues a coupon"
        }
    }

    static func merge(_ a: [(label: String, name: String, value: String)], _ b: [(label: String, name: String, value: String)]) -> [(label: String, name: String, value: String)] {
        var result = a
        for field in b where !result.contains(where: { $0.name == field.name }) { result.append(field) }
        return result.sorted { LintCatalog.rank(of: $0.name) < LintCatalog.rank(of: $1.name) }
    }

    // MARK: - RR0304

    static func restockReview(_ run: LintRun) -> [LintFinding] {
        guard !run.catalog.configuration.reveniRestocksOnAccept, let inspected = run.model.context(.inspected) else { return [] }
        let restockGrades = run.catalog.configuration.restockGrades
        let reviews = run.firings(["review"]).filter { $0.context === inspected }
        let restocks = run.firings(["restock"])
        var findings: [LintFinding] = []
        var reported = Set<String>()
        for review in reviews {
            for restock in restocks {
                let key = "\(review.rule.block):\(review.rule.rule):\(review.actionIndex)|\(restock.rule.block):\(restock.rule.rule):\(restock.actionIndex)"
                guard !reported.contains(key) else { continue }
                var point: Int?
                var how = ""
                if restock.context === inspected {
                    if review.rule.block == restock.rule.block, review.rule.rule != restock.rule.rule,
                       run.program.blocks[review.rule.block].policy == .first { continue }
                    let selection = restock.action.arguments["items"].map { run.items.analyse($0) }
                    let both = run.points(in: inspected, within: review.may.intersection(restock.may)) { point in
                        // Only restock grades go back into stock (the planner reviews the others).
                        guard restockGrades.contains(inspected.space.valueName("item.grade", at: point) ?? "none") else { return false }
                        guard let selection, selection.kind != .element else { return true }
                        return selection.cells.intersects(run.itemCells(at: point, in: inspected))
                    }
                    point = both.first
                    how = "restocks it"
                } else {
                    // A restock held before the grade is known is released only when no
                    // `on item inspected` rule fires for the item (the planner's settleHold):
                    // a review that fires decides, so a hold and a review never both happen.
                    // An item whose grade (a restock grade) arrives with the event is restocked at
                    // once, and its inspection rules run in the same event.
                    guard let expr = restock.action.arguments["items"], !restock.may.isEmpty else { continue }
                    let selection = run.items.analyse(expr)
                    let graded = selection.cells.intersection(run.items.cells(where: "grade", in: restockGrades))
                    guard !graded.isEmpty else { continue }
                    let constant = project(restock.may, restock.context, run)
                    point = run.points(in: inspected, within: review.may) { point in
                        graded.intersects(run.itemCells(at: point, in: inspected)) && constantCells(point, in: inspected, run).contains { constant[$0] }
                    }.first
                    how = "restocks it at `\(restock.context.trigger.text)` when its grade arrives with that event"
                }
                guard let point else { continue }
                reported.insert(key)
                let witness = run.witness(review, at: point, extra: ["item.validation"])
                findings.append(LintFinding(
                    code: .restockAndReview,
                    message: "`\(run.name(review.rule))` sends a unit to review that `\(run.name(restock.rule))` restocks",
                    span: review.action.span, label: "reviewed and restocked",
                    notes: [DiagnosticNote("the restock is here", at: restock.action.span),
                            DiagnosticNote("for example \(witness.text): `\(run.name(restock.rule))` \(how), and `\(run.name(review.rule))` asks the warehouse to decide on it")],
                    help: "decide once per unit: restrict the review to the grades that are not restocked, or the restock to the ones that need no review",
                    rules: [review.rule, restock.rule]))
            }
        }
        return findings
    }
}
