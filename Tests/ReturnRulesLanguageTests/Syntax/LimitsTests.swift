import Testing
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// Inputs built to hurt: nesting past the limit (never a stack overflow), huge files, garbage.
@Suite("Limits")
struct LimitsTests {
    static func parse(_ source: String) -> [Diagnostic] { LanguageHarness.parse(source).1 }

    static func parse(_ bytes: [UInt8]) -> [Diagnostic] {
        let file = SourceFile(id: 0, path: "big.rules", bytes: bytes)
        var sink = DiagnosticSink()
        _ = Parser.parse(file, diagnostics: &sink)
        return sink.sorted()
    }

    // MARK: - Expression depth

    /// `n` parentheses around a name: a tree `n + 1` levels deep.
    static func parenthesized(_ n: Int) -> String { String(repeating: "(", count: n) + "a" + String(repeating: ")", count: n) }

    @Test func theDeepestAcceptedTreeIs64Levels() {
        #expect(Parser.maximumExpressionDepth == 64)
        #expect(LimitsTests.parse("let x = \(LimitsTests.parenthesized(63))\n").isEmpty)
        let diagnostics = LimitsTests.parse("let x = \(LimitsTests.parenthesized(64))\n")
        #expect(diagnostics.map(\.code) == [.nestingTooDeep])
        #expect(diagnostics.first?.message == "expression is nested more than 64 levels deep")
    }

    @Test func aChainOf64TermsIsAcceptedAnd65IsNot() {
        // `a + a + …` is left-associative: 64 terms make a tree 64 levels deep.
        let chain = { (terms: Int) in Array(repeating: "a", count: terms).joined(separator: " + ") }
        #expect(LimitsTests.parse("let x = \(chain(64))\n").isEmpty)
        #expect(LimitsTests.parse("let x = \(chain(65))\n").map(\.code) == [.nestingTooDeep])
    }

