import ReturnRulesLanguage

/// What single actions do, judged at every point where their rule may fire, with the planner's
/// own rules (MoneyPathPolicy, planRestock, planStoreCredit, planReplacementOrder):
/// - RR0308 phantom stock: a restock in `on item inspected` that does not test the grade and can
///   fire for a grade that is not a restock grade;
/// - RR0309 an exchange's units refunded with no replacement order;
/// - RR0310 `refund … restock: yes`;
/// - RR0311 a money or stock action Reveni already performs for this client: a gateway refund of
///   a refund Reveni executes (per the event or the header), a coupon when the header says Reveni
///   issues store credit, a restock when it says Reveni restocks on acceptance. A replacement
///   order is declarative (the planner lets Reveni create it when the event or header says so,
///   and notes it), so it is not flagged;
/// - RR0312 a customer note about a refund or credit Reveni handles;
/// - RR0313 a gateway refund that can fire for another refund method.
enum ActionLints {
    /// One action of one rule, whatever the context it fires in.
    struct ActionSite: Hashable {
        let rule: RuleID
        let action: Int
        init(_ firing: ActionFiring) {
            rule = firing.rule
            action = firing.actionIndex
        }
    }

    static func findings(_ run: LintRun) -> [LintFinding] {
        restockInsideRefund(run) + findingsAfterRestockInsideRefund(run)
    }

    /// All but the first, which `DomainLinter` runs on the other thread.
    static func findingsAfterRestockInsideRefund(_ run: LintRun) -> [LintFinding] {
        var findings: [LintFinding] = []
        findings += phantomStock(run)
        findings += exchangeRefunded(run)
        findings += gateway(run)
        findings += reveniCredit(run)
        findings += reveniRestock(run)
        findings += customerNotes(run)
        return findings
    }

    /// The first point (over the action's contexts) where `bad` holds, per action site.
    static func first(_ firings: [ActionFiring], _ bad: (ActionFiring) -> BitSet) -> [(ActionFiring, Int)] {
        var seen = Set<ActionSite>()
        var result: [(ActionFiring, Int)] = []
        for firing in firings {
            let key = ActionSite(firing)
            guard !seen.contains(key), let point = bad(firing).first else { continue }
            seen.insert(key)
            result.append((firing, point))
        }
        return result
    }

    static func at(_ firing: ActionFiring) -> String { "at `\(firing.context.trigger.text)`" }

    // MARK: - RR0310

    static func restockInsideRefund(_ run: LintRun) -> [LintFinding] {
        var findings: [LintFinding] = []
        for (blockIndex, block) in run.program.blocks.enumerated() {
            // By index: most rules have no refund, and copying each rule would cost more than the test.
            for ruleIndex in block.rules.indices where block.rules[ruleIndex].actions.contains(where: { $0.name == "refund" }) {
                let rule = block.rules[ruleIndex]
                for action in rule.actions where action.name == "refund" {
                    guard let restock = action.arguments["restock"] else { continue }
                    if case .constant(.bool(false)) = restock.kind { continue }
                    findings.append(LintFinding(
                        code: .restockInsideRefund, message: "a refund must not restock: `restock: \(TypedExprText.text(restock))` in rule `\(rule.name)`",
                        span: restock.span, label: "stock would come back before the inspection",
                        notes: [DiagnosticNote("WooCommerce restocks inside a refund with `api_restock`, before anyone has seen the item; the planner always sends `api_restock: false`")],
                        help: "drop `restock:`; put stock back with `restock item` in `on item inspected` when `item.grade in restock_grades`",
                        rules: [RuleID(block: blockIndex, rule: ruleIndex)]))
                }
            }
        }
        return findings
    }

    // MARK: - RR0308

