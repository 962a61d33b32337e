@testable import ReturnRulesLanguage
import Testing

/// Seeded property tests against the digit-string reference arithmetic in ValuesTestSupport.swift.
@Suite("Exact values: seeded properties")
struct ValuesPropertyTests {
    typealias Ref = ValuesReferenceInteger

    /// The exact value of a decimal as (integer, scale).
    func reference(_ value: ExactDecimal) -> (Ref, Int) {
        (Ref(value.significand), value.scale)
    }

    /// Brings (value, scale) to a larger scale.
    func at(_ value: (Ref, Int), scale: Int) -> Ref {
        value.0.shifted(by: scale - value.1)
    }

    /// Checks `result` (or its error) against the promised representation of `exact × 10^−scale`.
    func check(
        _ result: Result<ExactDecimal, ExactDecimalError>, exact: Ref, scale: Int, _ label: @autoclosure () -> String
    ) {
        let promised = valuesReferenceFitting(exact, scale: scale)
        switch (result, promised) {
        case (.success(let value), .some(let (significand, expectedScale))):
            #expect(value.significand == significand && value.scale == expectedScale, "\(label()) = \(value)")
        case (.failure(let error), .none):
            #expect(error == .overflow, "\(label())")
        case (.success(let value), .none):
            Issue.record("\(label()) gave \(value), reference \(exact)e-\(scale) is not representable")
        case (.failure(let error), .some(let (significand, expectedScale))):
            Issue.record("\(label()) threw \(error), reference gives \(significand)e-\(expectedScale)")
        }
    }

