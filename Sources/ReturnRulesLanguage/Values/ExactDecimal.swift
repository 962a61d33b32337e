/// An exact decimal number: `significand × 10^−scale`, with an `Int64` significand and a scale
/// of 0…18. No binary floating point is involved anywhere.
///
/// The scale is part of the value's spelling, not of its identity: `12.340` keeps scale 3 and
/// prints as `"12.340"`, yet equals `12.34` and hashes the same. Ordering is numeric.
///
/// Arithmetic never rounds silently and never traps: ``adding(_:)``, ``subtracting(_:)`` and
/// ``multiplying(by:)`` are exact or throw ``ExactDecimalError/overflow``; operations that must
/// round (``dividing(by:scale:rounding:)``, ``rounded(toScale:mode:)``,
/// ``multiplying(by:scale:rounding:)``) take a ``RoundingMode`` and round exactly once.
///
/// Result scales: a sum or difference takes the larger scale of the operands, a product the sum
/// of the scales; when that significand would not fit, trailing zeros are dropped (the value
/// stays exact) and only if that is not enough does the operation throw.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The integer whose value scaled by `10^−scale` is this number.
    public let significand: Int64
    private let storedScale: UInt8

    /// The number of fraction digits, 0…18.
    public var scale: Int { Int(storedScale) }

    /// The largest scale an `ExactDecimal` can have.
    public static let maxScale = 18

    /// Zero at scale 0.
    public static let zero = ExactDecimal(significand: 0, scale: 0)

    /// Makes `significand × 10^−scale`. `scale` must be in `0…18` (a programming error otherwise).
    public init(significand: Int64, scale: Int) {
        precondition((0...Self.maxScale).contains(scale), "ExactDecimal scale \(scale) outside 0…18")
        self.significand = significand
        self.storedScale = UInt8(truncatingIfNeeded: scale)
    }

    /// An integer at scale 0.
    public init(_ integer: Int64) {
        self.init(significand: integer, scale: 0)
    }

    /// Parses JSON-syntax text (see ``DecimalTextSyntax/json``); `nil` if it is not a number or
    /// cannot be held exactly. Use ``parse(_:syntax:)`` for the reason.
    public init?(_ text: some StringProtocol) {
        guard case .success(let value) = Self.parse(text) else { return nil }
        self = value
    }

    /// The canonical text: optional `-`, the integer digits (at least one), and when the scale is
    /// positive a `.` followed by exactly `scale` digits: `"12.340"`, `"-0.05"`, `"7"`.
    public var description: String { withText { String(decoding: $0, as: UTF8.self) } }

    /// Appends the canonical text (`description`) to `out` without making a string: the lints
    /// write an amount into the text of every condition they cannot enumerate.
    public func appendText(to out: inout [UInt8]) {
        withText { out.append(contentsOf: $0) }
    }

    /// The canonical text in a stack buffer, for the duration of `body`.
    private func withText<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // Written right to left into a stack buffer (at most 19 digits, a point, zeros up to the
        // scale and a sign): amounts are printed for every lint atom and plan line.
        let scale = self.scale
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
            var magnitude = significand.magnitude
            var position = buffer.count
            var written = 0
            while true {
                if scale > 0, written == scale {
                    position -= 1
                    buffer[position] = UInt8(ascii: ".")
                }
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                written += 1
                if magnitude == 0, written > scale { break }
            }
            if significand < 0 {
                position -= 1
                buffer[position] = UInt8(ascii: "-")
            }
            return body(UnsafeBufferPointer(rebasing: buffer[position...]))
        }
    }

    /// Whether the value is zero (at any scale).
    public var isZero: Bool { significand == 0 }

    /// Whether the value is below zero.
    public var isNegative: Bool { significand < 0 }

    /// −1, 0 or 1 according to the sign.
    public var signum: Int { Int(significand.signum()) }

    /// Whether the value has no fractional part (`2.00` is an integer).
    public var isInteger: Bool {
        scale == 0 || significand % Int64(Self.powerOfTen(scale)) == 0
    }

    /// The value as an `Int64` when it is an integer (`2.00` → 2); `nil` when it has a fraction.
    /// Use ``rounded(toScale:mode:)`` with scale 0 first to choose how a fraction goes.
    public var int64Value: Int64? {
        guard isInteger else { return nil }
        return significand / Int64(Self.powerOfTen(scale))
    }

    /// The same value with trailing fraction zeros removed: `12.340` → `12.34`, `2.00` → `2`.
    public var normalized: ExactDecimal {
        var value = significand
        var newScale = scale
        if value == 0 { return .zero }
        while newScale > 0 && value % 10 == 0 {
            value /= 10
            newScale -= 1
        }
        return ExactDecimal(unchecked: value, scale: newScale)
    }

    /// Numeric equality: `1.50 == 1.5`.
    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        if lhs.storedScale == rhs.storedScale { return lhs.significand == rhs.significand }
        let (left, right) = aligned(lhs, rhs)
        return left == right
    }

    /// Hashes the numeric value, so equal values at different scales hash alike.
    public func hash(into hasher: inout Hasher) {
        let canonical = normalized
        hasher.combine(canonical.significand)
        hasher.combine(canonical.storedScale)
    }

    /// Numeric order.
    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        if lhs.storedScale == rhs.storedScale { return lhs.significand < rhs.significand }
        let (left, right) = aligned(lhs, rhs)
        return left < right
    }
}

