import BenchmarkSpec
import Foundation
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage
import Testing

/// benchmarks/spec.rules makes the reference decision of ../shared/bench/expected.py (standard
/// library Python) on the same 10,000 generated events: rule, action, reason and amount.
@Suite("Benchmark spec against the reference")
struct ReferenceDecisionTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let bench = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/bench")
    /// The peer folder sits beside the repository (as in CI); without it there is nothing to compare with.
    static let available = FileManager.default.fileExists(atPath: bench.appendingPathComponent("expected.py").path)

    @Test(.enabled(if: available, "../shared/bench is not beside the repository"))
    func tenThousandEventsMatchExpectedPy() throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("rr-spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let events = temporary.appendingPathComponent("events.jsonl").path
        // shared/ may be read-only: the scripts write only where they are told.
        try python(["gen_events.py", "--n", "10000", "--seed", "42", "--out", events])
        let expected = try python(["expected.py", "--events", events])

        let rulesPath = Self.packageRoot.appendingPathComponent("benchmarks/spec.rules").path
        let sources = SourceMap()
        let root = sources.add(path: rulesPath, bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: rulesPath))))
        let checked = RuleFileChecker.check(root: root, sources: sources, loader: nil)
        let program = try #require(checked.program, "benchmarks/spec.rules does not check")
        let rules = CompiledRuleSet(program)
        let decider = SpecDecider(rules: rules)
        let loaded = try SpecEvents.load([UInt8](try Data(contentsOf: URL(fileURLWithPath: events))), path: events, rules: rules)

        let expectedLines = expected.split(separator: UInt8(ascii: "\n"))
        #expect(loaded.count == 10_000)
        #expect(expectedLines.count == loaded.count)
        var mismatches: [String] = []
        for (event, line) in zip(loaded, expectedLines) {
            let reference = try JSONDocument(parsing: Array(line)).root
            let want = SpecDecision(rule: reference.member("rule")?.stringValue ?? "?", action: reference.member("action")?.stringValue ?? "?",
                                    reason: reference.member("reason")?.stringValue ?? "?", amount: reference.member("amount")?.stringValue)
            let got = event.duplicate ? SpecDecision.duplicate : decider.decide(event.record)
            if got != want, mismatches.count < 10 { mismatches.append("\(event.id): ours \(got.json), expected \(want.json)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    /// Runs a script of ../shared/bench with python3 and returns its standard output.
    @discardableResult
    func python(_ arguments: [String]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = Self.bench
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 \(arguments.joined(separator: " ")) failed")
        return [UInt8](data)
    }
}
