import JSONBytes
import ReturnRulesLanguage

/// Refunds against the original order, line by line, exact to the cent.
extension EventContext {
    /// One order line's share of a refund.
    struct LineRefund {
        var lineID: Int
        var units: Int
        /// The return's units on this line refunded before (so this refund covers the next ones).
        var offset: Int
        var total: Int64
        /// Tax per WooCommerce tax-rate id, in rate order.
        var taxes: [(rateID: Int, amount: Int64)]
        /// Without a snapshot: the tax the payload states, rate unknown.
        var untypedTax: Int64?
        var itemNames: [String]
        var preconditions: [Precondition]
    }

    func planRefund(items indices: [Int], path: String, reason: String?, restockRequested: Bool, rule: RuleReference) {
        guard !indices.isEmpty else {
            noop("refund: no items selected", rule: rule)
            return
        }
        let orderID: Int
        switch targetOrderID() {
        case .failure(let problem):
            let message = problem.message
            review(queue: "finance", reason: "cannot refund: \(message)", figures: [], rule: rule)
            return
        case .success(let id): orderID = id
        }
        // Group the selected items by order line.
        var unitsByLine: [(lineID: Int, units: Int, names: [String], items: [Int])] = []
        for index in indices {
            let item = event.item(index)
            guard let units = item.units else {
                review(queue: "finance", reason: "item \(item.sku ?? item.identity): the quantity must be a positive whole number",
                       figures: ["quantity: \(item.quantity?.description ?? "none")", "at \(planner.mapper.jsonPath(collection: "items", index: index, field: "quantity"))"], rule: rule)
                return
            }
            switch lineID(for: item, orderID: orderID) {
            case .failure(let problem):
            let message = problem.message
                review(queue: "finance", reason: "item \(item.sku ?? item.identity): \(message)", figures: [], rule: rule)
                return
            case .success(let lineID):
                if let position = unitsByLine.firstIndex(where: { $0.lineID == lineID }) {
                    unitsByLine[position].units += units
                    unitsByLine[position].items.append(index)
                    unitsByLine[position].names.append(item.name ?? item.sku ?? "")
                } else {
                    unitsByLine.append((lineID, units, [item.name ?? item.sku ?? ""], [index]))
                }
            }
        }
        // Order checks: present, refundable status, currency.
        var orderPreconditions: [Precondition] = []
        let order = store?.order(orderID)
        if let store {
            guard let order else {
                review(queue: "finance", reason: "order #\(orderID) is not in the store snapshot", figures: ["order reference: \(event.orderReference)"], rule: rule)
                return
            }
            guard configuration.refundableStatuses.contains(order.status) else {
                review(queue: "finance", reason: "order #\(orderID) is \(order.status), which is not a refundable status",
                       figures: ["refundable: \(configuration.refundableStatuses.sorted().joined(separator: ", "))"], rule: rule)
                return
            }
            guard store.hasRefundDetail(orderID: orderID) else {
                review(queue: "finance", reason: "order #\(orderID) has refunds whose lines are not in the snapshot, so already-refunded units cannot be counted",
                       figures: ["export them: GET /wp-json/wc/v3/orders/\(orderID)/refunds → orders/\(orderID).refunds.json"], rule: rule)
                return
            }
            guard order.currency == currency else {
                review(queue: "finance", reason: "order #\(orderID) is in \(order.currency.code), the rule file in \(currency.code)", figures: [], rule: rule)
                return
            }
        }
        orderPreconditions.append(Precondition("order #\(orderID) exists and is \(configuration.refundableStatuses.sorted().joined(separator: " or "))", holds: order.map { _ in true }))
        // Per line: what this return has had refunded, what is left on the line, the amounts.
        var lines: [LineRefund] = []
        let knowledge = state.knowledge(of: event.returnID)
        for group in unitsByLine {
            let already = unitsRefundedByReturn(orderID: orderID, lineID: group.lineID, knowledge: knowledge)
            let units = group.units - already
            if units <= 0 {
                noop("line \(group.lineID): \(group.units) unit\(group.units == 1 ? "" : "s") already refunded for this return", rule: rule,
                     details: ["refund keys: \(knowledge.refundKeys.joined(separator: ", "))"])
                continue
            }
            if let order {
                guard let line = order.lineItems.first(where: { $0.id == group.lineID }) else {
                    review(queue: "finance", reason: "line \(group.lineID) is not in order #\(orderID)",
                           figures: ["lines of #\(orderID): \(order.lineItems.map { String($0.id) }.joined(separator: ", "))"], rule: rule)
                    return
                }
                let refundedOnLine = unitsRefundedOnLine(orderID: orderID, lineID: group.lineID)
                let left = line.quantity - refundedOnLine
                guard units <= left else {
                    review(queue: "finance", reason: "line \(group.lineID) (\(line.name)): \(units) unit\(units == 1 ? "" : "s") to refund, \(max(left, 0)) left",
                           figures: ["ordered: \(line.quantity)", "refunded before: \(refundedOnLine)"], rule: rule)
                    return
                }
                guard let shares = lineShares(line, offset: refundedOnLine, units: units) else {
                    review(queue: "finance", reason: "line \(group.lineID): its stored totals cannot be split exactly", figures: [], rule: rule)
                    return
                }
                lines.append(LineRefund(lineID: group.lineID, units: units, offset: already, total: shares.total, taxes: shares.taxes,
                                        untypedTax: nil, itemNames: group.names,
                                        preconditions: [Precondition("line \(group.lineID) has \(units) unit\(units == 1 ? "" : "s") left to refund (\(left) left)", holds: true)]))
            } else {
                // No snapshot: the payload's own totals, marked unverified.
                var total: Int64 = 0
                var tax: Int64 = 0
                for index in group.items {
                    let item = event.item(index)
                    guard let itemTotal = item.total else {
                        review(queue: "finance", reason: "item \(item.sku ?? item.identity) has no total and there is no store snapshot to price it",
                               figures: ["run `plan --store DIR` to price refunds from the order"], rule: rule)
                        return
                    }
                    let itemTax = item.taxTotal ?? 0
                    // Only the units not refunded yet, in proportion (the payload prices the item's units).
                    total += itemTotal - itemTax
                    tax += itemTax
                }
                if units != group.units {
                    // The payload prices all of the return's units on the line; take the ones not refunded yet.
                    guard let remainingTotal = try? LargestRemainder.evenShareSum(total: total, parts: group.units, units: already..<group.units),
                          let remainingTax = try? LargestRemainder.evenShareSum(total: tax, parts: group.units, units: already..<group.units) else {
                        review(queue: "finance", reason: "line \(group.lineID): the payload's totals cannot be split exactly", figures: [], rule: rule)
                        return
                    }
                    total = remainingTotal
                    tax = remainingTax
                }
                lines.append(LineRefund(lineID: group.lineID, units: units, offset: already, total: total, taxes: [], untypedTax: tax,
                                        itemNames: group.names,
                                        preconditions: [Precondition("line \(group.lineID) has \(units) unit\(units == 1 ? "" : "s") left to refund", holds: nil)]))
            }
        }
        guard !lines.isEmpty else { return }
        // Fees come off the first refund of a return; a bonus is never part of a refund.
        let fees = knowledge.feesDeducted ? 0 : event.feesTotal
        let lineSum = lines.reduce(Int64(0)) { sum, line in sum + line.total + line.taxes.reduce(0) { $0 + $1.amount } + (line.untypedTax ?? 0) }
        let amount = lineSum - fees
        var figures = ["lines: \(money(lineSum))", "fees: \(money(fees))", "refund: \(money(amount))"]
        guard amount > 0 else {
            review(queue: "finance", reason: "the fees (\(money(fees))) leave nothing to refund", figures: figures, rule: rule)
            return
        }
        if let reveniAmount = event.refundAmount {
            let cumulative = knowledge.amountRefunded + amount
            figures.append("Reveni refund amount: \(money(reveniAmount))")
            if cumulative != reveniAmount {
                review(queue: "finance", reason: "computed refund \(money(cumulative)) differs from Reveni's \(money(reveniAmount))",
                       figures: figures + (knowledge.amountRefunded > 0 ? ["refunded before for this return: \(money(knowledge.amountRefunded))"] : []), rule: rule)
                return
            }
        }
        // Never above what is left to refund on the order (WooCommerce's own check, no tolerance).
        if order != nil, let remaining = remainingRefundable(orderID: orderID) {
            orderPreconditions.append(Precondition("order #\(orderID) has \(money(amount)) left to refund (\(money(remaining)) left)", holds: amount <= remaining))
            guard amount <= remaining else {
                review(queue: "finance", reason: "refund \(money(amount)) is more than the \(money(remaining)) left to refund on order #\(orderID)",
                       figures: figures + ["order total: \(order!.total)", "refunded before: \(money(order!.total.minorUnits - remaining))"], rule: rule)
                return
            }
        } else {
            orderPreconditions.append(Precondition("order #\(orderID) has \(money(amount)) left to refund", holds: nil))
        }
        // The money path.
        let policy = MoneyPathPolicy(configuration: configuration)
        let coupon = storeCreditFires || isPlanned(key("store_credit", []))
        if case .review(let why) = policy.verdict(path: path, method: event.refundMethod, executedBy: event.refundExecutedBy, couponInThisReturn: coupon) {
            review(queue: "finance", reason: why, figures: figures + ["path in rule: \(path)", "refund method: \(event.refundMethod ?? "none")",
                                                                     "executed by: \(event.refundExecutedBy ?? "(header)")"], rule: rule)
            return
        }
        let refundKey = key("refund", lines.map { "\($0.lineID):\($0.offset)-\($0.offset + $0.units)" }.sorted())
        orderPreconditions.append(Precondition("no refund of order #\(orderID) carries key \(refundKey)", holds: store.map { _ in !snapshotHasRefund(orderID: orderID, key: refundKey) }))
        if store != nil, snapshotHasRefund(orderID: orderID, key: refundKey) {
            noop("refund \(refundKey) is already in WooCommerce", rule: rule)
            return
        }
        let gateway = path == "gateway"
        let methodWords = PlainWords.of(event.refundMethod ?? "unknown method")
        let refundReason = reason ?? "Reveni return \(event.returnID) (\(event.mode ?? "standard"), \(methodWords))"
        var meta: [JSONValue] = [
            PlannerJSON.meta("reveni_return_id", event.returnID),
            PlannerJSON.meta("rr_idempotency_key", refundKey),
            PlannerJSON.meta("reveni_event_id", event.eventID),
        ]
        if let reference = event.refundReference {
            meta.append(PlannerJSON.meta(event.refundMethod == "store_credit" ? "reveni_gift_card" : "reveni_refund_reference", reference))
        }
        if let method = event.refundMethod { meta.append(PlannerJSON.meta("reveni_refund_method", method)) }
        let body = JSONValue.object([
            ("amount", .string(money(amount).formatted)),
            ("reason", .string(refundReason)),
            ("api_refund", .bool(gateway)),
            ("api_restock", .bool(false)),
            ("line_items", .array(lines.map { line in
                var members: [(key: String, value: JSONValue)] = [
                    ("id", .number(String(line.lineID))),
                    ("quantity", .number(String(line.units))),
                    ("refund_total", .number(money(line.total).formatted)),
                ]
                if !line.taxes.isEmpty {
                    members.append(("refund_tax", .array(line.taxes.map { tax in
                        .object([("id", .number(String(tax.rateID))), ("refund_total", .number(money(tax.amount).formatted))])
                    })))
                }
                return .object(members)
            })),
            ("meta_data", .array(meta)),
        ])
        var details: [String] = []
        for line in lines {
            let taxText = line.taxes.map { "tax \(money($0.amount).formatted) (rate \($0.rateID))" }.joined(separator: ", ")
            let untyped = line.untypedTax.map { "tax \(money($0).formatted) (rate unknown without a store snapshot)" } ?? ""
            details.append("line \(line.lineID) × \(line.units): \(money(line.total).formatted)" + (taxText.isEmpty ? "" : " + \(taxText)") + (untyped.isEmpty ? "" : " + \(untyped)"))
        }
        if fees > 0 { details.append("fees −\(money(fees).formatted) (\(event.feeCount) fee\(event.feeCount == 1 ? "" : "s") declared by Reveni)") }
        details.append(gateway ? "money path: through the payment gateway (api_refund true)" : "money path: record only (api_refund false): \(reveniPaysWords())")
        if restockRequested { details.append("restock: never inside a refund (api_restock false); stock returns through `restock` after inspection") }
        let preconditions = orderPreconditions + lines.flatMap(\.preconditions)
        steps.append(PlanStep(kind: .refund, summary: "refund \(money(amount)) on order #\(orderID) (\(gateway ? "through the gateway" : "record only"))",
                              details: details,
                              request: PlannedRequest(method: "POST", path: "/wc/v3/orders/\(orderID)/refunds", body: body),
                              key: refundKey, rule: rule, preconditions: preconditions, verified: store != nil, amount: money(amount)))
        record(.unitsRefunded(returnID: event.returnID, orderID: orderID, lines: lines.map { RefundedLine(lineID: $0.lineID, units: $0.units) },
                              amount: amount, feesDeducted: fees > 0 || knowledge.feesDeducted, key: refundKey))
    }

