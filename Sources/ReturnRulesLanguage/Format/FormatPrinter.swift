/// Writes formatted lines while consuming the file's tokens in their original order.
///
/// The formatter walks the syntax tree and asks the printer for each token it would write; the
/// printer checks that the token is the next one of the file and writes that token's comments
/// next to it: own-line comments on lines of their own before it, a trailing comment at the end
/// of its line. Because tokens are never reordered, every comment stays attached to the same
/// token, and formatting the output again attaches it the same way.
///
/// A printer in `detached` mode consumes no tokens and writes no comments: it renders one line
/// for measuring widths and for string interpolations (whose tokens are not in the file's
/// token stream).
struct FormatPrinter {
    static let indentWidth = 2

    private let tokens: [Token]
    let detached: Bool
    /// Index of the next token of the file to write.
    private(set) var cursor = 0
    /// False once a token was asked for that is not the next one of the file (a formatter bug).
    private(set) var consistent = true
    private(set) var output = ""

    /// The line being built, without its indentation.
    private(set) var line = ""
    /// `line.count`, kept up to date so measuring a column never rescans the line.
    private(set) var lineWidth = 0
    private var lineIndent = 0
    /// Indentation of the next line started.
    private var nextIndent = 0
    /// Indentation of lines that continue the current construct (after a comment, a long line).
    private var continuationIndent = 0
    /// A trailing comment closed the line; the construct continues on a new line.
    private var breakPending = false
    private var lastKind: TokenKind?
    private var lastLineBlank = false
    /// The token whose leading comments were already written by `writeLeadingComments`.
    private var commentsWrittenFor = -1
    /// The column the next token should start at when it continues the line (for alignment).
    private var alignColumn: Int?

    init(tokens: [Token]) {
        self.tokens = tokens
        self.detached = false
    }

    /// A printer that renders one line of text without consuming tokens.
    init(detached: Void) {
        self.tokens = []
        self.detached = true
    }

    // MARK: - Lines

    /// The column (0-based) where the next token would start if it continued the line.
    var column: Int { line.isEmpty ? nextIndent : lineIndent + lineWidth }

    /// Ends the current line and makes the next token start a line at `indent`.
    mutating func startLine(indent: Int, continuation: Int? = nil) {
        endLine()
        breakPending = false
        nextIndent = indent
        continuationIndent = continuation ?? indent + FormatPrinter.indentWidth
        alignColumn = nil
    }

    /// Breaks inside a construct: the next token starts a line at `indent`.
    mutating func breakLine(indent: Int) {
        guard !detached else { return }
        endLine()
        breakPending = false
        nextIndent = indent
    }

    /// Writes one blank line unless the output is empty or already ends with one.
    mutating func blankLine() {
        endLine()
        guard !output.isEmpty, !lastLineBlank else { return }
        output += "\n"
        lastLineBlank = true
    }

    mutating func endLine() {
        guard !line.isEmpty else { return }
        while let last = line.unicodeScalars.last, last == " " || last == "\t" { line.unicodeScalars.removeLast() }
        output += String(repeating: " ", count: lineIndent) + line + "\n"
        line = ""
        lineWidth = 0
        lastLineBlank = false
    }

    /// The next token continues the line at `column` if the line is shorter (one space otherwise).
    mutating func align(toColumn column: Int) {
        alignColumn = column
    }

    private mutating func writeCommentLine(_ comment: Comment, indent: Int) {
        output += String(repeating: " ", count: indent) + comment.trimmedText + "\n"
        lastLineBlank = false
    }

    // MARK: - Comments

    /// The next token of the file (the end-of-file token when all were written).
    var nextToken: Token? { cursor < tokens.count ? tokens[cursor] : nil }

    /// True when the author left a blank line before the next token or its first comment.
    var authorBlankLineBeforeNext: Bool { authorBlankLineBefore(tokenIndex: cursor) }

    /// True when the author left a blank line before the token at `tokenIndex` or its first comment.
    func authorBlankLineBefore(tokenIndex: Int) -> Bool {
        guard tokenIndex >= 0, tokenIndex < tokens.count else { return false }
        let token = tokens[tokenIndex]
        if let first = token.leadingComments.first { return first.blankLinesBefore > 0 }
        return token.newlinesBefore >= 2
    }

    /// Writes the own-line comments before the next token at the start of a construct's line,
    /// with the blank lines around them: one before them when `blankBefore`, and when
    /// `keepBlankLines` the author's blank lines between them (collapsed to one) and, when
    /// `blankAfter`, after the last of them.
    mutating func writeLeadingComments(blankBefore: Bool, keepBlankLines: Bool = true, blankAfter: Bool = true) {
        guard !detached, let token = nextToken else { return }
        endLine()
        if blankBefore { blankLine() }
        for (index, comment) in token.leadingComments.enumerated() {
            if index > 0, keepBlankLines, comment.blankLinesBefore > 0 { blankLine() }
            writeCommentLine(comment, indent: nextIndent)
        }
        if !token.leadingComments.isEmpty, keepBlankLines, blankAfter, token.newlinesBefore >= 2 { blankLine() }
        commentsWrittenFor = cursor
    }

