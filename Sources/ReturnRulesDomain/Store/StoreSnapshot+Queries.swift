import JSONBytes
import ReturnRulesLanguage

extension StoreSnapshot {
    // MARK: - Orders and refunds

    /// The order with this id.
    public func order(_ id: Int) -> WooOrder? {
        ordersByID[id]
    }

    /// Every order, by id.
    public var orders: [WooOrder] {
        ordersByID.keys.sorted().map { ordersByID[$0]! }
    }

    /// The refunds the snapshot holds for the order, by id; empty when no refunds file was
    /// read. Complete only when `hasRefundDetail(orderID:)` is true.
    public func refunds(ofOrder orderID: Int) -> [WooRefund] {
        refundsByOrder[orderID] ?? []
    }

    /// Whether the order's refunds are known line by line: a refunds file was read, it holds
    /// every refund the order lists, and every refund line names its order line. Also true for
    /// an order that lists no refunds and has no refunds file (nothing was refunded when it was
    /// exported). False for an unknown order.
    public func hasRefundDetail(orderID: Int) -> Bool {
        detailKnown.contains(orderID)
    }

    /// What has been refunded on the order so far (positive): Σ of the refunds when a refunds
    /// file was read, else Σ of the order's `refunds[]`; when both exist and disagree, the
    /// larger (with a warning). For an order not in the snapshot: `StoreSnapshot.unknownOrderAmount`.
    public func refundedAmount(orderID: Int) -> Money {
        refundedByOrder[orderID] ?? StoreSnapshot.unknownOrderAmount
    }

    /// What WooCommerce will still accept as a refund: order total − refunded amount
    /// (its `amount > total − Σ refunds` check, domain §7), never below zero. For an order not
    /// in the snapshot: `StoreSnapshot.unknownOrderAmount` (zero: nothing is refundable).
    public func remainingRefundable(orderID: Int) -> Money {
        guard let order = ordersByID[orderID], let refunded = refundedByOrder[orderID] else {
            return StoreSnapshot.unknownOrderAmount
        }
        let (left, overflow) = order.total.minorUnits.subtractingReportingOverflow(refunded.minorUnits)
        return Money(minorUnits: overflow ? 0 : max(0, left), currency: order.currency)
    }

    /// Units of the order line already refunded: Σ quantities of refund lines whose
    /// `_refunded_item_id` is `lineItemID`. Nil when the order is unknown or its refund detail
    /// is not (see `hasRefundDetail(orderID:)`): then the count cannot be trusted.
    public func refundedQuantity(orderID: Int, lineItemID: Int) -> Int? {
        guard let units = refundedUnits[orderID] else { return nil }
        return units[lineItemID] ?? 0
    }

    /// Units of the order line not yet refunded (ordered − refunded, never below zero); nil
    /// when the line is unknown or the refunded count is (see `refundedQuantity`).
    public func remainingQuantity(orderID: Int, lineItemID: Int) -> Int? {
        guard let line = ordersByID[orderID]?.lineItem(id: lineItemID),
              let refunded = refundedQuantity(orderID: orderID, lineItemID: lineItemID) else { return nil }
        return max(0, line.quantity - refunded)
    }

    /// Refunds of any order carrying meta `key` whose scalar value is `value` (string or number
    /// form), e.g. `reveni_return_id` or `rr_idempotency_key`; by order id, then refund id.
    public func refunds(withMetaKey key: String, value: String) -> [WooRefund] {
        refundsByOrder.keys.sorted().flatMap { refunds(ofOrder: $0, withMetaKey: key, value: value) }
    }

    /// Refunds of one order carrying meta `key` = `value`; by refund id.
    public func refunds(ofOrder orderID: Int, withMetaKey key: String, value: String) -> [WooRefund] {
        refunds(ofOrder: orderID).filter { $0.metaData.contains(key: key, value: value) }
    }

    /// Orders carrying meta `key` = `value` (string or number form), by id: a replacement order
    /// carries `reveni_original_order_id` and `reveni_return_id`.
    public func orders(withMetaKey key: String, value: String) -> [WooOrder] {
        orders.filter { $0.metaData.contains(key: key, value: value) }
    }

    // MARK: - Catalogue

    /// The product with this id.
    public func product(_ id: Int) -> WooProduct? {
        productsByID[id]
    }

    /// Every product, by id.
    public var products: [WooProduct] {
        productsByID.keys.sorted().map { productsByID[$0]! }
    }

    /// The variation with this id.
    public func variation(_ id: Int) -> WooVariation? {
        variationsByID[id]
    }

    /// The variations of a product that the snapshot holds, by id.
    public func variations(ofProduct productID: Int) -> [WooVariation] {
        variationsByID.values.filter { $0.parentID == productID }.sorted { $0.id < $1.id }
    }

    /// Which record holds the stock of an ordered product (`variationID` 0 for none):
    /// - a variation with `manage_stock: true` → `.variation`;
    /// - a variation with `"parent"` → `.product` of its parent (the parent's count), and a
    ///   simple product with `manage_stock: true` → `.product`;
    /// - `manage_stock: false` → `.notManaged`;
    /// - a product or variation not in the snapshot, or a variation listed under another
    ///   product → `.unknown`.
    public func stockHolder(productID: Int, variationID: Int) -> StockHolder {
        if variationID != 0 {
            guard let variation = variationsByID[variationID] else {
                return .unknown(reason: "variation \(variationID) of product \(productID) is not in the snapshot")
            }
            guard variation.parentID == productID else {
                return .unknown(reason: "variation \(variationID) belongs to product \(variation.parentID), not \(productID)")
            }
            switch variation.manageStock {
            case .yes:
                return .variation(productID: productID, variationID: variationID, stockQuantity: variation.stockQuantity)
            case .no:
                return .notManaged(reason: "variation \(variationID) does not manage stock")
            case .parent:
                guard let parent = productsByID[productID] else {
                    return .unknown(reason: "variation \(variationID) takes its stock from product \(productID), which is not in the snapshot")
                }
                return .product(productID: productID, stockQuantity: parent.stockQuantity)
            }
        }
        guard let product = productsByID[productID] else {
            return .unknown(reason: "product \(productID) is not in the snapshot")
        }
        switch product.manageStock {
        case .yes:
            return .product(productID: productID, stockQuantity: product.stockQuantity)
        case .no:
            return .notManaged(reason: "product \(productID) does not manage stock")
        case .parent:
            return .unknown(reason: "product \(productID) says manage_stock \"parent\", which only variations can")
        }
    }

    /// What an SKU points at (exact, case-sensitive match).
    ///
    /// A variation showing its variable parent's SKU has no SKU of its own (domain §2.4, §7), so
    /// it is never the unique answer: asking for such a parent SKU gives `.ambiguous` with the
    /// parent and every variation that inherits it. A parent SKU that no variation inherits
    /// is the parent's alone (`.unique`). An SKU shown by several records is `.ambiguous`.
    public func resolve(sku: String) -> SKUResolution {
        guard let holders = skuIndex[sku], !holders.isEmpty else { return .none }
        if holders.count == 1 && !holders[0].skuIsInherited { return .unique(holders[0]) }
        return .ambiguous(holders)
    }
}
