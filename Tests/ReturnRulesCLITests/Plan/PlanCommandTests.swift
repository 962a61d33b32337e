import Foundation
import JSONBytes
import Testing
@testable import ReturnRulesCLI
import ReturnRulesTestSupport

/// `returnrules plan` end to end through `CommandLineTool.run`, on the shipped examples.
@Suite("CLI: plan")
struct PlanCommandTests {
    static let repository = URL(fileURLWithPath: SnapshotHarness.testsDirectory(near: #filePath)).deletingLastPathComponent().path

    /// The examples' events as one JSON Lines file, in a scratch directory.
    static func jsonLines() throws -> ScratchDirectory {
        var lines: [String] = []
        let folder = repository + "/examples/events"
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".json") {
            let value = try JSONValue(parsing: [UInt8](try #require(FileManager.default.contents(atPath: folder + "/" + name))))
            let events: [JSONValue]
            if case .array(let elements) = value { events = elements } else { events = [value] }
            for event in events { lines.append(String(decoding: event.serialized(), as: UTF8.self)) }
        }
        return try ScratchDirectory(["events.jsonl": lines.joined(separator: "\n") + "\n"])
    }

    @Test func streamedJSONLinesGiveOneValidVersionedDocument() throws {
        let scratch = try Self.jsonLines()
        let run = CLI.run(["plan", "--rules", Self.repository + "/examples/returns.rules", "--store", Self.repository + "/examples/store",
                           "--events", scratch.path + "/events.jsonl", "--format", "json"], in: scratch.path)
        #expect(run.code == 0, "\(run.stderr)")
        let document = try JSONValue(parsing: run.stdout)
        #expect(document["plan_format_version"] == .number("1"))
        guard case .array(let events)? = document["events"] else { Issue.record("no events array"); return }
        #expect(events.count == 28)
        #expect(document["summary"]?["events"] == .number("28"))
    }

    @Test func streamedHumanOutputEndsWithTheSummary() throws {
        let scratch = try Self.jsonLines()
        let run = CLI.run(["plan", "--rules", Self.repository + "/examples/returns.rules", "--store", Self.repository + "/examples/store",
                           "--events", scratch.path + "/events.jsonl"], in: scratch.path)
        #expect(run.code == 0, "\(run.stderr)")
        let lastLine = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(lastLine.hasPrefix("Plan: "), "\(lastLine)")
    }

    @Test func aTruncatedLineIsRejectedWithItsLineNumberAndTheOthersArePlanned() throws {
        let scratch = try Self.jsonLines()
        let path = scratch.path + "/events.jsonl"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += "{\"id\": \"evt_cut\", \"data\": {\"return\": {\"id\": \"x\"\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let run = CLI.run(["plan", "--rules", Self.repository + "/examples/returns.rules", "--events", path, "--format", "json"], in: scratch.path)
        #expect(run.code == 1)
        let document = try JSONValue(parsing: run.stdout)
        #expect(document["summary"]?["rejected"] == .number("1"))
        #expect(document["summary"]?["events"] == .number("29"))
        #expect(run.stderr.contains("could not be read or mapped"))
    }

    @Test func detailedExitCodeSaysWhetherAnythingIsToBeDone() throws {
        let rules = Self.repository + "/examples/returns.rules"
        let store = Self.repository + "/examples/store"
        let changes = CLI.run(["plan", "--rules", rules, "--store", store, "--events", Self.repository + "/examples/events/01-plain-refund.json", "--detailed-exitcode"],
                              in: Self.repository)
        #expect(changes.code == 2)
        let nothing = CLI.run(["plan", "--rules", rules, "--store", store, "--events", Self.repository + "/examples/events/18-cancelled.json", "--detailed-exitcode"],
                              in: Self.repository)
        // A cancelled return still gets its notes for customer service: that is something to do.
        #expect(nothing.code == 2)
    }

    @Test func warningsInTheRulesAreNamedButDoNotStopThePlan() throws {
        // The shipped rules plus a constant nothing uses: one warning.
        let shipped = try String(contentsOfFile: Self.repository + "/examples/returns.rules", encoding: .utf8)
        let scratch = try ScratchDirectory(["warned.rules": shipped + "\nlet spare_limit = 10.00 EUR\n"])
        let event = Self.repository + "/examples/events/01-plain-refund.json"
        let warned = CLI.run(["plan", "--rules", "warned.rules", "--events", event], in: scratch.path)
        #expect(warned.code == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("warning: warned.rules has 1 warning; run `returnrules check warned.rules` to see it"), "\(warned.stderr)")
        let clean = CLI.run(["plan", "--rules", Self.repository + "/examples/returns.rules", "--events", event], in: Self.repository)
        #expect(!clean.stderr.contains("warning"), "\(clean.stderr)")
    }

    @Test func missingRulesIsAUsageError() {
        let run = CLI.run(["plan", "--events", "x.json"], in: Self.repository)
        #expect(run.code == 64)
        #expect(run.stderr.contains("--rules"))
    }
}
