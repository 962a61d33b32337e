import JSONBytes
import ReturnRulesLanguage

/// Exchanges: a zero-value replacement order that references the original order and the return.
extension EventContext {
    func planReplacementOrder(newItems indices: [Int], note: String?, rule: RuleReference) {
        let orderKey = key("replacement_order", [])
        if isPlanned(orderKey) {
            noop("the replacement order for this return is already planned", rule: rule)
            return
        }
        if let store, !store.orders(withMetaKey: "rr_idempotency_key", value: orderKey).isEmpty {
            noop("the replacement order for this return is already in WooCommerce", rule: rule)
            return
        }
        let createdBy = event.exchangeCreatedBy ?? (configuration.reveniCreatesExchangeOrders && event.mode == "instant" ? "reveni" : "merchant")
        if createdBy == "reveni" {
            let where_ = event.exchangeNewOrderID.map { " (order #\($0))" } ?? ""
            noop("Reveni creates the replacement order\(where_); no order is created here", rule: rule,
                 details: ["exchange.created_by: \(event.exchangeCreatedBy ?? "(header: reveni.creates_exchange_orders)")"])
            planNote(visibility: "internal", text: "Reveni creates the replacement order for return \(event.returnID)\(where_)", rule: rule)
            return
        }
        guard !indices.isEmpty else {
            review(queue: "exchanges", reason: "an exchange with no new items to send", figures: [], rule: rule)
            return
        }
        let originalID: Int
        switch targetOrderID() {
        case .failure(let problem):
            let message = problem.message
            review(queue: "exchanges", reason: "cannot create the replacement order: \(message)", figures: [], rule: rule)
            return
        case .success(let id): originalID = id
        }
        let original = store?.order(originalID)
        if store != nil, original == nil {
            review(queue: "exchanges", reason: "order #\(originalID) is not in the store snapshot", figures: [], rule: rule)
            return
        }
        var lines: [JSONValue] = []
        var details: [String] = []
        var preconditions: [Precondition] = []
        var deltas: [(String, Int)] = []
        for index in indices {
            let newItem = event.newItem(index)
            let name = newItem.name ?? newItem.sku ?? "item \(index + 1)"
            guard let units = newItem.units else {
                review(queue: "exchanges", reason: "new item \(name): the quantity must be a positive whole number", figures: [], rule: rule)
                return
            }
            let quantity = Int64(units)
            let reference: ProductReference
            switch productReference(for: newItem.clues) {
            case .failure(let problem):
                review(queue: "exchanges", reason: "new item \(name): \(problem.message)", figures: [], rule: rule)
                return
            case .success(let found): reference = found
            }
            var line: [(key: String, value: JSONValue)] = [("product_id", .number(String(reference.productID)))]
            if reference.variationID != 0 { line.append(("variation_id", .number(String(reference.variationID)))) }
            line += [("quantity", .number(String(quantity))), ("subtotal", .string("0.00")), ("total", .string("0.00"))]
            lines.append(.object(line))
            details.append("\(quantity) × \(name) at 0.00 (subtotal and total, so the price is not turned into a discount)")
            // set_paid reduces stock: an out-of-stock replacement goes to review unless backorders are allowed.
            if let store {
                let holder = store.stockHolder(productID: reference.productID, variationID: reference.variationID)
                var key: String?
                var stock: Int?
                switch holder {
                case .variation(_, let variationID, let quantity): key = "variation:\(variationID)"; stock = quantity
                case .product(let productID, let quantity): key = "product:\(productID)"; stock = quantity
                case .notManaged, .unknown: break
                }
                if let key, let stock {
                    let available = stock + (state.stockDeltas[key] ?? 0)
                    preconditions.append(Precondition("\(name): \(available) in stock, \(quantity) needed", holds: Int64(available) >= quantity))
                    if Int64(available) < quantity, !configuration.allowBackorders {
                        review(queue: "exchanges", reason: "replacement \(name) is out of stock (\(available) available, \(quantity) needed)",
                               figures: ["allow_backorders: no"], rule: rule)
                        return
                    }
                    deltas.append((key, -Int(quantity)))
                }
            } else {
                preconditions.append(Precondition("\(name): \(quantity) in stock", holds: nil))
            }
        }
        var body: [(key: String, value: JSONValue)] = [
            ("status", .string("processing")),
            ("set_paid", .bool(true)),
            ("currency", .string(currency.code)),
        ]
        if let original {
            if original.customerID != 0 { body.append(("customer_id", .number(String(original.customerID)))) }
            if let billing = original.billing { body.append(("billing", billing)) }
            if let shipping = original.shipping { body.append(("shipping", shipping)) }
        }
        body += [
            ("payment_method", .string("reveni_exchange")),
            ("payment_method_title", .string("Reveni exchange (no charge)")),
            ("line_items", .array(lines)),
            ("shipping_lines", .array([.object([("method_id", .string("free_shipping")), ("method_title", .string("Exchange shipping")), ("total", .string("0.00"))])])),
            ("customer_note", .string(note ?? "Replacement for order #\(event.orderNumber ?? String(originalID)) (Reveni return \(event.returnID))")),
            ("meta_data", .array([PlannerJSON.meta("reveni_return_id", event.returnID), PlannerJSON.meta("reveni_original_order_id", String(originalID)),
                                  PlannerJSON.meta("rr_idempotency_key", orderKey), PlannerJSON.meta("reveni_event_id", event.eventID)])),
        ]
        preconditions.insert(Precondition("no order carries key \(orderKey)", holds: store.map { _ in true }), at: 0)
        steps.append(PlanStep(kind: .replacementOrder, summary: "replacement order for order #\(originalID): \(lines.count) line\(lines.count == 1 ? "" : "s") at 0.00",
                              details: details + ["linked by meta: reveni_original_order_id \(originalID), reveni_return_id"],
                              request: PlannedRequest(method: "POST", path: "/wc/v3/orders", body: .object(body)),
                              key: orderKey, rule: rule, preconditions: preconditions, verified: store != nil))
        record(.keyPlanned(returnID: event.returnID, key: orderKey))
        for (holder, delta) in deltas { record(.stockPlanned(holder: holder, delta: delta)) }
    }

}
