@testable import ReturnRulesLanguage

/// SplitMix64 (Steele, Lea & Flood 2014) with a fixed seed: the property tests see the same
/// inputs on every run and every machine.
struct ValuesSplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound` (bound > 0; the modulo bias is irrelevant here).
    mutating func below(_ bound: UInt64) -> UInt64 {
        next() % bound
    }

    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(below(UInt64(range.upperBound - range.lowerBound + 1)))
    }

    mutating func bool() -> Bool {
        next() & 1 == 1
    }

    /// A significand with a uniformly chosen number of digits (1…19), a random sign, and now and
    /// then an Int64 boundary value.
    mutating func significand() -> Int64 {
        switch below(16) {
        case 0: return [Int64.max, Int64.min, 0, 1, -1, Int64.max - 1, Int64.min + 1][Int(below(7))]
        default:
            let digits = int(in: 1...19)
            let magnitude: UInt64
            if digits == 19 {
                magnitude = next() >> 1 // any 63-bit value
            } else {
                var power: UInt64 = 1
                for _ in 0..<digits { power *= 10 }
                magnitude = below(power)
            }
            let value = Int64(magnitude)
            return bool() ? -value : value
        }
    }

    /// A decimal with a random significand and a scale biased toward money-like scales.
    mutating func decimal() -> ExactDecimal {
        let scale = below(3) == 0 ? int(in: 0...18) : int(in: 0...4)
        return ExactDecimal(significand: significand(), scale: scale)
    }
}

/// Arbitrary-precision signed integers on decimal digit strings: a slow, obviously-correct
/// reference that shares no code (and no Int128) with the implementation under test.
struct ValuesReferenceInteger: Equatable, CustomStringConvertible {
    /// Whether the value is below zero (never set for zero).
    private(set) var negative: Bool
    /// Decimal digits, least significant first, no leading zeros; empty for zero.
    private(set) var digits: [UInt8]

    static let zero = ValuesReferenceInteger(negative: false, digits: [])

    private init(negative: Bool, digits: [UInt8]) {
        var digits = digits
        while digits.last == 0 { digits.removeLast() }
        self.negative = digits.isEmpty ? false : negative
        self.digits = digits
    }

    /// From decimal text with an optional leading `-`.
    init(_ text: String) {
        var negative = false
        var body = Substring(text)
        if body.first == "-" {
            negative = true
            body = body.dropFirst()
        }
        self.init(negative: negative, digits: body.utf8.reversed().map { $0 - UInt8(ascii: "0") })
    }

    init(_ value: Int64) {
        self.init(String(value))
    }

    var description: String {
        if digits.isEmpty { return "0" }
        return (negative ? "-" : "") + String(decoding: digits.reversed().map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
    }

    var isZero: Bool { digits.isEmpty }
    var magnitude: ValuesReferenceInteger { ValuesReferenceInteger(negative: false, digits: digits) }
    var lastDigit: UInt8 { digits.first ?? 0 }
    var isOdd: Bool { lastDigit % 2 == 1 }

    /// The value as Int64 if it fits.
    var int64: Int64? {
        if self < ValuesReferenceInteger(Int64.min) || self > ValuesReferenceInteger(Int64.max) { return nil }
        return Int64(description)!
    }

    /// `self × 10^count`.
    func shifted(by count: Int) -> ValuesReferenceInteger {
        isZero ? self : ValuesReferenceInteger(negative: negative, digits: [UInt8](repeating: 0, count: count) + digits)
    }

    /// `self ÷ 10` when the last digit is zero.
    func droppingLastZero() -> ValuesReferenceInteger {
        precondition(lastDigit == 0)
        return isZero ? self : ValuesReferenceInteger(negative: negative, digits: Array(digits.dropFirst()))
    }

    static func compareMagnitudes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for index in stride(from: a.count - 1, through: 0, by: -1) where a[index] != b[index] {
            return a[index] < b[index] ? -1 : 1
        }
        return 0
    }

    static func addMagnitudes(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var carry: UInt8 = 0
        for index in 0..<max(a.count, b.count) {
            let sum = (index < a.count ? a[index] : 0) + (index < b.count ? b[index] : 0) + carry
            result.append(sum % 10)
            carry = sum / 10
        }
        if carry > 0 { result.append(carry) }
        return result
    }

    /// `a − b` for `a ≥ b`.
    static func subtractMagnitudes(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var borrow: Int = 0
        for index in 0..<a.count {
            var digit = Int(a[index]) - (index < b.count ? Int(b[index]) : 0) - borrow
            borrow = digit < 0 ? 1 : 0
            if digit < 0 { digit += 10 }
            result.append(UInt8(digit))
        }
        return result
    }

    static func + (lhs: ValuesReferenceInteger, rhs: ValuesReferenceInteger) -> ValuesReferenceInteger {
        if lhs.negative == rhs.negative {
            return ValuesReferenceInteger(negative: lhs.negative, digits: addMagnitudes(lhs.digits, rhs.digits))
        }
        if compareMagnitudes(lhs.digits, rhs.digits) >= 0 {
            return ValuesReferenceInteger(negative: lhs.negative, digits: subtractMagnitudes(lhs.digits, rhs.digits))
        }
        return ValuesReferenceInteger(negative: rhs.negative, digits: subtractMagnitudes(rhs.digits, lhs.digits))
    }

    static prefix func - (value: ValuesReferenceInteger) -> ValuesReferenceInteger {
        ValuesReferenceInteger(negative: !value.negative, digits: value.digits)
    }

    static func - (lhs: ValuesReferenceInteger, rhs: ValuesReferenceInteger) -> ValuesReferenceInteger {
        lhs + (-rhs)
    }

    static func * (lhs: ValuesReferenceInteger, rhs: ValuesReferenceInteger) -> ValuesReferenceInteger {
        if lhs.isZero || rhs.isZero { return .zero }
        var result = [Int](repeating: 0, count: lhs.digits.count + rhs.digits.count + 1)
        for (i, a) in lhs.digits.enumerated() {
            for (j, b) in rhs.digits.enumerated() {
                result[i + j] += Int(a) * Int(b)
            }
        }
        var carry = 0
        for index in result.indices {
            let total = result[index] + carry
            result[index] = total % 10
            carry = total / 10
        }
        return ValuesReferenceInteger(negative: lhs.negative != rhs.negative, digits: result.map { UInt8($0) })
    }

    /// Truncating division of magnitudes by schoolbook long division: (quotient, remainder), both ≥ 0.
    static func divideMagnitudes(
        _ lhs: ValuesReferenceInteger, _ rhs: ValuesReferenceInteger
    ) -> (ValuesReferenceInteger, ValuesReferenceInteger) {
        precondition(!rhs.isZero)
        let divisor = rhs.magnitude
        var remainder = ValuesReferenceInteger.zero
        var quotientDigits: [UInt8] = []
        for digit in lhs.digits.reversed() {
            remainder = remainder.shifted(by: 1) + ValuesReferenceInteger(negative: false, digits: [digit])
            var count: UInt8 = 0
            while remainder >= divisor {
                remainder = remainder - divisor
                count += 1
            }
            quotientDigits.append(count)
        }
        return (ValuesReferenceInteger(negative: false, digits: quotientDigits.reversed()), remainder)
    }

    static func < (lhs: ValuesReferenceInteger, rhs: ValuesReferenceInteger) -> Bool {
        if lhs.negative != rhs.negative { return lhs.negative }
        let order = compareMagnitudes(lhs.digits, rhs.digits)
        return lhs.negative ? order > 0 : order < 0
    }
    static func > (lhs: ValuesReferenceInteger, rhs: ValuesReferenceInteger) -> Bool { rhs < lhs }
    static func >= (lhs: ValuesReferenceInteger, rhs: ValuesReferenceInteger) -> Bool { !(lhs < rhs) }
}

/// Reference rounding: the signed integer nearest to `numerator / denominator` under `mode`,
/// written from the mode's definition, independently of `RoundingMode`'s implementation.
func valuesReferenceRoundedQuotient(
    _ numerator: ValuesReferenceInteger, _ denominator: ValuesReferenceInteger, mode: RoundingMode
) -> ValuesReferenceInteger {
    let negative = (numerator.negative) != (denominator.negative) && !numerator.isZero
    let (quotient, remainder) = ValuesReferenceInteger.divideMagnitudes(numerator.magnitude, denominator.magnitude)
    var awayFromZero = false
    if !remainder.isZero {
        let twice = remainder + remainder
        let divisor = denominator.magnitude
        let aboveHalf = twice > divisor
        let exactlyHalf = twice == divisor
        switch mode {
        case .halfUp: awayFromZero = aboveHalf || exactlyHalf
        case .halfDown: awayFromZero = aboveHalf
        case .halfEven: awayFromZero = aboveHalf || (exactlyHalf && quotient.isOdd)
        case .up: awayFromZero = true
        case .down: awayFromZero = false
        case .ceiling: awayFromZero = !negative
        case .floor: awayFromZero = negative
        }
    }
    let magnitude = awayFromZero ? quotient + ValuesReferenceInteger(1) : quotient
    return negative ? -magnitude : magnitude
}

/// The representation the implementation promises for the exact value `value × 10^−scale`:
/// the largest scale ≤ min(scale, 18) whose significand fits in Int64, dropping only trailing
/// zeros; `nil` when there is none.
func valuesReferenceFitting(_ value: ValuesReferenceInteger, scale: Int) -> (Int64, Int)? {
    var value = value
    var scale = scale
    while scale > 18 {
        guard value.lastDigit == 0 else { return nil }
        value = value.droppingLastZero()
        scale -= 1
    }
    while value.int64 == nil {
        guard scale > 0, value.lastDigit == 0 else { return nil }
        value = value.droppingLastZero()
        scale -= 1
    }
    return (value.int64!, scale)
}
