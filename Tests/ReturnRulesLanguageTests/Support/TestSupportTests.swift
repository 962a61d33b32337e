import Foundation
import Testing
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// The test-support library itself: markers, diagnostic specs, the golden harness, the diff.
@Suite("Test support")
struct TestSupportTests {
    // MARK: - MarkedText

    @Test func markersAreStrippedAndTheirByteOffsetsKept() {
        let marked = MarkedText("let 1️⃣x = \"é\" 2️⃣+ 3️⃣y🔟")
        #expect(marked.text == "let x = \"é\" + y")
        #expect(marked["1️⃣"] == 4)
        #expect(marked["2️⃣"] == 13, "é is two bytes")
        #expect(marked["3️⃣"] == 15)
        #expect(marked["🔟"] == 16)
        #expect(marked["4️⃣"] == nil)
        #expect(marked.duplicates.isEmpty)
        #expect(MarkedText("1️⃣a1️⃣").duplicates == ["1️⃣"])
    }

    @Test func textWithoutMarkersIsUnchanged() {
        let text = "returnrules 1\n# 1 2 3 and an emoji 😀\n"
        #expect(MarkedText(text).text == text)
        #expect(MarkedText(text).offsets.isEmpty)
    }

    // MARK: - assertDiagnostics

    @Test func everyDiagnosticMustBeAsserted() {
        withKnownIssue("an unasserted diagnostic fails the test") {
            assertDiagnostics(source: "let x = $\n", phase: .parse, specs: [])
        }
        withKnownIssue("an expected diagnostic that is not emitted fails the test") {
            assertDiagnostics(source: "1️⃣let x = 1\n", phase: .parse, specs: [DiagnosticSpec("1️⃣", code: .expectedToken)])
        }
        withKnownIssue("a diagnostic at another place does not match") {
            assertDiagnostics(source: "let 1️⃣x = $\n", phase: .parse, specs: [
                DiagnosticSpec("1️⃣", code: .unexpectedCharacter), DiagnosticSpec("1️⃣", code: .expectedToken),
            ])
        }
        withKnownIssue("a wrong message substring fails the test") {
            assertDiagnostics(source: "let x = 1️⃣$\n", phase: .parse, specs: [
                DiagnosticSpec("1️⃣", code: .unexpectedCharacter, message: "something else"),
                DiagnosticSpec("1️⃣", code: .expectedToken),
            ])
        }
        withKnownIssue("a marker missing from the source fails the test") {
            assertDiagnostics(source: "let x = 1\n", phase: .parse, specs: [DiagnosticSpec("5️⃣", code: .expectedToken)])
        }
    }

