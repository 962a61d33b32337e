import Foundation
import ReturnRulesLanguage
import Testing

/// The formatter properties on every rule file of the repository: `rules/`, `examples/` and
/// every snippet input (files with syntax errors are skipped: fmt refuses them).
@Suite struct FormatCorpusTests {
    static let files = FormatTestSupport.corpusFiles

    @Test func theCorpusIsNotEmpty() {
        #expect(FormatCorpusTests.files.count >= 10)
    }

    @Test(arguments: FormatCorpusTests.files)
    func propertiesHold(_ relativePath: String) throws {
        let url = FormatTestSupport.repositoryRoot.appendingPathComponent(relativePath)
        let text = try #require(FormatTestSupport.read(url))
        let (_, errors) = FormatTestSupport.parse(text, path: relativePath)
        if !errors.isEmpty {
            // Not formatted: the formatter must say so rather than guess.
            guard case .failure(.syntaxErrors(let reported)) = RuleFormatter.format(source: text, path: relativePath) else {
                Issue.record("\(relativePath) has syntax errors but was formatted")
                return
            }
            #expect(!reported.isEmpty)
            return
        }
        for failure in FormatTestSupport.propertyFailures(text, name: relativePath) { Issue.record("\(failure)") }
    }
}
