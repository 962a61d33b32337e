import JSONBytes
import ReturnRulesLanguage

/// A variation as `GET /wp-json/wc/v3/products/<pid>/variations[/<vid>]` returns it.
///
/// `sku` is what the API shows: for a variation without an SKU of its own it is the parent's
/// (domain §2.4, §7), and nothing in the JSON tells the two apart; `StoreSnapshot` treats a
/// variation whose SKU equals its parent's as having none.
public struct WooVariation: Sendable, Hashable {
    /// The variation id.
    public var id: Int
    /// The variable product it belongs to (`parent_id`, or the file it was listed in).
    public var parentID: Int
    /// The SKU shown (possibly inherited), "" when none.
    public var sku: String
    /// `publish` or `private`.
    public var status: String
    /// `true`, `false` or `"parent"`.
    public var manageStock: ManageStock
    /// The stock count shown; for `"parent"` WooCommerce shows the parent's; nil when unmanaged.
    public var stockQuantity: Int?
    /// `instock`, `outofstock` or `onbackorder`.
    public var stockStatus: String
    /// `no`, `notify` or `yes`.
    public var backorders: String
    /// The attribute values that define the variation.
    public var attributes: [WooVariationAttribute]
    /// The active price as text (`"96.80"`); nil when WooCommerce wrote `""`.
    public var price: ExactDecimal?

    /// Creates a variation.
    public init(id: Int, parentID: Int, sku: String, status: String, manageStock: ManageStock, stockQuantity: Int?,
                stockStatus: String, backorders: String, attributes: [WooVariationAttribute], price: ExactDecimal?) {
        self.id = id
        self.parentID = parentID
        self.sku = sku
        self.status = status
        self.manageStock = manageStock
        self.stockQuantity = stockQuantity
        self.stockStatus = stockStatus
        self.backorders = backorders
        self.attributes = attributes
        self.price = price
    }

    /// Reads a variation object. `parentID` comes from the file layout
    /// (`products/<pid>.variations.json`); when the JSON has `parent_id` too they must agree.
    /// Nil `parentID` means the JSON must say.
    init(json: WooJSONObject, parentID: Int?) throws(StoreLoadError) {
        let parent: Int
        if let node = json.value("parent_id") {
            let stated = try json.intValue(node)
            if let parentID, stated != parentID {
                throw json.error(.inconsistent, at: node,
                                 "variation belongs to product \(stated), but the file lists variations of product \(parentID)")
            }
            parent = stated
        } else if let parentID {
            parent = parentID
        } else {
            parent = try json.int("parent_id")  // throws: missing
        }
        var attributes: [WooVariationAttribute] = []
        for attribute in try json.objects("attributes", what: "an attribute (an object)") {
            attributes.append(try WooVariationAttribute(json: attribute))
        }
        self.init(
            id: try json.int("id"),
            parentID: parent,
            sku: try json.string("sku"),
            status: try json.string("status", default: "publish"),
            manageStock: try ManageStock(json: json),
            stockQuantity: try json.optionalInt("stock_quantity"),
            stockStatus: try json.string("stock_status", default: "instock"),
            backorders: try json.string("backorders", default: "no"),
            attributes: attributes,
            price: try json.decimal("price"))
    }
}
