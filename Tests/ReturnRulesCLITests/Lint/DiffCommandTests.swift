import Foundation
import JSONBytes
import Testing
@testable import ReturnRulesCLI
import ReturnRulesTestSupport

/// `returnrules diff OLD NEW [--events PATH] [--store DIR]`.
@Suite("CLI: diff")
struct DiffCommandTests {
    static let old = RuleTexts.header + """
    let limit = 400.00 EUR

    on return accepted, partly_accepted match first {
      rule over_limit
        when refund.amount > limit
        then review "finance" reason: "over"

      rule exchange
        when return.type == exchange
        then replacement_order

      rule card
        when refund.method == original_payment_method and refund.executed_by == merchant
        then refund items path: gateway

      rule decide
        otherwise
        then review "finance" reason: "decide"
    }

    """

    static let narrowed = old.replacingOccurrences(
        of: "when refund.method == original_payment_method and refund.executed_by == merchant",
        with: "when refund.method == original_payment_method and refund.executed_by == merchant and return.type == refund")

    @Test func identicalFilesExitZero() throws {
        let scratch = try ScratchDirectory(["old.rules": Self.old, "new.rules": Self.old])
        let run = CLI.run(["diff", "old.rules", "new.rules"], in: scratch.path)
        #expect(run.code == 0)
        #expect(run.stdout == "--- old.rules\n+++ new.rules\ndomain cells: 0 of 72 change outcome\n")
    }

    @Test func changedCellsAreListedWithBeforeAndAfter() throws {
        let scratch = try ScratchDirectory(["old.rules": Self.old, "new.rules": Self.narrowed])
        let run = CLI.run(["diff", "old.rules", "new.rules"], in: scratch.path)
        #expect(run.code == 2)
        #expect(run.stdout == """
        --- old.rules
        +++ new.rules
        domain cells: 2 of 72 change outcome

        @ return accepted, partly_accepted: 2 cells
          type=mixed method=original_payment_method executed_by=merchant
          on return accepted, partly_accepted match first
            over_limit if refund.amount > 400.00 EUR: review "finance" reason: "over"
        -   card: refund items path: gateway
        +   decide (otherwise): review "finance" reason: "decide"

        """)
    }

    @Test func theJSONFormatIsVersioned() throws {
        let scratch = try ScratchDirectory(["old.rules": Self.old, "new.rules": Self.narrowed])
        let run = CLI.run(["diff", "--format", "json", "old.rules", "new.rules"], in: scratch.path)
        #expect(run.code == 2)
        let root = try JSONValue(parsing: run.stdout)
        #expect(root["diff_format_version"] == .number("1"))
        #expect(root["cells"]?["total"] == .number("72"))
        #expect(root["cells"]?["changed"] == .number("2"))
        #expect(root["cells"]?["changes"]?[0]?["cells"]?[0]?["type"] == .string("mixed"))
        #expect(root["events"] == nil)
    }

    @Test func aFileThatDoesNotCheckIsAnError() throws {
        let scratch = try ScratchDirectory(["old.rules": Self.old, "bad.rules": RuleTexts.withError])
        let run = CLI.run(["diff", "old.rules", "bad.rules"], in: scratch.path)
        #expect(run.code == 1)
        #expect(run.stderr.contains("error[RR0205]"))
        #expect(CLI.run(["diff", "old.rules"], in: scratch.path).code == 64)
    }

    @Test func sampleEventsThatChangePlanAreListed() throws {
        let repository = URL(fileURLWithPath: SnapshotHarness.testsDirectory(near: #filePath)).deletingLastPathComponent().path
        let rules = try String(contentsOfFile: repository + "/examples/returns.rules", encoding: .utf8)
        let scratch = try ScratchDirectory(["new.rules": rules.replacingOccurrences(of: "let finance_limit = 400.00 EUR", with: "let finance_limit = 1000.00 EUR")])
        let run = CLI.run(["diff", repository + "/examples/returns.rules", scratch.file("new.rules"),
                           "--events", repository + "/examples/events", "--store", repository + "/examples/store"], in: repository)
        #expect(run.code == 2, "\(run.stderr)")
        #expect(run.stdout.contains("\nevents: 1 of "), "\(run.stdout)")
        #expect(run.stdout.contains("@ examples/events/19-over-finance-limit.json"))
        #expect(run.stdout.contains("\n- review finance: refund of "))
        #expect(run.stdout.contains("\n+ refund "))
        let same = CLI.run(["diff", "examples/returns.rules", "examples/returns.rules", "--events", "examples/events", "--store", "examples/store"], in: repository)
        #expect(same.code == 0, "\(same.stdout)\(same.stderr)")
        #expect(same.stdout.contains("\nevents: 0 of "))
    }
}
