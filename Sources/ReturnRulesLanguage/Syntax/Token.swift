/// A comment as written, kept so the formatter can put it back where it was.
public struct Comment: Sendable, Hashable {
    /// The comment text including its leading `#`, without the line terminator.
    public var text: String
    public var span: Span
    /// True when the comment is the first thing on its line (it then owns that line).
    public var ownLine: Bool
    /// Blank lines between the previous token or comment and this comment.
    public var blankLinesBefore: Int
}

/// One token with its trivia. Spans are byte offsets; the text is read back from the source.
public struct Token: Sendable, Hashable {
    // Declared widest first so a token packs into 24 bytes (a large file has 300,000):
    // the comments' reference, the 12-byte span, then the line count and the kind.
    /// The comments, out of line: most tokens have none, and a token without a comment then
    /// copies as one nil reference instead of an array and an optional string.
    // Spelled `Optional<…>` so it has no implicit `nil` default: the inits initialize it, once.
    private var trivia: Optional<TokenTrivia>
    public var span: Span
    // Only compared with 0, 1 and 2, so 16 bits (clamped) are plenty.
    private var storedNewlinesBefore: UInt16
    public var kind: TokenKind

    /// Line breaks between the previous token (or its trailing comment) and this token.
    public var newlinesBefore: Int {
        get { Int(storedNewlinesBefore) }
        set { storedNewlinesBefore = UInt16(clamping: newValue) }
    }

    /// Comments between the previous token and this one (own-line comments and blank lines).
    public var leadingComments: [Comment] {
        get { trivia?.leading ?? [] }
        set { trivia = TokenTrivia.make(leading: newValue, trailing: trailingComment) }
    }

    /// A comment on the same line after this token (`then restock  # sellable`).
    public var trailingComment: Comment? {
        get { trivia?.trailing }
        set { trivia = TokenTrivia.make(leading: leadingComments, trailing: newValue) }
    }

    /// A token without comments: the lexer's common case, with nothing to look at.
    init(kind: TokenKind, span: Span, newlinesBefore: Int) {
        self.kind = kind
        self.span = span
        self.storedNewlinesBefore = UInt16(clamping: newlinesBefore)
        self.trivia = nil
    }

    public init(kind: TokenKind, span: Span, leadingComments: [Comment] = [], trailingComment: Comment? = nil, newlinesBefore: Int = 0) {
        self.kind = kind
        self.span = span
        self.storedNewlinesBefore = UInt16(clamping: newlinesBefore)
        self.trivia = TokenTrivia.make(leading: leadingComments, trailing: trailingComment)
    }
}

/// A token's comments; immutable, so tokens sharing one keep value semantics.
final class TokenTrivia: Sendable, Hashable {
    let leading: [Comment]
    let trailing: Comment?

    private init(leading: [Comment], trailing: Comment?) {
        self.leading = leading
        self.trailing = trailing
    }

    /// Nil when there is no comment at all.
    static func make(leading: [Comment], trailing: Comment?) -> TokenTrivia? {
        leading.isEmpty && trailing == nil ? nil : TokenTrivia(leading: leading, trailing: trailing)
    }

    static func == (lhs: TokenTrivia, rhs: TokenTrivia) -> Bool { lhs.leading == rhs.leading && lhs.trailing == rhs.trailing }

    func hash(into hasher: inout Hasher) {
        hasher.combine(leading)
        hasher.combine(trailing)
    }
}
