/// Turns a rule file's bytes into tokens with comment trivia.
///
/// The lexer never stops: a bad byte becomes an `.invalid` token after a diagnostic, so the
/// parser still sees the rest of the file. It also lexes the inside of a string interpolation
/// (`"{refund.amount}"`) when the parser hands it that byte range.
public struct Lexer {
    private let file: SourceFile
    private let bytes: [UInt8]
    /// `bytes` while `run` lexes: reads without bounds checks, within `index < end`.
    private var buffer = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var index: Int
    private let end: Int
    /// Where the tokens go: memory the caller owns, with room for one token per byte of the
    /// range plus the end of file (a token is at least one byte), so it never grows.
    var output: UnsafeMutablePointer<Token>?
    var count = 0
    // Trivia not yet attached to a token when the range ends (see `Lexer+Halves.swift`).
    var newlines = 0
    var pendingComments: [Comment] = []
    /// Line breaks before the first comment or token of the range, once one is seen.
    var newlinesBeforeFirst: Int?

    /// Lexes `range` of `file` (the whole file by default).
    public static func tokenize(_ file: SourceFile, range: Range<Int>? = nil, diagnostics: inout DiagnosticSink) -> [Token] {
        let range = range ?? 0..<file.bytes.count
        if let split = halvesSplit(file.bytes, range) {
            return tokenizeInHalves(file, range, split: split, diagnostics: &diagnostics)
        }
        return Array(unsafeUninitializedCapacity: maximumTokens(range)) { buffer, initialized in
            var lexer = Lexer(file: file, range: range)
            lexer.output = buffer.baseAddress
            lexer.run(&diagnostics)
            initialized = lexer.count
        }
    }

    /// An upper bound on the tokens of a range: one per byte, plus the end of file.
    static func maximumTokens(_ range: Range<Int>) -> Int { range.count + 1 }

    private mutating func append(_ token: Token) {
        (output! + count).initialize(to: token)
        count += 1
    }

