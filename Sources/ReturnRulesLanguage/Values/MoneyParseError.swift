/// Why text is not an amount of money in the expected currency.
public enum MoneyParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Empty, or not a number under the ``DecimalTextSyntax`` in use.
    case notANumber
    /// The value needs `found` decimals (trailing zeros not counted, exponent applied) but the
    /// currency has `allowed`: `"24.205"` in EUR is `tooManyDecimals(found: 3, allowed: 2)`,
    /// while `"24.2000"` is accepted as 24.20.
    case tooManyDecimals(found: Int, allowed: Int)
    /// The amount does not fit in `Int64` minor units.
    case overflow
    /// Only from the rounding parsers: the exact value needs more than 19 significant digits or
    /// more than 18 decimals, so it cannot be returned exactly next to the rounded amount.
    case tooManyDigits

    /// A short English explanation.
    public var description: String {
        switch self {
        case .notANumber: "not a number"
        case .tooManyDecimals(let found, let allowed): "\(found) decimals where the currency has \(allowed)"
        case .overflow: "amount too large"
        case .tooManyDigits: "number has too many digits to be held exactly"
        }
    }
}
