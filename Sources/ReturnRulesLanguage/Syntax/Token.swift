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
    public var kind: TokenKind
    public var span: Span
    /// Comments between the previous token and this one (own-line comments and blank lines).
    public var leadingComments: [Comment]
    /// A comment on the same line after this token (`then restock  # sellable`).
    public var trailingComment: Comment?
    /// Line breaks between the previous token (or its trailing comment) and this token.
    public var newlinesBefore: Int

    public init(kind: TokenKind, span: Span, leadingComments: [Comment] = [], trailingComment: Comment? = nil, newlinesBefore: Int = 0) {
        self.kind = kind
        self.span = span
        self.leadingComments = leadingComments
        self.trailingComment = trailingComment
        self.newlinesBefore = newlinesBefore
    }
}