    init(file: SourceFile, range: Range<Int>) {
        self.file = file
        self.bytes = file.bytes
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    private func span(_ start: Int, _ stop: Int) -> Span { Span(file: file.id, start: start, length: stop - start) }

    /// Lexes to the end of the range; `endsFile` false leaves out the end-of-file token and keeps
    /// the trailing trivia in `newlines` and `pendingComments` for the next range.
    mutating func run(_ diagnostics: inout DiagnosticSink, endsFile: Bool = true) {
        let bytes = self.bytes
        bytes.withUnsafeBufferPointer { buffer in
            self.buffer = buffer
            lex(&diagnostics, endsFile: endsFile)
        }
        buffer = UnsafeBufferPointer(start: nil, count: 0)
    }

    private mutating func lex(_ diagnostics: inout DiagnosticSink, endsFile: Bool) {
        var sawTokenOnLine = false
        while true {
            // Trivia: whitespace and comments.
            while index < end {
                let byte = buffer[index]
                if byte == UInt8(ascii: "\n") {
                    newlines += 1
                    sawTokenOnLine = false
                    index += 1
                } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                    index += 1
                } else if byte == UInt8(ascii: "#") {
                    let start = index
                    while index < end, buffer[index] != UInt8(ascii: "\n") { index += 1 }
                    var stop = index
                    if stop > start, buffer[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
                    validateUTF8(start, stop, &diagnostics)
                    if newlinesBeforeFirst == nil { newlinesBeforeFirst = newlines }
                    let comment = Comment(
                        text: String(decoding: bytes[start..<stop], as: UTF8.self),
                        span: span(start, stop),
                        ownLine: !sawTokenOnLine,
                        blankLinesBefore: max(0, newlines - 1)
                    )
                    if sawTokenOnLine, count > 0, output![count - 1].trailingComment == nil, pendingComments.isEmpty {
                        output![count - 1].trailingComment = comment
                        newlines = 0
                    } else {
                        pendingComments.append(comment)
                        newlines = 0
                    }
                } else {
                    break
                }
            }
            if index >= end {
                guard endsFile else { return }
                if newlinesBeforeFirst == nil { newlinesBeforeFirst = newlines }
                append(Token(kind: .endOfFile, span: span(end, end), leadingComments: pendingComments, newlinesBefore: newlines))
                return
            }
            if newlinesBeforeFirst == nil { newlinesBeforeFirst = newlines }
            let start = index
            let kind = scanToken(&diagnostics)
            if pendingComments.isEmpty {
                append(Token(kind: kind, span: span(start, index), newlinesBefore: newlines))
            } else {
                append(Token(kind: kind, span: span(start, index), leadingComments: pendingComments, newlinesBefore: newlines))
                pendingComments = []
            }
            newlines = 0
            sawTokenOnLine = true
        }
    }

    private mutating func scanToken(_ diagnostics: inout DiagnosticSink) -> TokenKind {
        let byte = buffer[index]
        if isIdentifierStart(byte) {
            let start = index
            index += 1
            while index < end, isIdentifierContinue(buffer[index]) { index += 1 }
            return TokenKind.keyword(buffer.baseAddress! + start, count: index - start) ?? .identifier
        }
        if isDigit(byte) { return scanNumber(&diagnostics) }
        if byte == UInt8(ascii: "\"") { return scanString(&diagnostics) }
        index += 1
        let next: UInt8 = index < end ? buffer[index] : 0
        switch byte {
        case UInt8(ascii: "{"): return .leftBrace
        case UInt8(ascii: "}"): return .rightBrace
        case UInt8(ascii: "("): return .leftParen
        case UInt8(ascii: ")"): return .rightParen
        case UInt8(ascii: "["): return .leftBracket
        case UInt8(ascii: "]"): return .rightBracket
        case UInt8(ascii: ","): return .comma
        case UInt8(ascii: ":"): return .colon
        case UInt8(ascii: "."): return .dot
        case UInt8(ascii: "@"): return .at
        case UInt8(ascii: "+"): return .plus
        case UInt8(ascii: "*"): return .star
        case UInt8(ascii: "/"): return .slash
        case UInt8(ascii: "-"):
            if next == UInt8(ascii: ">") { index += 1; return .arrow }
            return .minus
        case UInt8(ascii: "="):
            if next == UInt8(ascii: "=") { index += 1; return .equalEqual }
            return .equal
        case UInt8(ascii: "!"):
            if next == UInt8(ascii: "=") { index += 1; return .bangEqual }
        case UInt8(ascii: "<"):
            if next == UInt8(ascii: "=") { index += 1; return .lessEqual }
            return .less
        case UInt8(ascii: ">"):
            if next == UInt8(ascii: "=") { index += 1; return .greaterEqual }
            return .greater
        default:
            break
        }
        // Not a token: report the whole character (a UTF-8 sequence), or a run of invalid bytes.
        index -= 1
        let start = index
        if byte < 0x80 {
            index += 1
            let shown = byte < 0x20 || byte == 0x7F ? "U+\(hex4(UInt32(byte)))" : "`\(Character(Unicode.Scalar(byte)))`"
            diagnostics.report(.unexpectedCharacter, "unexpected character \(shown)", at: span(start, index),
                               help: byte == UInt8(ascii: "!") ? "write `not` for negation and `!=` for inequality" :
                                     byte == UInt8(ascii: "'") ? "strings use double quotes: \"…\"" : nil)
            return .invalid
        }
        if let style = Lexer.curlyQuote(bytes, at: index), hasClosingQuote(after: index + 3, style) {
            return scanCurlyString(style, &diagnostics)
        }
        if let (scalar, length) = decodeScalar(at: index) {
            index += length
            diagnostics.report(.unexpectedCharacter, "unexpected character `\(Character(scalar))` (U+\(hex4(scalar.value)))",
                               at: span(start, index), help: unicodeHelp(scalar))
            return .invalid
        }
        while index < end, buffer[index] >= 0x80, decodeScalar(at: index) == nil { index += 1 }
        diagnostics.report(.invalidUTF8, "invalid UTF-8 byte sequence", at: span(start, index),
                           help: "rule files must be UTF-8; re-save the file as UTF-8")
        return .invalid
    }

    private func unicodeHelp(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x201C, 0x201D: "curly quotes are not string delimiters; use straight quotes \"…\""
        case 0x2018, 0x2019: "strings use straight double quotes \"…\""
        case 0x2013, 0x2014, 0x2212: "use the ASCII minus sign `-`"
        case 0x00A0: "a non-breaking space; use an ordinary space"
        case 0xFEFF: "a byte-order mark; save the file as UTF-8 without BOM"
        default: nil
        }
    }

