import Testing
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// Tokens, trivia and the lexer's own diagnostics.
@Suite("Lexer")
struct LexerTests {
    /// Lexes `text` and returns the tokens (without the end-of-file token) and the diagnostics.
    static func lex(_ text: String) -> (tokens: [Token], texts: [String], diagnostics: [Diagnostic], file: SourceFile) {
        let file = SourceFile(id: 0, path: "lex.rules", text: text)
        var sink = DiagnosticSink()
        var tokens = Lexer.tokenize(file, diagnostics: &sink)
        #expect(tokens.last?.kind == .endOfFile, "the last token is always the end of the file")
        tokens.removeLast()
        return (tokens, tokens.map { file.text(of: $0.span) }, sink.sorted(), file)
    }

    static func kinds(_ text: String) -> [TokenKind] { lex(text).tokens.map(\.kind) }

    @Test func keywordsAreReservedAndOtherWordsAreNames() {
        let words = "aliases and false in include let mapping match no none not on or otherwise override returnrules rule then true when where yes"
        let expected: [TokenKind] = [.kwAliases, .kwAnd, .kwFalse, .kwIn, .kwInclude, .kwLet, .kwMapping, .kwMatch, .kwNo, .kwNone, .kwNot,
                                     .kwOn, .kwOr, .kwOtherwise, .kwOverride, .kwReturnRules, .kwRule, .kwThen, .kwTrue, .kwWhen, .kwWhere, .kwYes]
        #expect(LexerTests.kinds(words) == expected)
        // Words with a meaning by their place are ordinary names, and so are near-keywords.
        #expect(LexerTests.kinds("first all client refund item Rule WHEN _x x_1 ands") == Array(repeating: .identifier, count: 10))
        // Keywords are matched as packed words by length: one byte more or less, a word past
        // eight bytes that differs only at the end, and one-letter words are all names.
        let nearMisses = "a i o returnrule returnrulez returnrulesx otherwiss overridex overrid whe thenn nonee no_ in1"
        #expect(LexerTests.kinds(nearMisses) == Array(repeating: .identifier, count: 14))
    }

