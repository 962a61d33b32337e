import JSONBytes
import ReturnRulesLanguage

/// One entry of a line's `taxes[]`: the tax of one rate on that line.
///
/// WooCommerce stores these at about six decimals and does not round them in the REST answer
/// (`"12.6"`, `"0.8589"`, `"2.603306"`), so they are exact decimals, not Money. The planner
/// scales them by quantity and rounds once (domain §4.1). On refund lines the totals are the
/// positive amounts refunded.
public struct WooLineTax: Sendable, Hashable {
    /// The tax rate id: what a refund request's `refund_tax[].id` must name.
    public var rateID: Int
    /// The tax after discounts; nil when WooCommerce wrote `""`.
    public var total: ExactDecimal?
    /// The tax before discounts; nil when WooCommerce wrote `""` (shipping lines do).
    public var subtotal: ExactDecimal?

    /// Creates an entry.
    public init(rateID: Int, total: ExactDecimal?, subtotal: ExactDecimal?) {
        self.rateID = rateID
        self.total = total
        self.subtotal = subtotal
    }
}
