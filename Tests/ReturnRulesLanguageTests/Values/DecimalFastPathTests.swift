import Testing
@testable import ReturnRulesLanguage

/// The fast path for plain numbers (`DecimalFastPath`) accepts only plain JSON numbers and
/// answers exactly what the general scan answers for them (JSON-valid text reads the same
/// under `.lenient`, which always takes the general scan).
@Suite("Values: plain-number fast path")
struct DecimalFastPathTests {
    static let texts: [String] = {
        var texts = ["0", "1", "7", "10", "100", "0.5", "0.50", "0.05", "0.00", "1.0", "1.00", "1.000", "24.20", "24.2", "24.2000",
                     "189.00", "99999999999999999", "999999999999999999", "9999999999999999999", "123456789012345678.9",
                     "1234567890123456.78", "12345678901234567.8", "0.001", "5.", "00", "01", "01.5", ".5", "-1", "-0.50", "+1", "1e2",
                     "2.42e1", "1E-2", "", " 1", "1 ", "1.2.3", "12a", "0x10", "1_000", "1.", "0.", "1.5e", "١"]
        for digits in 1...20 { texts.append(String(repeating: "9", count: digits)) }
        for digits in 1...20 { texts.append("1" + String(repeating: "0", count: digits - 1)) }
        for fraction in 0...4 { texts.append("12." + String(repeating: "5", count: fraction)) }
        return texts
    }()

    /// `(0|[1-9][0-9]*)(\.[0-9]+)?`: the only spellings the fast path may accept.
    static func isPlain(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber) else { return false }
        if whole.count > 1 && whole.first == "0" { return false }
        if parts.count == 2 { return !parts[1].isEmpty && parts[1].allSatisfy { $0.isASCII && $0.isNumber } }
        return true
    }

    @Test func wholeNumbersAsTheGeneralScan() {
        for text in Self.texts {
            var text = text
            let fast = text.withUTF8 { DecimalFastPath.wholeNumber($0) }
            guard let fast else { continue }
            #expect(Self.isPlain(text) && !text.contains("."), "\(text)")
            guard case .success(let general) = ExactDecimal.parse(text.utf8, syntax: .lenient) else {
                Issue.record("\(text): the general scan refuses what the fast path read")
                continue
            }
            #expect(fast == general && fast.scale == general.scale, "\(text)")
        }
    }

    @Test(arguments: ["EUR", "JPY", "KWD"])
    func amountsAsTheGeneralScan(code: String) throws {
        let currency = try #require(Currency.iso4217(code))
        for text in Self.texts {
            var text = text
            let fast = text.withUTF8 { DecimalFastPath.amount($0, currency: currency) }
            guard let fast else { continue }
            #expect(Self.isPlain(text), "\(text)")
            guard case .success(let general) = Money.parse(text.utf8, currency: currency, syntax: .lenient) else {
                Issue.record("\(text) \(code): the general scan refuses what the fast path read")
                continue
            }
            #expect(general == Money(minorUnits: fast, currency: currency), "\(text) \(code)")
        }
    }
}