    /// A restock in `on item inspected` that does not test the grade and can fire for a grade
    /// outside `restock_grades`. The planner restocks only restock grades (anything else becomes
    /// a warehouse review), so such a rule says "restock" for units that will not be restocked
    /// and no rule decides what happens to them.
    ///
    /// A restock before the inspection (`on return received … then restock items`) is a hold:
    /// the planner settles it by the grade (released for a restock grade, a review otherwise), and
    /// an item that already has a grade is restocked only for a restock grade. That is conditioned
    /// on the inspection result by construction, so it is not flagged.
    static func phantomStock(_ run: LintRun) -> [LintFinding] {
        guard !run.catalog.configuration.reveniRestocksOnAccept, let inspected = run.model.context(.inspected) else { return [] }
        let restockGrades = run.catalog.configuration.restockGrades
        let gradesText = restockGrades.isEmpty ? "none declared" : restockGrades.sorted().joined(separator: ", ")
        var findings: [LintFinding] = []
        var seen = Set<ActionSite>()
        for firing in run.firings(["restock"]) where firing.context === inspected {
            let key = ActionSite(firing)
            guard !seen.contains(key), !firing.may.isEmpty, let expr = firing.action.arguments["items"] else { continue }
            let selection = run.items.analyse(expr)
            guard !(firing.condition?.fields.contains("item.grade") ?? false), !selection.testsGrade else { continue }
            let bad = run.points(in: inspected, within: firing.may) { point in
                !restockGrades.contains(inspected.space.valueName("item.grade", at: point) ?? "none")
            }
            guard let point = bad.first else { continue }
            seen.insert(key)
            let witness = run.witness(firing, at: point)
            let grade = inspected.space.valueName("item.grade", at: point) ?? "?"
            findings.append(LintFinding(
                code: .phantomStock,
                message: "rule `\(run.name(firing.rule))` restocks inspected units without testing their grade",
                span: firing.action.span, label: "fires for grade \(grade) too",
                notes: [DiagnosticNote("for example \(witness.text): the rule says restock, but grade \(grade) is not a restock grade (\(gradesText))"),
                        DiagnosticNote("the planner puts back only restock grades and sends the unit to the warehouse review queue instead: no rule decides on it")],
                help: "add `item.grade in restock_grades` to the rule's condition, and a rule for the other grades",
                rules: [firing.rule]))
        }
        return findings
    }

    // MARK: - RR0309

    static func exchangeRefunded(_ run: LintRun) -> [LintFinding] {
        let exchanged = run.items.cells(where: "outcome", in: ["exchange", "none"])
        let exchangedInMixed = run.items.cells(where: "outcome", in: ["exchange"])
        var replacements: [ObjectIdentifier: BitSet] = [:]
        for firing in run.firings(["replacement_order"]) {
            let key = ObjectIdentifier(firing.context)
            replacements[key] = (replacements[key] ?? BitSet(count: firing.context.space.pointCount)).union(firing.may)
        }
        var findings: [LintFinding] = []
        for (firing, point) in first(run.firings(["refund"]), { firing in
            let context = firing.context
            let replaced = replacements[ObjectIdentifier(context)] ?? BitSet(count: context.space.pointCount)
            let selection = firing.action.arguments["items"].map { run.items.analyse($0) }
            let cells = selection?.kind == .element ? nil : run.selectedCells(firing)
            return run.points(in: context, within: firing.may.subtracting(replaced)) { point in
                let type = context.space.valueName("return.type", at: point)
                guard type == "exchange" || type == "mixed" else { return false }
                let wanted = type == "exchange" ? exchanged : exchangedInMixed
                if let cells { return cells.intersects(wanted) }
                return run.itemCells(at: point, in: firing.context).intersects(wanted)
            }
        }) {
            let witness = run.witness(firing, at: point)
            let type = firing.context.space.valueName("return.type", at: point) ?? "exchange"
            findings.append(LintFinding(
                code: .exchangeRefunded,
                message: "rule `\(run.name(firing.rule))` refunds the units of \(type == "mixed" ? "a mixed return's exchange" : "an exchange") without a replacement order",
                span: firing.action.span, label: "an exchange booked as a refund",
                notes: [DiagnosticNote("for example \(witness.text): the exchanged units are refunded and nothing is sent")],
                help: type == "mixed" ? "refund only `items where item.outcome == refund`, and add `then replacement_order` for the rest"
                                      : "exchanges get `then replacement_order`; refund only a price difference with `refund_amount`",
                rules: [firing.rule]))
        }
        return findings
    }

    // MARK: - RR0313, RR0311 (gateway)