    func reveniPaysWords() -> String {
        switch event.refundMethod {
        case "bank_transfer": "Reveni paid the customer's IBAN"
        case "store_credit": "store credit, booked as a refund"
        default: "Reveni executes this refund"
        }
    }

    /// An amount-only refund (an exchange's price difference, a goodwill amount).
    func planDifferenceRefund(amount: Int64, path: String, reason: String?, rule: RuleReference) {
        guard amount > 0 else {
            noop("amount-only refund: \(money(amount)) is nothing to refund", rule: rule)
            return
        }
        let orderID: Int
        switch targetOrderID() {
        case .failure(let problem):
            let message = problem.message
            review(queue: "finance", reason: "cannot refund: \(message)", figures: [], rule: rule)
            return
        case .success(let id): orderID = id
        }
        let refundKey = key("refund_amount", [money(amount).formatted])
        if state.knowledge(of: event.returnID).refundKeys.contains(refundKey) || (store != nil && snapshotHasRefund(orderID: orderID, key: refundKey)) {
            noop("the amount-only refund of \(money(amount)) was already planned", rule: rule)
            return
        }
        var preconditions: [Precondition] = []
        if let store {
            guard let order = store.order(orderID), configuration.refundableStatuses.contains(order.status) else {
                review(queue: "finance", reason: "order #\(orderID) is missing or not refundable", figures: [], rule: rule)
                return
            }
            let remaining = remainingRefundable(orderID: orderID) ?? 0
            guard amount <= remaining else {
                review(queue: "finance", reason: "refund \(money(amount)) is more than the \(money(remaining)) left on order #\(orderID)", figures: [], rule: rule)
                return
            }
            preconditions.append(Precondition("order #\(orderID) has \(money(amount)) left to refund", holds: true))
        } else {
            preconditions.append(Precondition("order #\(orderID) has \(money(amount)) left to refund", holds: nil))
        }
        let policy = MoneyPathPolicy(configuration: configuration)
        if case .review(let why) = policy.verdict(path: path, method: event.refundMethod, executedBy: event.refundExecutedBy, couponInThisReturn: false) {
            review(queue: "finance", reason: why, figures: ["amount: \(money(amount))"], rule: rule)
            return
        }
        let body = JSONValue.object([
            ("amount", .string(money(amount).formatted)),
            ("reason", .string(reason ?? "Reveni return \(event.returnID): amount-only refund")),
            ("api_refund", .bool(path == "gateway")),
            ("api_restock", .bool(false)),
            ("meta_data", .array([PlannerJSON.meta("reveni_return_id", event.returnID), PlannerJSON.meta("rr_idempotency_key", refundKey),
                                  PlannerJSON.meta("reveni_event_id", event.eventID)])),
        ])
        steps.append(PlanStep(kind: .refund, summary: "refund \(money(amount)) on order #\(orderID) (amount only, \(path == "gateway" ? "through the gateway" : "record only"))",
                              request: PlannedRequest(method: "POST", path: "/wc/v3/orders/\(orderID)/refunds", body: body),
                              key: refundKey, rule: rule, preconditions: preconditions, verified: store != nil, amount: money(amount)))
        record(.amountRefunded(returnID: event.returnID, orderID: orderID, amount: amount, key: refundKey))
    }

