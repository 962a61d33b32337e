import JSONBytes
import ReturnRulesLanguage

/// What a file of the store layout holds, decided from its path alone (see
/// `StoreSnapshotLoader`).
enum StoreFileRole: Equatable {
    /// `orders/<name>.json`: one order, or an array of orders; `nameID` when the name is a
    /// number (then a single order should have that id).
    case orders(nameID: Int?)
    /// `orders/<id>.refunds.json` or `orders/<id>.refunds.<anything>.json`: refunds of order `id`.
    case refunds(orderID: Int)
    /// `products/<name>.json`: one product, or an array of products.
    case products(nameID: Int?)
    /// `products/<id>.variations.json` or `products/<id>.variations.<anything>.json`.
    case variations(productID: Int)
    /// Anything else (not `.json`, hidden, in another folder, nested): not read.
    case ignored

    /// Classifies a path relative to the store directory, `/`-separated.
    static func classify(_ path: String) throws(StoreLoadError) -> StoreFileRole {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "orders" || parts[0] == "products" else { return .ignored }
        let name = parts[1]
        guard name.hasSuffix(".json"), !name.hasPrefix("."), name.count > 5 else { return .ignored }
        let stem = name.dropLast(5)
        let pieces = stem.split(separator: ".", omittingEmptySubsequences: false)
        let isOrders = parts[0] == "orders"
        let detail = isOrders ? "refunds" : "variations"
        if pieces.count >= 2 && pieces[1] == detail {
            guard let id = wholeNumber(pieces[0]) else {
                throw StoreLoadError(.inconsistent, file: path, jsonPath: nil,
                                     message: "a \(detail) file must be named <id>.\(detail).json, where <id> is the "
                                         + (isOrders ? "order id" : "product id"))
            }
            return isOrders ? .refunds(orderID: id) : .variations(productID: id)
        }
        let nameID = wholeNumber(stem)
        return isOrders ? .orders(nameID: nameID) : .products(nameID: nameID)
    }

    /// A positive decimal id made of digits only.
    private static func wholeNumber(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = Int(text), value > 0 else { return nil }
        return value
    }
}
