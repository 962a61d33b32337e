import Foundation

extension Money {
    /// `self + other`.
    /// - Throws: ``MoneyError/currencyMismatch(_:_:)`` or ``MoneyError/overflow``.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: sum, currency: currency)
    }

    /// `self − other`.
    /// - Throws: ``MoneyError/currencyMismatch(_:_:)`` or ``MoneyError/overflow``.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: difference, currency: currency)
    }

    /// `−self`.
    /// - Throws: ``MoneyError/overflow`` for the one amount without a negation (`Int64.min`).
    public func negated() throws(MoneyError) -> Money {
        guard minorUnits != .min else { throw .overflow }
        return Money(minorUnits: -minorUnits, currency: currency)
    }

    /// `self × factor`, exact (a unit price times a quantity).
    /// - Throws: ``MoneyError/overflow``.
    public func multiplied(by factor: Int64) throws(MoneyError) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: product, currency: currency)
    }

    /// `self × factor`, computed exactly and then rounded once to the currency's decimals
    /// (a price times a tax rate or a restocking-fee percentage):
    /// 10.00 EUR × 0.21 = 2.10 EUR; 0.99 EUR × 0.21 = 0.2079 → 0.21 (`half_up`).
    /// - Throws: ``MoneyError/overflow``.
    public func multiplied(by factor: ExactDecimal, rounding mode: RoundingMode) throws(MoneyError) -> Money {
        let product = Int128(minorUnits) * Int128(factor.significand) // exact, in 10^−scale minor units
        do {
            let rounded = try ExactDecimal.rounding(product, fromScale: factor.scale, toScale: 0, mode: mode)
            return Money(minorUnits: rounded.significand, currency: currency)
        } catch {
            throw .overflow
        }
    }

    /// `self ÷ divisor`, rounded once to the currency's decimals: 10.00 EUR ÷ 3 = 3.33 (`half_up`)
    /// or 3.34 (`up`). To split an amount into parts that add up, use ``allocatedEvenly(parts:)``.
    /// - Throws: ``MoneyError/divisionByZero`` or ``MoneyError/overflow`` (`Int64.min ÷ −1`).
    public func divided(by divisor: Int64, rounding mode: RoundingMode) throws(MoneyError) -> Money {
        guard divisor != 0 else { throw .divisionByZero }
        let negative = (minorUnits < 0) != (divisor < 0)
        guard
            let magnitude = ExactDecimal.roundedQuotient(
                magnitude: UInt128(minorUnits.magnitude), extraPowerOfTen: 0,
                divisor: UInt128(divisor.magnitude), negative: negative, mode: mode),
            let quotient = ExactDecimal.signedInt64(magnitude: magnitude, negative: negative)
        else { throw .overflow }
        return Money(minorUnits: quotient, currency: currency)
    }

    /// Orders two amounts of the same currency.
    /// - Returns: `.orderedAscending` when `self` is less than `other`, `.orderedSame` when
    ///   equal, `.orderedDescending` when greater.
    /// - Throws: ``MoneyError/currencyMismatch(_:_:)`` for different currencies: amounts of
    ///   different currencies have no order.
    public func compare(_ other: Money) throws(MoneyError) -> ComparisonResult {
        try requireSameCurrency(other)
        if minorUnits < other.minorUnits { return .orderedAscending }
        if minorUnits > other.minorUnits { return .orderedDescending }
        return .orderedSame
    }

    /// Whether `self < other`, for amounts of the same currency.
    /// - Throws: ``MoneyError/currencyMismatch(_:_:)``.
    public func isLess(than other: Money) throws(MoneyError) -> Bool {
        try compare(other) == .orderedAscending
    }

    /// The sum of `amounts`, all in `currency` (zero when empty).
    /// - Throws: ``MoneyError/currencyMismatch(_:_:)`` or ``MoneyError/overflow``.
    public static func sum(_ amounts: some Sequence<Money>, currency: Currency) throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for amount in amounts {
            total = try total.adding(amount)
        }
        return total
    }

    /// Splits the amount in proportion to `weights` by the largest-remainder method: the parts
    /// add up exactly to `self` (see ``LargestRemainder/allocate(total:weights:)``).
    /// - Throws: ``LargestRemainderError``.
    public func allocated(weights: [Int64]) throws(LargestRemainderError) -> [Money] {
        try LargestRemainder.allocate(total: minorUnits, weights: weights).map {
            Money(minorUnits: $0, currency: currency)
        }
    }

    /// Splits the amount into `parts` near-equal parts that add up exactly to `self`; earlier
    /// parts get the extra minor units: 10.00 EUR in 3 → 3.34, 3.33, 3.33.
    /// - Throws: ``LargestRemainderError/noParts`` when `parts < 1`.
    public func allocatedEvenly(parts: Int) throws(LargestRemainderError) -> [Money] {
        try LargestRemainder.allocateEvenly(total: minorUnits, parts: parts).map {
            Money(minorUnits: $0, currency: currency)
        }
    }

    /// Throws unless `other` is in the same currency.
    private func requireSameCurrency(_ other: Money) throws(MoneyError) {
        guard currency == other.currency else { throw .currencyMismatch(currency, other.currency) }
    }
}
