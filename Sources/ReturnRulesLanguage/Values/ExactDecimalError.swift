/// Why an ``ExactDecimal`` operation has no exact answer.
public enum ExactDecimalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The exact result cannot be held: its significand does not fit in an `Int64` at any scale
    /// up to 18, or (for an unrounded product) it needs more than 18 fraction digits.
    case overflow
    /// Division by a zero divisor.
    case divisionByZero
    /// A requested scale outside `0…18`.
    case scaleOutOfRange(Int)

    /// A short English explanation.
    public var description: String {
        switch self {
        case .overflow: "decimal overflow: the exact result does not fit in 19 digits with at most 18 decimals"
        case .divisionByZero: "division by zero"
        case .scaleOutOfRange(let scale): "scale \(scale) is outside 0…18"
        }
    }
}
