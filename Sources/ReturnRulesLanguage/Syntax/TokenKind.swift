#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Keyword spellings as bytes, by first letter, so the lexer can look a word up without
    /// making a `String` of every identifier.
    private static let keywordsByInitial: [[(spelling: [UInt8], kind: TokenKind)]] = {
        var table = Array(repeating: [(spelling: [UInt8], kind: TokenKind)](), count: 26)
        for (word, kind) in keywords.sorted(by: { $0.key < $1.key }) {
            table[Int(word.utf8.first! - UInt8(ascii: "a"))].append((Array(word.utf8), kind))
        }
        return table
    }()

    /// The keyword spelled by `bytes[range]`, or nil for an ordinary identifier.
    static func keyword(_ bytes: [UInt8], _ range: Range<Int>) -> TokenKind? {
        let first = bytes[range.lowerBound]
        guard first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return nil }
        let length = range.count
        return keywordsByInitial[Int(first - UInt8(ascii: "a"))].withUnsafeBufferPointer { candidates -> TokenKind? in
            bytes.withUnsafeBufferPointer { source -> TokenKind? in
                for candidate in candidates where candidate.spelling.count == length {
                    let matches = candidate.spelling.withUnsafeBufferPointer { spelling in
                        memcmp(spelling.baseAddress!, source.baseAddress! + range.lowerBound, length) == 0
                    }
                    if matches { return candidate.kind }
                }
                return nil
            }
        }
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
