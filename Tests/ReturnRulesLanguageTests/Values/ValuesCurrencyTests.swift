@testable import ReturnRulesLanguage
import Testing

@Suite("Currency")
struct ValuesCurrencyTests {
    @Test("ISO 4217 spot checks", arguments: [
        ("EUR", 2), ("USD", 2), ("GBP", 2), ("CHF", 2), ("SEK", 2), ("XCG", 2), ("ZWG", 2), ("VED", 2),
        ("JPY", 0), ("KRW", 0), ("CLP", 0), ("ISK", 0), ("VND", 0), ("XOF", 0), ("XAF", 0), ("UYI", 0),
        ("KWD", 3), ("BHD", 3), ("JOD", 3), ("OMR", 3), ("TND", 3), ("LYD", 3), ("IQD", 3),
        ("CLF", 4), ("UYW", 4),
    ])
    func spotChecks(code: String, minorUnits: Int) throws {
        let currency = try #require(Currency.iso4217(code))
        #expect(currency.code == code)
        #expect(currency.minorUnits == minorUnits)
        #expect(currency.description == code)
        #expect(Currency.iso4217(utf8: Array(code.utf8)) == currency)
    }

    @Test("unknown, malformed, withdrawn and unit-less codes are nil", arguments: [
        "XXZ", "eur", "Eur", "EURO", "EU", "", " EUR", "EUR ", "E1R", "ÉUR",
        "BGN", "HRK", "ANG", "SLL", "ZWL", "CUC", "DEM",
        "XXX", "XAU", "XTS", "XDR",
    ])
    func unknown(code: String) {
        #expect(Currency.iso4217(code) == nil)
    }

    @Test("the table is complete-looking, sorted, unique and well-formed")
    func table() throws {
        let codes = Currency.allCodes
        #expect(codes.count >= 150)
        #expect(codes == codes.sorted())
        #expect(Set(codes).count == codes.count)
        #expect(Currency.allISO4217.count == codes.count)
        for (code, currency) in zip(codes, Currency.allISO4217) {
            #expect(code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= 65 && $0 <= 90 })
            #expect(currency.code == code)
            #expect(Currency.iso4217(code) == currency)
            #expect((0...4).contains(currency.minorUnits))
        }
    }

    @Test("custom currencies and constants")
    func custom() throws {
        let bgn = try #require(Currency(code: "BGN", minorUnits: 2))
        #expect(bgn.code == "BGN" && bgn.minorUnits == 2)
        #expect(Currency(code: "EUR", minorUnits: 2) == Currency.eur)
        #expect(Currency(code: "EUR", minorUnits: 3) != Currency.eur)
        #expect(Currency(code: "bgn", minorUnits: 2) == nil)
        #expect(Currency(code: "BG", minorUnits: 2) == nil)
        #expect(Currency(code: "BGN", minorUnits: -1) == nil)
        #expect(Currency(code: "BGN", minorUnits: 19) == nil)
        #expect(Currency(code: "TST", minorUnits: 18)?.minorUnits == 18)
        #expect(Currency.eur.code == "EUR" && Currency.usd.code == "USD")
        #expect(Currency.gbp.minorUnits == 2 && Currency.jpy.minorUnits == 0)
        #expect(Set([Currency.eur, .usd, .eur, .jpy]).count == 3)
    }
}