    @Test func punctuationAndOperators() {
        let (tokens, texts, diagnostics, _) = LexerTests.lex("{ } ( ) [ ] , : . -> @ = == != < <= > >= + - * /")
        #expect(diagnostics.isEmpty)
        #expect(tokens.map(\.kind) == [.leftBrace, .rightBrace, .leftParen, .rightParen, .leftBracket, .rightBracket, .comma, .colon, .dot,
                                       .arrow, .at, .equal, .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual,
                                       .plus, .minus, .star, .slash])
        #expect(texts == ["{", "}", "(", ")", "[", "]", ",", ":", ".", "->", "@", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/"])
    }

    @Test func operatorsNeedNoSpaces() {
        #expect(LexerTests.kinds("a<=b->c!=-1") == [.identifier, .lessEqual, .identifier, .arrow, .identifier, .bangEqual, .minus, .number])
    }

    @Test func moneyLiteralIsANumberAndACurrencyName() {
        let (tokens, texts, diagnostics, _) = LexerTests.lex("400.00 EUR")
        #expect(diagnostics.isEmpty)
        #expect(tokens.map(\.kind) == [.number, .identifier])
        #expect(texts == ["400.00", "EUR"])
        // The parser joins them into one money literal spanning both.
        let (tree, parseDiagnostics) = LanguageHarness.parse("let limit = 400.00 EUR\n")
        #expect(parseDiagnostics.isEmpty)
        guard case .constant(let decl) = tree.items.first?.kind, case .money(let amount, let currency) = decl.value.kind else {
            Issue.record("expected a money constant, got \(String(describing: tree.items.first?.kind))")
            return
        }
        #expect(amount == "400.00")
        #expect(currency.name == "EUR")
        #expect(tree.file.text(of: decl.value.span) == "400.00 EUR")
    }

    @Test func numbers() {
        let (tokens, texts, diagnostics, _) = LexerTests.lex("0 12 0.75 1234567.891")
        #expect(diagnostics.isEmpty)
        #expect(tokens.allSatisfy { $0.kind == .number })
        #expect(texts == ["0", "12", "0.75", "1234567.891"])
    }

    @Test(arguments: ["12.", "3abc", "1.2.3", "7_000", "12.5x"])
    func malformedNumbersAreOneToken(_ text: String) {
        let (tokens, texts, diagnostics, _) = LexerTests.lex(text)
        #expect(tokens.map(\.kind) == [.invalid])
        #expect(texts == [text])
        #expect(diagnostics.map(\.code) == [.malformedNumber])
        #expect(diagnostics.first?.message == "malformed number `\(text)`")
        #expect(diagnostics.first?.help?.contains("12.50 EUR") == true)
    }

    @Test func dotsBetweenNamesAreMemberAccess() {
        #expect(LexerTests.kinds("a.b.c") == [.identifier, .dot, .identifier, .dot, .identifier])
    }

    // MARK: - Trivia

    @Test func ownLineCommentsLeadTheNextToken() throws {
        let source = """
        let a = 1

        # about b
        # more about b
        let b = 2
        """
        let (tokens, _, diagnostics, _) = LexerTests.lex(source)
        #expect(diagnostics.isEmpty)
        let secondLet = try #require(tokens.dropFirst().first { $0.kind == .kwLet })
        #expect(secondLet.leadingComments.map(\.text) == ["# about b", "# more about b"])
        #expect(secondLet.leadingComments.allSatisfy { $0.ownLine })
        #expect(secondLet.leadingComments.map(\.blankLinesBefore) == [1, 0])
        #expect(secondLet.newlinesBefore == 1)
        #expect(tokens.allSatisfy { $0.trailingComment == nil })
    }

    @Test func trailingCommentStaysWithItsLine() throws {
        let source = "then restock item  # sellable\nthen ignore \"x\"\n"
        let (tokens, texts, _, file) = LexerTests.lex(source)
        let item = try #require(texts.firstIndex(of: "item"))
        let comment = try #require(tokens[item].trailingComment)
        #expect(comment.text == "# sellable")
        #expect(!comment.ownLine)
        #expect(file.text(of: comment.span) == "# sellable")
        // The next line's token owns no comment, and starts one line later.
        #expect(tokens[item + 1].leadingComments.isEmpty)
        #expect(tokens[item + 1].newlinesBefore == 1)
    }

    @Test func blankLinesAreCounted() {
        let (tokens, _, _, _) = LexerTests.lex("a\n\n\nb c")
        #expect(tokens.map(\.newlinesBefore) == [0, 3, 0])
    }

    @Test func commentsAtTheEndBelongToTheEndOfFile() {
        let file = SourceFile(id: 0, path: "lex.rules", text: "returnrules 1\n# the end\n")
        var sink = DiagnosticSink()
        let tokens = Lexer.tokenize(file, diagnostics: &sink)
        #expect(tokens.last?.kind == .endOfFile)
        #expect(tokens.last?.leadingComments.map(\.text) == ["# the end"])
    }

    @Test func carriageReturnsAreWhitespaceAndLeaveComments() {
        let (tokens, texts, diagnostics, _) = LexerTests.lex("let a = 1 # one\r\nlet b = 2\r\n")
        #expect(diagnostics.isEmpty)
        #expect(texts == ["let", "a", "=", "1", "let", "b", "=", "2"])
        #expect(tokens[3].trailingComment?.text == "# one")
    }

    @Test func aHashInsideAStringIsNotAComment() {
        let (tokens, texts, _, _) = LexerTests.lex("note internal \"order #5123\" # real comment")
        #expect(texts == ["note", "internal", "\"order #5123\""])
        #expect(tokens.last?.trailingComment?.text == "# real comment")
    }

    // MARK: - Strings

    @Test func stringEscapesAreResolvedByTheParser() throws {
        let (tree, diagnostics) = LanguageHarness.parse(#"let note_text = "Write \"B-stock\" and \{braces\} \\ like\tthis\n""# + "\n")
        #expect(diagnostics.isEmpty)
        guard case .constant(let decl) = tree.items.first?.kind, case .string(let literal) = decl.value.kind else {
            Issue.record("expected a string constant")
            return
        }
        #expect(literal.constantText == "Write \"B-stock\" and {braces} \\ like\tthis\n")
    }

    @Test func interpolationsAreParsedInPlace() throws {
        let source = #"let x = "refund of {refund.amount} over {limit}!""# + "\n"
        let (tree, diagnostics) = LanguageHarness.parse(source)
        #expect(diagnostics.isEmpty)
        guard case .constant(let decl) = tree.items.first?.kind, case .string(let literal) = decl.value.kind else {
            Issue.record("expected a string constant")
            return
        }
        #expect(literal.constantText == nil)
        #expect(literal.parts.count == 5)
        guard case .text(let first, let firstSpan) = literal.parts[0],
              case .interpolation(let amount) = literal.parts[1],
              case .interpolation(let limit) = literal.parts[3],
              case .text(let last, _) = literal.parts[4] else {
            Issue.record("unexpected parts \(literal.parts)")
            return
        }
        #expect(first == "refund of ")
        #expect(tree.file.text(of: firstSpan) == "refund of ")
        #expect(tree.file.text(of: amount.span) == "refund.amount")
        if case .member(let base, let field) = amount.kind {
            #expect(base.kind == .name("refund"))
            #expect(field.name == "amount")
        } else {
            Issue.record("`{refund.amount}` should be a member expression")
        }
        #expect(limit.kind == .name("limit"))
        #expect(last == "!")
    }

    @Test func unterminatedStringStopsAtTheLineEnd() {
        let (tokens, texts, diagnostics, _) = LexerTests.lex("review \"finance\nlet x = 1")
        #expect(diagnostics.map(\.code) == [.unterminatedString])
        #expect(diagnostics.first?.label == "opened here")
        #expect(texts.prefix(2) == ["review", "\"finance"])
        // Lexing carries on with the next line.
        #expect(tokens.map(\.kind).suffix(4) == [.kwLet, .identifier, .equal, .number])
    }

    @Test func invalidEscape() {
        let (_, _, diagnostics, file) = LexerTests.lex(#""C:\returns""#)
        #expect(diagnostics.map(\.code) == [.invalidEscape])
        #expect(diagnostics.first.map { file.text(of: $0.span) } == #"\r"#)
        #expect(diagnostics.first?.message == #"unknown escape `\r` in string"#)
    }

    @Test func aStringInsideAnInterpolationIsAnError() {
        let (_, _, diagnostics, file) = LexerTests.lex(#""a {"b"} c""#)
        #expect(diagnostics.first?.code == .invalidInterpolation)
        #expect(diagnostics.first.map { file.text(of: $0.span) } == #"{""#)
    }

    @Test func unmatchedClosingBrace() {
        let (_, _, diagnostics, file) = LexerTests.lex(#""a } b""#)
        #expect(diagnostics.map(\.code) == [.invalidInterpolation])
        #expect(diagnostics.first?.message == "unmatched `}` in string")
        #expect(diagnostics.first.map { file.text(of: $0.span) } == "}")
    }

    @Test func emptyInterpolationIsReportedByTheParser() {
        assertDiagnostics(source: "let x = \"a 1️⃣{} b\"\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .invalidInterpolation, message: "empty `{}`", highlight: "{}"),
        ])
        assertDiagnostics(source: "let x = \"a {refund.amount 1️⃣5} b\"\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .invalidInterpolation, message: "unexpected a number in `{…}`"),
        ])
    }

    // MARK: - Invalid characters

    struct BadCharacter: Sendable, CustomStringConvertible {
        var text: String
        var message: String
        var help: String?
        var description: String { message }
    }

    static let badCharacters: [BadCharacter] = [
        BadCharacter(text: "!", message: "unexpected character `!`", help: "write `not` for negation and `!=` for inequality"),
        BadCharacter(text: "'", message: "unexpected character `'`", help: "strings use double quotes"),
        BadCharacter(text: "$", message: "unexpected character `$`", help: nil),
        BadCharacter(text: "\u{07}", message: "unexpected character U+0007", help: nil),
        BadCharacter(text: "\u{7F}", message: "unexpected character U+007F", help: nil),
        BadCharacter(text: "“", message: "unexpected character `“` (U+201C)", help: "curly quotes are not string delimiters"),
        BadCharacter(text: "’", message: "unexpected character `’` (U+2019)", help: "strings use straight double quotes"),
        BadCharacter(text: "–", message: "unexpected character `–` (U+2013)", help: "use the ASCII minus sign"),
        BadCharacter(text: "−", message: "unexpected character `−` (U+2212)", help: "use the ASCII minus sign"),
        BadCharacter(text: "\u{A0}", message: "(U+00A0)", help: "a non-breaking space"),
        BadCharacter(text: "\u{FEFF}", message: "(U+FEFF)", help: "a byte-order mark"),
        BadCharacter(text: "é", message: "unexpected character `é` (U+00E9)", help: nil),
        BadCharacter(text: "😀", message: "unexpected character `😀` (U+1F600)", help: nil),
    ]

    @Test(arguments: badCharacters)
    func invalidCharactersHaveHelp(_ bad: BadCharacter) {
        let (tokens, texts, diagnostics, _) = LexerTests.lex("a \(bad.text) b")
        #expect(tokens.map(\.kind) == [.identifier, .invalid, .identifier])
        #expect(texts[1] == bad.text, "the invalid token covers the whole character")
        #expect(diagnostics.map(\.code) == [.unexpectedCharacter])
        #expect(diagnostics.first?.message.contains(bad.message) == true, "\(diagnostics.first?.message ?? "")")
        if let help = bad.help {
            #expect(diagnostics.first?.help?.contains(help) == true, "help: \(diagnostics.first?.help ?? "none")")
        } else {
            #expect(diagnostics.first?.help == nil)
        }
    }

    @Test(arguments: [("“finance”", "finance"), ("“finance\"", "finance"), ("‘A’", "A"), ("”reversed“", "reversed")])
    func curlyQuotedTextIsOneStringAndOneDiagnostic(_ quoted: String, _ content: String) {
        let (tokens, texts, diagnostics, _) = LexerTests.lex("review \(quoted) reason")
        #expect(tokens.map(\.kind) == [.identifier, .string, .identifier], "read as the string it was meant to be")
        #expect(texts[1] == quoted)
        #expect(diagnostics.map(\.code) == [.unexpectedCharacter])
        #expect(diagnostics.first?.message == "curly quote; use a straight double quote")
        #expect(diagnostics.first?.span == tokens[1].span, "one diagnostic over the whole string")
        #expect(diagnostics.first?.help?.contains("\"\(content)\"") == true, "help: \(diagnostics.first?.help ?? "none")")
    }

    @Test func aCurlyQuoteWithoutItsPairIsOneBadCharacter() {
        // No closing quote on the line: nothing to read as a string.
        let (tokens, _, diagnostics, _) = LexerTests.lex("a “ b\n“c")
        #expect(tokens.map(\.kind) == [.identifier, .invalid, .identifier, .invalid, .identifier])
        #expect(diagnostics.map(\.code) == [.unexpectedCharacter, .unexpectedCharacter])
        #expect(diagnostics.allSatisfy { $0.message.hasPrefix("unexpected character `“`") })
    }

    @Test func curlyQuotesInsideAStringAreText() {
        let (tokens, _, diagnostics, _) = LexerTests.lex("\"she said “hi”\"")
        #expect(tokens.map(\.kind) == [.string])
        #expect(diagnostics.isEmpty)
    }

    @Test func invalidUTF8IsOneDiagnosticPerRun() {
        let bytes: [UInt8] = Array("a ".utf8) + [0xFF, 0xFE, 0x80] + Array(" b ".utf8) + [0xC0, 0xAF] + Array(" c".utf8)
        let file = SourceFile(id: 0, path: "bad.rules", bytes: bytes)
        var sink = DiagnosticSink()
        let tokens = Lexer.tokenize(file, diagnostics: &sink)
        let diagnostics = sink.sorted()
        #expect(tokens.map(\.kind) == [.identifier, .invalid, .identifier, .invalid, .identifier, .endOfFile])
        #expect(diagnostics.map(\.code) == [.invalidUTF8, .invalidUTF8])
        #expect(diagnostics.map(\.span.start) == [2, 8])
        #expect(diagnostics.map(\.span.length) == [3, 2], "a run of bad bytes, including an overlong encoding, is one diagnostic")
        #expect(diagnostics.allSatisfy { $0.help?.contains("UTF-8") == true })
    }

    @Test func invalidUTF8InStringsAndComments() {
        let bytes: [UInt8] = Array("let a = \"caf".utf8) + [0xE9] + Array("\" # caf".utf8) + [0xE9, 0x0A] + Array("let b = 1".utf8) + [0xE2, 0x82]
        let file = SourceFile(id: 0, path: "bad.rules", bytes: bytes)
        var sink = DiagnosticSink()
        _ = Lexer.tokenize(file, diagnostics: &sink)
        let diagnostics = sink.sorted()
        #expect(diagnostics.map(\.code) == [.invalidUTF8, .invalidUTF8, .invalidUTF8])
        #expect(diagnostics.map(\.message) == ["invalid UTF-8 byte sequence in string", "invalid UTF-8 byte sequence in comment", "invalid UTF-8 byte sequence"])
        #expect(diagnostics.last?.span.end == bytes.count, "a sequence cut off by the end of the file")
    }

    @Test func everyTokenSpanLiesInTheFile() {
        let source = TestSchema.header + "on order paid match first {\n  rule r when order.total > 1.00 EUR then flag \"q\" reason: \"{order.total}\"\n}\n"
        let (tokens, _, _, file) = LexerTests.lex(source)
        var previousEnd = 0
        for token in tokens {
            #expect(token.span.start >= previousEnd, "tokens are in order and do not overlap")
            #expect(token.span.end <= file.bytes.count)
            previousEnd = token.span.end
        }
    }
}
