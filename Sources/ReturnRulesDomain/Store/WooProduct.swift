import JSONBytes
import ReturnRulesLanguage

/// A product as `GET /wp-json/wc/v3/products/<id>` returns it, reduced to identity and stock.
///
/// Only `id` is required; `type` defaults to `simple`, `status` to `publish`, `stock_status`
/// to `instock`, `backorders` to `no`, `manage_stock` to false.
public struct WooProduct: Sendable, Hashable {
    /// The product id.
    public var id: Int
    /// `simple`, `variable`, `grouped`, `external`, or a plugin's type.
    public var type: String
    /// The product name.
    public var name: String
    /// The product's own SKU, "" when none.
    public var sku: String
    /// `publish`, `draft`, `private`, …
    public var status: String
    /// Whether the product keeps a stock count (for a variable product: one shared by the
    /// variations that say `"parent"`).
    public var manageStock: ManageStock
    /// The stock count; nil when stock is not managed.
    public var stockQuantity: Int?
    /// `instock`, `outofstock` or `onbackorder`.
    public var stockStatus: String
    /// `no`, `notify` or `yes`.
    public var backorders: String
    /// The active price as text (`"96.80"`); nil when WooCommerce wrote `""`.
    public var price: ExactDecimal?
    /// Ids of the variations of a variable product (`variations`), in the order given.
    public var variationIDs: [Int]

    /// Creates a product.
    public init(id: Int, type: String, name: String, sku: String, status: String, manageStock: ManageStock,
                stockQuantity: Int?, stockStatus: String, backorders: String, price: ExactDecimal?, variationIDs: [Int]) {
        self.id = id
        self.type = type
        self.name = name
        self.sku = sku
        self.status = status
        self.manageStock = manageStock
        self.stockQuantity = stockQuantity
        self.stockStatus = stockStatus
        self.backorders = backorders
        self.price = price
        self.variationIDs = variationIDs
    }

    /// Whether this is a variable product (whose variations may inherit its SKU and stock).
    public var isVariable: Bool { type == "variable" }

    /// Reads a product object.
    init(json: WooJSONObject) throws(StoreLoadError) {
        self.init(
            id: try json.int("id"),
            type: try json.string("type", default: "simple"),
            name: try json.string("name"),
            sku: try json.string("sku"),
            status: try json.string("status", default: "publish"),
            manageStock: try ManageStock(json: json),
            stockQuantity: try json.optionalInt("stock_quantity"),
            stockStatus: try json.string("stock_status", default: "instock"),
            backorders: try json.string("backorders", default: "no"),
            price: try json.decimal("price"),
            variationIDs: try json.ints("variations"))
    }
}
