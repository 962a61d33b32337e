import JSONBytes
import ReturnRulesLanguage

/// Which record's `stock_quantity` changes when units of a product or variation come back:
/// the answer to "what would a restock PUT?" (domain §2.4, W3).
public enum StockHolder: Sendable, Hashable {
    /// The variation keeps its own count (`manage_stock: true`):
    /// `PUT /products/<productID>/variations/<variationID>`.
    case variation(productID: Int, variationID: Int, stockQuantity: Int?)
    /// The product keeps the count: a simple product with `manage_stock: true`, or the parent
    /// of a variation that says `"parent"`: `PUT /products/<productID>`.
    case product(productID: Int, stockQuantity: Int?)
    /// Nothing counts stock for it (`manage_stock: false`); the reason says which record.
    case notManaged(reason: String)
    /// The snapshot cannot tell (the product or variation is missing, or the data contradicts
    /// itself); the reason says why.
    case unknown(reason: String)
}
