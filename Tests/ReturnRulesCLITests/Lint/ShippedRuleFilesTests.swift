import Foundation
import JSONBytes
import Testing
@testable import ReturnRulesCLI
import ReturnRulesTestSupport

/// Every rule file in `rules/`, `examples/` and `benchmarks/` passes `returnrules check` with no
/// errors and no warnings, as CI runs it before a deploy.
@Suite("CLI: shipped rule files")
struct ShippedRuleFilesTests {
    static let repository = URL(fileURLWithPath: SnapshotHarness.testsDirectory(near: #filePath)).deletingLastPathComponent().path

    /// `file:line code` of every error and warning `check --format json` reports for the shipped files.
    static func errors() throws -> [String] {
        let run = CLI.run(["check", "--format", "json", "rules", "examples", "benchmarks"], in: repository)
        let root = try JSONValue(parsing: run.stdout)
        guard case .array(let diagnostics)? = root["diagnostics"] else { return ["no diagnostics array: \(run.stdout)"] }
        return diagnostics.compactMap { diagnostic in
            guard diagnostic["severity"] != .string("note"), case .string(let code)? = diagnostic["code"] else { return nil }
            var location = "?"
            if case .string(let file)? = diagnostic["file"], case .number(let line)? = diagnostic["line"] { location = "\(file):\(line)" }
            return "\(location) \(code)"
        }
    }

    /// Every shipped rule file checks with no errors and no warnings: CI runs `check` on them
    /// with `set -e`, and a warning exits 2.
    @Test func shippedRuleFilesCheckWithoutErrors() throws {
        let errors = try Self.errors()
        #expect(errors.isEmpty, "errors in rules/ or examples/: \(errors.sorted())")
    }
}

extension ShippedRuleFilesTests {
    /// The file the lint benchmark times (`Tests/Snippets/input/_bench`) stays a valid, clean
    /// 500-line client file as the language grows. Only its result is checked, never its time.
    @Test func theBenchmarkFileChecksClean() throws {
        let path = "Tests/Snippets/input/_bench/client-500-lines.rules"
        let text = try String(contentsOfFile: Self.repository + "/" + path, encoding: .utf8)
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count >= 500)
        let run = CLI.run(["check", path], in: Self.repository)
        #expect(run.code == 0, "\(run.stdout)")
    }
}
