/// A fixed-size set of small integers (the points of a decision space), one bit each.
///
/// The lints describe "where does this rule fire" as a bit per point of the finite domain, so
/// the hit policy, coverage and conflicts are a few word-wide `and`/`or`/`not` operations.
struct BitSet: Equatable, Sendable {
    private(set) var words: [UInt64]
    let count: Int

    init(count: Int, filled: Bool = false) {
        self.count = count
        let wordCount = (count + 63) / 64
        words = Array(repeating: filled ? ~0 : 0, count: wordCount)
        if filled { clearTail() }
    }

    /// A set from packed words (bit `i` of word `w` is member `w * 64 + i`).
    init(count: Int, words: [UInt64]) {
        self.count = count
        self.words = words
        clearTail()
    }

    private mutating func clearTail() {
        let extra = words.count * 64 - count
        if extra > 0, !words.isEmpty { words[words.count - 1] &= ~0 >> UInt64(extra) }
    }

    subscript(index: Int) -> Bool {
        get { words[index >> 6] >> UInt64(index & 63) & 1 == 1 }
        set {
            if newValue { words[index >> 6] |= 1 << UInt64(index & 63) } else { words[index >> 6] &= ~(1 << UInt64(index & 63)) }
        }
    }

    var isEmpty: Bool { words.allSatisfy { $0 == 0 } }
    /// Every member of `0..<count` is in the set (checked in place: `inverted()` would allocate).
    var isFull: Bool {
        guard let last = words.indices.last else { return true }
        for index in words.startIndex..<last where words[index] != ~0 { return false }
        let extra = words.count * 64 - count
        return words[last] == (~0 as UInt64) >> UInt64(extra)
    }
    var cardinality: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The smallest member, or nil.
    var first: Int? {
        for (index, word) in words.enumerated() where word != 0 { return index * 64 + word.trailingZeroBitCount }
        return nil
    }

    /// Members in increasing order.
    var members: [Int] {
        var result: [Int] = []
        for (index, word) in words.enumerated() where word != 0 {
            var rest = word
            while rest != 0 {
                result.append(index * 64 + rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
        return result
    }

    func intersection(_ other: BitSet) -> BitSet {
        var result = self
        for index in result.words.indices { result.words[index] &= other.words[index] }
        return result
    }

    func union(_ other: BitSet) -> BitSet {
        var result = self
        for index in result.words.indices { result.words[index] |= other.words[index] }
        return result
    }

    /// `self` without the members of `other`.
    func subtracting(_ other: BitSet) -> BitSet {
        var result = self
        for index in result.words.indices { result.words[index] &= ~other.words[index] }
        return result
    }

    func inverted() -> BitSet {
        var result = self
        for index in result.words.indices { result.words[index] = ~result.words[index] }
        result.clearTail()
        return result
    }

    func intersects(_ other: BitSet) -> Bool {
        for index in words.indices where words[index] & other.words[index] != 0 { return true }
        return false
    }

    /// Adds every member of a range.
    mutating func insert(_ range: Range<Int>) {
        var index = range.lowerBound
        while index < range.upperBound {
            let word = index >> 6
            let offset = index & 63
            let span = min(64 - offset, range.upperBound - index)
            let bits: UInt64 = span == 64 ? ~0 : ((1 << UInt64(span)) - 1) << UInt64(offset)
            words[word] |= bits
            index += span
        }
    }

    /// Whether some member lies in a range.
    func intersects(_ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        while index < range.upperBound {
            let word = index >> 6
            let offset = index & 63
            let span = min(64 - offset, range.upperBound - index)
            let bits: UInt64 = span == 64 ? ~0 : ((1 << UInt64(span)) - 1) << UInt64(offset)
            if words[word] & bits != 0 { return true }
            index += span
        }
        return false
    }

    /// Makes every member of `0..<count` a member.
    mutating func fill() {
        for index in words.indices { words[index] = ~0 }
        clearTail()
    }

    /// Takes `other`'s members, reusing this set's storage.
    mutating func assign(_ other: BitSet) {
        for index in words.indices { words[index] = other.words[index] }
    }

    /// Removes the members of `other`, in place.
    mutating func subtract(_ other: BitSet) { for index in words.indices { words[index] &= ~other.words[index] } }

    /// Keeps the members that are in `other` and not in `excluded`, in place.
    mutating func formIntersection(_ other: BitSet, subtracting excluded: BitSet) {
        for index in words.indices { words[index] &= other.words[index] & ~excluded.words[index] }
    }

    mutating func formIntersection(_ other: BitSet) { for index in words.indices { words[index] &= other.words[index] } }
    mutating func formUnion(_ other: BitSet) { for index in words.indices { words[index] |= other.words[index] } }
}
