/// Allocation of an integer total (minor units) in proportion to weights by the
/// largest-remainder (Hamilton) method.
///
/// Every part first gets the floor of its exact share `|total| × weight / Σweights`; the units
/// left over (fewer than the number of parts) go one each to the parts with the largest
/// remainders, ties to the lower index. Guarantees:
/// - the parts add up exactly to `total`;
/// - each part differs from its exact share by less than one unit;
/// - a negative total is allocated as its magnitude and every part negated, so
///   `allocate(−t, w) == allocate(t, w).map(−)`;
/// - the result is a pure function of the inputs (no randomness, no floating point).
///
/// Typical use: a line's stored tax of 10.00 over 3 units is `allocateEvenly(1000, 3)` =
/// `[334, 333, 333]`; refunding units one at a time, or 1 then 2, hands out those parts in
/// order, so the refunds always add up to exactly 10.00 (see ``evenShareSum(total:parts:units:)``).
public enum LargestRemainder {
    /// Splits `total` in proportion to `weights`.
    ///
    /// `allocate(total: 100, weights: [1, 1, 1])` = `[34, 33, 33]`;
    /// `allocate(total: 1000, weights: [50, 30, 20])` = `[500, 300, 200]`.
    /// A zero total gives all zeros, whatever the weights.
    /// - Throws: ``LargestRemainderError/noParts`` for no weights,
    ///   ``LargestRemainderError/negativeWeight(index:)``, and
    ///   ``LargestRemainderError/allWeightsZero`` when all weights are zero and `total` is not
    ///   (deliberately not an equal split: a caller that wants one says so with
    ///   ``allocateEvenly(total:parts:)``).
    public static func allocate(total: Int64, weights: [Int64]) throws(LargestRemainderError) -> [Int64] {
        guard !weights.isEmpty else { throw .noParts }
        var weightSum: UInt128 = 0
        for (index, weight) in weights.enumerated() {
            guard weight >= 0 else { throw .negativeWeight(index: index) }
            weightSum += UInt128(weight)
        }
        if total == 0 { return [Int64](repeating: 0, count: weights.count) }
        guard weightSum > 0 else { throw .allWeightsZero }

        let magnitude = UInt128(total.magnitude) // ≤ 2^63
        var shares = [UInt128](repeating: 0, count: weights.count)
        var remainders = [UInt128](repeating: 0, count: weights.count)
        var handedOut: UInt128 = 0
        for (index, weight) in weights.enumerated() {
            // magnitude × weight < 2^63 · 2^63 = 2^126: exact.
            let (share, remainder) = (magnitude * UInt128(weight)).quotientAndRemainder(dividingBy: weightSum)
            shares[index] = share
            remainders[index] = remainder
            handedOut += share
        }
        let leftOver = Int(magnitude - handedOut) // < weights.count
        if leftOver > 0 {
            let order = weights.indices.sorted { left, right in
                remainders[left] != remainders[right] ? remainders[left] > remainders[right] : left < right
            }
            for index in order.prefix(leftOver) {
                shares[index] += 1
            }
        }
        let negative = total < 0
        // Each share ≤ |total| ≤ 2^63, and a share of 2^63 only occurs for Int64.min.
        return shares.map { negative ? Int64(-Int128($0)) : Int64($0) }
    }

    /// Splits `total` into `parts` near-equal parts, the extra units going to the lowest
    /// indices: `allocateEvenly(total: 1000, parts: 3)` = `[334, 333, 333]`,
    /// `allocateEvenly(total: -1000, parts: 3)` = `[-334, -333, -333]`. The same as
    /// ``allocate(total:weights:)`` with equal weights.
    /// - Throws: ``LargestRemainderError/noParts`` when `parts < 1`.
    public static func allocateEvenly(total: Int64, parts: Int) throws(LargestRemainderError) -> [Int64] {
        guard parts >= 1 else { throw .noParts }
        return (0..<parts).map { evenPart(total: total, parts: parts, index: $0) }
    }

    /// The sum of parts `units` of ``allocateEvenly(total:parts:)``, without building the array.
    ///
    /// For partial refunds of a line of `parts` units whose stored tax is `total`: refunding
    /// units `alreadyRefunded ..< alreadyRefunded + quantity` gives back exactly this much tax,
    /// and successive refunds that cover `0..<parts` add up to exactly `total`.
    /// - Throws: ``LargestRemainderError/noParts`` when `parts < 1`,
    ///   ``LargestRemainderError/rangeOutOfBounds`` when `units` is not within `0..<parts`
    ///   (or `0...parts` for an empty range).
    public static func evenShareSum(total: Int64, parts: Int, units: Range<Int>) throws(LargestRemainderError) -> Int64 {
        guard parts >= 1 else { throw .noParts }
        guard units.lowerBound >= 0, units.upperBound <= parts else { throw .rangeOutOfBounds }
        let magnitude = UInt128(total.magnitude)
        let (base, extra) = magnitude.quotientAndRemainder(dividingBy: UInt128(parts))
        let withExtra = max(0, min(units.upperBound, Int(extra)) - units.lowerBound)
        let sum = base * UInt128(units.count) + UInt128(withExtra) // ≤ |total|
        return total < 0 ? Int64(-Int128(sum)) : Int64(sum)
    }

    /// Part `index` of an even split (earlier parts take the extra units).
    private static func evenPart(total: Int64, parts: Int, index: Int) -> Int64 {
        let magnitude = total.magnitude
        let (base, extra) = magnitude.quotientAndRemainder(dividingBy: UInt64(parts))
        let part = UInt128(base) + (UInt64(index) < extra ? 1 : 0)
        return total < 0 ? Int64(-Int128(part)) : Int64(part)
    }
}
