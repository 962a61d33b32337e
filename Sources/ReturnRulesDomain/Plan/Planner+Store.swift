import ReturnRulesLanguage

/// What the planner asks of the store snapshot, in one place. Refunds the planner planned
/// earlier (in this run or in the runner's state) count only while the snapshot does not show
/// them yet, so a refreshed snapshot never makes a refund count twice.
extension EventContext {
    /// Keys of refunds the snapshot already shows for an order.
    func snapshotRefundKeys(orderID: Int) -> Set<String> {
        guard let store else { return [] }
        return Set(store.refunds(ofOrder: orderID).compactMap { $0.metaString("rr_idempotency_key") })
    }

    func snapshotHasRefund(orderID: Int, key: String) -> Bool { snapshotRefundKeys(orderID: orderID).contains(key) }

    /// Planned refunds of an order not yet visible in the snapshot.
    func pendingRefunds(orderID: Int) -> [PlannedRefund] {
        let shown = snapshotRefundKeys(orderID: orderID)
        return (state.orders[orderID]?.refunds ?? []).filter { !shown.contains($0.key) }
    }

    /// Units of a line refunded by anyone: the snapshot's refunds plus planned ones not shown yet.
    func unitsRefundedOnLine(orderID: Int, lineID: Int) -> Int {
        let snapshot = store?.refundedQuantity(orderID: orderID, lineItemID: lineID) ?? 0
        return snapshot + pendingRefunds(orderID: orderID).reduce(0) { $0 + ($1.lines.first { $0.lineID == lineID }?.units ?? 0) }
    }

    /// Units of a line this return has had refunded: planned ones, plus refunds in the snapshot
    /// that carry this return's id but a key the state does not know (made before the state).
    func unitsRefundedByReturn(orderID: Int, lineID: Int, knowledge: ReturnKnowledge) -> Int {
        var units = knowledge.unitsRefunded[lineID] ?? 0
        guard let store else { return units }
        let known = Set(knowledge.refundKeys)
        for refund in store.refunds(ofOrder: orderID) where refund.metaString("reveni_return_id") == event.returnID {
            guard let key = refund.metaString("rr_idempotency_key"), known.contains(key) else {
                units += refund.lineItems.filter { $0.refundedItemID == lineID }.reduce(0) { $0 + $1.quantity }
                continue
            }
        }
        return units
    }

    /// What is left to refund on an order: its total minus every refund, planned ones included.
    func remainingRefundable(orderID: Int) -> Int64? {
        guard let store, store.order(orderID) != nil else { return nil }
        let remaining = store.remainingRefundable(orderID: orderID).minorUnits
        return remaining - pendingRefunds(orderID: orderID).reduce(0) { $0 + $1.amount }
    }

    /// The order line a returned item belongs to: its `order_line`, or (without one) the one
    /// line of the order with its variation, product or SKU.
    func lineID(for item: ReturnEvent.ItemView, orderID: Int) -> Result<Int, PlanProblem> {
        if let text = item.orderLine {
            guard let id = Int(text), id > 0 else { return .failure(PlanProblem("order line `\(text)` is not a WooCommerce line item id")) }
            return .success(id)
        }
        guard let store, let order = store.order(orderID) else {
            return .failure(PlanProblem("the item names no order line, and without a store snapshot its line cannot be found"))
        }
        let reference = productReference(for: item.clues)
        let candidates: [WooLineItem]
        switch reference {
        case .success(let found):
            candidates = order.lineItems.filter { line in
                found.variationID != 0 ? line.variationID == found.variationID : (line.productID == found.productID && line.variationID == 0)
            }
        case .failure(let problem):
            return .failure(problem)
        }
        guard candidates.count == 1 else {
            return .failure(PlanProblem(candidates.isEmpty ? "no line of order #\(orderID) holds it" : "\(candidates.count) lines of order #\(orderID) hold it; name the order line"))
        }
        return .success(candidates[0].id)
    }

    /// The WooCommerce product (and variation) of a returned item: its order line's, else its
    /// ids, else an alias of its SKU or EAN, else its SKU. A SKU that several variations show (inherited from the parent)
    /// never decides: that is how stock is credited to the wrong item.
    func productReference(for item: ReturnEvent.ItemView) -> Result<ProductReference, PlanProblem> { productReference(for: item.clues) }

    func productReference(for item: ProductClues) -> Result<ProductReference, PlanProblem> {
        // The order line is WooCommerce's own record of what was sold: it wins when known.
        if let store, let line = item.orderLine.flatMap(Int.init), let orderID = try? targetOrderID().get(),
           let sold = store.order(orderID)?.lineItems.first(where: { $0.id == line }) {
            return .success(ProductReference(productID: sold.productID, variationID: sold.variationID, skuIsInherited: false))
        }
        if let variation = item.variationID.flatMap(Int.init), variation > 0 {
            let product = item.productID.flatMap(Int.init) ?? store?.variation(variation)?.parentID ?? 0
            return .success(ProductReference(productID: product, variationID: variation, skuIsInherited: false))
        }
        for (kind, value) in [("ean", item.ean), ("sku", item.sku)] {
            guard let value, let alias = configuration.aliases[.init(kind: kind, value: value)] else { continue }
            switch alias {
            case .variation(let id):
                return .success(ProductReference(productID: store?.variation(id)?.parentID ?? 0, variationID: id, skuIsInherited: false))
            case .product(let id):
                return .success(ProductReference(productID: id, variationID: 0, skuIsInherited: false))
            case .sku(let sku):
                return resolve(sku: sku, from: "\(kind) alias \(value)")
            }
        }
        if let product = item.productID.flatMap(Int.init), product > 0 {
            if let store, let found = store.product(product), found.type == "variable" {
                if let sku = item.sku { return resolve(sku: sku, from: "SKU") }
                return .failure(PlanProblem("product \(product) is variable and the item names no variation"))
            }
            return .success(ProductReference(productID: product, variationID: 0, skuIsInherited: false))
        }
        if let sku = item.sku { return resolve(sku: sku, from: "SKU") }
        return .failure(PlanProblem("the item names no product, variation or SKU"))
    }

    func resolve(sku: String, from origin: String) -> Result<ProductReference, PlanProblem> {
        guard let store else { return .failure(PlanProblem("\(origin) \(sku) cannot be resolved without a store snapshot")) }
        switch store.resolve(sku: sku) {
        case .unique(let reference): return .success(reference)
        case .ambiguous(let references):
            let listed = references.map { $0.variationID != 0 ? "variation \($0.variationID)" : "product \($0.productID)" }.joined(separator: ", ")
            return .failure(PlanProblem("SKU \(sku) matches several products or variations (\(listed)); variations without their own SKU show the parent's"))
        case .none:
            return .failure(PlanProblem("SKU \(sku) matches no product or variation in the store snapshot"))
        }
    }
}
