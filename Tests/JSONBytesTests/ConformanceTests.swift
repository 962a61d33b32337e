import Testing
import JSONBytes

/// A case in the style of JSONTestSuite: `y_` must parse, `n_` must fail, `i_` is
/// implementation-defined and records this parser's choice.
struct ConformanceCase: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]

    init(_ name: String, _ text: String) {
        self.name = name
        self.bytes = Array(text.utf8)
    }

    init(_ name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    var testDescription: String { name }
}

private func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

let acceptedCases: [ConformanceCase] = [
    ConformanceCase("y_array_empty", "[]"),
    ConformanceCase("y_array_empty_with_whitespace", " [ \t\r\n ] "),
    ConformanceCase("y_array_heterogeneous", #"[null, 1, "1", {}, [], true, false]"#),
    ConformanceCase("y_array_nested", "[[[[]]],[[]]]"),
    ConformanceCase("y_object_empty", "{}"),
    ConformanceCase("y_object_basic", #"{"a":"b","c":[1,{"d":null}]}"#),
    ConformanceCase("y_object_empty_key", #"{"":0}"#),
    ConformanceCase("y_object_whitespace_everywhere", " { \"a\" \n:\t1 \r, \"b\" : [ ] } "),
    ConformanceCase("y_object_same_key_different_case", #"{"a":1,"A":2}"#),
    ConformanceCase("y_object_key_prefix_of_other", #"{"ab":1,"a":2,"abc":3}"#),
    ConformanceCase("y_number_zero", "0"),
    ConformanceCase("y_number_negative_zero", "-0"),
    ConformanceCase("y_number_negative_zero_fraction", "-0.0"),
    ConformanceCase("y_number_simple_real", "123.456789"),
    ConformanceCase("y_number_exponent", "1e5"),
    ConformanceCase("y_number_capital_exponent_plus", "1E+2"),
    ConformanceCase("y_number_exponent_minus", "1e-2"),
    ConformanceCase("y_number_fraction_exponent", "-12.5e-07"),
    ConformanceCase("y_number_huge_exponent", "1e400"),
    ConformanceCase("y_number_tiny_exponent", "1e-400"),
    ConformanceCase("y_number_very_long_integer", "123456789012345678901234567890123456789"),
    ConformanceCase("y_number_money_text", "123456789012345678901234567890.123456789"),
    ConformanceCase("y_number_exponent_leading_zeros", "1e007"),
    ConformanceCase("y_string_empty", #""""#),
    ConformanceCase("y_string_simple_escapes", #""\"\\\/\b\f\n\r\t""#),
    ConformanceCase("y_string_unicode_escape", #""\u0041\u00e9\u20AC""#),
    ConformanceCase("y_string_escaped_nul", #""\u0000""#),
    ConformanceCase("y_string_surrogate_pair", #""\uD83D\uDE00""#),
    ConformanceCase("y_string_last_surrogates", #""\uDBFF\uDFFF""#),
    ConformanceCase("y_string_noncharacter_escape", #""\uFFFF""#),
    ConformanceCase("y_string_utf8_two_three_four_bytes", "\"é€😀\""),
    ConformanceCase("y_string_utf8_boundaries", bytes: [0x22, 0xC2, 0x80, 0xDF, 0xBF, 0xE0, 0xA0, 0x80, 0xED, 0x9F, 0xBF,
                                                       0xEE, 0x80, 0x80, 0xF0, 0x90, 0x80, 0x80, 0xF4, 0x8F, 0xBF, 0xBF, 0x22]),
    ConformanceCase("y_string_del_and_u2028", "\"\u{7F}\u{2028}\u{2029}\""),
    ConformanceCase("y_string_bom_inside", "\"\u{FEFF}\""),
    ConformanceCase("y_string_single_quote_inside", #""it's""#),
    ConformanceCase("y_string_long", "\"" + String(repeating: "abcdefgh", count: 200) + "\""),
    ConformanceCase("y_structure_true", "true"),
    ConformanceCase("y_structure_false", "false"),
    ConformanceCase("y_structure_null", "null"),
    ConformanceCase("y_structure_string_top_level", #""x""#),
    ConformanceCase("y_structure_whitespace_around_scalar", " \n 42 \t "),
    ConformanceCase("y_structure_depth_256", String(repeating: "[", count: 256) + String(repeating: "]", count: 256)),
]

let rejectedCases: [ConformanceCase] = [
    ConformanceCase("n_structure_empty", ""),
    ConformanceCase("n_structure_whitespace_only", " \n"),
    ConformanceCase("n_array_trailing_comma", "[1,]"),
    ConformanceCase("n_array_leading_comma", "[,1]"),
    ConformanceCase("n_array_double_comma", "[1,,2]"),
    ConformanceCase("n_array_unclosed", "[1"),
    ConformanceCase("n_array_colon_instead_of_comma", #"["a": 1]"#),
    ConformanceCase("n_array_extra_close", "[1]]"),
    ConformanceCase("n_object_trailing_comma", #"{"a":1,}"#),
    ConformanceCase("n_object_unquoted_key", "{a:1}"),
    ConformanceCase("n_object_single_quotes", "{'a':1}"),
    ConformanceCase("n_object_missing_colon", #"{"a" 1}"#),
    ConformanceCase("n_object_missing_value", #"{"a":}"#),
    ConformanceCase("n_object_non_string_key", "{1:1}"),
    ConformanceCase("n_object_unclosed", #"{"a":1"#),
    ConformanceCase("n_object_comment", #"{"a":1 /* c */}"#),
    ConformanceCase("n_object_line_comment", "{\"a\":1 // c\n}"),
    ConformanceCase("n_object_duplicate_key", #"{"a":1,"a":2}"#),
    ConformanceCase("n_object_duplicate_key_escaped", #"{"é":1,"\u00e9":2}"#),
    ConformanceCase("n_number_leading_zero", "012"),
    ConformanceCase("n_number_negative_leading_zero", "-012"),
    ConformanceCase("n_number_plus", "+1"),
    ConformanceCase("n_number_leading_dot", ".5"),
    ConformanceCase("n_number_trailing_dot", "1."),
    ConformanceCase("n_number_dot_exponent", "1.e3"),
    ConformanceCase("n_number_empty_exponent", "1e"),
    ConformanceCase("n_number_exponent_sign_only", "1e-"),
    ConformanceCase("n_number_hex", "0x1F"),
    ConformanceCase("n_number_nan", "NaN"),
    ConformanceCase("n_number_infinity", "Infinity"),
    ConformanceCase("n_number_minus_infinity", "-Infinity"),
    ConformanceCase("n_number_minus_only", "-"),
    ConformanceCase("n_number_double_minus", "--1"),
    ConformanceCase("n_number_comma_decimal", "[1,5.]"),
    ConformanceCase("n_literal_capitalised", "True"),
    ConformanceCase("n_literal_truncated", "nul"),
    ConformanceCase("n_literal_trailing_garbage", "truex"),
    ConformanceCase("n_string_unterminated", #""abc"#),
    ConformanceCase("n_string_single_quoted", "'abc'"),
    ConformanceCase("n_string_raw_newline", "\"a\nb\""),
    ConformanceCase("n_string_raw_tab", "\"a\tb\""),
    ConformanceCase("n_string_raw_nul", bytes: [0x22, 0x00, 0x22]),
    ConformanceCase("n_string_invalid_escape", #""\a""#),
    ConformanceCase("n_string_escaped_apostrophe", #""\'""#),
    ConformanceCase("n_string_short_unicode_escape", #""\u12""#),
    ConformanceCase("n_string_non_hex_unicode_escape", #""\uZZZZ""#),
    ConformanceCase("n_string_uppercase_U_escape", #""\U0041""#),
    ConformanceCase("n_string_lone_high_surrogate", #""\uD800""#),
    ConformanceCase("n_string_lone_low_surrogate", #""\uDFFF""#),
    ConformanceCase("n_string_reversed_surrogates", #""\uDC00\uD800""#),
    ConformanceCase("n_string_high_surrogate_then_text", #""\uD800abc""#),
    ConformanceCase("n_string_escape_at_end", #""\"#),
    ConformanceCase("n_utf8_lone_continuation", bytes: [0x22, 0x80, 0x22]),
    ConformanceCase("n_utf8_invalid_FF", bytes: [0x22, 0xFF, 0x22]),
    ConformanceCase("n_utf8_overlong_slash_C0", bytes: [0x22, 0xC0, 0xAF, 0x22]),
    ConformanceCase("n_utf8_overlong_C1", bytes: [0x22, 0xC1, 0xBF, 0x22]),
    ConformanceCase("n_utf8_overlong_three_bytes", bytes: [0x22, 0xE0, 0x9F, 0xBF, 0x22]),
    ConformanceCase("n_utf8_overlong_four_bytes", bytes: [0x22, 0xF0, 0x8F, 0xBF, 0xBF, 0x22]),
    ConformanceCase("n_utf8_encoded_high_surrogate", bytes: [0x22, 0xED, 0xA0, 0x80, 0x22]),
    ConformanceCase("n_utf8_encoded_low_surrogate", bytes: [0x22, 0xED, 0xBF, 0xBF, 0x22]),
    ConformanceCase("n_utf8_above_10FFFF", bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]),
    ConformanceCase("n_utf8_five_byte_lead", bytes: [0x22, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x22]),
    ConformanceCase("n_utf8_truncated_two_bytes", bytes: [0x22, 0xC3, 0x22]),
    ConformanceCase("n_utf8_truncated_four_bytes", bytes: [0x22, 0xF0, 0x9F, 0x98, 0x22]),
    ConformanceCase("n_utf8_invalid_outside_string", bytes: [0x5B, 0xFF, 0x5D]),
    ConformanceCase("n_utf8_bom_before_value", bytes: [0xEF, 0xBB, 0xBF, 0x7B, 0x7D]),
    ConformanceCase("n_structure_two_values", "1 2"),
    ConformanceCase("n_structure_nul_after_value", bytes: [0x31, 0x00]),
    ConformanceCase("n_structure_vertical_tab_whitespace", "\u{0B}1"),
    ConformanceCase("n_structure_form_feed_whitespace", "\u{0C}[]"),
    ConformanceCase("n_structure_nbsp_whitespace", "\u{A0}1"),
    ConformanceCase("n_structure_depth_257", String(repeating: "[", count: 257) + String(repeating: "]", count: 257)),
    ConformanceCase("n_structure_unclosed_deep", String(repeating: "{\"a\":[", count: 50)),
    ConformanceCase("n_structure_close_mismatch", "[}"),
    ConformanceCase("n_structure_object_close_mismatch", #"{"a":1]"#),
]

@Suite("RFC 8259 conformance")
struct ConformanceTests {
    @Test("y_ cases parse", arguments: acceptedCases)
    func accepted(_ c: ConformanceCase) throws {
        let document = try JSONDocument(parsing: c.bytes)
        // Whatever parses must also round-trip through the writer.
        var writer = JSONWriter()
        writer.value(document.root)
        #expect(try JSONValue(parsing: writer.bytes) == JSONValue(document.root))
    }

    @Test("n_ cases fail with an offset inside the input", arguments: rejectedCases)
    func rejected(_ c: ConformanceCase) throws {
        let error = try #require(syntaxError(c.bytes))
        #expect(error.byteOffset >= 0 && error.byteOffset <= c.bytes.count)
        #expect(!error.message.isEmpty)
    }

    @Test func thereAreEnoughCases() {
        #expect(acceptedCases.count + rejectedCases.count >= 60)
    }

    /// i_ cases: what this parser chose where RFC 8259 leaves it open.
    @Test func implementationDefinedChoices() throws {
        // Numbers of any size and precision are accepted and kept as text.
        #expect(try parse("1e99999").root.numberText == "1e99999")
        #expect(try parse("-0.000000000000000000000000000001").root.numberText == "-0.000000000000000000000000000001")
        // Duplicate keys are an error unless allowed.
        #expect(syntaxError(#"{"a":1,"a":1}"#)?.kind == .duplicateKey("a"))
        #expect(syntaxError(#"{"a":1,"a":1}"#, options: JSONParseOptions(allowDuplicateKeys: true)) == nil)
        // Noncharacters and private-use code points are fine; only surrogates are not.
        let odd = String(String.UnicodeScalarView([0xFDD0, 0xE000, 0x10FFFF].map { Unicode.Scalar($0)! }))
        #expect(try parse("\"" + odd + "\"").root.stringValue == odd)
        // A byte order mark is not whitespace.
        #expect(syntaxError(utf8("\u{FEFF}1")) != nil)
    }
}
