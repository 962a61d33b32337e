/// The usual spellings of event numbers — a whole number (`1`) or an amount with at most the
/// currency's decimals (`"189.00"`) — read in one pass, with no general scan: about a quarter
/// of the instructions. Anything else (a sign, an exponent, more digits or decimals, a leading
/// zero) answers nil and goes through the general parse, which decides it exactly as before.
enum DecimalFastPath {
    /// A non-negative whole number of 1…18 digits in JSON spelling, as `ExactDecimal.parse`
    /// reads it (scale 0); nil for anything else.
    static func wholeNumber(_ text: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        let count = text.count
        guard count > 0, count <= 18 else { return nil }
        // JSON: no leading zero unless the number is 0.
        if count > 1 && text[0] == UInt8(ascii: "0") { return nil }
        var value: Int64 = 0
        for byte in text {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
        }
        return ExactDecimal(unchecked: value, scale: 0)
    }

    /// A non-negative amount `digits[.digits]` in JSON spelling with at most `currency`'s
    /// decimals and at most 18 digits once scaled, in minor units as `Money.parse` reads it;
    /// nil for anything else.
    static func amount(_ text: UnsafeBufferPointer<UInt8>, currency: Currency) -> Int64? {
        let count = text.count
        let allowed = currency.minorUnits
        guard count > 0 else { return nil }
        var index = 0
        var units: Int64 = 0
        while index < count {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            units = units &* 10 &+ Int64(digit)
            index += 1
        }
        let integerDigits = index
        guard integerDigits > 0, integerDigits + allowed <= 18 else { return nil }
        if integerDigits > 1 && text[0] == UInt8(ascii: "0") { return nil }
        var fractionDigits = 0
        if index < count {
            guard text[index] == UInt8(ascii: "."), count - index - 1 <= allowed else { return nil }
            index += 1
            while index < count {
                let digit = text[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                units = units &* 10 &+ Int64(digit)
                index += 1
                fractionDigits += 1
            }
            // JSON: a point needs digits after it.
            guard fractionDigits > 0 else { return nil }
        }
        for _ in fractionDigits..<allowed { units = units &* 10 }
        return units
    }
}
