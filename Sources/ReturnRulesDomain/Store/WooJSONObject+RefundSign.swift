import JSONBytes
import ReturnRulesLanguage

// The one place where refund signs are handled.
//
// WooCommerce stores a refund as a negative order: its line quantities, line totals and tax
// totals are negative, and the order's `refunds[].total` summary is negative too ("-29.15",
// even "-0.00"). Only the refund's own `amount` is positive. The models keep every refunded
// quantity and amount as a positive "how much was refunded" value, so the planner never has to
// think about signs. A positive value where WooCommerce writes a negative one is an error: it
// would mean the export is not what we think it is.
extension WooJSONObject {
    /// A required refund amount written as negative or zero (`"-40.00"`), as a positive Money.
    func refundedMoney(_ key: String, currency: Currency) throws(StoreLoadError) -> Money {
        try flipped(try required(key), currency: currency)
    }

    /// A refund amount written as negative or zero, as a positive Money; zero when absent.
    func refundedMoney(_ key: String, currency: Currency, default fallback: Money) throws(StoreLoadError) -> Money {
        guard let value = value(key) else { return fallback }
        return try flipped(value, currency: currency)
    }

    /// A refund line's quantity (`-2`) as the positive count refunded (2).
    func refundedQuantity(_ key: String) throws(StoreLoadError) -> Int {
        let value = try required(key)
        let quantity = try intValue(value)
        guard quantity <= 0 else {
            throw error(.invalidValue, at: value,
                        "refund line quantity is \(quantity); WooCommerce writes refunded quantities as negative numbers")
        }
        return -quantity
    }

    /// A refund line's `taxes[]` (`{"id":1,"total":"-8.4"}`) with positive totals.
    func refundedTaxes(_ key: String = "taxes") throws(StoreLoadError) -> [WooLineTax] {
        var result: [WooLineTax] = []
        for tax in try objects(key, what: "a tax entry (an object)") {
            result.append(WooLineTax(rateID: try tax.int("id"),
                                     total: try tax.flippedDecimal("total"),
                                     subtotal: try tax.flippedDecimal("subtotal")))
        }
        return result
    }

    private func flipped(_ value: JSONNode, currency: Currency) throws(StoreLoadError) -> Money {
        let money = try moneyValue(value, currency: currency)
        guard !money.isPositive else {
            throw error(.invalidValue, at: value,
                        "refunded amount is \(money.formatted); WooCommerce writes refunded amounts as negative")
        }
        guard money.minorUnits != .min else { throw error(.invalidValue, at: value, "amount is too large") }
        return Money(minorUnits: -money.minorUnits, currency: currency)
    }

    private func flippedDecimal(_ key: String) throws(StoreLoadError) -> ExactDecimal? {
        guard let value = value(key), let decimal = try decimalValue(value) else { return nil }
        guard decimal.significand != .min else { throw error(.invalidValue, at: value, "decimal is too large") }
        guard decimal.signum <= 0 else {
            throw error(.invalidValue, at: value,
                        "refunded tax is \(decimal); WooCommerce writes refunded taxes as negative")
        }
        return ExactDecimal(significand: -decimal.significand, scale: decimal.scale)
    }
}
