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

    @Test func stepKindNamesAreTheirRawValues() {
        for kind in PlanStep.Kind.allCases {
            #expect("\(PlanJSONEncoder.name(of: kind))" == kind.rawValue)
        }
    }
}