// MARK: - Internals shared by the value files

extension ExactDecimal {
    /// Makes a value without checking the scale (callers guarantee 0…18).
    init(unchecked significand: Int64, scale: Int) {
        self.significand = significand
        self.storedScale = UInt8(truncatingIfNeeded: scale)
    }

    /// 10^0 … 10^38, every power of ten that fits in a `UInt128`.
    static let powersOfTen: [UInt128] = {
        var powers: [UInt128] = [1]
        for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// 10^exponent for `exponent` in 0…38.
    @inline(__always)
    static func powerOfTen(_ exponent: Int) -> UInt128 {
        powersOfTen[exponent]
    }

    /// Both significands brought to the larger scale, exactly (|value| < 2^63 · 10^18 < 2^123).
    @inline(__always)
    static func aligned(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> (Int128, Int128) {
        let common = max(lhs.scale, rhs.scale)
        return (
            Int128(lhs.significand) * Int128(powerOfTen(common - lhs.scale)),
            Int128(rhs.significand) * Int128(powerOfTen(common - rhs.scale))
        )
    }

    /// The exact value `value × 10^−scale` at the largest scale `≤ min(scale, 18)` whose
    /// significand fits in an `Int64`, dropping only trailing zeros; `nil` when no such scale
    /// exists (the value needs more than 18 decimals or more than 63 bits).
    static func fitting(_ value: Int128, scale: Int) -> ExactDecimal? {
        var value = value
        var scale = scale
        while scale > maxScale {
            guard value % 10 == 0 else { return nil }
            value /= 10
            scale -= 1
        }
        while value > Int128(Int64.max) || value < Int128(Int64.min) {
            guard scale > 0, value % 10 == 0 else { return nil }
            value /= 10
            scale -= 1
        }
        return ExactDecimal(unchecked: Int64(value), scale: scale)
    }

    /// `round(magnitude × 10^extraPowerOfTen / divisor)` under `mode`, for a value whose sign is
    /// `negative`; `nil` when the rounded magnitude exceeds 2^64 (no caller can use it then).
    /// `divisor` must be positive and below 2^124; `magnitude` below 2^127.
    static func roundedQuotient(
        magnitude: UInt128, extraPowerOfTen: Int, divisor: UInt128, negative: Bool, mode: RoundingMode
    ) -> UInt128? {
        let limit = UInt128(UInt64.max)
        var quotient: UInt128
        var remainder: UInt128
        if extraPowerOfTen == 0 {
            (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: divisor)
        } else if magnitude <= UInt128(UInt64.max) && extraPowerOfTen <= 19 {
            // < 2^64 · 10^19 < 2^128
            (quotient, remainder) = (magnitude * powerOfTen(extraPowerOfTen)).quotientAndRemainder(dividingBy: divisor)
        } else {
            // Long division, one decimal digit at a time; remainder < divisor < 2^124.
            (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: divisor)
            for _ in 0..<extraPowerOfTen {
                guard quotient <= limit else { return nil }
                let (digit, rest) = (remainder * 10).quotientAndRemainder(dividingBy: divisor)
                quotient = quotient * 10 + digit
                remainder = rest
            }
        }
        guard quotient <= limit else { return nil }
        if mode.incrementsMagnitude(
            negative: negative, quotientIsOdd: quotient & 1 == 1, remainder: remainder, divisor: divisor
        ) {
            quotient += 1
        }
        return quotient
    }

    /// A signed `Int64` from a magnitude and a sign, or `nil` when it does not fit
    /// (−2^63 fits, +2^63 does not).
    @inline(__always)
    static func signedInt64(magnitude: UInt128, negative: Bool) -> Int64? {
        if negative {
            guard magnitude <= UInt128(1) << 63 else { return nil }
            return Int64(-Int128(magnitude))
        }
        guard magnitude <= UInt128(Int64.max) else { return nil }
        return Int64(magnitude)
    }
}