    @Test("add, subtract, multiply agree with the reference (fixed seed)")
    func addSubtractMultiply() {
        var random = ValuesSplitMix64(seed: 0x5EED_0001)
        for _ in 0..<3_000 {
            let a = random.decimal()
            let b = random.decimal()
            let common = max(a.scale, b.scale)
            let refA = at(reference(a), scale: common)
            let refB = at(reference(b), scale: common)
            check(Result { () throws(ExactDecimalError) in try a.adding(b) }, exact: refA + refB, scale: common, "\(a) + \(b)")
            check(
                Result { () throws(ExactDecimalError) in try a.subtracting(b) }, exact: refA - refB, scale: common,
                "\(a) - \(b)")
            check(
                Result { () throws(ExactDecimalError) in try a.multiplying(by: b) },
                exact: Ref(a.significand) * Ref(b.significand), scale: a.scale + b.scale, "\(a) * \(b)")
            // Comparison and equality agree with the reference too.
            #expect((a < b) == (refA < refB), "\(a) < \(b)")
            #expect((a == b) == (refA == refB), "\(a) == \(b)")
            if a == b { #expect(a.hashValue == b.hashValue) }
        }
    }

    @Test("small values: exact results, no overflow (fixed seed)")
    func smallValues() throws {
        var random = ValuesSplitMix64(seed: 0x5EED_0002)
        for _ in 0..<3_000 {
            let a = ExactDecimal(significand: Int64(random.int(in: -1_000_000...1_000_000)), scale: random.int(in: 0...6))
            let b = ExactDecimal(significand: Int64(random.int(in: -1_000_000...1_000_000)), scale: random.int(in: 0...6))
            let sum = try a.adding(b)
            let product = try a.multiplying(by: b)
            #expect(sum.scale == max(a.scale, b.scale))
            #expect(product.scale == a.scale + b.scale)
            #expect(try sum.subtracting(b) == a)
            #expect(try sum.subtracting(a) == b)
            let common = max(a.scale, b.scale)
            #expect(Ref(sum.significand) == at(reference(a), scale: common) + at(reference(b), scale: common))
            #expect(Ref(product.significand) == Ref(a.significand) * Ref(b.significand))
        }
    }

    /// Expected result of rounding `numerator / denominator × 10^0` into an Int64 at `scale`.
    func expectRounded(
        _ result: Result<ExactDecimal, ExactDecimalError>, numerator: Ref, denominator: Ref, scale: Int,
        mode: RoundingMode, _ label: @autoclosure () -> String
    ) {
        let expected = valuesReferenceRoundedQuotient(numerator, denominator, mode: mode)
        switch (result, expected.int64) {
        case (.success(let value), .some(let significand)):
            #expect(value.significand == significand && value.scale == scale, "\(label()) = \(value)")
        case (.failure(let error), .none):
            #expect(error == .overflow, "\(label())")
        default:
            Issue.record("\(label()) gave \(result), reference \(expected)e-\(scale)")
        }
    }

    @Test("divide, round, multiply-and-round agree with the reference in every mode (fixed seed)")
    func roundingOperations() {
        var random = ValuesSplitMix64(seed: 0x5EED_0003)
        for iteration in 0..<1_500 {
            let a = random.decimal()
            var b = random.decimal()
            if b.isZero { b = ExactDecimal(significand: 7, scale: 1) }
            let target = random.int(in: 0...18)
            let mode = RoundingMode.allCases[iteration % RoundingMode.allCases.count]

            // a / b at `target`: A × 10^(sb − sa + target) / B.
            let exponent = b.scale - a.scale + target
            let numerator = exponent >= 0 ? Ref(a.significand).shifted(by: exponent) : Ref(a.significand)
            let denominator = exponent >= 0 ? Ref(b.significand) : Ref(b.significand).shifted(by: -exponent)
            expectRounded(
                Result { () throws(ExactDecimalError) in try a.dividing(by: b, scale: target, rounding: mode) },
                numerator: numerator, denominator: denominator, scale: target, mode: mode,
                "\(a) / \(b) @\(target) \(mode)")

            // a rounded to `target`.
            let roundNumerator = target >= a.scale ? Ref(a.significand).shifted(by: target - a.scale) : Ref(a.significand)
            let roundDenominator = target >= a.scale ? Ref(1) : Ref(1).shifted(by: a.scale - target)
            expectRounded(
                Result { () throws(ExactDecimalError) in try a.rounded(toScale: target, mode: mode) },
                numerator: roundNumerator, denominator: roundDenominator, scale: target, mode: mode,
                "round(\(a)) @\(target) \(mode)")

            // a × b rounded to `target`.
            let productScale = a.scale + b.scale
            let product = Ref(a.significand) * Ref(b.significand)
            let productNumerator = target >= productScale ? product.shifted(by: target - productScale) : product
            let productDenominator = target >= productScale ? Ref(1) : Ref(1).shifted(by: productScale - target)
            expectRounded(
                Result { () throws(ExactDecimalError) in try a.multiplying(by: b, scale: target, rounding: mode) },
                numerator: productNumerator, denominator: productDenominator, scale: target, mode: mode,
                "\(a) * \(b) @\(target) \(mode)")
        }
    }

    @Test("money multiply-by-decimal and divide agree with the reference (fixed seed)")
    func moneyOperations() {
        var random = ValuesSplitMix64(seed: 0x5EED_0004)
        for iteration in 0..<1_500 {
            let money = Money(minorUnits: random.significand(), currency: .eur)
            let factor = random.decimal()
            let mode = RoundingMode.allCases[iteration % RoundingMode.allCases.count]
            let expected = valuesReferenceRoundedQuotient(
                Ref(money.minorUnits) * Ref(factor.significand), Ref(1).shifted(by: factor.scale), mode: mode)
            switch (Result { () throws(MoneyError) in try money.multiplied(by: factor, rounding: mode) }, expected.int64) {
            case (.success(let product), .some(let minorUnits)):
                #expect(product.minorUnits == minorUnits, "\(money) × \(factor) \(mode)")
            case (.failure(let error), .none):
                #expect(error == .overflow)
            case (let result, let reference):
                Issue.record("\(money) × \(factor) \(mode) gave \(result), reference \(String(describing: reference))")
            }

            var divisor = random.significand() >> Int64(random.int(in: 0...62))
            if divisor == 0 { divisor = 3 }
            let quotient = valuesReferenceRoundedQuotient(Ref(money.minorUnits), Ref(divisor), mode: mode)
            switch (Result { () throws(MoneyError) in try money.divided(by: divisor, rounding: mode) }, quotient.int64) {
            case (.success(let result), .some(let minorUnits)):
                #expect(result.minorUnits == minorUnits, "\(money) ÷ \(divisor) \(mode)")
            case (.failure(let error), .none):
                #expect(error == .overflow)
            case (let result, let reference):
                Issue.record("\(money) ÷ \(divisor) \(mode) gave \(result), reference \(String(describing: reference))")
            }
        }
    }

    @Test("parsing: Money.parse agrees with ExactDecimal + exact conversion (fixed seed)")
    func parsingAgreement() {
        var random = ValuesSplitMix64(seed: 0x5EED_0005)
        let currencies = [Currency.eur, .jpy, Currency.iso4217("KWD")!, Currency.iso4217("CLF")!]
        for _ in 0..<2_000 {
            let value = random.decimal()
            let currency = currencies[random.int(in: 0...3)]
            // Spell the same value with an exponent (and extra trailing zeros) now and then.
            let text: String
            switch random.int(in: 0...2) {
            case 0: text = value.description
            default:
                let zeros = value.significand == 0 ? 0 : random.int(in: 0...3)
                text = "\(value.significand)" + String(repeating: "0", count: zeros) + "e\(-(value.scale + zeros))"
            }
            guard case .success(let decimal) = ExactDecimal.parse(text) else {
                Issue.record("\(text) does not parse")
                continue
            }
            #expect(decimal == value, "\(text)")
            let viaDecimal = Result { () throws(MoneyError) in try Money(exactly: decimal, currency: currency) }
            let direct = Money.parse(text, currency: currency)
            switch (direct, viaDecimal) {
            case (.success(let left), .success(let right)):
                #expect(left == right, "\(text) \(currency)")
            case (.failure(.tooManyDecimals(let found, let allowed)), .failure(.tooManyDecimals(let found2, let allowed2))):
                #expect(found == found2 && allowed == allowed2)
            case (.failure(.overflow), .failure(.overflow)):
                break
            default:
                Issue.record("\(text) in \(currency): parse \(direct), via decimal \(viaDecimal)")
            }
        }
    }

    @Test("parsing bytes in place agrees with parsing the same text (fixed seed)")
    func bytesParseAsText() {
        var random = ValuesSplitMix64(seed: 0x5EED_0006)
        var texts = ["", "0", "-0", "0.50", "0,50", "+1", "1e3", "1E-2", "-12.345", " 1", "1 ", "abc", "1.2.3", "00012.10",
                     "99999999999999999999999", "0.0000000000000000000001", "1e400", "-", ".5", "5."]
        for _ in 0..<1_000 {
            let value = random.decimal()
            texts.append(random.int(in: 0...1) == 0 ? value.description : "\(value.significand)e\(-value.scale)")
        }
        let currencies = [Currency.eur, .jpy, Currency.iso4217("KWD")!]
        for text in texts {
            let bytes = Array(text.utf8)
            let decimal = bytes.withUnsafeBufferPointer { ExactDecimal.parse($0) }
            #expect(decimal == ExactDecimal.parse(text), "\(text)")
            for currency in currencies {
                let money = bytes.withUnsafeBufferPointer { Money.parse($0, currency: currency) }
                #expect(money == Money.parse(text, currency: currency), "\(text) \(currency)")
            }
        }
    }

    @Test("largest remainder: exact sums, shares within one unit, largest remainders win (fixed seed)")
    func largestRemainder() throws {
        var random = ValuesSplitMix64(seed: 0x5EED_0006)
        for _ in 0..<2_000 {
            let count = random.int(in: 1...20)
            let weightLimit: UInt64 = [UInt64(2), 100, 10_000, 1 << 40, UInt64(Int64.max)][random.int(in: 0...4)]
            var weights = (0..<count).map { _ in Int64(random.below(weightLimit)) }
            if weights.allSatisfy({ $0 == 0 }) { weights[random.int(in: 0...(count - 1))] = 1 }
            let total = random.significand()
            let parts = try LargestRemainder.allocate(total: total, weights: weights)
            #expect(parts.count == count)
            #expect(parts.reduce(Ref.zero) { $0 + Ref($1) } == Ref(total), "\(total) over \(weights)")

            let weightSum = weights.reduce(Ref.zero) { $0 + Ref($1) }
            var remainders: [Ref] = []
            var floors: [Ref] = []
            for (index, weight) in weights.enumerated() {
                // |part × W − total × w| < W  ⇔  the part is within one unit of its exact share.
                let scaledPart = Ref(parts[index]) * weightSum
                let scaledShare = Ref(total) * Ref(weight)
                let difference = (scaledPart - scaledShare).magnitude
                #expect(difference < weightSum, "part \(index) of \(total) over \(weights)")
                let (floor, remainder) = Ref.divideMagnitudes((Ref(total) * Ref(weight)).magnitude, weightSum)
                floors.append(floor)
                remainders.append(remainder)
            }
            // Units beyond the floor went to the largest remainders, ties to lower indices.
            let bumped = (0..<count).filter { Ref(parts[$0]).magnitude != floors[$0] }
            let notBumped = (0..<count).filter { Ref(parts[$0]).magnitude == floors[$0] }
            for winner in bumped {
                #expect(Ref(parts[winner]).magnitude == floors[winner] + Ref(1))
                for loser in notBumped {
                    let wins = remainders[winner] > remainders[loser]
                        || (remainders[winner] == remainders[loser] && winner < loser)
                    #expect(wins, "\(total) over \(weights): \(winner) vs \(loser)")
                }
            }
            // Even splits agree with equal weights and with the closed-form range sums.
            let evenParts = try LargestRemainder.allocateEvenly(total: total, parts: count)
            #expect(evenParts == (try LargestRemainder.allocate(total: total, weights: Array(repeating: 1, count: count))))
            let lower = random.int(in: 0...count)
            let upper = random.int(in: lower...count)
            let rangeSum = evenParts[lower..<upper].reduce(Ref.zero) { $0 + Ref($1) }
            #expect(Ref(try LargestRemainder.evenShareSum(total: total, parts: count, units: lower..<upper)) == rangeSum)
        }
    }
}
