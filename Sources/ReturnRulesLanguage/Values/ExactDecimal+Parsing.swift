extension ExactDecimal {
    /// Parses UTF-8 text such as `12.340`, `-0.05`, `1.5e2` or `50`.
    ///
    /// The result is exact or the parse fails; nothing is rounded. The scale is the number of
    /// fraction digits written, less the exponent (`12.340` → scale 3, `1.50e1` → `15.0`,
    /// `1.5e2` → `150`, `1e-2` → `0.01`). Two adjustments keep the value exact when that scale
    /// cannot be held: a negative scale becomes 0 (the significand takes the zeros), and trailing
    /// zeros are dropped when the scale would exceed 18 or the significand would not fit
    /// (`1.0000000000000000000` → `1.000000000000000000`).
    ///
    /// - Parameters:
    ///   - bytes: the text; contiguous collections (`[UInt8]`, slices, `UnsafeRawBufferPointer`,
    ///     `String.UTF8View`) are read in place.
    ///   - syntax: the accepted spelling; JSON's grammar unless told otherwise.
    /// - Returns: the value, or why the text is not one (``ExactDecimalParseError``).
    public static func parse(
        _ bytes: some Collection<UInt8>, syntax: DecimalTextSyntax = .json
    ) -> Result<ExactDecimal, ExactDecimalParseError> {
        if syntax == .json, let whole = bytes.withContiguousStorageIfAvailable(DecimalFastPath.wholeNumber), let whole {
            return .success(whole)
        }
        return scan(bytes, syntax: syntax).flatMap { $0.exactDecimal() }
    }

    /// ``parse(_:syntax:)`` for bytes in memory (a JSON token read in place): the same result,
    /// without the generic collection's calls through its witness table.
    public static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, syntax: DecimalTextSyntax = .json
    ) -> Result<ExactDecimal, ExactDecimalParseError> {
        if syntax == .json, let whole = DecimalFastPath.wholeNumber(bytes) {
            return .success(whole)
        }
        return Scanned.scan(bytes, syntax: syntax).flatMap { $0.exactDecimal() }
    }

    /// Parses a string; see ``parse(_:syntax:)``.
    public static func parse(
        _ text: some StringProtocol, syntax: DecimalTextSyntax = .json
    ) -> Result<ExactDecimal, ExactDecimalParseError> {
        parse(text.utf8, syntax: syntax)
    }

    /// Reads the bytes as a number without yet deciding how it will be held.
    static func scan(
        _ bytes: some Collection<UInt8>, syntax: DecimalTextSyntax
    ) -> Result<Scanned, ExactDecimalParseError> {
        if let result = bytes.withContiguousStorageIfAvailable({ Scanned.scan($0, syntax: syntax) }) {
            return result
        }
        return Array(bytes).withUnsafeBufferPointer { Scanned.scan($0, syntax: syntax) }
    }

    /// A syntactically valid number, reduced to what exactness decisions need:
    /// value = (the `significantDigits` digits starting at the first non-zero one) × 10^−`naturalScale`.
    struct Scanned: Sendable {
        /// Whether a `-` was written.
        var negative = false
        /// The first (up to 19) significant digits as an integer.
        var head: UInt64 = 0
        /// How many digits `head` holds: `min(significantDigits, 19)`.
        var headDigits = 0
        /// Digits from the first non-zero digit to the last digit written (integer and fraction).
        var significantDigits = 0
        /// How many of those end the number as zeros.
        var trailingZeros = 0
        /// Fraction digits written minus the exponent: the scale the text spells.
        var naturalScale = 0

        /// Whether the value is zero.
        var isZero: Bool { significantDigits == 0 }

        /// The fraction digits the value really needs (trailing zeros dropped); may be negative,
        /// meaning the value is a multiple of a power of ten.
        var minimalScale: Int { naturalScale - trailingZeros }

        /// The significant digits without trailing zeros, if there are at most 19 of them.
        var strippedSignificand: UInt64? {
            let stripped = significantDigits - trailingZeros
            guard stripped <= 19 else { return nil }
            return head / UInt64(ExactDecimal.powerOfTen(headDigits - stripped))
        }

        /// Whether the integer part alone is beyond `Int64` (|value| ≥ 2^63, or > 2^63 − 1 when positive).
        var integerPartOverflows: Bool {
            let integerDigits = significantDigits - naturalScale
            if integerDigits > 19 { return true }
            if integerDigits < 19 { return false }
            // Exactly 19 integer digits: they are the first 19 significant digits.
            let integerPart = head * UInt64(ExactDecimal.powerOfTen(19 - headDigits))
            let limit: UInt64 = negative ? UInt64(1) << 63 : UInt64(Int64.max)
            return integerPart > limit
        }

        /// The value as an ``ExactDecimal`` at the scale the text spells, adjusted only as far as
        /// exactness requires.
        func exactDecimal() -> Result<ExactDecimal, ExactDecimalParseError> {
            if isZero {
                return .success(ExactDecimal(unchecked: 0, scale: min(max(naturalScale, 0), ExactDecimal.maxScale)))
            }
            if integerPartOverflows { return .failure(.overflow) }
            guard let stripped = strippedSignificand else { return .failure(.tooManyDigits) }
            let lowestScale = max(minimalScale, 0)
            guard lowestScale <= ExactDecimal.maxScale else { return .failure(.tooManyDigits) }
            // Never below the scale the value needs, never above the one the text spells (or 18).
            let preferredScale = min(max(naturalScale, 0), ExactDecimal.maxScale)
            let limit: UInt64 = negative ? UInt64(1) << 63 : UInt64(Int64.max)
            guard stripped <= limit else { return .failure(.tooManyDigits) }
            var magnitude = stripped
            var scale = minimalScale
            while scale < preferredScale {
                let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                if overflow || product > limit {
                    // Below scale 0 the value is an integer too large; integerPartOverflows has
                    // already ruled that out, so this is only a guard.
                    guard scale >= lowestScale else { return .failure(.overflow) }
                    break
                }
                magnitude = product
                scale += 1
            }
            let significand = negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
            return .success(ExactDecimal(unchecked: significand, scale: scale))
        }

        /// Scans `text` under `syntax`.
        static func scan(
            _ text: UnsafeBufferPointer<UInt8>, syntax: DecimalTextSyntax
        ) -> Result<Scanned, ExactDecimalParseError> {
            let count = text.count
            guard count > 0 else { return .failure(.empty) }
            var result = Scanned()
            var index = 0
            let zero = UInt8(ascii: "0")

            if text[0] == UInt8(ascii: "-") {
                result.negative = true
                index = 1
            } else if text[0] == UInt8(ascii: "+") {
                guard syntax == .lenient else { return .failure(.invalidSyntax(offset: 0)) }
                index = 1
            }

            @inline(__always)
            func take(_ digit: UInt8) {
                if digit == 0 {
                    guard result.significantDigits > 0 else { return }
                    result.trailingZeros += 1
                } else {
                    result.trailingZeros = 0
                }
                result.significantDigits += 1
                if result.headDigits < 19 {
                    result.head = result.head &* 10 &+ UInt64(digit)
                    result.headDigits += 1
                }
            }

            // Integer digits.
            let integerStart = index
            while index < count {
                let digit = text[index] &- zero
                guard digit < 10 else { break }
                take(digit)
                index += 1
            }
            let integerDigits = index - integerStart
            if syntax == .json {
                guard integerDigits > 0 else { return .failure(.invalidSyntax(offset: index)) }
                if integerDigits > 1 && text[integerStart] == zero {
                    return .failure(.invalidSyntax(offset: integerStart + 1))
                }
            }

            // Fraction digits.
            var fractionDigits = 0
            if index < count && text[index] == UInt8(ascii: ".") {
                index += 1
                let fractionStart = index
                while index < count {
                    let digit = text[index] &- zero
                    guard digit < 10 else { break }
                    take(digit)
                    index += 1
                }
                fractionDigits = index - fractionStart
                if fractionDigits == 0 && (syntax == .json || integerDigits == 0) {
                    return .failure(.invalidSyntax(offset: index))
                }
            } else if integerDigits == 0 {
                return .failure(.invalidSyntax(offset: index))
            }

            // Exponent, saturated far beyond any scale that could matter.
            var exponent = 0
            if index < count && (text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E")) {
                index += 1
                var exponentNegative = false
                if index < count && (text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-")) {
                    exponentNegative = text[index] == UInt8(ascii: "-")
                    index += 1
                }
                let exponentStart = index
                while index < count {
                    let digit = text[index] &- zero
                    guard digit < 10 else { break }
                    exponent = min(exponent * 10 + Int(digit), 1 << 40)
                    index += 1
                }
                guard index > exponentStart else { return .failure(.invalidSyntax(offset: index)) }
                if exponentNegative { exponent = -exponent }
            }

            guard index == count else { return .failure(.invalidSyntax(offset: index)) }
            result.naturalScale = fractionDigits - exponent
            return .success(result)
        }
    }
}