    /// `digits [ "." digits ]`; a letter or a second dot glued to the number is one malformed token.
    private mutating func scanNumber(_ diagnostics: inout DiagnosticSink) -> TokenKind {
        let start = index
        while index < end, isDigit(buffer[index]) { index += 1 }
        var malformed = false
        if index < end, buffer[index] == UInt8(ascii: ".") {
            if index + 1 < end, isDigit(buffer[index + 1]) {
                index += 1
                while index < end, isDigit(buffer[index]) { index += 1 }
            } else {
                index += 1
                malformed = true
            }
        }
        while index < end, isIdentifierContinue(buffer[index]) || (buffer[index] == UInt8(ascii: ".") && index + 1 < end && isDigit(buffer[index + 1])) {
            index += 1
            malformed = true
        }
        if malformed {
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            diagnostics.report(.malformedNumber, "malformed number `\(text)`", at: span(start, index),
                               help: "numbers are written `12`, `12.5` or `0.75`; money takes a currency after a space: `12.50 EUR`")
            return .invalid
        }
        return .number
    }

    /// A string runs to the closing quote on the same line. Escapes and `{…}` interpolations are
    /// checked here; the parser later re-lexes interpolation bodies.
    private mutating func scanString(_ diagnostics: inout DiagnosticSink, quotes: QuoteStyle = .straight) -> TokenKind {
        let start = index
        index += quotes == .straight ? 1 : 3
        var braceDepth = 0
        var interpolationStart = 0
        while index < end {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\n") { break }
            let closing = quotes == .straight ? (byte == UInt8(ascii: "\"") ? 1 : 0) : Lexer.closingQuoteLength(bytes, at: index, quotes)
            if closing > 0 {
                if braceDepth > 0 {
                    // A quote inside `{…}` would need nested strings, which the language does not have.
                    diagnostics.report(.invalidInterpolation, "a string cannot contain another string inside `{…}`",
                                       at: span(interpolationStart, index + 1),
                                       help: "close the interpolation with `}` first, or write `\\{` for a literal brace")
                    braceDepth = 0
                }
                index += closing
                return .string
            }
            if byte == UInt8(ascii: "\\") {
                let escapeStart = index
                index += 1
                guard index < end, buffer[index] != UInt8(ascii: "\n") else { break }
                let escaped = buffer[index]
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                    index += 1
                default:
                    let length = escaped < 0x80 ? 1 : (decodeScalar(at: index)?.1 ?? 1)
                    index += length
                    diagnostics.report(.invalidEscape, "unknown escape `\(String(decoding: bytes[escapeStart..<index], as: UTF8.self))` in string",
                                       at: span(escapeStart, index), help: "the escapes are \\\" \\\\ \\n \\t \\{ and \\}")
                }
                continue
            }
            if byte == UInt8(ascii: "{") {
                if braceDepth == 0 { interpolationStart = index }
                braceDepth += 1
            } else if byte == UInt8(ascii: "}") {
                if braceDepth == 0 {
                    diagnostics.report(.invalidInterpolation, "unmatched `}` in string", at: span(index, index + 1),
                                       help: "write `\\}` for a literal brace")
                } else {
                    braceDepth -= 1
                }
            }
            if byte >= 0x80 {
                if let (_, length) = decodeScalar(at: index) {
                    index += length
                } else {
                    let bad = index
                    while index < end, buffer[index] >= 0x80, decodeScalar(at: index) == nil { index += 1 }
                    diagnostics.report(.invalidUTF8, "invalid UTF-8 byte sequence in string", at: span(bad, index),
                                       help: "rule files must be UTF-8; re-save the file as UTF-8")
                }
                continue
            }
            index += 1
        }
        diagnostics.report(.unterminatedString, "string is not closed before the end of the line", at: span(start, index),
                           label: "opened here", help: "add the closing `\"`; strings cannot span lines")
        return .string
    }

    /// A string in curly quotes, as a word processor writes them: one diagnostic, then it is
    /// read as the string it was meant to be, so the rest of the rule is checked as usual
    /// instead of each quote and word becoming an error of its own.
    private mutating func scanCurlyString(_ quotes: QuoteStyle, _ diagnostics: inout DiagnosticSink) -> TokenKind {
        let start = index
        let kind = scanString(&diagnostics, quotes: quotes)
        let contentEnd = index - Lexer.closingQuoteLength(bytes, endingAt: index, quotes)
        let content = String(decoding: bytes[(start + 3)..<max(start + 3, contentEnd)], as: UTF8.self)
        diagnostics.report(.unexpectedCharacter, "curly quote; use a straight double quote", at: span(start, index),
                           help: "write \"\(content)\"; it is read as that string meanwhile")
        return kind
    }

    /// Whether a closing quote for `quotes` follows on the same line.
    private func hasClosingQuote(after position: Int, _ quotes: QuoteStyle) -> Bool {
        var index = position
        while index < end, buffer[index] != UInt8(ascii: "\n") {
            if Lexer.closingQuoteLength(bytes, at: index, quotes) > 0 { return true }
            index += 1
        }
        return false
    }

    private mutating func validateUTF8(_ start: Int, _ stop: Int, _ diagnostics: inout DiagnosticSink) {
        var position = start
        while position < stop {
            if buffer[position] < 0x80 { position += 1; continue }
            if let (_, length) = decodeScalar(at: position) { position += length; continue }
            let bad = position
            while position < stop, buffer[position] >= 0x80, decodeScalar(at: position) == nil { position += 1 }
            diagnostics.report(.invalidUTF8, "invalid UTF-8 byte sequence in comment", at: span(bad, position),
                               help: "rule files must be UTF-8; re-save the file as UTF-8")
        }
    }

    /// Decodes one well-formed UTF-8 scalar (no overlongs, no surrogates) at `position`.
    private func decodeScalar(at position: Int) -> (Unicode.Scalar, Int)? {
        let first = buffer[position]
        let length: Int
        var value: UInt32
        switch first {
        case 0xC2...0xDF: length = 2; value = UInt32(first & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(first & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(first & 0x07)
        default: return nil
        }
        guard position + length <= end else { return nil }
        for offset in 1..<length {
            let byte = buffer[position + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    private func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
@inline(__always) func isIdentifierStart(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "_")
}
@inline(__always) func isIdentifierContinue(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }

/// The quotes a string token was written with.
enum QuoteStyle {
    /// `"…"`, the language's own.
    case straight
    /// `“…”`: closed by `”`, `“` or `"` (an editor may have curled only one end).
    case curlyDouble
    /// `‘…’`: closed by `’`, `‘` or `'`.
    case curlySingle
}

extension Lexer {
    /// The curly quote (a three-byte UTF-8 sequence) starting at `position`, if any.
    static func curlyQuote(_ bytes: [UInt8], at position: Int) -> QuoteStyle? {
        guard position + 2 < bytes.count, bytes[position] == 0xE2, bytes[position + 1] == 0x80 else { return nil }
        switch bytes[position + 2] {
        case 0x9C, 0x9D: return .curlyDouble
        case 0x98, 0x99: return .curlySingle
        default: return nil
        }
    }

    /// The length of a quote closing a `quotes` string at `position`; 0 if there is none.
    static func closingQuoteLength(_ bytes: [UInt8], at position: Int, _ quotes: QuoteStyle) -> Int {
        let byte = bytes[position]
        switch quotes {
        case .straight: return byte == UInt8(ascii: "\"") ? 1 : 0
        case .curlyDouble:
            if byte == UInt8(ascii: "\"") { return 1 }
            return curlyQuote(bytes, at: position) == .curlyDouble ? 3 : 0
        case .curlySingle:
            if byte == UInt8(ascii: "'") { return 1 }
            return curlyQuote(bytes, at: position) == .curlySingle ? 3 : 0
        }
    }

    /// The length of a quote closing a `quotes` string just before `position`; 0 if there is none.
    static func closingQuoteLength(_ bytes: [UInt8], endingAt position: Int, _ quotes: QuoteStyle) -> Int {
        if position >= 1, closingQuoteLength(bytes, at: position - 1, quotes) == 1 { return 1 }
        if quotes != .straight, position >= 3, closingQuoteLength(bytes, at: position - 3, quotes) == 3 { return 3 }
        return 0
    }
}
