/// An exact amount of one currency, counted in its minor units (cents for EUR, yen for JPY,
/// fils for KWD).
///
/// Money is plain data: equality and hashing compare the amount and the currency, so
/// `1.00 EUR != 1.00 USD` (that is not an error). Money is deliberately **not** `Comparable`:
/// ordering amounts of different currencies is meaningless, so there is no `<`; use
/// ``compare(_:)``, which throws ``MoneyError/currencyMismatch(_:_:)``, or the sign accessors.
///
/// Arithmetic (``adding(_:)``, ``multiplied(by:rounding:)``, …) is checked: it throws on a
/// currency mismatch or overflow and never traps. Rounding happens only where a
/// ``RoundingMode`` is passed, and then exactly once.
public struct Money: Sendable, Hashable, CustomStringConvertible {
    /// The amount in minor units of ``currency``: 2420 for 24.20 EUR, 2420 for 2420 JPY.
    public let minorUnits: Int64
    /// The currency of the amount.
    public let currency: Currency

    /// Makes an amount from minor units: `Money(minorUnits: 2420, currency: .eur)` is 24.20 EUR.
    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero in `currency`.
    public static func zero(_ currency: Currency) -> Money {
        Money(minorUnits: 0, currency: currency)
    }

    /// The amount as an exact decimal at the currency's scale: 24.20 EUR → `24.20` (scale 2).
    public var decimalValue: ExactDecimal {
        ExactDecimal(unchecked: minorUnits, scale: currency.minorUnits)
    }

    /// The amount with exactly the currency's number of decimals, a `-` for negatives and no
    /// grouping: `"24.20"`, `"-0.05"`, `"1500"` (JPY), `"1.250"` (KWD).
    public var formatted: String { decimalValue.description }

    /// The amount and the code: `"24.20 EUR"`.
    public var description: String { formatted + " " + currency.code }

    /// Whether the amount is zero.
    public var isZero: Bool { minorUnits == 0 }
    /// Whether the amount is below zero.
    public var isNegative: Bool { minorUnits < 0 }
    /// Whether the amount is above zero.
    public var isPositive: Bool { minorUnits > 0 }
}
