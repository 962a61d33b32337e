import JSONBytes
import ReturnRulesLanguage

/// One attribute of a variation: `{"id": 2, "name": "Talla", "option": "42"}`.
public struct WooVariationAttribute: Sendable, Hashable {
    /// The global attribute id, 0 for a custom (local) attribute; nil when absent.
    public var id: Int?
    /// The attribute name, e.g. `Talla`.
    public var name: String
    /// The chosen value, e.g. `42`.
    public var option: String

    /// Creates an attribute.
    public init(id: Int?, name: String, option: String) {
        self.id = id
        self.name = name
        self.option = option
    }

    /// Reads `attributes[i]`.
    init(json: WooJSONObject) throws(StoreLoadError) {
        self.init(id: try json.optionalInt("id"), name: try json.string("name"), option: try json.string("option"))
    }
}
