@testable import ReturnRulesLanguage
import Testing

@Suite("ExactDecimal arithmetic")
struct ValuesExactDecimalArithmeticTests {
    func d(_ text: String) -> ExactDecimal {
        guard case .success(let value) = ExactDecimal.parse(text) else {
            preconditionFailure("bad test literal \(text)")
        }
        return value
    }

    @Test("equality, hashing and order are numeric; the scale is kept for printing")
    func equalityAndOrder() {
        #expect(d("1.50") == d("1.5"))
        #expect(d("1.50").description == "1.50")
        #expect(d("2") == d("2.000"))
        #expect(d("0") == d("-0.00"))
        #expect(d("1.50").hashValue == d("1.5").hashValue)
        #expect(Set([d("1.50"), d("1.5"), d("1.500"), d("2")]).count == 2)
        #expect(d("1.49") < d("1.5"))
        #expect(d("-1.5") < d("-1.49"))
        #expect(d("9223372036854775807") > d("922337203685477580.7"))
        #expect(d("-9223372036854775808") < d("-9.223372036854775808"))
        let sorted = ["3", "-1.5", "0.001", "-0.0001", "2.50", "2.5000001"].map(d).sorted()
        #expect(sorted.map(\.description) == ["-1.5", "-0.0001", "0.001", "2.50", "2.5000001", "3"])
        #expect(d("12.340").normalized.description == "12.34")
        #expect(d("2.00").normalized.description == "2")
        #expect(d("0.000").normalized.description == "0")
        #expect(d("-120").normalized.description == "-120")
    }

    @Test("integer accessors")
    func integers() {
        #expect(d("2.00").isInteger && d("2.00").int64Value == 2)
        #expect(!d("2.01").isInteger && d("2.01").int64Value == nil)
        #expect(d("-7").int64Value == -7)
        #expect(d("-9223372036854775808").int64Value == .min)
        #expect(d("0.000000000000000000").int64Value == 0)
        #expect(d("-3.5").signum == -1 && d("0.0").signum == 0 && d("0.1").signum == 1)
        #expect(d("0.00").isZero && d("-0.01").isNegative && !d("0.01").isNegative)
    }

    @Test("addition and subtraction: exact, larger scale, overflow at the Int64 boundary")
    func addSubtract() throws {
        #expect(try d("1.5").adding(d("2.25")).description == "3.75")
        #expect(try d("0.1").adding(d("0.2")).description == "0.3")
        #expect(try d("1.50").adding(d("1.50")).description == "3.00")
        #expect(try d("10").subtracting(d("0.01")).description == "9.99")
        #expect(try d("-9223372036854775807").subtracting(d("1")).description == "-9223372036854775808")
        #expect(try d("9223372036854775806").adding(d("1")).description == "9223372036854775807")
        // The larger scale would not fit, the exact sum does: trailing zeros go.
        #expect(try d("9223372036854775807").adding(d("0.0")).description == "9223372036854775807")
        #expect(throws: ExactDecimalError.overflow) { try d("9223372036854775807").adding(d("1")) }
        #expect(throws: ExactDecimalError.overflow) { try d("-9223372036854775808").subtracting(d("1")) }
        #expect(throws: ExactDecimalError.overflow) { try d("9223372036854775807").adding(d("0.5")) }
        #expect(throws: ExactDecimalError.overflow) { try d("-9223372036854775808").adding(d("-0.000000000000000001")) }
    }

