@testable import ReturnRulesLanguage
import Testing

@Suite("Rounding modes")
struct ValuesRoundingModeTests {
    /// Modes in the column order of the table below.
    static let columns: [RoundingMode] = [.halfUp, .halfEven, .halfDown, .up, .down, .ceiling, .floor]

    struct Row: Sendable, CustomTestStringConvertible {
        let input: String
        let scale: Int
        /// Expected results for half_up, half_even, half_down, up, down, ceiling, floor.
        let expected: [String]
        var testDescription: String { "\(input) → scale \(scale)" }
    }

    static let table: [Row] = [
        // ±x.5, ±x.4, ±x.6 at scale 0.
        Row(input: "2.5", scale: 0, expected: ["3", "2", "2", "3", "2", "3", "2"]),
        Row(input: "3.5", scale: 0, expected: ["4", "4", "3", "4", "3", "4", "3"]),
        Row(input: "2.4", scale: 0, expected: ["2", "2", "2", "3", "2", "3", "2"]),
        Row(input: "2.6", scale: 0, expected: ["3", "3", "3", "3", "2", "3", "2"]),
        Row(input: "-2.5", scale: 0, expected: ["-3", "-2", "-2", "-3", "-2", "-2", "-3"]),
        Row(input: "-3.5", scale: 0, expected: ["-4", "-4", "-3", "-4", "-3", "-3", "-4"]),
        Row(input: "-2.4", scale: 0, expected: ["-2", "-2", "-2", "-3", "-2", "-2", "-3"]),
        Row(input: "-2.6", scale: 0, expected: ["-3", "-3", "-3", "-3", "-2", "-2", "-3"]),
        Row(input: "0.5", scale: 0, expected: ["1", "0", "0", "1", "0", "1", "0"]),
        Row(input: "-0.5", scale: 0, expected: ["-1", "0", "0", "-1", "0", "0", "-1"]),
        Row(input: "2.0", scale: 0, expected: ["2", "2", "2", "2", "2", "2", "2"]),
        Row(input: "-2.0", scale: 0, expected: ["-2", "-2", "-2", "-2", "-2", "-2", "-2"]),
        // Scale 2 from 3 decimals (cents).
        Row(input: "1.005", scale: 2, expected: ["1.01", "1.00", "1.00", "1.01", "1.00", "1.01", "1.00"]),
        Row(input: "1.015", scale: 2, expected: ["1.02", "1.02", "1.01", "1.02", "1.01", "1.02", "1.01"]),
        Row(input: "1.004", scale: 2, expected: ["1.00", "1.00", "1.00", "1.01", "1.00", "1.01", "1.00"]),
        Row(input: "1.006", scale: 2, expected: ["1.01", "1.01", "1.01", "1.01", "1.00", "1.01", "1.00"]),
        Row(input: "-1.005", scale: 2, expected: ["-1.01", "-1.00", "-1.00", "-1.01", "-1.00", "-1.00", "-1.01"]),
        Row(input: "-1.015", scale: 2, expected: ["-1.02", "-1.02", "-1.01", "-1.02", "-1.01", "-1.01", "-1.02"]),
        Row(input: "-1.004", scale: 2, expected: ["-1.00", "-1.00", "-1.00", "-1.01", "-1.00", "-1.00", "-1.01"]),
        Row(input: "-1.006", scale: 2, expected: ["-1.01", "-1.01", "-1.01", "-1.01", "-1.00", "-1.00", "-1.01"]),
        // Scale 2 from 5 decimals: a tie written with trailing zeros, and just off the tie.
        Row(input: "0.12500", scale: 2, expected: ["0.13", "0.12", "0.12", "0.13", "0.12", "0.13", "0.12"]),
        Row(input: "0.12501", scale: 2, expected: ["0.13", "0.13", "0.13", "0.13", "0.12", "0.13", "0.12"]),
        Row(input: "-0.12499", scale: 2, expected: ["-0.12", "-0.12", "-0.12", "-0.13", "-0.12", "-0.12", "-0.13"]),
        Row(input: "-0.13500", scale: 2, expected: ["-0.14", "-0.14", "-0.13", "-0.14", "-0.13", "-0.13", "-0.14"]),
        // Scale 3 (KWD-like) from 4.
        Row(input: "0.0045", scale: 3, expected: ["0.005", "0.004", "0.004", "0.005", "0.004", "0.005", "0.004"]),
        Row(input: "-0.0046", scale: 3, expected: ["-0.005", "-0.005", "-0.005", "-0.005", "-0.004", "-0.004", "-0.005"]),
        // Scale 17 from 18.
        Row(
            input: "0.000000000000000025", scale: 17,
            expected: [
                "0.00000000000000003", "0.00000000000000002", "0.00000000000000002", "0.00000000000000003",
                "0.00000000000000002", "0.00000000000000003", "0.00000000000000002",
            ]),
        Row(
            input: "-0.000000000000000035", scale: 17,
            expected: [
                "-0.00000000000000004", "-0.00000000000000004", "-0.00000000000000003", "-0.00000000000000004",
                "-0.00000000000000003", "-0.00000000000000003", "-0.00000000000000004",
            ]),
        // Whole scale 18 → 0 at the Int64 boundary.
        Row(input: "9.223372036854775807", scale: 0, expected: ["9", "9", "9", "10", "9", "10", "9"]),
        Row(input: "-9.223372036854775808", scale: 0, expected: ["-9", "-9", "-9", "-10", "-9", "-9", "-10"]),
        Row(
            input: "-922337203685477580.5", scale: 0,
            expected: [
                "-922337203685477581", "-922337203685477580", "-922337203685477580", "-922337203685477581",
                "-922337203685477580", "-922337203685477580", "-922337203685477581",
            ]),
        // More decimals instead of fewer: padding, the same in every mode.
        Row(input: "-2.5", scale: 3, expected: ["-2.500", "-2.500", "-2.500", "-2.500", "-2.500", "-2.500", "-2.500"]),
    ]

    @Test("ExactDecimal.rounded(toScale:mode:) and the other rounding paths agree with the table", arguments: table)
    func roundingTable(row: Row) throws {
        let value = try #require(ExactDecimal(row.input))
        for (mode, expected) in zip(Self.columns, row.expected) {
            let rounded = try value.rounded(toScale: row.scale, mode: mode)
            #expect(rounded.description == expected, "\(row.input) \(mode.rawValue)")
            #expect(rounded.scale == row.scale)
            // Dividing by one and multiplying by one round the same way.
            let divided = try value.dividing(by: ExactDecimal(1), scale: row.scale, rounding: mode)
            #expect(divided.description == expected, "divide \(row.input) \(mode.rawValue)")
            let multiplied = try value.multiplying(by: ExactDecimal(1), scale: row.scale, rounding: mode)
            #expect(multiplied.description == expected, "multiply \(row.input) \(mode.rawValue)")
            // So does conversion to money in a currency with that many decimals.
            let currency = try #require(Currency(code: "TST", minorUnits: row.scale))
            let money = try Money(rounding: value, currency: currency, mode: mode)
            #expect(money.formatted == expected, "money \(row.input) \(mode.rawValue)")
        }
    }

    @Test("raw values are the names used in rules")
    func rawValues() {
        #expect(RoundingMode.allCases.map(\.rawValue) == [
            "half_up", "half_even", "half_down", "up", "down", "ceiling", "floor",
        ])
        #expect(RoundingMode(rawValue: "half_even") == .halfEven)
        #expect(RoundingMode(rawValue: "HALF_EVEN") == nil)
        #expect(RoundingMode(rawValue: "halfEven") == nil)
    }
}
