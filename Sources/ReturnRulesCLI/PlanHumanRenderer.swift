import JSONBytes
import ReturnRulesDomain

/// A plan for people, in the style of `terraform plan`:
///
///     Plan: 2 refunds EUR 168.76 · 1 replacement order · 1 restock held · 1 review
///
///     evt_7f3c… · return a3a7640d… accepted · order 5123   (examples/events/03-refund-with-fee.json)
///       + refund 92.85 EUR on order #5123 (through the gateway)
///           POST /wc/v3/orders/5123/refunds   key 3f2a…
///           line 802 × 1: 80.00 + tax 16.80 (rate 1)
///           rule card_refund_by_merchant (examples/returns.rules:62:8)
struct PlanHumanRenderer {
    var useColor: Bool
    var showBodies: Bool

    func renderSummary(_ summary: PlanSummary, atEnd: Bool) -> String {
        let line = "Plan: \(summary.line)"
        return atEnd ? "\n\(bold(line))\n" : "\(bold(line))\n\n"
    }

    func render(_ plan: EventPlan) -> String {
        var out = ""
        var header = plan.eventID ?? "(no event id)"
        if let returnID = plan.returnID { header += " · return \(returnID)" }
        if let status = plan.status { header += " \(status)" }
        if let order = plan.orderReference { header += " · order \(order)" }
        out += "\(bold(header))   \(dim("(\(plan.source))"))\n"
        switch plan.outcome {
        case .duplicate:
            out += "  \(dim("= duplicate: \(plan.reason ?? "")"))\n\n"
            return out
        case .stale:
            out += "  \(dim("= stale: \(plan.reason ?? "")"))\n\n"
            return out
        case .rejected:
            out += "  \(paint("✗ rejected: \(plan.reason ?? "")", "31"))\n"
            if let path = plan.jsonPath { out += "      at \(path)\n" }
            out += "\n"
            return out
        case .planned:
            break
        }
        if plan.steps.isEmpty { out += "  \(dim("= nothing to do"))\n" }
        for step in plan.steps {
            let (symbol, color) = marker(step.kind)
            out += "  \(paint("\(symbol) \(step.summary)", color))\n"
            if let request = step.request {
                var line = "\(request.method) \(request.path)"
                if let key = step.key { line += "   key \(key)" }
                if !step.verified { line += "   (unverified)" }
                out += "      \(line)\n"
                if showBodies, let body = request.body {
                    for bodyLine in String(decoding: body.serialized(pretty: true), as: UTF8.self).split(separator: "\n") {
                        out += "        \(bodyLine)\n"
                    }
                }
            }
            for detail in step.details { out += "      \(detail)\n" }
            if let review = step.review {
                for figure in review.figures where !step.details.contains(figure) { out += "      \(figure)\n" }
            }
            for precondition in step.preconditions where precondition.holds == false {
                out += "      \(paint("precondition fails: \(precondition.description)", "31"))\n"
            }
            if let rule = step.rule {
                out += "      \(dim("rule \(rule.name) (\(rule.location))"))\n"
            }
        }
        out += "\n"
        return out
    }

    func marker(_ kind: PlanStep.Kind) -> (String, String) {
        switch kind {
        case .refund, .replacementOrder, .storeCredit, .note: ("+", "32")
        case .restock: ("~", "33")
        case .restockHold: ("…", "36")
        case .review: ("!", "31")
        case .ignore, .noop: ("=", "2")
        }
    }

    func paint(_ text: String, _ code: String) -> String { useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func bold(_ text: String) -> String { useColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { useColor ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
}
