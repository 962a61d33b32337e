@testable import ReturnRulesLanguage
import Testing

@Suite("Largest remainder allocation")
struct ValuesLargestRemainderTests {
    @Test("examples")
    func examples() throws {
        #expect(try LargestRemainder.allocate(total: 100, weights: [1, 1, 1]) == [34, 33, 33])
        #expect(try LargestRemainder.allocate(total: 1000, weights: [50, 30, 20]) == [500, 300, 200])
        #expect(try LargestRemainder.allocate(total: -100, weights: [1, 1, 1]) == [-34, -33, -33])
        // 10 × 1/3 = 3.33…, 10 × 2/3 = 6.66…: the larger remainder (index 1) gets the unit.
        #expect(try LargestRemainder.allocate(total: 10, weights: [1, 2]) == [3, 7])
        // Equal remainders: the lower index wins.
        #expect(try LargestRemainder.allocate(total: 2, weights: [1, 1, 1]) == [1, 1, 0])
        #expect(try LargestRemainder.allocate(total: 7, weights: [0, 1, 0]) == [0, 7, 0])
        #expect(try LargestRemainder.allocate(total: 0, weights: [0, 0]) == [0, 0])
        #expect(try LargestRemainder.allocate(total: 0, weights: [3, 1]) == [0, 0])
        #expect(try LargestRemainder.allocate(total: .min, weights: [1]) == [.min])
        #expect(try LargestRemainder.allocate(total: .min, weights: [1, 1]) == [.min / 2, .min / 2])
        #expect(try LargestRemainder.allocate(total: .max, weights: [.max, .max, 1]).reduce(0, +) == .max)
        // Tax 21.00 over lines of 100.00, 50.00 and 0.01.
        #expect(try LargestRemainder.allocate(total: 2100, weights: [10000, 5000, 1]) == [1400, 700, 0])
    }

