import JSONBytes
import ReturnRulesLanguage

/// A product or variation an SKU points at.
public struct ProductReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The product id; for a variation, its parent's.
    public var productID: Int
    /// The variation id, 0 for a product.
    public var variationID: Int
    /// Whether the SKU is the parent's, shown on a variation that has none of its own.
    public var skuIsInherited: Bool

    /// Creates a reference.
    public init(productID: Int, variationID: Int, skuIsInherited: Bool) {
        self.productID = productID
        self.variationID = variationID
        self.skuIsInherited = skuIsInherited
    }

    /// Products before their variations, then by id.
    public static func < (lhs: ProductReference, rhs: ProductReference) -> Bool {
        (lhs.productID, lhs.variationID) < (rhs.productID, rhs.variationID)
    }

    /// `product 410`, `product 410 variation 413 (inherited SKU)`.
    public var description: String {
        var text = "product \(productID)"
        if variationID != 0 { text += " variation \(variationID)" }
        if skuIsInherited { text += " (inherited SKU)" }
        return text
    }
}
