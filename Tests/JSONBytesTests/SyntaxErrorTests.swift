import Testing
import JSONBytes

/// One malformed input and exactly where and why it must fail.
struct ErrorCase: CustomTestStringConvertible, Sendable {
    let input: [UInt8]
    let kind: JSONSyntaxError.Kind
    let message: String
    let offset: Int
    let line: Int
    let column: Int
    let path: String

    init(_ text: String, _ kind: JSONSyntaxError.Kind, _ message: String, offset: Int, line: Int = 1, column: Int, path: String) {
        self.init(bytes: Array(text.utf8), kind, message, offset: offset, line: line, column: column, path: path)
    }

    init(bytes: [UInt8], _ kind: JSONSyntaxError.Kind, _ message: String, offset: Int, line: Int = 1, column: Int, path: String) {
        self.input = bytes
        self.kind = kind
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
        self.path = path
    }

    var testDescription: String { String(decoding: input.prefix(40), as: UTF8.self) }
}

let errorCases: [ErrorCase] = [
    // Structure
    ErrorCase(#"{"a":[1,2,}"#, .expectedValue, "expected a value", offset: 10, column: 11, path: "$.a[2]"),
    ErrorCase("[1,2,]", .trailingCommaInArray, "trailing comma in array", offset: 5, column: 6, path: "$[2]"),
    ErrorCase(#"{"a":1,}"#, .trailingCommaInObject, "trailing comma in object", offset: 7, column: 8, path: "$"),
    ErrorCase(#"{"a" 1}"#, .expectedColon, "expected ':' after object key", offset: 5, column: 6, path: "$.a"),
    ErrorCase(#"{"a":1,"b"}"#, .expectedColon, "expected ':' after object key", offset: 10, column: 11, path: "$.b"),
    ErrorCase(#"{"a":1 "b":2}"#, .expectedCommaOrObjectEnd, "expected ',' or '}' after object member", offset: 7, column: 8, path: "$.a"),
    ErrorCase("[1 2]", .expectedCommaOrArrayEnd, "expected ',' or ']' after array element", offset: 3, column: 4, path: "$[0]"),
    ErrorCase("[1}", .expectedCommaOrArrayEnd, "expected ',' or ']' after array element", offset: 2, column: 3, path: "$[0]"),
    ErrorCase("{1:2}", .expectedKey, "expected a string key", offset: 1, column: 2, path: "$"),
    ErrorCase("{'a':2}", .expectedKey, "expected a string key", offset: 1, column: 2, path: "$"),
    ErrorCase("[1]x", .trailingCharacters, "unexpected characters after the top-level value", offset: 3, column: 4, path: "$"),
    ErrorCase("[1,2]]", .trailingCharacters, "unexpected characters after the top-level value", offset: 5, column: 6, path: "$"),
    ErrorCase("1 2", .trailingCharacters, "unexpected characters after the top-level value", offset: 2, column: 3, path: "$"),
    ErrorCase("", .unexpectedEndOfInput, "unexpected end of input", offset: 0, column: 1, path: "$"),
    ErrorCase("   ", .unexpectedEndOfInput, "unexpected end of input", offset: 3, column: 4, path: "$"),
    ErrorCase("[1,", .unexpectedEndOfInput, "unexpected end of input", offset: 3, column: 4, path: "$[1]"),
    ErrorCase("[", .unexpectedEndOfInput, "unexpected end of input", offset: 1, column: 2, path: "$[0]"),
    ErrorCase("{", .unexpectedEndOfInput, "unexpected end of input", offset: 1, column: 2, path: "$"),
    ErrorCase(#"{"a""#, .unexpectedEndOfInput, "unexpected end of input", offset: 4, column: 5, path: "$.a"),
    ErrorCase(#"{"a":"#, .unexpectedEndOfInput, "unexpected end of input", offset: 5, column: 6, path: "$.a"),
    ErrorCase("\u{FEFF}{}", .expectedValue, "expected a value", offset: 0, column: 1, path: "$"),
    ErrorCase("NaN", .expectedValue, "expected a value", offset: 0, column: 1, path: "$"),
    ErrorCase("[Infinity]", .expectedValue, "expected a value", offset: 1, column: 2, path: "$[0]"),
    ErrorCase("/* c */ 1", .expectedValue, "expected a value", offset: 0, column: 1, path: "$"),
    // Literals
    ErrorCase(#"{"a":tru}"#, .invalidLiteral(expected: "true"), "invalid literal, expected 'true'", offset: 5, column: 6, path: "$.a"),
    ErrorCase("[nul]", .invalidLiteral(expected: "null"), "invalid literal, expected 'null'", offset: 1, column: 2, path: "$[0]"),
    ErrorCase("[fals]", .invalidLiteral(expected: "false"), "invalid literal, expected 'false'", offset: 1, column: 2, path: "$[0]"),
    ErrorCase("[True]", .expectedValue, "expected a value", offset: 1, column: 2, path: "$[0]"),
    ErrorCase("[tru", .unexpectedEndOfInput, "unexpected end of input", offset: 4, column: 5, path: "$[0]"),
    // Numbers
    ErrorCase("01", .leadingZero, "number has a leading zero", offset: 0, column: 1, path: "$"),
    ErrorCase("[-01]", .leadingZero, "number has a leading zero", offset: 1, column: 2, path: "$[0]"),
    ErrorCase(#"{"x":[{"y":[1,2,{"z":01}]}]}"#, .leadingZero, "number has a leading zero", offset: 21, column: 22, path: "$.x[0].y[2].z"),
    ErrorCase("[-a]", .expectedDigitAfterMinus, "expected a digit after '-'", offset: 2, column: 3, path: "$[0]"),
    ErrorCase("-Infinity", .expectedDigitAfterMinus, "expected a digit after '-'", offset: 1, column: 2, path: "$"),
    ErrorCase("-", .unexpectedEndOfInput, "unexpected end of input", offset: 1, column: 2, path: "$"),
    ErrorCase("[1.e5]", .expectedDigitAfterDecimalPoint, "expected a digit after the decimal point", offset: 3, column: 4, path: "$[0]"),
    ErrorCase("1.", .unexpectedEndOfInput, "unexpected end of input", offset: 2, column: 3, path: "$"),
    ErrorCase("[1e]", .expectedDigitInExponent, "expected a digit in the exponent", offset: 3, column: 4, path: "$[0]"),
    ErrorCase("[1e+]", .expectedDigitInExponent, "expected a digit in the exponent", offset: 4, column: 5, path: "$[0]"),
    ErrorCase("[.5]", .expectedValue, "expected a value", offset: 1, column: 2, path: "$[0]"),
    ErrorCase("[+1]", .expectedValue, "expected a value", offset: 1, column: 2, path: "$[0]"),
    ErrorCase("[0x10]", .expectedCommaOrArrayEnd, "expected ',' or ']' after array element", offset: 2, column: 3, path: "$[0]"),
    // Strings and escapes
    ErrorCase(#""abc"#, .unterminatedString, "unterminated string", offset: 0, column: 1, path: "$"),
    ErrorCase(#"{"ab"#, .unterminatedString, "unterminated string", offset: 1, column: 2, path: "$"),
    ErrorCase(#"{"a":"b"#, .unterminatedString, "unterminated string", offset: 5, column: 6, path: "$.a"),
    ErrorCase(#""a\"#, .unterminatedString, "unterminated string", offset: 0, column: 1, path: "$"),
    ErrorCase(#""\u00"#, .unterminatedString, "unterminated string", offset: 0, column: 1, path: "$"),
    ErrorCase(#""\uD800"#, .unterminatedString, "unterminated string", offset: 0, column: 1, path: "$"),
    ErrorCase(#"{"a":"x\qy"}"#, .invalidEscape(UInt8(ascii: "q")), #"invalid escape '\q'"#, offset: 7, column: 8, path: "$.a"),
    ErrorCase(#"["\x41"]"#, .invalidEscape(UInt8(ascii: "x")), #"invalid escape '\x'"#, offset: 2, column: 3, path: "$[0]"),
    ErrorCase(#"["\u12G4"]"#, .invalidUnicodeEscape, #"invalid \u escape, expected 4 hex digits"#, offset: 2, column: 3, path: "$[0]"),
    ErrorCase(#"["\uD800"]"#, .unpairedSurrogate(0xD800), #"unpaired surrogate \uD800"#, offset: 2, column: 3, path: "$[0]"),
    ErrorCase(#"["\uDC00"]"#, .unpairedSurrogate(0xDC00), #"unpaired surrogate \uDC00"#, offset: 2, column: 3, path: "$[0]"),
    ErrorCase(#"["\uD800\u0041"]"#, .unpairedSurrogate(0xD800), #"unpaired surrogate \uD800"#, offset: 2, column: 3, path: "$[0]"),
    ErrorCase(#"["\uDBFF\uDBFF"]"#, .unpairedSurrogate(0xDBFF), #"unpaired surrogate \uDBFF"#, offset: 2, column: 3, path: "$[0]"),
    ErrorCase(#"["\uD83Dx"]"#, .unpairedSurrogate(0xD83D), #"unpaired surrogate \uD83D"#, offset: 2, column: 3, path: "$[0]"),
    ErrorCase(bytes: Array(#"["a"#.utf8) + [0x01] + Array(#""]"#.utf8), .controlCharacterInString(0x01),
              "unescaped control character 0x01 in string", offset: 3, column: 4, path: "$[0]"),
    ErrorCase("\"a\tb\"", .controlCharacterInString(0x09), "unescaped control character 0x09 in string", offset: 2, column: 3, path: "$"),
    ErrorCase("{\"a\":\"line\nbreak\"}", .controlCharacterInString(0x0A), "unescaped control character 0x0A in string", offset: 10, column: 11, path: "$.a"),
    // UTF-8
    ErrorCase(bytes: [0x5B, 0x22, 0xFF, 0x22, 0x5D], .invalidUTF8Byte(0xFF), "invalid UTF-8 byte 0xFF", offset: 2, column: 3, path: "$[0]"),
    ErrorCase(bytes: [0x22, 0x80, 0x22], .invalidUTF8Byte(0x80), "invalid UTF-8 byte 0x80", offset: 1, column: 2, path: "$"),
    ErrorCase(bytes: [0x22, 0xC0, 0xAF, 0x22], .invalidUTF8Byte(0xC0), "invalid UTF-8 byte 0xC0", offset: 1, column: 2, path: "$"),
    ErrorCase(bytes: [0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D], .truncatedUTF8Sequence(0xC3),
              "truncated UTF-8 sequence starting with byte 0xC3", offset: 2, column: 3, path: "$[0]"),
    ErrorCase(bytes: [0x22, 0xE0, 0x80, 0x80, 0x22], .overlongUTF8Sequence, "overlong UTF-8 sequence", offset: 1, column: 2, path: "$"),
    ErrorCase(bytes: [0x22, 0xF0, 0x82, 0x82, 0xAC, 0x22], .overlongUTF8Sequence, "overlong UTF-8 sequence", offset: 1, column: 2, path: "$"),
    ErrorCase(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], .utf8EncodedSurrogate, "UTF-8 encoded surrogate", offset: 1, column: 2, path: "$"),
    ErrorCase(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .utf8CodePointTooLarge, "UTF-8 sequence above U+10FFFF", offset: 1, column: 2, path: "$"),
    ErrorCase(bytes: [0x22, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x22], .invalidUTF8Byte(0xF8), "invalid UTF-8 byte 0xF8", offset: 1, column: 2, path: "$"),
    ErrorCase(bytes: [0x22, 0xE2, 0x82], .unterminatedString, "unterminated string", offset: 0, column: 1, path: "$"),
    ErrorCase(bytes: [0x5B, 0xFF, 0x5D], .invalidUTF8Byte(0xFF), "invalid UTF-8 byte 0xFF", offset: 1, column: 2, path: "$[0]"),
    ErrorCase(bytes: [0x5B, 0x31, 0xC3, 0x5D], .truncatedUTF8Sequence(0xC3), "truncated UTF-8 sequence starting with byte 0xC3", offset: 2, column: 3, path: "$[0]"),
    ErrorCase(bytes: [0x22, 0x5C, 0xFF, 0x22], .invalidUTF8Byte(0xFF), "invalid UTF-8 byte 0xFF", offset: 2, column: 3, path: "$"),
    // Duplicate keys, decoded before comparing
    ErrorCase(#"{"amount":"1.00","amount":"2.00"}"#, .duplicateKey("amount"), #"duplicate key "amount""#, offset: 17, column: 18, path: "$.amount"),
    ErrorCase(#"{"a":1,"\u0061":2}"#, .duplicateKey("a"), #"duplicate key "a""#, offset: 7, column: 8, path: "$.a"),
    ErrorCase(#"{"d":{"a b":1,"a b":2}}"#, .duplicateKey("a b"), #"duplicate key "a b""#, offset: 14, column: 15, path: #"$.d["a b"]"#),
    ErrorCase(#"[{"":1,"":2}]"#, .duplicateKey(""), #"duplicate key """#, offset: 7, column: 8, path: #"$[0][""]"#),
    // Lines, columns in Unicode scalars, paths with awkward keys
    ErrorCase("{\n  \"a\": [\n    1,\n    ]\n}", .trailingCommaInArray, "trailing comma in array", offset: 22, line: 4, column: 5, path: "$.a[1]"),
    ErrorCase("{\r\n\"a\":\r\n x}", .expectedValue, "expected a value", offset: 10, line: 3, column: 2, path: "$.a"),
    ErrorCase(#"{"é":x}"#, .expectedValue, "expected a value", offset: 6, column: 6, path: #"$["é"]"#),
    ErrorCase(#"{"a b":{"c":[}"#, .expectedValue, "expected a value", offset: 13, column: 14, path: #"$["a b"].c[0]"#),
    ErrorCase(#"{"q\"":[1,}"#, .expectedValue, "expected a value", offset: 10, column: 11, path: #"$["q\""][1]"#),
    ErrorCase(#"["😀", x]"#, .expectedValue, "expected a value", offset: 9, column: 7, path: "$[1]"),
]

@Suite("Syntax errors")
struct SyntaxErrorTests {
    @Test("kind, message, offset, line, column and path", arguments: errorCases)
    func located(_ c: ErrorCase) throws {
        let error = try #require(syntaxError(c.input))
        #expect(error.kind == c.kind)
        #expect(error.message == c.message)
        #expect(error.byteOffset == c.offset)
        #expect(error.line == c.line)
        #expect(error.column == c.column)
        #expect(error.path == c.path)
    }

    @Test func descriptionReadsLikeADiagnostic() throws {
        let error = try #require(syntaxError(#"{"a":[1,2,}"#))
        #expect(error.description == "line 1, column 11, at $.a[2]: expected a value")
    }

    @Test func nestingLimitIsReportedWithItsPath() throws {
        let input = String(repeating: "[", count: 257) + String(repeating: "]", count: 257)
        let error = try #require(syntaxError(input))
        #expect(error.kind == .nestingTooDeep(limit: 256))
        #expect(error.message == "nesting deeper than 256 levels")
        #expect(error.byteOffset == 256)
        #expect(error.path == "$" + String(repeating: "[0]", count: 256))
        // Exactly at the limit is fine.
        let ok = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect(syntaxError(ok) == nil)
    }

    @Test func nestingLimitIsConfigurable() throws {
        let options = JSONParseOptions(maxDepth: 3)
        #expect(syntaxError(#"{"a":[{}]}"#, options: options) == nil)
        let error = try #require(syntaxError(#"{"a":[{"b":[]}]}"#, options: options))
        #expect(error.kind == .nestingTooDeep(limit: 3))
        #expect(error.byteOffset == 11)
        #expect(error.path == "$.a[0].b")
    }

    @Test func hundredThousandOpenBracketsFailOnDepthWithoutRecursion() throws {
        let input = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let error = try #require(syntaxError(input))
        #expect(error.kind == .nestingTooDeep(limit: 256))
        #expect(error.byteOffset == 256)
        let objects = Array(String(repeating: #"{"a":"#, count: 100_000).utf8)
        #expect(syntaxError(objects)?.kind == .nestingTooDeep(limit: 256))
    }

    @Test func veryDeepDocumentsParseWhenTheLimitIsRaised() throws {
        let depth = 100_000
        let input = [UInt8](repeating: UInt8(ascii: "["), count: depth) + [UInt8](repeating: UInt8(ascii: "]"), count: depth)
        let document = try JSONDocument(parsing: input, options: JSONParseOptions(maxDepth: depth))
        #expect(document.nodeCount == depth)
        var node = document.root
        var levels = 1
        while let inner = node.element(at: 0) {
            node = inner
            levels += 1
        }
        #expect(levels == depth)
        // And the error path of a deep failure is found without recursion too.
        var broken = input
        broken[depth + 10] = UInt8(ascii: "}")
        let error = try #require(syntaxError(broken, options: JSONParseOptions(maxDepth: depth)))
        #expect(error.kind == .expectedCommaOrArrayEnd)
        #expect(error.byteOffset == depth + 10)
    }

    @Test func duplicateKeysCanBeAllowed() throws {
        let text = #"{"amount":"1.00","amount":"2.00"}"#
        let document = try parse(text, options: JSONParseOptions(allowDuplicateKeys: true))
        #expect(document.root.count == 2)
        #expect(document.root.member("amount")?.stringValue == "1.00")
    }

    @Test func duplicateKeysInLargeObjectsAreFoundToo() throws {
        // Past 64 keys the check runs when the object closes, by sorting.
        var members = (0..<200).map { #""k\#($0)":\#($0)"# }
        #expect(syntaxError("{" + members.joined(separator: ",") + "}") == nil)
        members.append(#""k150":0"#)
        members.append(#""k7":0"#)
        let error = try #require(syntaxError("{" + members.joined(separator: ",") + "}"))
        #expect(error.kind == .duplicateKey("k150"))
        #expect(error.path == "$.k150")
        // Escaped spellings collide with plain ones.
        members.removeLast(2)
        members.append(#""\u006b99":0"#)
        #expect(syntaxError("{" + members.joined(separator: ",") + "}")?.kind == .duplicateKey("k99"))
        // Many keys with colliding hashes but no duplicates.
        let colliding = (0..<300).map { #""a\#(String(repeating: "x", count: $0 % 7))\#($0)b":1"# }
        #expect(syntaxError("{" + colliding.joined(separator: ",") + "}") == nil)
    }

    @Test func errorsRelocateIntoAJSONLinesFile() throws {
        let error = try #require(syntaxError(#"{"a":}"#))
        let moved = error.relocated(toLine: 7, lineStart: 120)
        #expect(moved.line == 7)
        #expect(moved.column == error.column)
        #expect(moved.byteOffset == 125)
        #expect(moved.kind == error.kind)
    }

    @Test func offsetsAreRelativeToTheSliceParsed() throws {
        let buffer = Array(#"xxxx{"a":[1,}yyyy"#.utf8)
        let slice = buffer[4..<13]
        do {
            _ = try JSONDocument(parsing: slice)
            Issue.record("expected an error")
        } catch {
            #expect(error.byteOffset == 8)
            #expect(error.column == 9)
            #expect(error.path == "$.a[1]")
        }
    }
}
