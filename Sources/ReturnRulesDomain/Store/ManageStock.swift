import JSONBytes
import ReturnRulesLanguage

/// `manage_stock` of a product or variation: `true`, `false`, or — on a variation whose own
/// flag is off while its parent manages stock — the string `"parent"` (domain §2.4).
public enum ManageStock: Sendable, Hashable {
    /// `true`: this product or variation keeps its own stock count.
    case yes
    /// `false`: no stock count is kept.
    case no
    /// `"parent"`: the variable parent product holds the stock.
    case parent

    /// Reads `manage_stock`; absent or null reads as `.no`.
    init(json: WooJSONObject) throws(StoreLoadError) {
        guard let value = json.value("manage_stock") else {
            self = .no
            return
        }
        if let flag = value.bool {
            self = flag ? .yes : .no
        } else if value.equals("parent") {
            self = .parent
        } else {
            throw StoreLoadError.wrongType(value, file: json.file, expected: "true, false or \"parent\"")
        }
    }
}
