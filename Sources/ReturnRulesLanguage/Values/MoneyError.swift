/// Why a ``Money`` operation has no exact answer.
public enum MoneyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The two amounts are in different currencies (left operand first).
    case currencyMismatch(Currency, Currency)
    /// The result does not fit in `Int64` minor units.
    case overflow
    /// Division by zero.
    case divisionByZero
    /// An exact conversion would need `found` decimals where the currency has `allowed`.
    case tooManyDecimals(found: Int, allowed: Int)

    /// A short English explanation.
    public var description: String {
        switch self {
        case .currencyMismatch(let left, let right): "currency mismatch: \(left.code) and \(right.code)"
        case .overflow: "money overflow"
        case .divisionByZero: "division by zero"
        case .tooManyDecimals(let found, let allowed): "\(found) decimals where the currency has \(allowed)"
        }
    }
}