    static func gateway(_ run: LintRun) -> [LintFinding] {
        var findings: [LintFinding] = []
        let firings = run.firings(["refund", "refund_amount"]).filter { run.paths(of: $0.action).contains("gateway") }
        for (firing, point) in first(firings, { firing in
            run.points(in: firing.context, within: firing.may) { run.value("refund.method", at: $0, in: firing.context) != "original_payment_method" }
        }) {
            let witness = run.witness(firing, at: point, extra: ["refund.method", "refund.executed_by"])
            let method = run.value("refund.method", at: point, in: firing.context) ?? "none"
            findings.append(LintFinding(
                code: .gatewayWithoutMethodGuard,
                message: "rule `\(run.name(firing.rule))` refunds through the gateway without checking that the refund method is the original payment",
                span: run.span(of: firing, argument: "path"), label: "can fire for method \(method)",
                notes: [DiagnosticNote("for example \(witness.text): the gateway would refund a payment the customer is not being refunded to"),
                        DiagnosticNote("the planner sends such a refund to review instead of posting it")],
                help: "add `refund.method == original_payment_method` (and `refund.executed_by == merchant`) to the rule's condition",
                rules: [firing.rule]))
        }
        for (firing, point) in first(firings, { firing in
            run.points(in: firing.context, within: firing.may) { point in
                run.value("refund.method", at: point, in: firing.context) == "original_payment_method" && run.reveniPays(at: point, in: firing.context) == true
            }
        }) {
            let witness = run.witness(firing, at: point, extra: ["refund.method", "refund.executed_by"])
            findings.append(LintFinding(
                code: .reveniAlreadyDoes,
                message: "rule `\(run.name(firing.rule))` refunds through the gateway a refund Reveni executes",
                span: run.span(of: firing, argument: "path"), label: "the customer would be paid twice",
                notes: [DiagnosticNote("for example \(witness.text): Reveni refunds the original payment itself"),
                        DiagnosticNote("who pays: `refund.executed_by`, else the header's `reveni { executes_original_payment_refunds … }`")],
                help: "book it with `path: record_only`, or add `refund.executed_by == merchant` to the condition",
                rules: [firing.rule]))
        }
        return findings
    }

    // MARK: - RR0311 (store credit, restock, replacement order)

    static func reveniCredit(_ run: LintRun) -> [LintFinding] {
        first(run.firings(["store_credit"]), { firing in
            run.points(in: firing.context, within: firing.may) { point in
                run.value("refund.executed_by", at: point, in: firing.context) == nil && run.catalog.configuration.reveniIssuesStoreCredit
            }
        }).map { firing, point in
            let witness = run.witness(firing, at: point, extra: ["refund.method", "refund.executed_by"])
            return LintFinding(
                code: .reveniAlreadyDoes,
                message: "rule `\(run.name(firing.rule))` issues store credit that Reveni issues itself",
                span: firing.action.span, label: "store credit issued twice",
                notes: [DiagnosticNote("for example \(witness.text): the event does not say who issues it, and the header says Reveni does (`reveni { issues_store_credit yes }`)"),
                        DiagnosticNote("the planner skips the coupon at run time; the rule says the opposite of what happens")],
                help: "add `refund.executed_by == merchant` to the condition, or book Reveni's credit with `refund … path: record_only`",
                rules: [firing.rule])
        }
    }

    static func reveniRestock(_ run: LintRun) -> [LintFinding] {
        guard run.catalog.configuration.reveniRestocksOnAccept else { return [] }
        return first(run.firings(["restock"]), { $0.may }).map { firing, point in
            let witness = run.witness(firing, at: point)
            return LintFinding(
                code: .reveniAlreadyDoes,
                message: "rule `\(run.name(firing.rule))` restocks, but Reveni restocks this client's returns on acceptance",
                span: firing.action.span, label: "a second restock",
                notes: [DiagnosticNote("the header says `reveni { restocks_on_accept yes }`; for example \(witness.text)"),
                        DiagnosticNote("the planner skips the restock at run time")],
                help: "remove the restock, or set `restocks_on_accept no` if the shop turned Reveni's auto-restock off",
                rules: [firing.rule])
        }
    }

    // MARK: - RR0312

    static func customerNotes(_ run: LintRun) -> [LintFinding] {
        let notes = run.firings(["note"]).filter { run.constantMember($0.action.arguments["visibility"]) != "internal" }
        return first(notes, { firing in
            run.points(in: firing.context, within: firing.may) { run.reveniPays(at: $0, in: firing.context) == true }
        }).map { firing, point in
            let witness = run.witness(firing, at: point, extra: ["refund.method", "refund.executed_by"])
            return LintFinding(
                code: .reveniAlreadyNotifies,
                message: "rule `\(run.name(firing.rule))` emails the customer about a refund Reveni handles",
                span: firing.action.span, label: "the customer hears twice",
                notes: [DiagnosticNote("for example \(witness.text): Reveni pays or issues this refund and runs the customer's side of the return (domain.md §1.2)")],
                help: "make it `note internal …`, or add `refund.executed_by == merchant` to the condition",
                rules: [firing.rule])
        }
    }
}