    // MARK: - Tokens

    /// Writes the next token of the file, which must be of `kind`, as `text`; `space` puts one
    /// space before it when it continues a line. `joinsMoney` marks the currency of a money
    /// literal, which must stay on its amount's line.
    mutating func token(_ kind: TokenKind, _ text: String, space: Bool = true, joinsMoney: Bool = false) {
        if detached {
            place(kind, text, space: space, joinsMoney: joinsMoney)
            return
        }
        guard cursor < tokens.count, tokens[cursor].kind == kind else {
            consistent = false
            place(kind, text, space: space, joinsMoney: joinsMoney)
            return
        }
        let token = tokens[cursor]
        if commentsWrittenFor != cursor, !token.leadingComments.isEmpty {
            // Comments inside a construct: break the line and keep them before their token.
            if !line.isEmpty {
                endLine()
                nextIndent = continuationIndent
            }
            breakPending = false
            for comment in token.leadingComments { writeCommentLine(comment, indent: nextIndent) }
        }
        place(kind, text, space: space, joinsMoney: joinsMoney)
        if let trailing = token.trailingComment {
            append(" " + trailing.trimmedText)
            breakPending = true
        }
        cursor += 1
    }

    /// Consumes the next token without writing it (a trailing comma the canonical form drops),
    /// keeping its comments: own-line ones on their lines, a trailing one at the end of the line.
    mutating func dropToken(_ kind: TokenKind) {
        guard !detached else { return }
        guard cursor < tokens.count, tokens[cursor].kind == kind else {
            consistent = false
            return
        }
        let token = tokens[cursor]
        if commentsWrittenFor != cursor, !token.leadingComments.isEmpty {
            if !line.isEmpty {
                endLine()
                nextIndent = continuationIndent
            }
            breakPending = false
            for comment in token.leadingComments { writeCommentLine(comment, indent: nextIndent) }
        }
        if let trailing = token.trailingComment {
            if line.isEmpty {
                writeCommentLine(trailing, indent: nextIndent)
            } else {
                append(" " + trailing.trimmedText)
                breakPending = true
            }
        }
        cursor += 1
    }

    /// True when the current line ends in a trailing comment.
    var lineEndsInComment: Bool { breakPending }

    /// True when the next token of the file is of `kind` (always false when detached).
    func nextIs(_ kind: TokenKind) -> Bool {
        !detached && cursor < tokens.count && tokens[cursor].kind == kind
    }

    /// Consumes the end-of-file token after writing its comments (those at the end of the file).
    mutating func finish() -> String {
        guard !detached else { return line }
        startLine(indent: 0)
        if let token = nextToken, token.kind == .endOfFile {
            writeLeadingComments(blankBefore: !token.leadingComments.isEmpty && authorBlankLineBeforeNext, keepBlankLines: true, blankAfter: false)
            cursor += 1
        }
        endLine()
        if cursor != tokens.count { consistent = false }
        while output.hasSuffix("\n\n") { output.removeLast() }
        return output
    }

    private mutating func place(_ kind: TokenKind, _ text: String, space: Bool, joinsMoney: Bool) {
        if breakPending {
            endLine()
            nextIndent = continuationIndent
            breakPending = false
        }
        // A name that looks like a currency right after a number would read back as money:
        // the author had a line break there, so keep one.
        if !detached, !line.isEmpty, !joinsMoney, kind == .identifier, lastKind == .number, FormatPrinter.isCurrencyCode(text) {
            endLine()
            nextIndent = continuationIndent
        }
        if line.isEmpty {
            lineIndent = nextIndent
            append(text)
        } else {
            // `1 .x` must not become `1.x`, which is a malformed number.
            // `- -x` rather than `--x`.
            let needsSpace = space || (kind == .dot && lastKind == .number) || (kind == .minus && lastKind == .minus)
            if needsSpace {
                let current = lineIndent + lineWidth
                let target = alignColumn.map { max($0, current + 1) } ?? current + 1
                append(String(repeating: " ", count: target - current))
            }
            append(text)
        }
        alignColumn = nil
        lastKind = kind
    }

    private mutating func append(_ text: String) {
        line += text
        lineWidth += text.count
    }

    static func isCurrencyCode(_ word: String) -> Bool {
        let scalars = word.unicodeScalars
        return scalars.count == 3 && scalars.allSatisfy { $0.value >= 65 && $0.value <= 90 }
    }
}
