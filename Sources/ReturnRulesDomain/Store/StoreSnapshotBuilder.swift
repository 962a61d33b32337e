import JSONBytes
import ReturnRulesLanguage

/// The work of `StoreSnapshot.init`: indexes records and precomputes the cross-record answers,
/// collecting warnings in a stable order (by order id, then product id).
struct StoreSnapshotBuilder {
    var warnings: [SnapshotWarning]
    var orders: [Int: WooOrder] = [:]
    var refunds: [Int: [WooRefund]] = [:]
    var products: [Int: WooProduct] = [:]
    var variations: [Int: WooVariation] = [:]
    var detailKnown: Set<Int> = []
    var refunded: [Int: Money] = [:]
    var refundedUnits: [Int: [Int: Int]] = [:]
    var skuIndex: [String: [ProductReference]] = [:]

    init(warnings: [SnapshotWarning]) {
        self.warnings = warnings
    }

    /// Indexes by id; the first of a repeated id wins (the loader has already reported
    /// duplicates with file names, so none are reported here).
    mutating func add(orders: [WooOrder], refunds: [WooRefund], products: [WooProduct], variations: [WooVariation]) {
        for order in orders where self.orders[order.id] == nil { self.orders[order.id] = order }
        for product in products where self.products[product.id] == nil { self.products[product.id] = product }
        for variation in variations where self.variations[variation.id] == nil { self.variations[variation.id] = variation }
        var seen: Set<Int> = []
        for refund in refunds.sorted(by: { ($0.orderID, $0.id) < ($1.orderID, $1.id) }) {
            guard self.orders[refund.orderID] != nil else {
                warnings.append(.refundWithoutOrder(orderID: refund.orderID, refundID: refund.id))
                continue
            }
            guard seen.insert(refund.id).inserted else { continue }
            self.refunds[refund.orderID, default: []].append(refund)
        }
    }

    /// Refunded amount, refund detail and refunded units per order.
    mutating func computeRefunds(refundDetailOrderIDs: Set<Int>) {
        for id in orders.keys.sorted() {
            let order = orders[id]!
            let fromSummaries: Money
            do {
                fromSummaries = try Money.sum(order.refundSummaries.map(\.total), currency: order.currency)
            } catch {
                notSummable(order, error)
                continue
            }
            guard refundDetailOrderIDs.contains(id) else {
                // Only the order's refunds[] is known: amounts yes, lines no — unless there is
                // nothing refunded at all, in which case there is no detail to miss.
                refunded[id] = fromSummaries
                if order.refundSummaries.isEmpty {
                    detailKnown.insert(id)
                    refundedUnits[id] = [:]
                }
                checkTotal(order, fromSummaries)
                continue
            }
            let detail = refunds[id] ?? []
            let fromRefunds: Money
            do {
                fromRefunds = try Money.sum(detail.map(\.amount), currency: order.currency)
            } catch {
                notSummable(order, error)
                continue
            }
            var complete = true
            let detailIDs = Set(detail.map(\.id))
            let summaryIDs = Set(order.refundSummaries.map(\.id))
            for refundID in summaryIDs.subtracting(detailIDs).sorted() {
                warnings.append(.refundMissingFromDetail(orderID: id, refundID: refundID))
                complete = false
            }
            for refundID in detailIDs.subtracting(summaryIDs).sorted() {
                warnings.append(.refundMissingFromOrder(orderID: id, refundID: refundID))
            }
            var amount = fromRefunds
            if fromSummaries != fromRefunds {
                warnings.append(.refundTotalsDisagree(orderID: id, fromSummaries: fromSummaries, fromRefunds: fromRefunds))
                // Prefer the larger: it can only make the over-refund cap stricter.
                if fromSummaries.minorUnits > fromRefunds.minorUnits { amount = fromSummaries }
            }
            refunded[id] = amount
            checkTotal(order, amount)

            var units: [Int: Int] = [:]
            let lineIDs = Set(order.lineItems.map(\.id))
            for refund in detail {
                for line in refund.lineItems {
                    guard let item = line.refundedItemID else {
                        warnings.append(.refundLineWithoutItem(orderID: id, refundID: refund.id, refundLineID: line.id))
                        complete = false
                        continue
                    }
                    if !lineIDs.contains(item) {
                        warnings.append(.refundLineForUnknownItem(orderID: id, refundID: refund.id,
                                                                  refundLineID: line.id, itemID: item))
                    }
                    units[item, default: 0] += line.quantity
                }
            }
            for line in order.lineItems {
                let count = units[line.id] ?? 0
                if count > line.quantity {
                    warnings.append(.refundedQuantityExceedsOrdered(orderID: id, lineItemID: line.id,
                                                                    ordered: line.quantity, refunded: count))
                }
            }
            if complete {
                detailKnown.insert(id)
                refundedUnits[id] = units
            }
        }
    }

    /// Treat an order whose refunds cannot be added as fully refunded: the safe answer.
    private mutating func notSummable(_ order: WooOrder, _ error: MoneyError) {
        warnings.append(.amountsNotSummable(orderID: order.id, reason: error.description))
        refunded[order.id] = order.total
    }

    private mutating func checkTotal(_ order: WooOrder, _ amount: Money) {
        if amount.currency == order.total.currency && amount.minorUnits > order.total.minorUnits {
            warnings.append(.refundsExceedTotal(orderID: order.id, refunded: amount, total: order.total))
        }
    }

    /// Variation consistency warnings and the SKU index.
    mutating func computeCatalog() {
        var index: [String: [ProductReference]] = [:]
        for id in products.keys.sorted() {
            let product = products[id]!
            if !product.sku.isEmpty {
                index[product.sku, default: []].append(ProductReference(productID: id, variationID: 0, skuIsInherited: false))
            }
        }
        for id in variations.keys.sorted() {
            let variation = variations[id]!
            let parent = products[variation.parentID]
            if parent == nil {
                warnings.append(.variationParentMissing(variationID: id, parentID: variation.parentID))
            } else if variation.manageStock == .parent && parent?.manageStock != .yes {
                warnings.append(.parentDoesNotManageStock(variationID: id, parentID: variation.parentID))
            }
            guard !variation.sku.isEmpty else { continue }
            // The API shows a variation without an SKU of its own with its parent's (§7): an
            // SKU equal to the parent's is that inheritance, never the variation's own.
            let inherited = parent.map { !$0.sku.isEmpty && $0.sku == variation.sku } ?? false
            index[variation.sku, default: []].append(
                ProductReference(productID: variation.parentID, variationID: id, skuIsInherited: inherited))
        }
        for sku in index.keys.sorted() {
            index[sku]!.sort()
            let own = index[sku]!.filter { !$0.skuIsInherited }
            if own.count > 1 { warnings.append(.duplicateSKU(sku: sku, holders: own)) }
        }
        skuIndex = index
    }
}
