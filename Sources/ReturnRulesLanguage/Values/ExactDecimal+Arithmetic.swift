extension ExactDecimal {
    /// `self + other`, exact. The result has the larger of the two scales, fewer only when
    /// trailing zeros must go for the significand to fit.
    /// - Throws: ``ExactDecimalError/overflow`` when the exact sum cannot be held.
    public func adding(_ other: ExactDecimal) throws(ExactDecimalError) -> ExactDecimal {
        let (left, right) = Self.aligned(self, other)
        guard let sum = Self.fitting(left + right, scale: max(scale, other.scale)) else { throw .overflow }
        return sum
    }

    /// `self − other`, exact; scales as in ``adding(_:)``.
    /// - Throws: ``ExactDecimalError/overflow`` when the exact difference cannot be held.
    public func subtracting(_ other: ExactDecimal) throws(ExactDecimalError) -> ExactDecimal {
        let (left, right) = Self.aligned(self, other)
        guard let difference = Self.fitting(left - right, scale: max(scale, other.scale)) else {
            throw .overflow
        }
        return difference
    }

    /// `self × other`, exact. The result's scale is the sum of the scales (`1.5 × 0.25` →
    /// `0.375`, `2.0 × 3.00` → `6.000`), reduced by dropping trailing zeros when it would exceed
    /// 18 or the significand would not fit.
    /// - Throws: ``ExactDecimalError/overflow`` when the exact product needs more than 63 bits or
    ///   more than 18 decimals. Use ``multiplying(by:scale:rounding:)`` to round instead.
    public func multiplying(by other: ExactDecimal) throws(ExactDecimalError) -> ExactDecimal {
        let product = Int128(significand) * Int128(other.significand)
        guard let result = Self.fitting(product, scale: scale + other.scale) else { throw .overflow }
        return result
    }

    /// `self × other` rounded once, from the exact product, to `scale` decimals.
    /// - Throws: ``ExactDecimalError/scaleOutOfRange(_:)`` for a scale outside 0…18,
    ///   ``ExactDecimalError/overflow`` when the rounded product does not fit.
    public func multiplying(
        by other: ExactDecimal, scale targetScale: Int, rounding mode: RoundingMode
    ) throws(ExactDecimalError) -> ExactDecimal {
        try Self.checkScale(targetScale)
        let product = Int128(significand) * Int128(other.significand) // |product| ≤ 2^126
        return try Self.rounding(product, fromScale: scale + other.scale, toScale: targetScale, mode: mode)
    }

    /// `self ÷ divisor`, rounded once to `scale` decimals.
    ///
    /// `10 ÷ 3` at scale 2 is `3.33` (`half_up`) or `3.34` (`up`); `−1 ÷ 8` at scale 2 is
    /// `−0.12` (`half_even`, `half_down`) or `−0.13` (`half_up`).
    /// - Throws: ``ExactDecimalError/divisionByZero``, ``ExactDecimalError/scaleOutOfRange(_:)``,
    ///   or ``ExactDecimalError/overflow`` when the rounded quotient does not fit.
    public func dividing(
        by divisor: ExactDecimal, scale targetScale: Int, rounding mode: RoundingMode
    ) throws(ExactDecimalError) -> ExactDecimal {
        try Self.checkScale(targetScale)
        guard divisor.significand != 0 else { throw .divisionByZero }
        // self / divisor = (a / b) · 10^(b.scale − a.scale); wanted: that × 10^targetScale.
        let exponent = divisor.scale - scale + targetScale // −18 … 36
        let negative = (significand < 0) != (divisor.significand < 0)
        let numerator = UInt128(significand.magnitude)
        var denominator = UInt128(divisor.significand.magnitude)
        var extra = 0
        if exponent < 0 {
            denominator *= Self.powerOfTen(-exponent) // < 2^63 · 10^18 < 2^124
        } else {
            extra = exponent
        }
        guard
            let magnitude = Self.roundedQuotient(
                magnitude: numerator, extraPowerOfTen: extra, divisor: denominator, negative: negative, mode: mode),
            let result = Self.signedInt64(magnitude: magnitude, negative: negative)
        else { throw .overflow }
        return ExactDecimal(unchecked: result, scale: targetScale)
    }

    /// The value at exactly `scale` decimals: rounded under `mode` when that drops digits, padded
    /// with zeros when it adds some (`2.5` → `2.500`).
    /// - Throws: ``ExactDecimalError/scaleOutOfRange(_:)``, or ``ExactDecimalError/overflow``
    ///   when the significand at the new scale does not fit.
    public func rounded(toScale targetScale: Int, mode: RoundingMode) throws(ExactDecimalError) -> ExactDecimal {
        try Self.checkScale(targetScale)
        return try Self.rounding(Int128(significand), fromScale: scale, toScale: targetScale, mode: mode)
    }

    /// `−self`, at the same scale.
    /// - Throws: ``ExactDecimalError/overflow`` for the one significand without a negation, −2^63.
    public func negated() throws(ExactDecimalError) -> ExactDecimal {
        guard significand != .min else { throw .overflow }
        return ExactDecimal(unchecked: -significand, scale: scale)
    }

    // MARK: Internals

    /// Throws unless `scale` is in 0…18.
    static func checkScale(_ scale: Int) throws(ExactDecimalError) {
        guard (0...maxScale).contains(scale) else { throw .scaleOutOfRange(scale) }
    }

    /// `value × 10^−fromScale` at exactly `toScale` (0…18), rounding once under `mode`.
    /// `value` must be below 2^126 in magnitude and `fromScale` at most 36.
    static func rounding(
        _ value: Int128, fromScale: Int, toScale: Int, mode: RoundingMode
    ) throws(ExactDecimalError) -> ExactDecimal {
        let negative = value < 0
        let magnitude = value.magnitude
        let resultMagnitude: UInt128
        if toScale >= fromScale {
            // Padding with zeros: exact, only the size can fail.
            guard magnitude <= UInt128(UInt64.max) else { throw .overflow }
            resultMagnitude = magnitude * powerOfTen(toScale - fromScale) // < 2^64 · 10^18
        } else {
            guard
                let rounded = roundedQuotient(
                    magnitude: magnitude, extraPowerOfTen: 0, divisor: powerOfTen(fromScale - toScale),
                    negative: negative, mode: mode)
            else { throw .overflow }
            resultMagnitude = rounded
        }
        guard let significand = signedInt64(magnitude: resultMagnitude, negative: negative) else {
            throw .overflow
        }
        return ExactDecimal(unchecked: significand, scale: toScale)
    }
}
