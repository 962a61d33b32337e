import JSONBytes
import ReturnRulesLanguage

/// A shipping line of an order (`shipping_lines[]`).
public struct WooShippingLine: Sendable, Equatable {
    /// The order item id.
    public var id: Int
    /// `flat_rate`, `free_shipping`, `local_pickup`, … ("" when absent).
    public var methodID: String
    /// The title the customer saw.
    public var methodTitle: String
    /// Shipping cost, tax excluded.
    public var total: Money
    /// Tax on shipping, rounded (`0.86`).
    public var totalTax: Money
    /// Per-rate tax, exact (`0.8589`).
    public var taxes: [WooLineTax]

    /// Creates a line.
    public init(id: Int, methodID: String, methodTitle: String, total: Money, totalTax: Money, taxes: [WooLineTax]) {
        self.id = id
        self.methodID = methodID
        self.methodTitle = methodTitle
        self.total = total
        self.totalTax = totalTax
        self.taxes = taxes
    }

    /// Reads `shipping_lines[i]`.
    init(json: WooJSONObject, currency: Currency) throws(StoreLoadError) {
        self.init(
            id: try json.int("id"),
            methodID: try json.string("method_id"),
            methodTitle: try json.string("method_title"),
            total: try json.money("total", currency: currency),
            totalTax: try json.money("total_tax", currency: currency, default: .zero(currency)),
            taxes: try json.taxes())
    }
}
