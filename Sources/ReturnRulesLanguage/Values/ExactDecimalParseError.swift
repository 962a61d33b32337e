/// Why text is not an ``ExactDecimal``.
public enum ExactDecimalParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No bytes at all.
    case empty
    /// The text does not follow the ``DecimalTextSyntax`` in use; `offset` is the byte offset of
    /// the first byte that does not fit (equal to the length when the text ends too early).
    case invalidSyntax(offset: Int)
    /// The integer part is too large: the magnitude is at least 2^63 (beyond `Int64`).
    case overflow
    /// The magnitude fits, but the exact value needs more than 19 significant digits or more
    /// than 18 fraction digits (after dropping trailing zeros), so it cannot be held exactly.
    case tooManyDigits

    /// A short English explanation.
    public var description: String {
        switch self {
        case .empty: "empty number"
        case .invalidSyntax(let offset): "not a number: unexpected byte at offset \(offset)"
        case .overflow: "number too large"
        case .tooManyDigits: "number has too many digits to be held exactly (19 significant, 18 decimals)"
        }
    }
}