    @Test("errors")
    func errors() {
        #expect(throws: LargestRemainderError.noParts) { try LargestRemainder.allocate(total: 5, weights: []) }
        #expect(throws: LargestRemainderError.negativeWeight(index: 1)) {
            try LargestRemainder.allocate(total: 5, weights: [1, -1])
        }
        #expect(throws: LargestRemainderError.allWeightsZero) {
            try LargestRemainder.allocate(total: 5, weights: [0, 0])
        }
        #expect(throws: LargestRemainderError.noParts) { try LargestRemainder.allocateEvenly(total: 5, parts: 0) }
        #expect(throws: LargestRemainderError.rangeOutOfBounds) {
            try LargestRemainder.evenShareSum(total: 5, parts: 3, units: 2..<4)
        }
        #expect(throws: LargestRemainderError.rangeOutOfBounds) {
            try LargestRemainder.evenShareSum(total: 5, parts: 3, units: -1..<1)
        }
    }

    @Test("even split")
    func even() throws {
        #expect(try LargestRemainder.allocateEvenly(total: 1000, parts: 3) == [334, 333, 333])
        #expect(try LargestRemainder.allocateEvenly(total: -1000, parts: 3) == [-334, -333, -333])
        #expect(try LargestRemainder.allocateEvenly(total: 1, parts: 3) == [1, 0, 0])
        #expect(try LargestRemainder.allocateEvenly(total: -1, parts: 3) == [-1, 0, 0])
        #expect(try LargestRemainder.allocateEvenly(total: 0, parts: 2) == [0, 0])
        #expect(try LargestRemainder.allocateEvenly(total: .min, parts: 1) == [.min])
        #expect(try LargestRemainder.allocateEvenly(total: .min, parts: 3).reduce(0, +) == .min)
        for total: Int64 in [0, 1, -1, 7, 100, -101, 1260, .max, .min] {
            for parts in 1...9 {
                #expect(
                    try LargestRemainder.allocateEvenly(total: total, parts: parts)
                        == LargestRemainder.allocate(total: total, weights: Array(repeating: 1, count: parts)))
            }
        }
    }

    /// Partial refunds of a line: the stored tax is split over the units once, and each refund
    /// takes the next units' parts, so the refunds always add up to the line's tax.
    @Test("partial refunds of a line's tax add up exactly")
    func partialRefunds() throws {
        let eur = Currency.eur
        func refunds(tax: Int64, units: Int, quantities: [Int]) throws -> [Money] {
            let perUnit = try Money(minorUnits: tax, currency: eur).allocatedEvenly(parts: units)
            var refunded = 0
            var result: [Money] = []
            for quantity in quantities {
                let part = try Money.sum(perUnit[refunded..<(refunded + quantity)], currency: eur)
                // The closed form agrees with summing the array.
                let closedForm = try LargestRemainder.evenShareSum(
                    total: tax, parts: units, units: refunded..<(refunded + quantity))
                #expect(part.minorUnits == closedForm)
                result.append(part)
                refunded += quantity
            }
            return result
        }

        // 12.60 over 3 units refunded one at a time: 4.20 each.
        let ones = try refunds(tax: 1260, units: 3, quantities: [1, 1, 1])
        #expect(ones.map(\.formatted) == ["4.20", "4.20", "4.20"])
        #expect(try Money.sum(ones, currency: eur).formatted == "12.60")

        // 10.00 over 3 units refunded as 1 then 2: 3.34 + 6.66.
        let oneThenTwo = try refunds(tax: 1000, units: 3, quantities: [1, 2])
        #expect(oneThenTwo.map(\.formatted) == ["3.34", "6.66"])
        #expect(try Money.sum(oneThenTwo, currency: eur).formatted == "10.00")
        // … or as 2 then 1: 6.67 + 3.33.
        #expect(try refunds(tax: 1000, units: 3, quantities: [2, 1]).map(\.formatted) == ["6.67", "3.33"])
        // … or one at a time: 3.34 + 3.33 + 3.33.
        #expect(try refunds(tax: 1000, units: 3, quantities: [1, 1, 1]).map(\.formatted) == ["3.34", "3.33", "3.33"])

        // 0.01 over 3 units: the cent goes with the first unit refunded.
        let cent = try refunds(tax: 1, units: 3, quantities: [1, 1, 1])
        #expect(cent.map(\.formatted) == ["0.01", "0.00", "0.00"])
        #expect(try Money.sum(cent, currency: eur).formatted == "0.01")

        // Negative tax (a correction line) behaves symmetrically.
        #expect(try refunds(tax: -1000, units: 3, quantities: [1, 2]).map(\.formatted) == ["-3.34", "-6.66"])

        // Every way of refunding 1…8 units in consecutive batches adds up to the tax exactly.
        for tax: Int64 in [0, 1, 2, 1000, 1260, 9_999, -7, .max] {
            for units in 1...8 {
                for mask in 0..<(1 << (units - 1)) {
                    var quantities: [Int] = []
                    var current = 1
                    for bit in 0..<(units - 1) {
                        if mask & (1 << bit) != 0 {
                            quantities.append(current)
                            current = 1
                        } else {
                            current += 1
                        }
                    }
                    quantities.append(current)
                    let parts = try refunds(tax: tax, units: units, quantities: quantities)
                    #expect(parts.reduce(Int64(0)) { $0 + $1.minorUnits } == tax, "\(tax) over \(units): \(quantities)")
                }
            }
        }
    }

    @Test("Money.allocated keeps the currency")
    func moneyAllocation() throws {
        let shipping = Money(minorUnits: 499, currency: .eur)
        let parts = try shipping.allocated(weights: [2, 1])
        #expect(parts.map(\.formatted) == ["3.33", "1.66"])
        #expect(parts.allSatisfy { $0.currency == .eur })
        #expect(throws: LargestRemainderError.allWeightsZero) { try shipping.allocated(weights: [0]) }
    }
}
