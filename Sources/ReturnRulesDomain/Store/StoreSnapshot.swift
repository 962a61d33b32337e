import JSONBytes
import ReturnRulesLanguage

/// What a WooCommerce store looked like when it was exported: orders, their refunds, products
/// and variations, with the cross-record questions the planner asks answered in one place.
///
/// A snapshot is an immutable value. Everything that can be worked out in advance (refunded
/// amounts, refunded quantities, the SKU index, warnings) is worked out when it is built, so
/// queries never fail and never throw.
///
/// Refund detail: an order's `refunds[]` only gives each refund's id, reason and total. Which
/// lines and how many units were refunded is known only from a refunds file
/// (`GET /orders/<id>/refunds`). `hasRefundDetail(orderID:)` says whether that detail is
/// complete; when it is not, the line-level queries answer nil rather than a guess.
public struct StoreSnapshot: Sendable {
    let ordersByID: [Int: WooOrder]
    let refundsByOrder: [Int: [WooRefund]]
    let productsByID: [Int: WooProduct]
    let variationsByID: [Int: WooVariation]
    /// Orders whose line-level refund detail is complete.
    let detailKnown: Set<Int>
    /// Positive refunded amount per order.
    let refundedByOrder: [Int: Money]
    /// Order id → order item id → units refunded (only for orders in `detailKnown`).
    let refundedUnits: [Int: [Int: Int]]
    /// SKU → every product or variation that shows it, sorted.
    let skuIndex: [String: [ProductReference]]
    /// Oddities found while loading and building, in a stable order.
    public let warnings: [SnapshotWarning]

    /// What the amount queries answer for an order that is not in the snapshot: zero in `XXX`,
    /// ISO 4217's "no currency" code. Zero means nothing is refundable, and adding it to or
    /// comparing it with a real amount throws a currency mismatch, so it cannot pass for a
    /// figure of the order. Check `order(_:)` first.
    public static let unknownOrderAmount = Money.zero(Currency(code: "XXX", minorUnits: 0)!)

    /// A snapshot with nothing in it.
    public static let empty = StoreSnapshot(orders: [], refunds: [], refundDetailOrderIDs: [], products: [], variations: [])

    /// Builds a snapshot from parsed records (`StoreSnapshotLoader` does this for files).
    ///
    /// - Parameters:
    ///   - orders: the orders; a repeated id keeps the first.
    ///   - refunds: refunds of those orders (each names its order); refunds of orders not
    ///     given are dropped with a warning; a repeated id within an order keeps the first.
    ///   - refundDetailOrderIDs: orders whose refunds were exported (a refunds file was read,
    ///     even an empty one): only for them can line-level detail be complete.
    ///   - products: products; a repeated id keeps the first.
    ///   - variations: variations; a repeated id keeps the first.
    ///   - loadWarnings: warnings the caller found already (file-level); kept first.
    public init(orders: [WooOrder], refunds: [WooRefund], refundDetailOrderIDs: Set<Int>,
                products: [WooProduct], variations: [WooVariation], loadWarnings: [SnapshotWarning] = []) {
        var builder = StoreSnapshotBuilder(warnings: loadWarnings)
        builder.add(orders: orders, refunds: refunds, products: products, variations: variations)
        builder.computeRefunds(refundDetailOrderIDs: refundDetailOrderIDs)
        builder.computeCatalog()
        ordersByID = builder.orders
        refundsByOrder = builder.refunds
        productsByID = builder.products
        variationsByID = builder.variations
        detailKnown = builder.detailKnown
        refundedByOrder = builder.refunded
        refundedUnits = builder.refundedUnits
        skuIndex = builder.skuIndex
        warnings = builder.warnings
    }
}
