import JSONBytes
import ReturnRulesLanguage

/// A product line of a refund (`line_items[]` of a refund object).
///
/// WooCommerce writes these as negative (`"quantity": -2`, `"total": "-40.00"`); here the
/// quantity, totals and taxes are the positive amounts refunded. The line points at the order
/// line it refunds through its `_refunded_item_id` meta.
public struct WooRefundLine: Sendable, Equatable {
    /// The refund's own item id (not the order's).
    public var id: Int
    /// The name copied from the order line.
    public var name: String
    /// The product id.
    public var productID: Int
    /// The variation id, 0 when none.
    public var variationID: Int
    /// Units refunded (positive); 0 for an amount-only refund of a line.
    public var quantity: Int
    /// Amount refunded, tax excluded (positive).
    public var total: Money
    /// Tax refunded (positive).
    public var totalTax: Money
    /// Tax refunded per rate (positive, exact).
    public var taxes: [WooLineTax]
    /// The SKU WooCommerce shows (possibly the parent's).
    public var sku: String
    /// `price` verbatim. Its sign is unreliable: the docs show it negative (`-20`), WooCommerce
    /// 10.0.2 returned it positive (domain §7); do not compute with it.
    public var price: ExactDecimal?
    /// The order line this refunds (`_refunded_item_id`, stored as `"801"` or `801`); nil
    /// when the meta is missing.
    public var refundedItemID: Int?
    /// The line's meta, including `_refunded_item_id`.
    public var metaData: [WooMeta]

    /// Creates a refund line.
    public init(id: Int, name: String, productID: Int, variationID: Int, quantity: Int, total: Money, totalTax: Money,
                taxes: [WooLineTax], sku: String, price: ExactDecimal?, refundedItemID: Int?, metaData: [WooMeta]) {
        self.id = id
        self.name = name
        self.productID = productID
        self.variationID = variationID
        self.quantity = quantity
        self.total = total
        self.totalTax = totalTax
        self.taxes = taxes
        self.sku = sku
        self.price = price
        self.refundedItemID = refundedItemID
        self.metaData = metaData
    }

    /// Reads a refund's `line_items[i]`.
    init(json: WooJSONObject, currency: Currency) throws(StoreLoadError) {
        self.init(
            id: try json.int("id"),
            name: try json.string("name"),
            productID: try json.int("product_id", default: 0),
            variationID: try json.int("variation_id", default: 0),
            quantity: try json.refundedQuantity("quantity"),
            total: try json.refundedMoney("total", currency: currency),
            totalTax: try json.refundedMoney("total_tax", currency: currency, default: .zero(currency)),
            taxes: try json.refundedTaxes(),
            sku: try json.string("sku"),
            price: try json.decimal("price"),
            refundedItemID: try WooRefundLine.refundedItemID(json),
            metaData: try json.metaData())
    }

    /// The `_refunded_item_id` meta value as an integer, read from the node so that a bad
    /// value is reported with its path.
    private static func refundedItemID(_ json: WooJSONObject) throws(StoreLoadError) -> Int? {
        for entry in try json.objects("meta_data", what: "a meta entry (an object)") {
            guard entry.node.member("key")?.equals("_refunded_item_id") == true else { continue }
            guard let value = entry.value("value") else {
                throw StoreLoadError(.missingField, file: json.file, jsonPath: entry.path("value"),
                                     message: "_refunded_item_id has no value")
            }
            let text: String?
            switch value.kind {
            case .string: text = value.stringValue
            case .number: text = value.numberText
            default: throw StoreLoadError.wrongType(value, file: json.file, expected: "an order item id")
            }
            guard let id = text.flatMap(WooMeta.integer), id > 0 else {
                throw json.error(.invalidValue, at: value,
                                 "expected an order item id, found \(StoreLoadError.describe(value))")
            }
            return id
        }
        return nil
    }
}
