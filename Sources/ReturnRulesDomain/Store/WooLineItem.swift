import JSONBytes
import ReturnRulesLanguage

/// A product line of an order (`line_items[]`). Its `id` is the order item id that a refund
/// request's `line_items[].id` must name.
///
/// Absent optional amounts are read as follows (trimmed exports leave them out; a real REST
/// answer always has them): `total_tax` zero, `subtotal` = `total`, `subtotal_tax` =
/// `total_tax`.
public struct WooLineItem: Sendable, Equatable {
    /// The order item id.
    public var id: Int
    /// The name shown on the order, e.g. `Zapatilla Runner - 42`.
    public var name: String
    /// The product id; for a variation, its parent (variable) product.
    public var productID: Int
    /// The variation id, 0 when the line is not a variation.
    public var variationID: Int
    /// Units ordered.
    public var quantity: Int
    /// `tax_class`, "" for the standard rates.
    public var taxClass: String
    /// Line amount before discounts, tax excluded.
    public var subtotal: Money
    /// Tax before discounts.
    public var subtotalTax: Money
    /// Line amount after discounts, tax excluded (rounded to the currency by WooCommerce).
    public var total: Money
    /// Tax after discounts (rounded per rate by WooCommerce).
    public var totalTax: Money
    /// Per-rate tax, exact as stored (more decimals than `totalTax`).
    public var taxes: [WooLineTax]
    /// The SKU WooCommerce shows: for a variation without its own SKU this is the parent's
    /// (domain §7), so never identify a product by it alone; "" when none.
    public var sku: String
    /// Unit price as WooCommerce returns it: a JSON number (`20`, `8.264462666666667`), tax
    /// excluded, unrounded; nil when absent.
    public var price: ExactDecimal?
    /// The line's meta (`pa_talla`, `_reduced_stock`, …).
    public var metaData: [WooMeta]

    /// Creates a line.
    public init(id: Int, name: String, productID: Int, variationID: Int, quantity: Int, taxClass: String,
                subtotal: Money, subtotalTax: Money, total: Money, totalTax: Money, taxes: [WooLineTax],
                sku: String, price: ExactDecimal?, metaData: [WooMeta]) {
        self.id = id
        self.name = name
        self.productID = productID
        self.variationID = variationID
        self.quantity = quantity
        self.taxClass = taxClass
        self.subtotal = subtotal
        self.subtotalTax = subtotalTax
        self.total = total
        self.totalTax = totalTax
        self.taxes = taxes
        self.sku = sku
        self.price = price
        self.metaData = metaData
    }

    /// Units whose stock WooCommerce reduced for this line (`_reduced_stock` meta): a refund
    /// with `api_restock` puts stock back only for lines that have it (domain §2.3). Nil when
    /// the meta is absent or not an integer.
    public var reducedStock: Int? {
        metaData.first(key: "_reduced_stock")?.intValue
    }

    /// Reads `line_items[i]`.
    init(json: WooJSONObject, currency: Currency) throws(StoreLoadError) {
        let total = try json.money("total", currency: currency)
        let totalTax = try json.money("total_tax", currency: currency, default: .zero(currency))
        self.init(
            id: try json.int("id"),
            name: try json.string("name"),
            productID: try json.int("product_id", default: 0),
            variationID: try json.int("variation_id", default: 0),
            quantity: try json.int("quantity"),
            taxClass: try json.string("tax_class"),
            subtotal: try json.money("subtotal", currency: currency, default: total),
            subtotalTax: try json.money("subtotal_tax", currency: currency, default: totalTax),
            total: total,
            totalTax: totalTax,
            taxes: try json.taxes(),
            sku: try json.string("sku"),
            price: try json.decimal("price"),
            metaData: try json.metaData())
    }
}
