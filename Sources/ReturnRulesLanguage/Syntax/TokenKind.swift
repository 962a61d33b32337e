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
