import Foundation
import ReturnRulesDomain
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// The golden snippet corpus in `Tests/Snippets`, checked with the real returns schema.
///
/// A case's output is what `returnrules check` prints for it: the diagnostics in the human
/// format without colour, then the summary line. Paths are relative to `Tests/Snippets/input`.
/// A case fails (golden `.err`) when it has errors; in `errors/` warnings count as failures too,
/// as with `--warnings-as-errors`, so every code, warnings included, has an `.err` golden.
enum SnippetCorpus {
    /// The phases this corpus owns; `fmt/` belongs to the formatter's tests.
    static let phases = ["check", "errors", "recovery"]
    static let harness = SnapshotHarness.snippets(phases: phases)

    /// Cases whose input a test generates instead of committing it: too big or not text.
    static let generated: [String: @Sendable () -> [UInt8]] = [
        "errors/RR0101-invalid-utf8.rules": invalidUTF8File,
        "errors/RR0110-file-too-large.rules": tooLargeFile,
    ]

    static var generatedInputs: [String] { generated.keys.sorted() }

    /// Every case: the committed inputs and the generated ones.
    static var allInputs: [String] { (harness.inputs() + generatedInputs).sorted() }

    /// The phase a case belongs to: its first folder.
    static func phase(of input: String) -> String { String(input.split(separator: "/").first ?? "") }

    static func bytes(of input: String) throws -> [UInt8] {
        if let generator = generated[input] { return generator() }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: harness.inputPath(input))))
    }

    /// Checks one case and renders what the CLI would print.
    static func render(_ input: String, bytes: [UInt8]) -> SnapshotOutcome {
        let sources = SourceMap()
        let root = sources.add(path: input, bytes: bytes)
        let result = RuleFileChecker.check(root: root, sources: sources, loader: DirectorySourceLoader(root: harness.inputDirectory))
        let errors = result.diagnostics.errors.count
        let warnings = result.diagnostics.warnings.count
        var text = HumanDiagnosticRenderer(useColor: false).render(result.diagnostics, sources: sources)
        text += "checked 1 file: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        text = harness.relativize(text)
        let failed = errors > 0 || (phase(of: input) == "errors" && warnings > 0)
        return failed ? .failure(text) : .success(text)
    }

    // MARK: - Generated inputs

    /// A small file with invalid UTF-8 in a comment, in a string and between tokens (Latin-1
    /// `é`, a lone continuation byte, an overlong encoding and a truncated sequence).
    @Sendable static func invalidUTF8File() -> [UInt8] {
        var bytes: [UInt8] = []
        func line(_ text: String) { bytes += Array(text.utf8) + [0x0A] }
        line("returnrules 1")
        line("include \"../_support/header.rules\"")
        bytes += Array("# saved as Latin-1: caf".utf8) + [0xE9] + [0x0A]
        line("on return accepted match first {")
        line("  rule latin1_text")
        line("    otherwise")
        bytes += Array("    then review \"finance\" reason: \"cr".utf8) + [0xE8, 0x6D, 0x65] + Array("\"".utf8) + [0x0A]
        bytes += Array("    then ignore \"x\" ".utf8) + [0x80, 0xC0, 0xAF] + [0x0A]
        line("}")
        bytes += Array("# truncated at the end: ".utf8) + [0xE2, 0x82]
        return bytes
    }

    /// A valid header followed by spaces up to 10 MB: past the 4 MiB limit.
    @Sendable static func tooLargeFile() -> [UInt8] {
        let header = Array("returnrules 1\ninclude \"../_support/header.rules\"\n".utf8)
        var bytes = [UInt8](repeating: UInt8(ascii: " "), count: 10 * 1024 * 1024)
        bytes.replaceSubrange(0..<header.count, with: header)
        return bytes
    }
}
