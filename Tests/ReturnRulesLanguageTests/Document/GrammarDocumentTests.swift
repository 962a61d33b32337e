import Foundation
import Testing
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// Grammar.md is normative: every example in it must parse with no syntax diagnostics.
///
/// Each fenced block that is not `ebnf` is an example. A block whose first word is `when` is a
/// condition: it is parsed as the expression of a rule. A block of rules (it starts with
/// `rule` or an annotation) is wrapped in a decision table. Everything else is a file.
@Suite("Grammar.md")
struct GrammarDocumentTests {
    struct Example: Sendable, CustomStringConvertible {
        /// 1-based line of the opening fence in Grammar.md.
        var line: Int
        var language: String
        var text: String
        var description: String { "Grammar.md:\(line)" }
    }

    enum Kind: Equatable { case file, condition, rules }

    static let path = SnapshotHarness.testsDirectory(near: #filePath) + "/../Grammar.md"

    static let examples: [Example] = {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return fencedBlocks(in: text).filter { $0.language != "ebnf" }
    }()

    static func fencedBlocks(in document: String) -> [Example] {
        var blocks: [Example] = []
        var current: (line: Int, language: String, lines: [String])?
        for (index, line) in document.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                if let open = current {
                    blocks.append(Example(line: open.line, language: open.language, text: open.lines.joined(separator: "\n") + "\n"))
                    current = nil
                } else {
                    current = (index + 1, String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces), [])
                }
            } else if current != nil {
                current!.lines.append(String(line))
            }
        }
        return blocks
    }

    static func kind(of example: Example) -> Kind {
        let firstWord = example.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).first.map(String.init) ?? ""
        if firstWord == "when" { return .condition }
        if firstWord == "rule" || firstWord.hasPrefix("@") { return .rules }
        return .file
    }

    /// The source actually parsed for an example, and the offset of the example inside it.
    static func source(for example: Example) -> (text: String, offset: Int) {
        switch kind(of: example) {
        case .file: return (example.text, 0)
        case .condition:
            let prefix = "on return accepted match first {\n  rule example\n    "
            return (prefix + example.text + "    then ignore \"example\"\n}\n", prefix.utf8.count)
        case .rules:
            let prefix = "on return accepted match first {\n"
            return (prefix + example.text + "}\n", prefix.utf8.count)
        }
    }

    @Test func theDocumentHasExamples() {
        #expect(GrammarDocumentTests.examples.count >= 10, "found \(GrammarDocumentTests.examples.count) examples in \(GrammarDocumentTests.path)")
        // Every kind of item appears in some example.
        let all = GrammarDocumentTests.examples.map(\.text).joined(separator: "\n")
        for word in ["returnrules 1", "include", "let", "override let", "mapping", "aliases", "on return", "override rule", "@allow", "reveni {"] {
            #expect(all.contains(word), "no example shows `\(word)`")
        }
    }

    @Test(arguments: examples)
    func exampleParses(_ example: Example) {
        let (text, offset) = GrammarDocumentTests.source(for: example)
        let (tree, diagnostics) = LanguageHarness.parse(text, path: "Grammar.md")
        let report = diagnostics.map { diagnostic -> String in
            // Point at the line in Grammar.md, not in the wrapped text.
            let start = max(0, diagnostic.span.start - offset)
            let lineInBlock = example.text.utf8.prefix(start).filter { $0 == UInt8(ascii: "\n") }.count
            return "Grammar.md:\(example.line + 1 + lineInBlock): \(diagnostic.code) \(diagnostic.message)"
        }
        #expect(diagnostics.isEmpty, "example at \(example) does not parse:\n\(report.joined(separator: "\n"))\n\(example.text)")
        #expect(!tree.items.isEmpty)
        if GrammarDocumentTests.kind(of: example) == .condition {
            guard case .ruleBlock(let block)? = tree.items.first?.kind, case .when = block.rules.first?.condition else {
                Issue.record("\(example): the condition did not become a rule's `when`")
                return
            }
        }
    }

    @Test func everyProductionNamesAParserFunctionThatExists() throws {
        let grammar = try String(contentsOfFile: GrammarDocumentTests.path, encoding: .utf8)
        let syntaxDirectory = SnapshotHarness.testsDirectory(near: #filePath) + "/../Sources/ReturnRulesLanguage/Syntax"
        let files = try FileManager.default.contentsOfDirectory(atPath: syntaxDirectory).filter { $0.hasSuffix(".swift") }
        let code = try files.map { try String(contentsOfFile: syntaxDirectory + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
        var names: Set<String> = []
        var rest = Substring(grammar)
        while let range = rest.range(of: "(* parse") {
            let tail = rest[range.upperBound...]
            let name = "parse" + tail.prefix { $0.isLetter }
            names.insert(name)
            rest = tail
        }
        #expect(names.count >= 15)
        for name in names.sorted() {
            #expect(code.contains("func \(name)("), "Grammar.md names `\(name)`, which the parser does not define")
        }
    }
}