    @Test func specsMatchByCodePlaceMessageHighlightAndHelp() {
        assertDiagnostics(source: "let x = 1️⃣$\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .unexpectedCharacter, message: "unexpected character `$`", severity: .error, highlight: "$"),
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected a value"),
        ])
    }

    @Test func specsCanPointIntoIncludes() {
        assertDiagnostics(source: TestSchema.header + "include \"lib/base.rules\"\n", includes: [
            "lib/base.rules": "returnrules 1\nlet 1️⃣spare = 2️⃣nope\n",
        ], specs: [
            DiagnosticSpec("2️⃣", code: .unknownName, in: "lib/base.rules"),
        ])
    }

    @Test func unlocatedDiagnostics() {
        var source = ""
        for index in 0..<101 { source += "let x\(index) = $\n" }
        let checked = LanguageHarness.run(source: source, phase: .parse)
        #expect(checked.diagnostics.last?.code == .tooManyErrors)
        #expect(checked.diagnostics.last?.span.isNone == true)
    }

    // MARK: - TestSchema

    @Test func theTestSchemaChecksAMinimalFile() {
        assertClean(source: TestSchema.header)
    }

    // MARK: - TextDiff

    @Test func diffShowsTheFirstDifferencesWithLineNumbers() throws {
        #expect(TextDiff.diff(expected: "a\nb\n", actual: "a\nb\n") == nil)
        let diff = try #require(TextDiff.diff(expected: "one\ntwo\nthree\nfour\n", actual: "one\n2\nthree\nfour\nfive\n"))
        #expect(diff.contains("@@ expected line 1, actual line 1 @@"))
        #expect(diff.contains("- two\n+ 2"))
        #expect(diff.contains("+ five"))
        #expect(TextDiff.diff(expected: "a\n", actual: "a")?.contains("final line break") == true)
    }

    @Test func diffLimitsItsOutput() throws {
        let expected = (0..<400).map { "line \($0)" }.joined(separator: "\n")
        let actual = (0..<400).map { $0 % 50 == 0 ? "changed \($0)" : "line \($0)" }.joined(separator: "\n")
        let diff = try #require(TextDiff.diff(expected: expected, actual: actual, maximumHunks: 3))
        #expect(diff.contains("… more differences not shown"))
        #expect(diff.components(separatedBy: "@@ expected").count - 1 == 3)
    }

    // MARK: - SnapshotHarness

    final class Scratch {
        let path = NSTemporaryDirectory() + "returnrules-snapshot-tests-" + UUID().uuidString
        init(_ files: [String: String]) throws {
            for (name, text) in files {
                let full = path + "/" + name
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: full))
            }
        }
        func read(_ name: String) -> String? { try? String(contentsOfFile: path + "/" + name, encoding: .utf8) }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + name) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    static func harness(_ scratch: Scratch, updating: Bool = false) -> SnapshotHarness {
        SnapshotHarness(inputDirectory: scratch.path + "/input", outputDirectory: scratch.path + "/output", inputExtension: "rules",
                        phases: ["check", "errors"], updating: updating)
    }

    @Test func inputsSkipSupportFilesAndOtherPhases() throws {
        let scratch = try Scratch([
            "input/check/a.rules": "", "input/check/_support/base.rules": "", "input/errors/_x.rules": "",
            "input/errors/b.rules": "", "input/fmt/c.rules": "", "input/check/notes.txt": "",
            "output/check/a.out": "", "output/errors/gone.err": "", "output/fmt/c.fmt": "",
        ])
        let harness = TestSupportTests.harness(scratch)
        #expect(harness.inputs() == ["check/a.rules", "errors/b.rules"])
        #expect(harness.orphanGoldens() == ["errors/gone.err"])
        #expect(harness.orphanGoldens(extraInputs: ["errors/gone.rules"]).isEmpty)
    }

    @Test func aMatchingGoldenPasses() throws {
        let scratch = try Scratch(["input/check/a.rules": "", "output/check/a.out": "fine\n"])
        #expect(TestSupportTests.harness(scratch).verify("check/a.rules", .success("fine\n")))
    }

    @Test func aMissingGoldenIsWrittenAndFails() throws {
        let scratch = try Scratch(["input/check/a.rules": ""])
        withKnownIssue("a missing golden fails the test") {
            #expect(!TestSupportTests.harness(scratch).verify("check/a.rules", .failure("boom\n")))
        }
        #expect(scratch.read("output/check/a.err") == "boom\n")
        #expect(TestSupportTests.harness(scratch).verify("check/a.rules", .failure("boom\n")), "the second run passes")
    }

    @Test func aDifferentOutputFailsWithADiff() throws {
        let scratch = try Scratch(["input/check/a.rules": "", "output/check/a.out": "one\ntwo\n"])
        withKnownIssue("a mismatch fails the test") {
            TestSupportTests.harness(scratch).verify("check/a.rules", .success("one\n2\n"))
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("- two\n+ 2") }
        }
        #expect(scratch.read("output/check/a.out") == "one\ntwo\n", "without UPDATE_SNAPSHOTS the golden is left alone")
    }

    @Test func bothGoldensAreAnError() throws {
        let scratch = try Scratch(["input/check/a.rules": "", "output/check/a.out": "x\n", "output/check/a.err": "x\n"])
        let harness = TestSupportTests.harness(scratch)
        #expect(harness.inputsWithBothGoldens() == ["check/a.rules"])
        withKnownIssue("both goldens fail the test") {
            harness.verify("check/a.rules", .success("x\n"))
        }
    }

    @Test func aChangedOutcomeFails() throws {
        let scratch = try Scratch(["input/check/a.rules": "", "output/check/a.out": "x\n"])
        withKnownIssue("an input that used to succeed and now fails fails the test") {
            TestSupportTests.harness(scratch).verify("check/a.rules", .failure("x\n"))
        }
        #expect(!scratch.exists("output/check/a.err"))
    }

    @Test func updatingRewritesGoldensAndRemovesTheOtherKind() throws {
        let scratch = try Scratch(["input/check/a.rules": "", "output/check/a.out": "old\n"])
        #expect(TestSupportTests.harness(scratch, updating: true).verify("check/a.rules", .failure("new\n")))
        #expect(scratch.read("output/check/a.err") == "new\n")
        #expect(!scratch.exists("output/check/a.out"))
    }

    @Test func pathsAreMadeRelative() throws {
        let scratch = try Scratch([:])
        let harness = TestSupportTests.harness(scratch)
        #expect(harness.relativize("\(scratch.path)/input/check/a.rules:1:1: error") == "check/a.rules:1:1: error")
    }

    // MARK: - SplitMix64

    @Test func splitMixIsDeterministic() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42), c = SplitMix64(seed: 43)
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first != (0..<5).map { _ in c.next() })
        // The reference value of SplitMix64 for seed 0.
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
        var bounded = SplitMix64(seed: 1)
        #expect((0..<1_000).allSatisfy { _ in (0..<7).contains(bounded.below(7)) })
    }
}
