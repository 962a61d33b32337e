import Foundation
import ReturnRulesLanguage

/// Paths and checks shared by the formatter tests.
enum FormatTestSupport {
    /// The repository root, found from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Format
        .deletingLastPathComponent() // ReturnRulesLanguageTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent()

    static let inputDirectory = repositoryRoot.appendingPathComponent("Tests/Snippets/input/fmt")
    static let outputDirectory = repositoryRoot.appendingPathComponent("Tests/Snippets/output/fmt")

    /// Golden input names (without `.rules`), sorted.
    static var goldenNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: inputDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".rules") }.map { String($0.dropLast(".rules".count)) }.sorted()
    }

    /// Every `.rules` file under `rules/`, `examples/` and `Tests/Snippets/input/`, relative to the root, sorted.
    static var corpusFiles: [String] {
        var found: [String] = []
        for directory in ["rules", "examples", "Tests/Snippets/input"] {
            let url = repositoryRoot.appendingPathComponent(directory)
            guard let enumerator = FileManager.default.enumerator(atPath: url.path) else { continue }
            while let relative = enumerator.nextObject() as? String {
                if relative.hasSuffix(".rules") { found.append(directory + "/" + relative) }
            }
        }
        return found.sorted()
    }

    static func read(_ url: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func parse(_ text: String, path: String = "<test>") -> (tree: SyntaxTree, errors: [Diagnostic]) {
        var sink = DiagnosticSink()
        let tree = Parser.parse(SourceFile(id: 0, path: path, text: text), diagnostics: &sink)
        return (tree, sink.diagnostics.errors)
    }

    /// The layout of `text` straight from the tree, without the safety re-parse of
    /// `RuleFormatter.format(_: SourceFile)`, so the property checks test the layout itself.
    /// Nil when the text has syntax errors.
    static func rawFormat(_ text: String) -> String? {
        let (tree, errors) = parse(text)
        guard errors.isEmpty else { return nil }
        return RuleFormatter.format(tree)
    }

    /// The three formatter properties on one valid input; returns what went wrong, empty when
    /// all hold: fmt(fmt(x)) == fmt(x), parse(fmt(x)) has the structure of parse(x), and the
    /// comments are the same multiset.
    static func propertyFailures(_ text: String, name: String) -> [String] {
        let (tree, errors) = parse(text, path: name)
        guard errors.isEmpty else { return ["\(name): the input has syntax errors: \(errors.map(\.message))"] }
        let once = RuleFormatter.format(tree)
        var failures: [String] = []
        let (formattedTree, formattedErrors) = parse(once, path: name)
        if !formattedErrors.isEmpty {
            failures.append("\(name): the formatted text has syntax errors: \(formattedErrors.map(\.message))\n--- formatted ---\n\(once)")
            return failures
        }
        if formattedTree.structure != tree.structure {
            failures.append("\(name): formatting changed the structure\n"
                + (FormatDiff.unified(old: tree.structure, new: formattedTree.structure, oldName: "input", newName: "formatted") ?? "")
                + "--- input ---\n\(text)\n--- formatted ---\n\(once)")
        }
        if formattedTree.commentTexts.sorted() != tree.commentTexts.sorted() {
            failures.append("\(name): formatting changed the comments: \(tree.commentTexts) -> \(formattedTree.commentTexts)\n--- input ---\n\(text)\n--- formatted ---\n\(once)")
        }
        let twice = RuleFormatter.format(formattedTree)
        if twice != once {
            failures.append("\(name): formatting is not idempotent\n"
                + (FormatDiff.unified(old: once, new: twice, oldName: "fmt(x)", newName: "fmt(fmt(x))") ?? "")
                + "--- input ---\n\(text)")
        }
        if !once.hasSuffix("\n") || once.hasSuffix("\n\n") {
            failures.append("\(name): the formatted text must end with exactly one newline")
        }
        if case .failure(let error) = RuleFormatter.format(source: text, path: name) {
            failures.append("\(name): RuleFormatter.format(source:) refused a valid file: \(error)")
        }
        return failures
    }
}
