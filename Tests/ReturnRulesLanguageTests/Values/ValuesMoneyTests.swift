import Foundation
@testable import ReturnRulesLanguage
import Testing

extension Currency {
    fileprivate static let kwdForTests = Currency.iso4217("KWD")!
}

@Suite("Money")
struct ValuesMoneyTests {
    static let eur = Currency.eur
    static let jpy = Currency.jpy
    static let kwd = Currency.iso4217("KWD")!
    static let clf = Currency.iso4217("CLF")!

    func eur(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .eur) }

    enum Expected: Sendable, Equatable {
        case minorUnits(Int64)
        case error(MoneyParseError)
    }

    @Test("strict parsing", arguments: [
        ("24.20", Currency.eur, Expected.minorUnits(2420)),
        ("24.2", Currency.eur, .minorUnits(2420)),
        ("24", Currency.eur, .minorUnits(2400)),
        ("50", Currency.eur, .minorUnits(5000)),
        ("24.2000", Currency.eur, .minorUnits(2420)),
        ("24.205", Currency.eur, .error(.tooManyDecimals(found: 3, allowed: 2))),
        ("24.2050", Currency.eur, .error(.tooManyDecimals(found: 3, allowed: 2))),
        ("5e1", Currency.eur, .minorUnits(5000)),
        ("2.42e1", Currency.eur, .minorUnits(2420)),
        ("1e-2", Currency.eur, .minorUnits(1)),
        ("1e-3", Currency.eur, .error(.tooManyDecimals(found: 3, allowed: 2))),
        ("-0.05", Currency.eur, .minorUnits(-5)),
        ("-0", Currency.eur, .minorUnits(0)),
        ("0e-40", Currency.eur, .minorUnits(0)),
        ("0.000", Currency.eur, .minorUnits(0)),
        ("", Currency.eur, .error(.notANumber)),
        ("abc", Currency.eur, .error(.notANumber)),
        ("24.20 EUR", Currency.eur, .error(.notANumber)),
        (".5", Currency.eur, .error(.notANumber)),
        ("+5", Currency.eur, .error(.notANumber)),
        ("1500", Currency.jpy, .minorUnits(1500)),
        ("1500.0", Currency.jpy, .minorUnits(1500)),
        ("1500.5", Currency.jpy, .error(.tooManyDecimals(found: 1, allowed: 0))),
        ("1.5e3", Currency.jpy, .minorUnits(1500)),
        ("1.250", Currency.iso4217("KWD")!, .minorUnits(1250)),
        ("1.2505", Currency.iso4217("KWD")!, .error(.tooManyDecimals(found: 4, allowed: 3))),
        ("1.2345", Currency.iso4217("CLF")!, .minorUnits(12345)),
        // Int64 boundaries in minor units.
        ("92233720368547758.07", Currency.eur, .minorUnits(.max)),
        ("92233720368547758.08", Currency.eur, .error(.overflow)),
        ("-92233720368547758.08", Currency.eur, .minorUnits(.min)),
        ("-92233720368547758.09", Currency.eur, .error(.overflow)),
        ("1e16", Currency.eur, .minorUnits(1_000_000_000_000_000_000)),
        ("1e17", Currency.eur, .error(.overflow)),
        ("1e99999999999", Currency.eur, .error(.overflow)),
        ("123456789012345678901234.5", Currency.eur, .error(.overflow)),
        ("99999999999999999999.999", Currency.eur, .error(.tooManyDecimals(found: 3, allowed: 2))),
        ("9223372036854775807", Currency.jpy, .minorUnits(.max)),
        ("9223372036854775808", Currency.jpy, .error(.overflow)),
        ("0.0000000000000000000000001", Currency.eur, .error(.tooManyDecimals(found: 25, allowed: 2))),
    ])
    func parse(text: String, currency: Currency, expected: Expected) {
        let result = Money.parse(text, currency: currency)
        switch (result, expected) {
        case (.success(let money), .minorUnits(let minorUnits)):
            #expect(money.minorUnits == minorUnits)
            #expect(money.currency == currency)
            #expect(Money.parse(Array(text.utf8), currency: currency) == result)
        case (.failure(let error), .error(let expectedError)):
            #expect(error == expectedError)
        default:
            Issue.record("\"\(text)\" in \(currency) gave \(result), expected \(expected)")
        }
    }

    @Test("lenient syntax is opt-in")
    func lenientParsing() {
        #expect(Money.parse(".5", currency: .eur, syntax: .lenient) == .success(eur(50)))
        #expect(Money.parse("+5.", currency: .eur, syntax: .lenient) == .success(eur(500)))
        #expect(Money.parse("007.10", currency: .eur, syntax: .lenient) == .success(eur(710)))
        #expect(Money.parse("007.10", currency: .eur) == .failure(.notANumber))
    }

    @Test("rounding parse of WooCommerce tax strings returns the exact value too")
    func parseRounding() throws {
        let tax = try Money.parseRounding("0.8589", currency: .eur, mode: .halfUp).get()
        #expect(tax.money == eur(86))
        #expect(tax.exact.description == "0.8589")
        #expect(!tax.isExact)
        #expect(tax.description == "0.86 EUR (exact 0.8589)")
        #expect(try Money.parseRounding("0.845", currency: .eur, mode: .halfEven).get().money == eur(84))
        #expect(try Money.parseRounding("0.845", currency: .eur, mode: .halfUp).get().money == eur(85))
        #expect(try Money.parseRounding("-0.845", currency: .eur, mode: .halfUp).get().money == eur(-85))
        #expect(try Money.parseRounding("12.5", currency: .jpy, mode: .halfEven).get().money.minorUnits == 12)
        #expect(try Money.parseRounding("1.230000", currency: .eur, mode: .up).get().isExact)
        #expect(try Money.parseRounding(Array("2.004999".utf8), currency: .eur, mode: .halfUp).get().money == eur(200))
        #expect(Money.parseRounding("0.12345678901234567890", currency: .eur, mode: .halfUp) == .failure(.tooManyDigits))
        #expect(Money.parseRounding("abc", currency: .eur, mode: .halfUp) == .failure(.notANumber))
        #expect(Money.parseRounding("1e30", currency: .eur, mode: .halfUp) == .failure(.overflow))
        #expect(Money.parseRounding("92233720368547758.1", currency: .eur, mode: .down) == .failure(.overflow))
        #expect(try Money.parseRounding("92233720368547758.07", currency: .eur, mode: .up).get().money == eur(.max))
        #expect(try Money.parseRounding("-92233720368547758.08", currency: .eur, mode: .halfEven).get().money == eur(.min))
        #expect(Money.parseRounding("-92233720368547758.1", currency: .eur, mode: .halfUp) == .failure(.overflow))
        // 19 significant digits with 4 decimals, rounded to KWD's 3.
        #expect(try Money.parseRounding("922337203685477.5807", currency: .kwdForTests, mode: .down).get().money.minorUnits == 922_337_203_685_477_580)
        #expect(try Money.parseRounding("922337203685477.5806", currency: .kwdForTests, mode: .up).get().money.minorUnits == 922_337_203_685_477_581)
        #expect(Money.parseRounding("92233720368547758.075", currency: .eur, mode: .up) == .failure(.tooManyDigits))
    }

    @Test("conversion from ExactDecimal")
    func fromDecimal() throws {
        let value = try #require(ExactDecimal("2.500"))
        #expect(try Money(exactly: value, currency: .eur) == eur(250))
        #expect(throws: MoneyError.tooManyDecimals(found: 3, allowed: 2)) {
            try Money(exactly: ExactDecimal("2.505")!, currency: .eur)
        }
        #expect(try Money(exactly: ExactDecimal("7")!, currency: Self.kwd).minorUnits == 7000)
        #expect(throws: MoneyError.overflow) { try Money(exactly: ExactDecimal("1e17")!, currency: .eur) }
        #expect(try Money(rounding: ExactDecimal("2.505")!, currency: .eur, mode: .halfEven) == eur(250))
        #expect(try Money(rounding: ExactDecimal("2.505")!, currency: .eur, mode: .halfUp) == eur(251))
        #expect(try Money(rounding: ExactDecimal("2.5")!, currency: .jpy, mode: .halfEven).minorUnits == 2)
        #expect(eur(-5).decimalValue.description == "-0.05")
        #expect(eur(-5).decimalValue.scale == 2)
    }

    @Test("formatting for 0, 2, 3 and 4 decimal currencies")
    func formatting() {
        #expect(eur(2420).formatted == "24.20")
        #expect(eur(2420).description == "24.20 EUR")
        #expect(eur(-5).formatted == "-0.05")
        #expect(eur(-100).formatted == "-1.00")
        #expect(eur(0).formatted == "0.00")
        #expect(eur(1).formatted == "0.01")
        #expect(eur(123_456_789).formatted == "1234567.89")
        #expect(eur(.min).formatted == "-92233720368547758.08")
        #expect(eur(.max).formatted == "92233720368547758.07")
        #expect(Money(minorUnits: 1500, currency: .jpy).formatted == "1500")
        #expect(Money(minorUnits: -1500, currency: .jpy).description == "-1500 JPY")
        #expect(Money(minorUnits: 0, currency: .jpy).formatted == "0")
        #expect(Money(minorUnits: 1250, currency: Self.kwd).formatted == "1.250")
        #expect(Money(minorUnits: -1, currency: Self.kwd).formatted == "-0.001")
        #expect(Money(minorUnits: 12345, currency: Self.clf).description == "1.2345 CLF")
        // Formatting and strict parsing round-trip.
        for minorUnits: Int64 in [0, 1, -1, 99, -100, 2420, .max, .min] {
            for currency in [Currency.eur, .jpy, Self.kwd, Self.clf] {
                let money = Money(minorUnits: minorUnits, currency: currency)
                #expect(Money.parse(money.formatted, currency: currency) == .success(money))
            }
        }
    }

    @Test("same-currency arithmetic is checked")
    func arithmetic() throws {
        #expect(try eur(2420).adding(eur(580)) == eur(3000))
        #expect(try eur(2420).subtracting(eur(2500)) == eur(-80))
        #expect(try eur(-5).negated() == eur(5))
        #expect(throws: MoneyError.overflow) { try eur(.min).negated() }
        #expect(throws: MoneyError.currencyMismatch(.eur, .usd)) {
            try eur(100).adding(Money(minorUnits: 100, currency: .usd))
        }
        #expect(throws: MoneyError.currencyMismatch(.eur, .usd)) {
            try eur(100).subtracting(Money(minorUnits: 100, currency: .usd))
        }
        #expect(throws: MoneyError.overflow) { try eur(.max).adding(eur(1)) }
        #expect(throws: MoneyError.overflow) { try eur(.min).subtracting(eur(1)) }
        #expect(try eur(1999).multiplied(by: 3) == eur(5997))
        #expect(throws: MoneyError.overflow) { try eur(.max / 2 + 1).multiplied(by: 2) }
        #expect(throws: MoneyError.overflow) { try eur(.min).multiplied(by: -1) }
        #expect(try Money.sum([eur(1), eur(2), eur(3)], currency: .eur) == eur(6))
        #expect(try Money.sum([Money](), currency: .jpy) == .zero(.jpy))
        #expect(throws: MoneyError.currencyMismatch(.eur, .jpy)) {
            try Money.sum([eur(1), Money(minorUnits: 2, currency: .jpy)], currency: .eur)
        }
    }

    @Test("multiplying by a decimal rounds the exact product once")
    func multiplyByDecimal() throws {
        let rate = try #require(ExactDecimal("0.21"))
        #expect(try eur(1000).multiplied(by: rate, rounding: .halfUp) == eur(210))
        #expect(try eur(99).multiplied(by: rate, rounding: .halfUp) == eur(21)) // 0.2079
        #expect(try eur(99).multiplied(by: rate, rounding: .down) == eur(20))
        #expect(try eur(-99).multiplied(by: rate, rounding: .floor) == eur(-21))
        #expect(try eur(-99).multiplied(by: rate, rounding: .ceiling) == eur(-20))
        // 0.50 × 0.25 = 0.125: a tie, decided by the mode.
        let quarter = try #require(ExactDecimal("0.25"))
        #expect(try eur(50).multiplied(by: quarter, rounding: .halfEven) == eur(12))
        #expect(try eur(50).multiplied(by: quarter, rounding: .halfUp) == eur(13))
        #expect(try eur(50).multiplied(by: quarter, rounding: .halfDown) == eur(12))
        let big = try #require(ExactDecimal("1.5"))
        #expect(throws: MoneyError.overflow) { try eur(.max).multiplied(by: big, rounding: .down) }
        let tiny = try #require(ExactDecimal("0.000000000000000001"))
        #expect(try eur(.max).multiplied(by: tiny, rounding: .up) == eur(10))
    }

    @Test("dividing by an integer rounds once")
    func divide() throws {
        #expect(try eur(1000).divided(by: 3, rounding: .halfUp) == eur(333))
        #expect(try eur(1000).divided(by: 3, rounding: .up) == eur(334))
        #expect(try eur(-1000).divided(by: 3, rounding: .floor) == eur(-334))
        #expect(try eur(5).divided(by: 2, rounding: .halfEven) == eur(2))
        #expect(try eur(7).divided(by: -2, rounding: .halfEven) == eur(-4))
        #expect(try eur(.min).divided(by: 1, rounding: .down) == eur(.min))
        #expect(throws: MoneyError.overflow) { try eur(.min).divided(by: -1, rounding: .down) }
        #expect(throws: MoneyError.divisionByZero) { try eur(1).divided(by: 0, rounding: .down) }
    }

    @Test("comparison only within one currency")
    func comparison() throws {
        #expect(try eur(1).compare(eur(2)) == .orderedAscending)
        #expect(try eur(2).compare(eur(2)) == .orderedSame)
        #expect(try eur(3).compare(eur(2)) == .orderedDescending)
        #expect(try eur(-3).isLess(than: eur(2)))
        #expect(throws: MoneyError.currencyMismatch(.eur, .usd)) {
            try eur(1).compare(Money(minorUnits: 1, currency: .usd))
        }
        // Equality is plain data equality: different currencies are simply unequal.
        #expect(eur(100) != Money(minorUnits: 100, currency: .usd))
        #expect(eur(100) == Money(minorUnits: 100, currency: Currency(code: "EUR", minorUnits: 2)!))
        #expect(eur(0).isZero && eur(-1).isNegative && eur(1).isPositive && !eur(0).isPositive)
    }
}