    @Test func aDeepExpressionIsReportedWhereItCrossesTheLimit() {
        assertDiagnostics(source: "let x = " + String(repeating: "(", count: 64) + "1️⃣a" + String(repeating: ")", count: 64) + "\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .nestingTooDeep),
        ])
    }

    /// Far past the limit: the parser must return with one diagnostic, not overflow its stack.
    struct DeepInput: Sendable, CustomStringConvertible {
        var description: String
        /// False when nothing closes the expression, so the rest of the file is skipped with it.
        var recovers = true
        var source: @Sendable () -> String
    }

    static let deepInputs: [DeepInput] = [
        DeepInput(description: "100,000 nested parentheses") { "let x = " + parenthesized(100_000) + "\nlet y = 1\n" },
        DeepInput(description: "20,000 unclosed parentheses", recovers: false) { "let x = " + String(repeating: "(", count: 20_000) + "\nlet y = 1\n" },
        DeepInput(description: "a 50,000-term sum") { "let x = " + Array(repeating: "a", count: 50_000).joined(separator: " + ") + "\nlet y = 1\n" },
        DeepInput(description: "a 20,000-term conjunction") { "let x = " + Array(repeating: "a", count: 20_000).joined(separator: " and ") + "\nlet y = 1\n" },
        DeepInput(description: "20,000 nested lists") { "let x = " + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000) + "\nlet y = 1\n" },
        DeepInput(description: "20,000 nested calls") { "let x = " + String(repeating: "count(", count: 20_000) + "items" + String(repeating: ")", count: 20_000) + "\nlet y = 1\n" },
        DeepInput(description: "20,000 negations") { "let x = " + String(repeating: "not ", count: 20_000) + "a\nlet y = 1\n" },
        DeepInput(description: "20,000 minus signs") { "let x = " + String(repeating: "-", count: 20_000) + "a\nlet y = 1\n" },
        DeepInput(description: "a 20,000-member path") { "let x = a" + String(repeating: ".b", count: 20_000) + "\nlet y = 1\n" },
        DeepInput(description: "20,000 nested interpolation groups") { "let x = \"{" + parenthesized(20_000) + "}\"\nlet y = 1\n" },
    ]

    @Test(arguments: deepInputs)
    func farTooDeepIsOneDiagnosticAndNoCrash(_ input: DeepInput) {
        let source = input.source()
        let (tree, diagnostics) = LanguageHarness.parse(source)
        #expect(diagnostics.filter { $0.code == .nestingTooDeep }.count == 1, "\(diagnostics.prefix(5).map { "\($0.code) \($0.message)" })")
        #expect(diagnostics.allSatisfy { $0.code == .nestingTooDeep }, "\(diagnostics.prefix(5).map { "\($0.code) \($0.message)" })")
        // The parser resynchronises: the next constant is still there.
        let names = tree.items.compactMap { item -> String? in if case .constant(let decl) = item.kind { decl.name.name } else { nil } }
        if input.recovers { #expect(names.last == "y") }
    }

    @Test(arguments: deepInputs)
    func farTooDeepChecksWithoutCrashing(_ input: DeepInput) {
        // The checker sees the (invalid) tree too; it must not recurse into what was cut off.
        let checked = LanguageHarness.run(source: TestSchema.header + input.source())
        #expect(checked.codes.contains(.nestingTooDeep))
        // Never print a failed program: it is as deep as the input.
        let hasProgram = checked.program != nil
        #expect(!hasProgram)
    }

    @Test func constantsCannotBuildATreeDeeperThanTheLimit() {
        // Each constant is shallow, but constants are inlined: a chain of them must hit the limit
        // too, or the compiler would recurse 2,000 levels deep.
        var source = TestSchema.header + "let c0 = 1\n"
        for index in 1...2_000 { source += "let c\(index) = c\(index - 1) + 1\n" }
        source += "on order paid match first {\n  rule r when c2000 > 0 then flag \"q\" reason: \"r\"\n}\n"
        let checked = LanguageHarness.run(source: source)
        let report = checked.diagnostics.first
        #expect(report.flatMap { checked.location(of: $0) }?.line == 5 + 64, "c64 = c63 + 1 is the first constant past the limit")
        #expect(checked.codes == [.nestingTooDeep], "\(checked.codes.prefix(5))")
        let hasProgram = checked.program != nil
        #expect(!hasProgram)
    }

    // MARK: - Size

    @Test func aTenMegabyteFileIsRefusedBeforeLexing() {
        // Ten megabytes of spaces after a header: the size alone decides.
        var bytes = [UInt8](repeating: UInt8(ascii: " "), count: 10 * 1024 * 1024)
        bytes.replaceSubrange(0..<14, with: Array("returnrules 1\n".utf8))
        let diagnostics = LimitsTests.parse(bytes)
        #expect(diagnostics.map(\.code) == [.fileTooLarge])
        #expect(diagnostics.first?.span.start == 0)
        #expect(diagnostics.first?.message.contains("the limit is 4 MiB") == true)
    }

    @Test func aFileJustUnderTheLimitIsRead() {
        // Long comment lines: the lexer reads every byte, but makes few comments.
        let line = Array(("# " + String(repeating: "filler ", count: 500) + "\n").utf8)
        var bytes = Array("returnrules 1\n".utf8)
        bytes.reserveCapacity(Parser.maximumFileSize)
        while bytes.count + line.count <= Parser.maximumFileSize { bytes.append(contentsOf: line) }
        #expect(LimitsTests.parse(bytes).isEmpty)
    }

    // MARK: - Error flood

    @Test func pastOneHundredErrorsTheRestAreCountedInANote() {
        var source = ""
        for index in 1...150 { source += "let x\(index) = $\n" }
        let checked = LanguageHarness.run(source: source, phase: .parse)
        #expect(checked.diagnostics.filter { $0.severity == .error }.count == 100)
        let note = checked.diagnostics.last
        #expect(note?.code == .tooManyErrors)
        #expect(note?.severity == .note)
        #expect(note?.span.isNone == true)
        // 150 unexpected characters and 150 missing values: 300 in all.
        #expect(note?.message == "200 more errors not shown (the limit is 100)")
    }

    @Test func warningsDoNotCountTowardsTheLimit() {
        var sink = DiagnosticSink(limit: 2)
        for offset in 0..<5 { sink.report(.unusedConstant, "w\(offset)", at: Span(file: 0, start: offset, length: 1)) }
        for offset in 0..<3 { sink.report(.unknownName, "e\(offset)", at: Span(file: 0, start: offset, length: 1)) }
        #expect(sink.diagnostics.count == 7)
        #expect(sink.droppedCount == 1)
        #expect(sink.errorCount == 3)
        #expect(sink.sorted().last?.message == "1 more error not shown (the limit is 2)")
    }

    @Test func theSameDiagnosticTwiceIsReportedOnce() {
        var sink = DiagnosticSink()
        for _ in 0..<3 { sink.report(.unknownName, "unknown name `x`", at: Span(file: 0, start: 4, length: 1)) }
        #expect(sink.diagnostics.count == 1)
    }

    // MARK: - Garbage

    @Test func binaryGarbageDoesNotCrash() {
        var random = SplitMix64(seed: 0xBADC0DE)
        for _ in 0..<50 {
            let bytes = (0..<random.int(in: 0...2_000)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let sources = SourceMap()
            let root = sources.add(path: "garbage.rules", bytes: bytes)
            let result = Checker.check(root: root, sources: sources, schema: TestSchema.schema, loader: nil)
            for diagnostic in result.diagnostics where !diagnostic.span.isNone {
                #expect(diagnostic.span.end <= (sources.file(for: diagnostic.span)?.bytes.count ?? -1))
            }
        }
    }
}
