/// Every kind of token the lexer produces. Keywords are reserved; words such as `first`, `all`,
/// `client` or `refund` are ordinary identifiers that the parser or the schema gives meaning.
public enum TokenKind: UInt8, Sendable, Hashable, CaseIterable {
    case identifier
    case number
    case string

    // Keywords, sorted.
    case kwAliases
    case kwAnd
    case kwFalse
    case kwInclude
    case kwIn
    case kwLet
    case kwMapping
    case kwMatch
    case kwNo
    case kwNone
    case kwNot
    case kwOn
    case kwOr
    case kwOtherwise
    case kwOverride
    case kwReturnRules
    case kwRule
    case kwThen
    case kwTrue
    case kwWhen
    case kwWhere
    case kwYes

    // Punctuation.
    case leftBrace, rightBrace, leftParen, rightParen, leftBracket, rightBracket
    case comma, colon, dot, arrow, at
    case equal, equalEqual, bangEqual, less, lessEqual, greater, greaterEqual
    case plus, minus, star, slash

    /// A run of bytes the lexer could not make sense of; already reported.
    case invalid
    case endOfFile

    /// Keyword spellings, looked up after an identifier is scanned.
    public static let keywords: [String: TokenKind] = [
        "aliases": .kwAliases, "and": .kwAnd, "false": .kwFalse, "include": .kwInclude, "in": .kwIn,
        "let": .kwLet, "mapping": .kwMapping, "match": .kwMatch, "no": .kwNo, "none": .kwNone,
        "not": .kwNot, "on": .kwOn, "or": .kwOr, "otherwise": .kwOtherwise, "override": .kwOverride,
        "returnrules": .kwReturnRules, "rule": .kwRule, "then": .kwThen, "true": .kwTrue,
        "when": .kwWhen, "where": .kwWhere, "yes": .kwYes,
    ]

    /// A keyword spelling packed into integers: its first eight bytes in `head` and the rest in
    /// `tail`, little-endian, zero-padded.
    struct PackedWord: Equatable {
        var head: UInt64 = 0
        var tail: UInt64 = 0

        init() {}

        init(_ bytes: UnsafePointer<UInt8>, count: Int) {
            for offset in 0..<min(count, 8) { head |= UInt64(bytes[offset]) << (8 * UInt64(offset)) }
            if count > 8 {
                for offset in 8..<min(count, 16) { tail |= UInt64(bytes[offset]) << (8 * UInt64(offset - 8)) }
            }
        }
    }

    /// The longest keyword (`returnrules`), and the most keywords of one length (five of four letters).
    static let longestKeyword = 11
    private static let keywordsPerLength = 6

    /// Keywords by length: row `n` holds the keywords of `n` bytes, then empty entries. A lookup
    /// compares one or two integers per keyword of the word's length, where a `String` key was
    /// hashed with SipHash (the lexer asks for every identifier of the file).
    private static let packedKeywords: [(word: PackedWord, kind: TokenKind?)] = {
        var table = Array(repeating: (word: PackedWord(), kind: TokenKind?.none),
                          count: (longestKeyword + 1) * keywordsPerLength)
        for (spelling, kind) in keywords.sorted(by: { $0.key < $1.key }) {
            let bytes = Array(spelling.utf8)
            var slot = bytes.count * keywordsPerLength
            while table[slot].kind != nil { slot += 1 }
            precondition(slot < (bytes.count + 1) * keywordsPerLength, "more keywords of one length than a row holds")
            table[slot] = (bytes.withUnsafeBufferPointer { PackedWord($0.baseAddress!, count: bytes.count) }, kind)
        }
        return table
    }()

    /// Per initial letter `a`…`z`, bit `n` is set when a keyword of `n` bytes starts with it:
    /// most identifiers (`return`, `refund`, `amount`) are turned away by this test alone.
    private static let keywordLengthsByInitial: [UInt16] = {
        var masks = Array(repeating: UInt16(0), count: 26)
        for spelling in keywords.keys { masks[Int(spelling.utf8.first! - UInt8(ascii: "a"))] |= 1 << spelling.utf8.count }
        return masks
    }()

    /// The keyword spelled by `count` bytes at `word`, or nil for an ordinary identifier.
    static func keyword(_ word: UnsafePointer<UInt8>, count: Int) -> TokenKind? {
        let initial = Int(word[0]) &- Int(UInt8(ascii: "a"))
        guard count >= 2, count <= longestKeyword, initial >= 0, initial < 26,
              keywordLengthsByInitial[initial] & (1 << count) != 0 else { return nil }
        let packed = PackedWord(word, count: count)
        return packedKeywords.withUnsafeBufferPointer { table -> TokenKind? in
            var slot = count * keywordsPerLength
            let rowEnd = slot + keywordsPerLength
            while slot < rowEnd, let kind = table[slot].kind {
                if table[slot].word == packed { return kind }
                slot += 1
            }
            return nil
        }
    }

    /// The keyword spelled by `bytes[range]`, or nil for an ordinary identifier.
    static func keyword(_ bytes: [UInt8], _ range: Range<Int>) -> TokenKind? {
        bytes.withUnsafeBufferPointer { keyword($0.baseAddress! + range.lowerBound, count: range.count) }
    }

    public var isKeyword: Bool { (TokenKind.kwAliases.rawValue...TokenKind.kwYes.rawValue).contains(rawValue) }

    /// How the token is named in "expected …, found …" messages.
    public var displayName: String {
        switch self {
        case .identifier: "a name"
        case .number: "a number"
        case .string: "a string"
        case .invalid: "an invalid character"
        case .endOfFile: "the end of the file"
        default: "`\(spelling)`"
        }
    }

    /// The fixed text of keywords and punctuation.
    public var spelling: String {
        switch self {
        case .kwAliases: "aliases"
        case .kwAnd: "and"
        case .kwFalse: "false"
        case .kwInclude: "include"
        case .kwIn: "in"
        case .kwLet: "let"
        case .kwMapping: "mapping"
        case .kwMatch: "match"
        case .kwNo: "no"
        case .kwNone: "none"
        case .kwNot: "not"
        case .kwOn: "on"
        case .kwOr: "or"
        case .kwOtherwise: "otherwise"
        case .kwOverride: "override"
        case .kwReturnRules: "returnrules"
        case .kwRule: "rule"
        case .kwThen: "then"
        case .kwTrue: "true"
        case .kwWhen: "when"
        case .kwWhere: "where"
        case .kwYes: "yes"
        case .leftBrace: "{"
        case .rightBrace: "}"
        case .leftParen: "("
        case .rightParen: ")"
        case .leftBracket: "["
        case .rightBracket: "]"
        case .comma: ","
        case .colon: ":"
        case .dot: "."
        case .arrow: "->"
        case .at: "@"
        case .equal: "="
        case .equalEqual: "=="
        case .bangEqual: "!="
        case .less: "<"
        case .lessEqual: "<="
        case .greater: ">"
        case .greaterEqual: ">="
        case .plus: "+"
        case .minus: "-"
        case .star: "*"
        case .slash: "/"
        case .identifier: "name"
        case .number: "number"
        case .string: "string"
        case .invalid: "invalid"
        case .endOfFile: "end of file"
        }
    }
}
