import Foundation
import ReturnRulesLanguage
import Testing

/// `Tests/Snippets/input/fmt/NAME.rules` formats to `Tests/Snippets/output/fmt/NAME.fmt`.
/// `UPDATE_SNAPSHOTS=1 swift test --filter Format` rewrites the goldens.
@Suite struct FormatGoldenTests {
    static let names = FormatTestSupport.goldenNames
    static let updating = ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1"

    @Test func thereAreGoldens() {
        #expect(FormatGoldenTests.names.count >= 10)
    }

    @Test(arguments: FormatGoldenTests.names)
    func golden(_ name: String) throws {
        let input = FormatTestSupport.inputDirectory.appendingPathComponent(name + ".rules")
        let output = FormatTestSupport.outputDirectory.appendingPathComponent(name + ".fmt")
        let text = try #require(FormatTestSupport.read(input), "cannot read \(input.path)")
        let result = RuleFormatter.format(source: text, path: "fmt/\(name).rules")
        guard case .success(let formatted) = result else {
            Issue.record("fmt/\(name).rules was not formatted: \(result)")
            return
        }
        if FormatGoldenTests.updating {
            try formatted.write(to: output, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = FormatTestSupport.read(output) else {
            Issue.record("missing golden \(output.path); run with UPDATE_SNAPSHOTS=1 to create it")
            return
        }
        if formatted != expected {
            let diff = FormatDiff.unified(old: expected, new: formatted, oldName: "golden", newName: "formatted") ?? ""
            Issue.record("fmt/\(name).rules differs from its golden:\n\(diff)")
        }
        // The golden is a fixed point, and both properties hold on the input.
        #expect(RuleFormatter.format(source: expected) == .success(expected), "the golden of \(name) is not formatted")
        for failure in FormatTestSupport.propertyFailures(text, name: name) { Issue.record("\(failure)") }
    }

    /// Every golden output has an input (a renamed input leaves no stale golden behind).
    @Test func noOrphanGoldens() throws {
        let outputs = try FileManager.default.contentsOfDirectory(atPath: FormatTestSupport.outputDirectory.path)
            .filter { $0.hasSuffix(".fmt") }.map { String($0.dropLast(".fmt".count)) }
        #expect(Set(outputs).subtracting(FormatGoldenTests.names).sorted() == [])
    }
}
