import Foundation
import Testing
@testable import ReturnRulesCLI
import ReturnRulesDomain

/// `plan` over files reads and maps on a second thread; the output must be the one-thread
/// output, byte for byte, whatever the input.
@Suite("CLI: plan on two threads")
struct PlanPipelineTests {
    static let oneThread = ["RETURNRULES_PLAN_THREADS": "1"]

    func bothWays(_ arguments: [String], in directory: String) -> (ToolRun, ToolRun) {
        (CLI.run(arguments, in: directory), CLI.run(arguments, in: directory, environment: Self.oneThread))
    }

    /// The examples repeated past several batches (later copies are duplicates or stale).
    static func manyEvents() throws -> ScratchDirectory {
        let scratch = try PlanCommandTests.jsonLines()
        let path = scratch.path + "/events.jsonl"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try String(repeating: text, count: 12).write(toFile: path, atomically: true, encoding: .utf8)
        return scratch
    }

    @Test(arguments: [["--format", "json"], []])
    func sameOutputAsOneThread(format: [String]) throws {
        let scratch = try Self.manyEvents()
        let (two, one) = bothWays(["plan", "--rules", PlanCommandTests.repository + "/examples/returns.rules", "--store",
                                   PlanCommandTests.repository + "/examples/store", "--events", scratch.path + "/events.jsonl"] + format,
                                  in: scratch.path)
        #expect(two.code == one.code)
        #expect(two.stdout == one.stdout)
        #expect(two.stderr == one.stderr)
        #expect(two.stdout.count > 10_000)
    }

    @Test func aBadLineAndAMissingPathComeOutInTheSameOrder() throws {
        let scratch = try Self.manyEvents()
        let path = scratch.path + "/events.jsonl"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += "{\"id\": \"evt_cut\", \"data\": {\"return\": {\"id\": \"x\"\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let (two, one) = bothWays(["plan", "--rules", PlanCommandTests.repository + "/examples/returns.rules", "--events", path,
                                   "--events", scratch.path + "/missing.jsonl", "--format", "json"], in: scratch.path)
        #expect(one.code != 0)
        #expect(two.code == one.code)
        #expect(two.stdout == one.stdout)
        #expect(two.stderr == one.stderr)
    }

    /// Files are planned in batches whose content digests are computed together in SIMD lanes;
    /// standard input is planned event by event with the scalar SHA-256. Both must decide the
    /// same duplicates (the repeated examples), so both print the same plan.
    @Test func batchedDigestsPlanLikeEventByEvent() throws {
        // Copies under new event ids: only their content digests make them duplicates.
        let scratch = try PlanCommandTests.jsonLines()
        let path = scratch.path + "/events.jsonl"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let copies = (0..<12).map { text.replacingOccurrences(of: "\"evt_", with: "\"evt_copy\($0)_") }
        try copies.joined().write(toFile: path, atomically: true, encoding: .utf8)
        let rules = PlanCommandTests.repository + "/examples/returns.rules"
        let store = PlanCommandTests.repository + "/examples/store"
        let batched = CLI.run(["plan", "--rules", rules, "--store", store, "--events", path, "--format", "json"],
                              in: scratch.path, environment: Self.oneThread)
        let capture = Capture()
        let input = try #require(FileHandle(forReadingAtPath: path))
        let io = ToolIO(stdout: { capture.stdout += $0 }, stderr: { capture.stderr += $0 }, stdin: { input },
                        stdoutIsTerminal: false, stderrIsTerminal: false, environment: Self.oneThread, currentDirectory: scratch.path)
        let code = CommandLineTool.run(["plan", "--rules", rules, "--store", store, "--events", "-", "--format", "json"], io: io)
        let streamed = String(decoding: capture.stdout, as: UTF8.self)
        #expect(code == batched.code)
        #expect(streamed.replacingOccurrences(of: "\"<stdin>\"", with: "\"events.jsonl\"") == batched.stdout)
        #expect(batched.stdout.contains("same content as event evt_copy0_"))
    }

    @Test func stepKindNamesAreTheirRawValues() {
        for kind in PlanStep.Kind.allCases {
            #expect("\(PlanJSONEncoder.name(of: kind))" == kind.rawValue)
        }
    }
}
