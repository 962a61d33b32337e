/// A hand-written recursive-descent parser with error recovery.
///
/// Functions are named after the productions in Grammar.md. On an error the parser reports it,
/// skips to the next place a declaration or rule can start (as Lox's `synchronize()` does), and
/// carries on, so one run reports every independent error and later phases get a partial tree.
public struct Parser {
    /// Deepest expression tree accepted. Deeper input gets a diagnostic instead of risking the
    /// stack in the parser, the checker or the compiler.
    public static let maximumExpressionDepth = 64
    /// Largest rule file accepted, in bytes.
    public static let maximumFileSize = 4 * 1024 * 1024

    let file: SourceFile
    var tokens: [Token]
    var position = 0
    var diagnostics: DiagnosticSink
    /// Set after an error until the parser has resynchronised, to avoid cascades.
    var panicking = false
    /// Segments of a large file's rules, parsed on another core (`Parser+Speculation.swift`).
    var speculation: SpeculativeSegments?
    /// The first segment whose start the parser has not passed yet.
    var nextSegment = 0
    /// One shared `.name` expression per spelling.
    var names = NameInterner()

    /// Parses a whole file. Diagnostics from lexing and parsing are appended to `diagnostics`.
    public static func parse(_ file: SourceFile, diagnostics: inout DiagnosticSink) -> SyntaxTree {
        parse(file, diagnostics: &diagnostics, speculating: true)
    }

    /// `speculating: false` parses a large file on this core only, as the tests' reference.
    static func parse(_ file: SourceFile, diagnostics: inout DiagnosticSink, speculating: Bool) -> SyntaxTree {
        if file.bytes.count > maximumFileSize {
            diagnostics.report(.fileTooLarge,
                               "rule file is \(file.bytes.count / 1024) KiB; the limit is \(maximumFileSize / 1024 / 1024) MiB",
                               at: Span(file: file.id, start: 0, length: 0),
                               help: "split the rules into a base file and `include` it")
            return SyntaxTree(file: file, tokens: [Token(kind: .endOfFile, span: Span(file: file.id, start: 0, length: 0))], items: [])
        }
        let tokens = Lexer.tokenize(file, diagnostics: &diagnostics)
        var parser = Parser(file: file, tokens: tokens, diagnostics: diagnostics)
        parser.speculation = speculating ? startSpeculation(file: file, tokens: tokens) : nil
        let items = parser.parseFile()
        parser.speculation?.finish()
        diagnostics = parser.diagnostics
        return SyntaxTree(file: file, tokens: parser.tokens, items: items)
    }

    init(file: SourceFile, tokens: [Token], diagnostics: DiagnosticSink) {
        self.file = file
        self.tokens = tokens
        self.diagnostics = diagnostics
    }

    // MARK: - Token access

    var current: Token { tokens[position] }
    var kind: TokenKind { tokens[position].kind }
    func peek(_ offset: Int = 1) -> TokenKind { tokens[min(position + offset, tokens.count - 1)].kind }
    var atEnd: Bool { kind == .endOfFile }
    var previousSpan: Span { tokens[max(position - 1, 0)].span }

    func text(_ token: Token) -> String { file.text(of: token.span) }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    mutating func accept(_ expected: TokenKind) -> Token? {
        guard kind == expected else { return nil }
        return advance()
    }

    /// Consumes `expected` or reports "expected …, found …" (once per panic). The context and
    /// help are built only when the error is reported: most calls find the token they expect.
    @discardableResult
    mutating func expect(_ expected: TokenKind, _ context: @autoclosure () -> String, help: @autoclosure () -> String? = nil) -> Token? {
        if let token = accept(expected) { return token }
        error(expecting: expected.displayName, context(), help: help())
        return nil
    }

    mutating func error(expecting what: String, _ context: @autoclosure () -> String, help: @autoclosure () -> String? = nil) {
        guard !panicking else { return }
        panicking = true
        let found = current
        let foundText = found.kind == .identifier || found.kind == .number ? "`\(text(found))`" : found.kind.displayName
        // Point just after the previous token when the next one is on another line: that is where
        // the missing piece belongs, and the caret then sits on the line the user is editing.
        let span = found.newlinesBefore > 0 && position > 0
            ? Span(file: file.id, start: previousSpan.end, length: 0)
            : found.span
        diagnostics.report(.expectedToken, "expected \(what) \(context()), found \(foundText)", at: span, help: help())
    }

    func identifier(_ token: Token) -> Identifier { Identifier(text(token), span: token.span) }

    func span(from start: Int) -> Span {
        let first = tokens[min(start, tokens.count - 1)].span
        let lastIndex = max(start, position - 1)
        return first.through(tokens[min(lastIndex, tokens.count - 1)].span)
    }
}
