import Testing
import ReturnRulesLanguage

/// The caret line sits under what it points at, in the columns the terminal shows.
@Suite("Diagnostics: caret alignment")
struct CaretAlignmentTests {
    /// The caret line of one diagnostic at `start..<start+length` of a one-line file.
    static func caretLine(_ bytes: [UInt8], start: Int, length: Int) -> String {
        let sources = SourceMap()
        let file = sources.add(path: "line.rules", bytes: bytes)
        let diagnostic = Diagnostic(.unexpectedCharacter, "here", at: Span(file: file.id, start: start, length: length))
        let lines = HumanDiagnosticRenderer().render([diagnostic], sources: sources).split(separator: "\n", omittingEmptySubsequences: false)
        return String(lines[3])
    }

    @Test func invalidBytesTakeOneColumnEachAsTheyAreShown() {
        // Two lone continuation bytes print as two replacement characters: the caret counts them.
        let bytes = Array("ab".utf8) + [0x80, 0x80] + Array("cd X".utf8)
        #expect(CaretAlignmentTests.caretLine(bytes, start: bytes.count - 1, length: 1) == "  |        ^")
    }

    @Test func aSpanOverInvalidBytesIsUnderlinedAcrossThem() {
        let bytes = Array("x ".utf8) + [0xFF, 0xFE, 0x80] + Array(" y".utf8)
        #expect(CaretAlignmentTests.caretLine(bytes, start: 2, length: 3) == "  |   ^^^")
    }

    @Test func wideCharactersTakeTwoColumns() {
        let bytes = Array("\"名前\" X".utf8)
        #expect(CaretAlignmentTests.caretLine(bytes, start: bytes.count - 1, length: 1) == "  |        ^")
        #expect(CaretAlignmentTests.caretLine(bytes, start: 0, length: bytes.count - 2) == "  | ^^^^^^")
    }

    @Test func combiningMarksTakeNoColumn() {
        let bytes = Array("e\u{301}e\u{301} X".utf8)
        #expect(CaretAlignmentTests.caretLine(bytes, start: bytes.count - 1, length: 1) == "  |    ^")
    }
}
