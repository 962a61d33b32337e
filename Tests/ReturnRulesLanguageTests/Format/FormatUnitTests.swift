import Foundation
import ReturnRulesLanguage
import Testing

/// Focused formatter behaviour: refusing broken files, the safety net, the structural
/// comparison, line endings, and the diff used by `fmt --check`.
@Suite struct FormatUnitTests {
    private func formatted(_ text: String) -> String? {
        if case .success(let output) = RuleFormatter.format(source: text) { return output }
        return nil
    }

    @Test func aFileWithSyntaxErrorsIsNotFormatted() {
        let result = RuleFormatter.format(source: "returnrules 1\nlet = 3\nclient   \"x\"\n", path: "bad.rules")
        guard case .failure(.syntaxErrors(let diagnostics)) = result else {
            Issue.record("expected syntax errors, got \(result)")
            return
        }
        #expect(diagnostics.map(\.code) == [.expectedToken])
        #expect(diagnostics.allSatisfy { $0.severity == .error })
    }

    @Test func anEmptyFileIsNotFormatted() {
        guard case .failure(.syntaxErrors(let diagnostics)) = RuleFormatter.format(source: "# only a comment\n") else {
            Issue.record("an empty file has no items to format")
            return
        }
        #expect(diagnostics.map(\.code) == [.emptyFile])
    }

    @Test func aTreeThatDoesNotMatchItsTokensComesBackUnchanged() {
        let text = "returnrules 1\nlet a = 1\nlet b =   2\n"
        var (tree, errors) = FormatTestSupport.parse(text)
        #expect(errors.isEmpty)
        tree.items.remove(at: 1) // the tokens of `let a = 1` are now unaccounted for
        #expect(RuleFormatter.format(tree) == text)
    }

    @Test func lineEndingsBecomeLineFeeds() {
        let text = "returnrules 1\r\nclient \"a\" # the client   \r\n\r\ncurrency EUR\r\n"
        #expect(formatted(text) == "returnrules 1\n\nclient \"a\" # the client\n\ncurrency EUR\n")
    }

    @Test func aMissingFinalNewlineIsAdded() {
        #expect(formatted("returnrules 1") == "returnrules 1\n")
        #expect(formatted("returnrules 1\n\n\n") == "returnrules 1\n")
    }

    @Test func commentTextIsKeptVerbatimExceptTrailingSpaces() {
        let text = "returnrules 1\n#\tTabbed #### comment  \t \nlet a = 1 #no space\n"
        #expect(formatted(text) == "returnrules 1\n\n#\tTabbed #### comment\nlet a = 1 #no space\n")
    }

    @Test func aNumberFollowedByACurrencyLikeNameOnTheNextLineStaysTwoArguments() throws {
        let text = "returnrules 1\n\non return accepted match first {\n  rule r\n    otherwise\n    then review 5\n      EUR\n}\n"
        let output = try #require(formatted(text))
        #expect(output == text)
        let (tree, _) = FormatTestSupport.parse(output)
        #expect(tree.structure.contains("(then review (num 5) (name EUR))"))
    }

    @Test func aMemberOfANumberKeepsItsSpace() {
        #expect(formatted("returnrules 1\nlet a = 5  .x\n") == "returnrules 1\n\nlet a = 5 .x\n")
    }

    @Test func stringsAreReEscaped() {
        let text = "returnrules 1\nlet a = \"tab\there \\{x\\} \\\"q\\\" \\\\ {  b  }\"\n"
        #expect(formatted(text) == "returnrules 1\n\nlet a = \"tab\\there \\{x\\} \\\"q\\\" \\\\ {b}\"\n")
    }

    @Test func longConditionsBreakBeforeTopLevelAndOr() throws {
        let condition = (1...8).map { "refund.field_number_\($0) == value_\($0)" }.joined(separator: " and ")
        let text = "returnrules 1\non return accepted match first {\n  rule r\n    when \(condition)\n    then ignore\n}\n"
        let output = try #require(formatted(text))
        let whenLines = output.split(separator: "\n").filter { $0.contains("refund.field_number_") }
        #expect(whenLines.count == 8)
        #expect(whenLines.first == "    when refund.field_number_1 == value_1")
        #expect(whenLines.dropFirst().allSatisfy { $0.hasPrefix("      and refund.field_number_") })
        #expect(output.split(separator: "\n").allSatisfy { $0.count <= RuleFormatter.lineWidth })
    }

    @Test func aConditionThatFitsStaysOnOneLine() throws {
        // Exactly 100 columns: not broken.
        let prefix = "    when a == b and "
        let name = String(repeating: "x", count: 100 - prefix.count - " == c".count)
        let line = prefix + name + " == c"
        #expect(line.count == 100)
        let text = "returnrules 1\n\non return accepted match first {\n  rule r\n\(line)\n    then ignore\n}\n"
        #expect(formatted(text) == text)
        // One more column breaks it.
        let longer = text.replacingOccurrences(of: name, with: name + "x")
        #expect(try #require(formatted(longer)).contains("\n      and x"))
    }

    // MARK: - Structure

    @Test func structureIgnoresSpansLayoutAndComments() {
        let a = FormatTestSupport.parse("returnrules 1\nlet a = [1, 2] # c\n").tree
        let b = FormatTestSupport.parse("# header\n\nreturnrules    1\n\n\nlet a=[\n  1,\n  # two\n  2,\n]\n").tree
        #expect(a.structure == b.structure)
        #expect(a.structurallyEquals(b))
        #expect(a.structure == "(version 1)\n(let a (list (num 1) (num 2)))\n")
    }

    @Test func structureKeepsSpellingsThatMatter() {
        func structure(_ value: String) -> String { FormatTestSupport.parse("returnrules 1\nlet a = \(value)\n").tree.structure }
        #expect(structure("yes") != structure("true"))
        #expect(structure("(x)") != structure("x"))
        #expect(structure("1.0") != structure("1"))
        #expect(structure("400 EUR") != structure("400"))
        #expect(structure("\"a{b}\"") != structure("\"a\\{b\\}\""))
        #expect(structure("\"a\\tb\"") == structure("\"a\tb\""))
    }

    @Test func commentTextsListEveryComment() {
        let tree = FormatTestSupport.parse("# one\nreturnrules 1 # two  \nlet a = [ # three\n 1]\n# four\n").tree
        #expect(tree.commentTexts == ["# one", "# two", "# three", "# four"])
    }

    // MARK: - Diff

    @Test func unifiedDiff() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n"
        let new = "a\nb\nc\nD\ne\nf\ng\nh\ni\n"
        let diff = FormatDiff.unified(old: old, new: new, oldName: "x.rules", newName: "x.rules (formatted)", context: 1)
        #expect(diff == """
        --- x.rules
        +++ x.rules (formatted)
        @@ -3,3 +3,3 @@
         c
        -d
        +D
         e
        @@ -8,1 +8,2 @@
         h
        +i

        """)
        #expect(FormatDiff.unified(old: old, new: old, oldName: "a", newName: "b") == nil)
        #expect(FormatDiff.unified(old: "a", new: "a\n", oldName: "a", newName: "b")?.contains("final line break") == true)
    }
}
