import BenchmarkSpec
import Foundation
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage

/// `verify`: the compiled rules and the hand-written if-chain against expected.py's decisions
/// (../shared/bench, standard-library Python) on every event. Exits 1 on any difference.
enum DecisionVerification {
    static let usage = "verify --rules benchmarks/spec.rules --events EVENTS.jsonl --expected EXPECTED.jsonl [--results FILE]"

    static func run(_ arguments: [String]) {
        let options = CommandOptions(arguments, usage: usage)
        let rulesPath = options.required("rules"), eventsPath = options.required("events"), expectedPath = options.required("expected")
        let rules = SpecInput.rules(rulesPath)
        let events = SpecInput.events(eventsPath, rules: rules)
        guard let expectedData = FileManager.default.contents(atPath: expectedPath) else { fail("cannot read \(expectedPath)", code: 74) }
        let expectedBytes = [UInt8](expectedData)
        var expected: [SpecDecision] = []
        var parser = JSONParser()
        for line in JSONLines(expectedBytes) {
            guard let root = try? parser.parse(expectedBytes[line.range]).root else { fail("\(expectedPath):\(line.number): malformed JSON", code: 1) }
            expected.append(SpecDecision(rule: root.member("rule")?.stringValue ?? "?", action: root.member("action")?.stringValue ?? "?",
                                         reason: root.member("reason")?.stringValue ?? "?", amount: root.member("amount")?.stringValue))
        }
        guard expected.count == events.count else {
            fail("\(expectedPath) has \(expected.count) decisions for \(events.count) events", code: 1)
        }

        let decider = SpecDecider(rules: rules)
        let hand = HandWrittenSpec()
        var compiledDifferences: [String] = [], handDifferences: [String] = []
        for (event, want) in zip(events, expected) {
            let compiled = event.duplicate ? SpecDecision.duplicate : decider.decide(event.record)
            let written = event.duplicate ? SpecDecision.duplicate : hand.decide(event.record)
            if compiled != want { compiledDifferences.append("\(event.id): compiled \(compiled.json), expected \(want.json)") }
            if written != want { handDifferences.append("\(event.id): hand-written \(written.json), expected \(want.json)") }
        }

        let total = ReportFormat.grouped(events.count)
        func check(_ id: String, _ who: String, _ differences: [String]) -> BenchmarkResults.Check {
            let same = ReportFormat.grouped(events.count - differences.count)
            return BenchmarkResults.Check(id: id, label: "\(who) against expected.py", passed: differences.isEmpty,
                                          detail: "\(same) / \(total) events identical (rule, action, reason, amount)")
        }
        let checks = [check(FigureID.compiledMatchesExpected, "the compiled rules", compiledDifferences),
                      check(FigureID.handWrittenMatchesExpected, "the hand-written if-chain", handDifferences)]
        for item in checks { print("\(item.passed ? "ok" : "FAILED"): \(item.label): \(item.detail)") }
        if let path = options.value("results") {
            do {
                try BenchmarkResults.update(path) { results in checks.forEach { results.record($0) } }
            } catch {
                fail("cannot write \(path): \(error)", code: 74)
            }
        }
        let differences = compiledDifferences + handDifferences
        if !differences.isEmpty { fail("decisions differ from expected.py:\n" + differences.prefix(10).joined(separator: "\n"), code: 1) }
    }
}
