/// Why a byte buffer is not a JSON text that this reader accepts, and where.
///
/// The parser records only `kind` and `byteOffset` while it runs; `line`, `column` and `path`
/// are worked out afterwards by walking the input again up to the offset, so well-formed input
/// pays nothing for them.
public struct JSONSyntaxError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong; `message` renders it.
    public var kind: Kind
    /// Offset of the offending byte from the start of the parsed buffer (the buffer's length
    /// when the input ended too early).
    public var byteOffset: Int
    /// 1-based line of `byteOffset`; lines are separated by `\n` only (`\r\n` works the same).
    public var line: Int
    /// 1-based column of `byteOffset`, counted in Unicode scalars from the start of its line
    /// (the bytes before an error are always valid UTF-8, so the count is well defined).
    public var column: Int
    /// JSON path of the value being read when the error occurred, e.g. `$.data.items[2].quantity`.
    public var path: String

    /// Creates an error with a known location.
    public init(kind: Kind, byteOffset: Int, line: Int, column: Int, path: String) {
        self.kind = kind
        self.byteOffset = byteOffset
        self.line = line
        self.column = column
        self.path = path
    }

    /// A short lower-case message, e.g. `expected ',' or '}' after object member`.
    public var message: String { kind.message }

    /// `line 1, column 11, at $.a[2]: expected a value`.
    public var description: String {
        "line \(line), column \(column), at \(path): \(message)"
    }

    /// The same error placed in a larger buffer: for a document that is one line of a JSON
    /// Lines file starting at byte `lineStart` on line `lineNumber`.
    public func relocated(toLine lineNumber: Int, lineStart: Int) -> JSONSyntaxError {
        var copy = self
        copy.line = lineNumber + line - 1
        copy.byteOffset = lineStart + byteOffset
        return copy
    }

    /// The kinds of syntax error. Callers match on these; the wording of `message` may improve.
    public enum Kind: Equatable, Hashable, Sendable {
        /// The input ended inside a value (or held only whitespace).
        case unexpectedEndOfInput
        /// A value was expected (after `[`, `,` in an array, `:`, or at the start).
        case expectedValue
        /// `,` directly followed by `]`.
        case trailingCommaInArray
        /// `,` directly followed by `}`.
        case trailingCommaInObject
        /// Something other than `,` or `}` after an object member.
        case expectedCommaOrObjectEnd
        /// Something other than `,` or `]` after an array element.
        case expectedCommaOrArrayEnd
        /// Something other than a string where an object key must start.
        case expectedKey
        /// Something other than `:` after an object key.
        case expectedColon
        /// More than whitespace after the top-level value.
        case trailingCharacters
        /// A misspelt `true`, `false` or `null`; the payload is the literal that was expected.
        case invalidLiteral(expected: String)
        /// `01`, `-00`.
        case leadingZero
        /// `-` not followed by a digit.
        case expectedDigitAfterMinus
        /// `.` not followed by a digit.
        case expectedDigitAfterDecimalPoint
        /// `e`/`E` (and sign) not followed by a digit.
        case expectedDigitInExponent
        /// No closing quote before the end of input; the offset is the opening quote's.
        case unterminatedString
        /// A control character (below U+0020) inside a string.
        case controlCharacterInString(UInt8)
        /// A backslash followed by a byte that does not start an escape.
        case invalidEscape(UInt8)
        /// `\u` not followed by four hex digits.
        case invalidUnicodeEscape
        /// A `\u` escape of a surrogate that is not half of a high–low pair.
        case unpairedSurrogate(UInt16)
        /// A byte that can never appear in UTF-8 (0x80–0xBF as a first byte, 0xC0, 0xC1, 0xF5–0xFF).
        case invalidUTF8Byte(UInt8)
        /// A multi-byte UTF-8 sequence cut short; the payload is its first byte.
        case truncatedUTF8Sequence(UInt8)
        /// A UTF-8 sequence longer than needed for its code point.
        case overlongUTF8Sequence
        /// A UTF-8 encoded surrogate code point (U+D800–U+DFFF).
        case utf8EncodedSurrogate
        /// A UTF-8 sequence above U+10FFFF.
        case utf8CodePointTooLarge
        /// A key that occurs twice in one object (decoded text compared).
        case duplicateKey(String)
        /// More nested arrays and objects than the configured limit.
        case nestingTooDeep(limit: Int)
        /// Offsets are 32-bit; a single document must be smaller than 4 GiB.
        case documentTooLarge

        /// The lower-case message for this kind.
        public var message: String {
            switch self {
            case .unexpectedEndOfInput: return "unexpected end of input"
            case .expectedValue: return "expected a value"
            case .trailingCommaInArray: return "trailing comma in array"
            case .trailingCommaInObject: return "trailing comma in object"
            case .expectedCommaOrObjectEnd: return "expected ',' or '}' after object member"
            case .expectedCommaOrArrayEnd: return "expected ',' or ']' after array element"
            case .expectedKey: return "expected a string key"
            case .expectedColon: return "expected ':' after object key"
            case .trailingCharacters: return "unexpected characters after the top-level value"
            case .invalidLiteral(let expected): return "invalid literal, expected '\(expected)'"
            case .leadingZero: return "number has a leading zero"
            case .expectedDigitAfterMinus: return "expected a digit after '-'"
            case .expectedDigitAfterDecimalPoint: return "expected a digit after the decimal point"
            case .expectedDigitInExponent: return "expected a digit in the exponent"
            case .unterminatedString: return "unterminated string"
            case .controlCharacterInString(let byte): return "unescaped control character \(hexByte(byte)) in string"
            case .invalidEscape(let byte):
                if byte >= 0x21 && byte <= 0x7E {
                    return "invalid escape '\\\(Character(Unicode.Scalar(byte)))'"
                }
                return "invalid escape, backslash followed by byte \(hexByte(byte))"
            case .invalidUnicodeEscape: return "invalid \\u escape, expected 4 hex digits"
            case .unpairedSurrogate(let unit): return "unpaired surrogate \\u\(hex4(unit))"
            case .invalidUTF8Byte(let byte): return "invalid UTF-8 byte \(hexByte(byte))"
            case .truncatedUTF8Sequence(let byte): return "truncated UTF-8 sequence starting with byte \(hexByte(byte))"
            case .overlongUTF8Sequence: return "overlong UTF-8 sequence"
            case .utf8EncodedSurrogate: return "UTF-8 encoded surrogate"
            case .utf8CodePointTooLarge: return "UTF-8 sequence above U+10FFFF"
            case .duplicateKey(let key): return "duplicate key \(quotedForMessage(key))"
            case .nestingTooDeep(let limit): return "nesting deeper than \(limit) levels"
            case .documentTooLarge: return "document larger than 4 GiB"
            }
        }
    }
}

/// `0x0A`
func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    return "0x" + String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
}

/// `D83D`
func hex4(_ unit: UInt16) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    let bytes = [12, 8, 4, 0].map { digits[Int((unit >> UInt16($0)) & 15)] }
    return String(decoding: bytes, as: UTF8.self)
}

/// A key as JSON string text, so control characters and quotes in it stay readable.
func quotedForMessage(_ key: String) -> String {
    var writer = JSONWriter()
    writer.string(key)
    return String(decoding: writer.bytes, as: UTF8.self)
}

/// What the parser throws internally: the kind and offset only, located later.
@usableFromInline
struct RawSyntaxError: Error {
    var kind: JSONSyntaxError.Kind
    var offset: Int
}
