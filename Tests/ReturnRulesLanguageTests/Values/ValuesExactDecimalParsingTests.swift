@testable import ReturnRulesLanguage
import Testing

@Suite("ExactDecimal parsing and formatting")
struct ValuesExactDecimalParsingTests {
    enum Expected: Sendable, Equatable {
        case value(String)
        case error(ExactDecimalParseError)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let input: String
        let json: Expected
        let lenient: Expected
        var testDescription: String { "\"\(input)\"" }
        init(_ input: String, _ both: Expected) {
            self.init(input, json: both, lenient: both)
        }
        init(_ input: String, json: Expected, lenient: Expected) {
            self.input = input
            self.json = json
            self.lenient = lenient
        }
    }

    static let cases: [Case] = [
        // The edge cases of the brief.
        Case("", .error(.empty)),
        Case("-", .error(.invalidSyntax(offset: 1))),
        Case(".5", json: .error(.invalidSyntax(offset: 0)), lenient: .value("0.5")),
        Case("5.", json: .error(.invalidSyntax(offset: 2)), lenient: .value("5")),
        Case("+5", json: .error(.invalidSyntax(offset: 0)), lenient: .value("5")),
        Case("1e-2", .value("0.01")),
        Case("0.1e1", .value("1")),
        Case("00.5", json: .error(.invalidSyntax(offset: 1)), lenient: .value("0.5")),
        // Plain numbers keep the scale written.
        Case("0", .value("0")),
        Case("-0", .value("0")),
        Case("-0.00", .value("0.00")),
        Case("12.340", .value("12.340")),
        Case("-0.05", .value("-0.05")),
        Case("50", .value("50")),
        Case("400.00", .value("400.00")),
        // Exponents.
        Case("1.5e2", .value("150")),
        Case("1.50e1", .value("15.0")),
        Case("1E+2", .value("100")),
        Case("5e1", .value("50")),
        Case("2.42e1", .value("24.2")),
        Case("-1.5E-3", .value("-0.0015")),
        Case("0e5", .value("0")),
        Case("0e-30", .value("0.000000000000000000")),
        Case("1e18", .value("1000000000000000000")),
        Case("1e19", .error(.overflow)),
        Case("1e999999999999999999999999", .error(.overflow)),
        Case("1e-18", .value("0.000000000000000001")),
        Case("1e-19", .error(.tooManyDigits)),
        Case("1e-999999999999999999999999", .error(.tooManyDigits)),
        Case("100000000000000000000e-5", .value("1000000000000000.000")),
        // Malformed.
        Case("1e", .error(.invalidSyntax(offset: 2))),
        Case("1e+", .error(.invalidSyntax(offset: 3))),
        Case("e5", .error(.invalidSyntax(offset: 0))),
        Case("1.e5", json: .error(.invalidSyntax(offset: 2)), lenient: .value("100000")),
        Case("1 ", .error(.invalidSyntax(offset: 1))),
        Case(" 1", .error(.invalidSyntax(offset: 0))),
        Case("0x10", .error(.invalidSyntax(offset: 1))),
        Case("1,5", .error(.invalidSyntax(offset: 1))),
        Case("1_000", .error(.invalidSyntax(offset: 1))),
        Case("NaN", .error(.invalidSyntax(offset: 0))),
        Case("Infinity", .error(.invalidSyntax(offset: 0))),
        Case("--1", .error(.invalidSyntax(offset: 1))),
        Case("+-1", json: .error(.invalidSyntax(offset: 0)), lenient: .error(.invalidSyntax(offset: 1))),
        Case("1.2.3", .error(.invalidSyntax(offset: 3))),
        Case(".", json: .error(.invalidSyntax(offset: 0)), lenient: .error(.invalidSyntax(offset: 1))),
        Case("-.5", json: .error(.invalidSyntax(offset: 1)), lenient: .value("-0.5")),
        Case("+.5e1", json: .error(.invalidSyntax(offset: 0)), lenient: .value("5")),
        Case(".e1", json: .error(.invalidSyntax(offset: 0)), lenient: .error(.invalidSyntax(offset: 1))),
        Case("0005", json: .error(.invalidSyntax(offset: 1)), lenient: .value("5")),
        Case("٣", .error(.invalidSyntax(offset: 0))),
        // Int64 boundaries.
        Case("9223372036854775807", .value("9223372036854775807")),
        Case("9223372036854775808", .error(.overflow)),
        Case("-9223372036854775808", .value("-9223372036854775808")),
        Case("-9223372036854775809", .error(.overflow)),
        Case("92233720368547758070", .error(.overflow)),
        Case("922337203685477580.7", .value("922337203685477580.7")),
        Case("922337203685477580.8", .error(.tooManyDigits)),
        Case("-922337203685477580.8", .value("-922337203685477580.8")),
        Case("9.223372036854775807", .value("9.223372036854775807")),
        Case("9223372036854775807.0", .value("9223372036854775807")),
        Case("9223372036854775807.5", .error(.tooManyDigits)),
        Case("12345678901234567.891", .error(.tooManyDigits)),
        Case("123456789012345678.9", .value("123456789012345678.9")),
        // Scale 18 is the limit; trailing zeros beyond it are dropped, digits are not.
        Case("0.000000000000000001", .value("0.000000000000000001")),
        Case("0.0000000000000000001", .error(.tooManyDigits)),
        Case("1.0000000000000000000", .value("1.000000000000000000")),
        Case("0.1000000000000000000000000000000", .value("0.100000000000000000")),
        Case("-0.000000000000000000000", .value("0.000000000000000000")),
    ]