    /// A line's refund for units `offset ..< offset + units`, from its stored totals.
    ///
    /// Cumulative shares: through unit k the line has refunded G(k) gross and N(k) net, each the
    /// largest-remainder split of the line's stored amount over its units; the tax through unit
    /// k is G(k) − N(k), split over the tax rates by their stored (longer) totals. A refund is
    /// the difference between two cumulative points, so separate partial refunds of a line add
    /// up exactly to its total and its total tax, per rate, and a unit priced 10.00 with tax
    /// refunds as 10.00, not 10.01.
    func lineShares(_ line: WooLineItem, offset: Int, units: Int) -> (total: Int64, taxes: [(rateID: Int, amount: Int64)])? {
        guard line.quantity > 0, offset >= 0, units > 0, offset + units <= line.quantity else { return nil }
        let net = line.total.minorUnits
        let (gross, overflow) = net.addingReportingOverflow(line.totalTax.minorUnits)
        guard !overflow else { return nil }
        func cumulative(_ amount: Int64, _ count: Int) -> Int64? {
            count == 0 ? 0 : try? LargestRemainder.evenShareSum(total: amount, parts: line.quantity, units: 0..<count)
        }
        guard let netBefore = cumulative(net, offset), let netAfter = cumulative(net, offset + units),
              let grossBefore = cumulative(gross, offset), let grossAfter = cumulative(gross, offset + units) else { return nil }
        let taxBefore = grossBefore - netBefore
        let taxAfter = grossAfter - netAfter
        let rates = line.taxes.filter { $0.total != nil }
        if rates.isEmpty {
            // No per-rate detail: the whole tax must be zero to be refundable line by line.
            return taxAfter == taxBefore ? (netAfter - netBefore, []) : nil
        }
        let scale = rates.map { $0.total!.scale }.max() ?? 0
        var weights: [Int64] = []
        for rate in rates {
            guard let scaled = try? rate.total!.rounded(toScale: scale, mode: .halfEven), scaled.scale == scale else { return nil }
            weights.append(abs(scaled.significand))
        }
        func split(_ tax: Int64) -> [Int64]? {
            if tax == 0 || weights.allSatisfy({ $0 == 0 }) { return tax == 0 ? weights.map { _ in 0 } : nil }
            return try? LargestRemainder.allocate(total: tax, weights: weights)
        }
        guard let before = split(taxBefore), let after = split(taxAfter) else { return nil }
        var taxes: [(rateID: Int, amount: Int64)] = []
        for (index, rate) in rates.enumerated() {
            let amount = after[index] - before[index]
            // Hamilton's method is not monotone in rare multi-rate cases; never refund negative tax.
            guard amount >= 0 else { return nil }
            taxes.append((rate.rateID, amount))
        }
        return (netAfter - netBefore, taxes)
    }
}

/// Small JSON builders shared by the request bodies.
enum PlannerJSON {
    static func meta(_ key: String, _ value: String) -> JSONValue {
        .object([("key", .string(key)), ("value", .string(value))])
    }
}
