import JSONBytes
import ReturnRulesLanguage

/// A fee line of an order (`fee_lines[]`): a surcharge, or a negative fee used as a discount.
public struct WooFeeLine: Sendable, Equatable {
    /// The order item id.
    public var id: Int
    /// The fee's name.
    public var name: String
    /// Fee amount, tax excluded; may be negative.
    public var total: Money
    /// Tax on the fee.
    public var totalTax: Money
    /// Per-rate tax, exact.
    public var taxes: [WooLineTax]

    /// Creates a line.
    public init(id: Int, name: String, total: Money, totalTax: Money, taxes: [WooLineTax]) {
        self.id = id
        self.name = name
        self.total = total
        self.totalTax = totalTax
        self.taxes = taxes
    }

    /// Reads `fee_lines[i]`.
    init(json: WooJSONObject, currency: Currency) throws(StoreLoadError) {
        self.init(
            id: try json.int("id"),
            name: try json.string("name"),
            total: try json.money("total", currency: currency),
            totalTax: try json.money("total_tax", currency: currency, default: .zero(currency)),
            taxes: try json.taxes())
    }
}
