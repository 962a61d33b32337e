import JSONBytes
import ReturnRulesLanguage

/// Something odd found while loading a snapshot that does not stop loading but that a person
/// (or the planner, choosing manual review) should know about.
public enum SnapshotWarning: Sendable, Hashable, CustomStringConvertible {
    /// The same order id in two files; the first file (in sorted path order) is kept.
    case duplicateOrder(id: Int, keptFile: String, ignoredFile: String)
    /// The same refund id twice for one order; the first is kept.
    case duplicateRefund(orderID: Int, refundID: Int, keptFile: String, ignoredFile: String)
    /// The same product id in two files; the first is kept.
    case duplicateProduct(id: Int, keptFile: String, ignoredFile: String)
    /// The same variation id in two files; the first is kept.
    case duplicateVariation(id: Int, keptFile: String, ignoredFile: String)
    /// `orders/<id>.json` or `products/<id>.json` holds an object with another id.
    case fileNameMismatch(file: String, nameID: Int, jsonID: Int)
    /// Σ of the refunds file's amounts differs from Σ of the order's `refunds[]`; the larger
    /// is used as the refunded amount.
    case refundTotalsDisagree(orderID: Int, fromSummaries: Money, fromRefunds: Money)
    /// The order lists a refund that its refunds file lacks (an incomplete or paginated
    /// export): line-level refund detail is treated as unknown.
    case refundMissingFromDetail(orderID: Int, refundID: Int)
    /// The refunds file has a refund the order does not list (the order was exported first).
    case refundMissingFromOrder(orderID: Int, refundID: Int)
    /// A refund line without `_refunded_item_id`: it cannot be matched to an order line, so
    /// line-level refund detail is treated as unknown.
    case refundLineWithoutItem(orderID: Int, refundID: Int, refundLineID: Int)
    /// A refund line whose `_refunded_item_id` is not a product line of the order.
    case refundLineForUnknownItem(orderID: Int, refundID: Int, refundLineID: Int, itemID: Int)
    /// More units refunded than ordered (WooCommerce does not check, domain §7).
    case refundedQuantityExceedsOrdered(orderID: Int, lineItemID: Int, ordered: Int, refunded: Int)
    /// Refunds add up to more than the order total; nothing is refundable.
    case refundsExceedTotal(orderID: Int, refunded: Money, total: Money)
    /// Refund amounts that cannot be added up (a currency mismatch or an overflow); nothing
    /// is refundable and line detail is treated as unknown.
    case amountsNotSummable(orderID: Int, reason: String)
    /// A refund of an order that is not in the snapshot; dropped.
    case refundWithoutOrder(orderID: Int, refundID: Int)
    /// A variation whose parent product is not in the snapshot.
    case variationParentMissing(variationID: Int, parentID: Int)
    /// A variation says `manage_stock: "parent"` but the parent says it does not manage stock.
    /// WooCommerce only shows `"parent"` when the parent manages stock, so one of the two
    /// exports is stale.
    case parentDoesNotManageStock(variationID: Int, parentID: Int)
    /// An SKU held as their own by several products or variations.
    case duplicateSKU(sku: String, holders: [ProductReference])

    /// One line of English.
    public var description: String {
        switch self {
        case .duplicateOrder(let id, let kept, let ignored):
            return "order \(id) is in both \(kept) and \(ignored); using \(kept)"
        case .duplicateRefund(let orderID, let refundID, let kept, let ignored):
            return "refund \(refundID) of order \(orderID) is in both \(kept) and \(ignored); using \(kept)"
        case .duplicateProduct(let id, let kept, let ignored):
            return "product \(id) is in both \(kept) and \(ignored); using \(kept)"
        case .duplicateVariation(let id, let kept, let ignored):
            return "variation \(id) is in both \(kept) and \(ignored); using \(kept)"
        case .fileNameMismatch(let file, let nameID, let jsonID):
            return "\(file) is named for id \(nameID) but holds id \(jsonID)"
        case .refundTotalsDisagree(let orderID, let summaries, let refunds):
            return "order \(orderID): its refunds[] add up to \(summaries) but its refunds file to \(refunds); using the larger"
        case .refundMissingFromDetail(let orderID, let refundID):
            return "order \(orderID) lists refund \(refundID), which its refunds file lacks; line-level refund detail unknown"
        case .refundMissingFromOrder(let orderID, let refundID):
            return "refund \(refundID) is in the refunds file of order \(orderID) but not in the order's refunds[]"
        case .refundLineWithoutItem(let orderID, let refundID, let lineID):
            return "refund \(refundID) of order \(orderID): line \(lineID) has no _refunded_item_id; line-level refund detail unknown"
        case .refundLineForUnknownItem(let orderID, let refundID, let lineID, let itemID):
            return "refund \(refundID) of order \(orderID): line \(lineID) refunds item \(itemID), which is not a product line of the order"
        case .refundedQuantityExceedsOrdered(let orderID, let lineItemID, let ordered, let refunded):
            return "order \(orderID) line \(lineItemID): \(refunded) units refunded but \(ordered) ordered"
        case .refundsExceedTotal(let orderID, let refunded, let total):
            return "order \(orderID): refunds of \(refunded) exceed the order total \(total)"
        case .amountsNotSummable(let orderID, let reason):
            return "order \(orderID): refund amounts cannot be added up (\(reason)); treating nothing as refundable"
        case .refundWithoutOrder(let orderID, let refundID):
            return "refund \(refundID) belongs to order \(orderID), which is not in the snapshot; ignored"
        case .variationParentMissing(let variationID, let parentID):
            return "variation \(variationID): its parent product \(parentID) is not in the snapshot"
        case .parentDoesNotManageStock(let variationID, let parentID):
            return "variation \(variationID) says manage_stock \"parent\" but product \(parentID) does not manage stock"
        case .duplicateSKU(let sku, let holders):
            return "SKU \"\(sku)\" is held by " + holders.map(\.description).joined(separator: ", ")
        }
    }
}
