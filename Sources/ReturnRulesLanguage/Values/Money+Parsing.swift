extension Money {
    /// Parses an exact amount of `currency` from UTF-8 text, such as a WooCommerce `"24.20"`
    /// string or a JSON number `50`.
    ///
    /// Strict about value, tolerant about spelling: the text must denote an amount with at most
    /// the currency's decimals, but it may write fewer (`"50"` → 50.00 EUR), more trailing zeros
    /// (`"24.2000"` → 24.20 EUR) or an exponent (`"5e1"` → 50.00, `"2.42e1"` → 24.20,
    /// `"1e-2"` → 0.01) — the value is exact either way, so exponents are accepted rather than
    /// refused; `"1e-3"` is refused like `"0.001"`.
    ///
    /// Errors, checked in this order: ``MoneyParseError/notANumber`` (syntax),
    /// ``MoneyParseError/tooManyDecimals(found:allowed:)`` (`"24.205"` in EUR: found 3,
    /// allowed 2), ``MoneyParseError/overflow`` (beyond `Int64` minor units).
    ///
    /// - Parameters:
    ///   - bytes: the number's text, without quotes, white space or a currency code.
    ///   - currency: the currency the amount is in; decides the decimals allowed.
    ///   - syntax: JSON's number grammar unless told otherwise (see ``DecimalTextSyntax``).
    public static func parse(
        _ bytes: some Collection<UInt8>, currency: Currency, syntax: DecimalTextSyntax = .json
    ) -> Result<Money, MoneyParseError> {
        if syntax == .json, let units = bytes.withContiguousStorageIfAvailable({ DecimalFastPath.amount($0, currency: currency) }), let units {
            return .success(Money(minorUnits: units, currency: currency))
        }
        switch ExactDecimal.scan(bytes, syntax: syntax) {
        case .failure: return .failure(.notANumber)
        case .success(let scanned): return exactMoney(scanned, currency: currency)
        }
    }

    /// ``parse(_:currency:syntax:)`` for bytes in memory (a JSON token read in place): the
    /// same result, without the generic collection's calls through its witness table, which
    /// cost about as much as parsing a price.
    public static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, currency: Currency, syntax: DecimalTextSyntax = .json
    ) -> Result<Money, MoneyParseError> {
        if syntax == .json, let units = DecimalFastPath.amount(bytes, currency: currency) {
            return .success(Money(minorUnits: units, currency: currency))
        }
        switch ExactDecimal.scan(bytes, syntax: syntax) {
        case .failure: return .failure(.notANumber)
        case .success(let scanned): return exactMoney(scanned, currency: currency)
        }
    }

    /// Parses a string; see ``parse(_:currency:syntax:)``.
    public static func parse(
        _ text: some StringProtocol, currency: Currency, syntax: DecimalTextSyntax = .json
    ) -> Result<Money, MoneyParseError> {
        parse(text.utf8, currency: currency, syntax: syntax)
    }

    /// Parses any exact decimal (for instance a WooCommerce tax string with 4–6+ decimals,
    /// `"0.8589"`) and rounds it once to the currency: `"0.8589"` → 0.86 EUR under `half_up`.
    /// The exact value comes back too, at the scale written.
    ///
    /// Errors: ``MoneyParseError/notANumber``; ``MoneyParseError/tooManyDigits`` when the exact
    /// value is not an ``ExactDecimal`` (more than 19 significant digits or 18 decimals);
    /// ``MoneyParseError/overflow`` when the number or the rounded amount is too large.
    public static func parseRounding(
        _ bytes: some Collection<UInt8>, currency: Currency, mode: RoundingMode,
        syntax: DecimalTextSyntax = .json
    ) -> Result<RoundedMoney, MoneyParseError> {
        let exact: ExactDecimal
        switch ExactDecimal.parse(bytes, syntax: syntax) {
        case .success(let value): exact = value
        case .failure(.empty), .failure(.invalidSyntax): return .failure(.notANumber)
        case .failure(.overflow): return .failure(.overflow)
        case .failure(.tooManyDigits): return .failure(.tooManyDigits)
        }
        do {
            let money = try Money(rounding: exact, currency: currency, mode: mode)
            return .success(RoundedMoney(money: money, exact: exact))
        } catch {
            return .failure(.overflow)
        }
    }

    /// Parses a string and rounds it; see ``parseRounding(_:currency:mode:syntax:)``.
    public static func parseRounding(
        _ text: some StringProtocol, currency: Currency, mode: RoundingMode, syntax: DecimalTextSyntax = .json
    ) -> Result<RoundedMoney, MoneyParseError> {
        parseRounding(text.utf8, currency: currency, mode: mode, syntax: syntax)
    }

    /// Converts an exact decimal that has at most the currency's decimals (trailing zeros do
    /// not count): `2.50` → 2.50 EUR, `2.500` → 2.50 EUR, `2.505` → throws.
    /// - Throws: ``MoneyError/tooManyDecimals(found:allowed:)`` or ``MoneyError/overflow``.
    public init(exactly decimal: ExactDecimal, currency: Currency) throws(MoneyError) {
        let normalized = decimal.normalized
        guard normalized.scale <= currency.minorUnits else {
            throw .tooManyDecimals(found: normalized.scale, allowed: currency.minorUnits)
        }
        try self.init(rounding: normalized, currency: currency, mode: .down)
    }

    /// Converts an exact decimal, rounding once to the currency's decimals:
    /// `0.8589` → 0.86 EUR (`half_up`), `2.5` → 2 JPY (`half_even`).
    /// - Throws: ``MoneyError/overflow`` when the amount does not fit in `Int64` minor units.
    public init(rounding decimal: ExactDecimal, currency: Currency, mode: RoundingMode) throws(MoneyError) {
        do {
            let rounded = try decimal.rounded(toScale: currency.minorUnits, mode: mode)
            self.init(minorUnits: rounded.significand, currency: currency)
        } catch {
            throw .overflow
        }
    }

    /// The exact amount a scan denotes in `currency`, or why there is none.
    private static func exactMoney(
        _ scanned: ExactDecimal.Scanned, currency: Currency
    ) -> Result<Money, MoneyParseError> {
        if scanned.isZero { return .success(.zero(currency)) }
        let allowed = currency.minorUnits
        let needed = scanned.minimalScale
        if needed > allowed { return .failure(.tooManyDecimals(found: needed, allowed: allowed)) }
        // minor units = stripped digits × 10^(allowed − needed)
        guard let stripped = scanned.strippedSignificand else { return .failure(.overflow) }
        let limit: UInt64 = scanned.negative ? UInt64(1) << 63 : UInt64(Int64.max)
        guard stripped <= limit else { return .failure(.overflow) }
        var magnitude = stripped
        var zeros = allowed - needed
        while zeros > 0 {
            let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow, product <= limit else { return .failure(.overflow) }
            magnitude = product
            zeros -= 1
        }
        let amount = scanned.negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
        return .success(Money(minorUnits: amount, currency: currency))
    }
}