    @Test("multiplication: scales add, trailing zeros drop past 18, overflow otherwise")
    func multiply() throws {
        #expect(try d("1.5").multiplying(by: d("0.25")).description == "0.375")
        #expect(try d("2.0").multiplying(by: d("3.00")).description == "6.000")
        #expect(try d("-4").multiplying(by: d("2.5")).description == "-10.0")
        #expect(
            try d("0.100000000000000000").multiplying(by: d("0.100000000000000000")).description
                == "0.010000000000000000")
        #expect(throws: ExactDecimalError.overflow) {
            try d("0.000000000000000001").multiplying(by: d("0.1"))
        }
        #expect(try d("3037000499").multiplying(by: d("3037000499")).description == "9223372030926249001")
        #expect(throws: ExactDecimalError.overflow) { try d("3037000500").multiplying(by: d("3037000500")) }
        #expect(throws: ExactDecimalError.overflow) { try d("-9223372036854775808").multiplying(by: d("-1")) }
        #expect(try d("-9223372036854775808").multiplying(by: d("1")).description == "-9223372036854775808")
        // The rounding variant rounds the exact product once.
        #expect(try d("0.99").multiplying(by: d("0.21"), scale: 2, rounding: .halfUp).description == "0.21")
        #expect(try d("0.99").multiplying(by: d("0.21"), scale: 2, rounding: .down).description == "0.20")
        #expect(
            try d("0.000000000000000001").multiplying(by: d("0.5"), scale: 18, rounding: .halfEven).description
                == "0.000000000000000000")
        #expect(throws: ExactDecimalError.overflow) {
            try d("9223372036854775807").multiplying(by: d("9223372036854775807"), scale: 0, rounding: .down)
        }
        // The exact product needs 36 decimals; rounded to 18 it fits.
        #expect(
            try d("0.123456789012345678").multiplying(by: d("0.876543210987654321"), scale: 18, rounding: .halfUp)
                .description == "0.108215210259106841")
        #expect(throws: ExactDecimalError.overflow) {
            try d("9223372036854775807").multiplying(by: d("2"), scale: 0, rounding: .down)
        }
        #expect(throws: ExactDecimalError.scaleOutOfRange(19)) {
            try d("1").multiplying(by: d("1"), scale: 19, rounding: .down)
        }
    }

    @Test("division")
    func divide() throws {
        #expect(try d("10").dividing(by: d("3"), scale: 2, rounding: .halfUp).description == "3.33")
        #expect(try d("10").dividing(by: d("3"), scale: 2, rounding: .up).description == "3.34")
        #expect(try d("-1").dividing(by: d("8"), scale: 2, rounding: .halfEven).description == "-0.12")
        #expect(try d("-1").dividing(by: d("8"), scale: 2, rounding: .halfUp).description == "-0.13")
        #expect(try d("-1").dividing(by: d("8"), scale: 2, rounding: .halfDown).description == "-0.12")
        #expect(try d("1").dividing(by: d("-8"), scale: 2, rounding: .floor).description == "-0.13")
        #expect(try d("-1").dividing(by: d("-8"), scale: 3, rounding: .down).description == "0.125")
        #expect(try d("1.00").dividing(by: d("0.03"), scale: 0, rounding: .down).description == "33")
        // Exponent 36: the long-division path.
        #expect(
            try d("1").dividing(by: d("3.000000000000000000"), scale: 18, rounding: .halfUp).description
                == "0.333333333333333333")
        #expect(
            try d("2").dividing(by: d("3.000000000000000000"), scale: 18, rounding: .halfUp).description
                == "0.666666666666666667")
        #expect(throws: ExactDecimalError.overflow) {
            try d("1").dividing(by: d("0.000000000000000001"), scale: 18, rounding: .down)
        }
        #expect(throws: ExactDecimalError.overflow) {
            try d("9223372036854775807").dividing(by: d("0.5"), scale: 0, rounding: .down)
        }
        #expect(throws: ExactDecimalError.overflow) {
            try d("-9223372036854775808").dividing(by: d("-1"), scale: 0, rounding: .down)
        }
        #expect(try d("-9223372036854775808").dividing(by: d("1"), scale: 0, rounding: .down).significand == .min)
        #expect(throws: ExactDecimalError.divisionByZero) {
            try d("1").dividing(by: d("0.00"), scale: 2, rounding: .halfUp)
        }
        #expect(throws: ExactDecimalError.scaleOutOfRange(-1)) {
            try d("1").dividing(by: d("1"), scale: -1, rounding: .halfUp)
        }
    }

    @Test("rescaling and negation")
    func rescaleNegate() throws {
        #expect(try d("2.5").rounded(toScale: 3, mode: .down).description == "2.500")
        #expect(throws: ExactDecimalError.overflow) { try d("9223372036854775807").rounded(toScale: 1, mode: .down) }
        #expect(throws: ExactDecimalError.scaleOutOfRange(19)) { try d("1").rounded(toScale: 19, mode: .down) }
        #expect(try d("9223372036854775807").rounded(toScale: 0, mode: .up).description == "9223372036854775807")
        #expect(try d("922337203685477580.7").rounded(toScale: 0, mode: .up).description == "922337203685477581")
        #expect(try d("1.50").negated().description == "-1.50")
        #expect(try d("-0.05").negated().description == "0.05")
        #expect(throws: ExactDecimalError.overflow) { try d("-9223372036854775808").negated() }
        #expect(throws: ExactDecimalError.overflow) { try d("-922337203685477580.8").negated() }
    }
}