    @Test("JSON and lenient syntax", arguments: cases)
    func parse(testCase: Case) {
        for (syntax, expected) in [(DecimalTextSyntax.json, testCase.json), (.lenient, testCase.lenient)] {
            let result = ExactDecimal.parse(testCase.input, syntax: syntax)
            switch (result, expected) {
            case (.success(let value), .value(let text)):
                #expect(value.description == text, "\(syntax)")
            case (.failure(let error), .error(let expectedError)):
                #expect(error == expectedError, "\(syntax)")
            default:
                Issue.record("\(syntax): \"\(testCase.input)\" gave \(result), expected \(expected)")
            }
        }
    }

    @Test("the convenience initialiser is JSON-strict")
    func initializer() {
        #expect(ExactDecimal("12.5")?.description == "12.5")
        #expect(ExactDecimal("+12.5") == nil)
        #expect(ExactDecimal(".5") == nil)
        #expect(ExactDecimal("12.5"[...]) != nil)
    }

    @Test("every byte source parses the same")
    func byteSources() throws {
        let text = "-1234.5600"
        let expected = try ExactDecimal.parse(text).get()
        #expect(expected.description == "-1234.5600")
        let bytes = Array(text.utf8)
        #expect(try ExactDecimal.parse(bytes).get().description == "-1234.5600")
        #expect(try ExactDecimal.parse(bytes[...]).get().description == "-1234.5600")
        #expect(try ExactDecimal.parse(text.utf8).get().description == "-1234.5600")
        #expect(try ExactDecimal.parse(bytes.lazy.map { $0 }).get().description == "-1234.5600")
        let inJSON = Array("{\"price\":-1234.5600}".utf8)
        #expect(try ExactDecimal.parse(inJSON[9..<19]).get().description == "-1234.5600")
        let viaRawBuffer = bytes.withUnsafeBytes { ExactDecimal.parse($0) }
        #expect(try viaRawBuffer.get().description == "-1234.5600")
        let substring = "x-1234.5600y".dropFirst().dropLast()
        #expect(try ExactDecimal.parse(substring).get().description == "-1234.5600")
    }

    @Test("description prints exactly `scale` fraction digits")
    func description() {
        #expect(ExactDecimal(significand: 0, scale: 0).description == "0")
        #expect(ExactDecimal(significand: 0, scale: 3).description == "0.000")
        #expect(ExactDecimal(significand: 5, scale: 2).description == "0.05")
        #expect(ExactDecimal(significand: -5, scale: 2).description == "-0.05")
        #expect(ExactDecimal(significand: 12340, scale: 3).description == "12.340")
        #expect(ExactDecimal(significand: -7, scale: 0).description == "-7")
        #expect(ExactDecimal(significand: .min, scale: 18).description == "-9.223372036854775808")
        #expect(ExactDecimal(significand: .max, scale: 0).description == "9223372036854775807")
        #expect(ExactDecimal(significand: 1, scale: 18).description == "0.000000000000000001")
        #expect(ExactDecimal(-42).description == "-42")
    }

    @Test("description round-trips through the parser at the same scale")
    func roundTrip() throws {
        var random = ValuesSplitMix64(seed: 0xD1CE)
        for _ in 0..<2_000 {
            let value = random.decimal()
            let parsed = try ExactDecimal.parse(value.description).get()
            #expect(parsed.significand == value.significand && parsed.scale == value.scale, "\(value)")
        }
    }
}
