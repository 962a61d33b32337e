/// How a value is brought to fewer decimal places. The raw values are the names used in rules
/// and client configuration (`rounding: half_even`).
///
/// Examples at scale 0:
///
/// | mode        | 2.5 | 2.4 | 2.6 | 3.5 | −2.5 | −2.4 | −2.6 |
/// |-------------|-----|-----|-----|-----|------|------|------|
/// | `half_up`   | 3   | 2   | 3   | 4   | −3   | −2   | −3   |
/// | `half_even` | 2   | 2   | 3   | 4   | −2   | −2   | −3   |
/// | `half_down` | 2   | 2   | 3   | 3   | −2   | −2   | −3   |
/// | `up`        | 3   | 3   | 3   | 4   | −3   | −3   | −3   |
/// | `down`      | 2   | 2   | 2   | 3   | −2   | −2   | −2   |
/// | `ceiling`   | 3   | 3   | 3   | 4   | −2   | −2   | −2   |
/// | `floor`     | 2   | 2   | 2   | 3   | −3   | −3   | −3   |
public enum RoundingMode: String, Sendable, Hashable, CaseIterable {
    /// To the nearest; a tie (exactly .5) goes away from zero. Commercial rounding.
    case halfUp = "half_up"
    /// To the nearest; a tie goes to the even neighbour. Banker's rounding.
    case halfEven = "half_even"
    /// To the nearest; a tie goes toward zero.
    case halfDown = "half_down"
    /// Away from zero whenever anything is discarded.
    case up
    /// Toward zero: truncation.
    case down
    /// Toward positive infinity.
    case ceiling
    /// Toward negative infinity.
    case floor
}

extension RoundingMode {
    /// Whether a truncated quotient must move one unit away from zero.
    ///
    /// - Parameters:
    ///   - negative: the sign of the exact value.
    ///   - quotientIsOdd: whether the truncated magnitude is odd (for `half_even`).
    ///   - remainder: the discarded part's magnitude, `0 ≤ remainder < divisor`.
    ///   - divisor: the positive divisor the remainder is relative to.
    @inline(__always)
    func incrementsMagnitude(
        negative: Bool, quotientIsOdd: Bool, remainder: UInt128, divisor: UInt128
    ) -> Bool {
        if remainder == 0 { return false }
        switch self {
        case .down: return false
        case .up: return true
        case .ceiling: return !negative
        case .floor: return negative
        case .halfUp, .halfEven, .halfDown:
            // Compare the remainder with what is left to the next unit instead of doubling it.
            let rest = divisor - remainder
            if remainder > rest { return true }
            if remainder < rest { return false }
            switch self {
            case .halfUp: return true
            case .halfDown: return false
            default: return quotientIsOdd
            }
        }
    }
}
