/// Why an amount cannot be allocated.
public enum LargestRemainderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No weights, or fewer than one part.
    case noParts
    /// The weight at `index` is negative.
    case negativeWeight(index: Int)
    /// Every weight is zero but the total is not, so there is no proportion to follow.
    /// (Call ``LargestRemainder/allocateEvenly(total:parts:)`` for an equal split.)
    case allWeightsZero
    /// A unit range reaches outside `0..<parts`.
    case rangeOutOfBounds

    /// A short English explanation.
    public var description: String {
        switch self {
        case .noParts: "nothing to allocate to"
        case .negativeWeight(let index): "weight \(index) is negative"
        case .allWeightsZero: "all weights are zero"
        case .rangeOutOfBounds: "unit range outside the parts"
        }
    }
}
