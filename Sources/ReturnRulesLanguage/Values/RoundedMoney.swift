/// An amount parsed leniently and rounded to its currency, together with the exact value that
/// was written (from ``Money/parseRounding(_:currency:mode:syntax:)``).
public struct RoundedMoney: Sendable, Hashable, CustomStringConvertible {
    /// The amount rounded to the currency's minor units: `"0.8589"` → 0.86 EUR (`half_up`).
    public let money: Money
    /// The exact number written, at the scale written: `0.8589`.
    public let exact: ExactDecimal

    /// Pairs a rounded amount with the exact value it came from.
    public init(money: Money, exact: ExactDecimal) {
        self.money = money
        self.exact = exact
    }

    /// Whether rounding changed nothing (`exact` equals `money`).
    public var isExact: Bool { money.decimalValue == exact }

    /// `"0.86 EUR (exact 0.8589)"`.
    public var description: String { "\(money) (exact \(exact))" }
}
