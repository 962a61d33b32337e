import Foundation
import ReturnRulesDomain
import ReturnRulesLanguage

/// Runs the cases of test suites: plans each case's events and compares the JSON plan with its
/// golden file. Tracks which rules fired and which (return type, status) cells were exercised.
struct TestRunner {
    struct CaseResult {
        var suite: String
        var name: String
        var passed: Bool
        var message: String?
        var seconds: Double
    }

    struct Coverage {
        var rulesTotal: Set<String> = []
        var rulesFired: Set<String> = []
        var cells: Set<String> = []

        var percent: Int { rulesTotal.isEmpty ? 100 : rulesFired.intersection(rulesTotal).count * 100 / rulesTotal.count }
    }

    var update: Bool
    var io: ToolIO
    var results: [CaseResult] = []
    var coverage: [String: Coverage] = [:]

    /// Plans one case; returns the golden text.
    mutating func run(_ suite: TestSuite) {
        let rules: CompiledRuleSet
        do {
            rules = try RuleSetLoading.load(suite.rules, io: io, baseDirectory: suite.directory)
        } catch {
            results.append(CaseResult(suite: suite.path, name: "(rule file)", passed: false, message: "the rule file \(suite.rules) does not check", seconds: 0))
            return
        }
        var cover = coverage[suite.rules] ?? Coverage()
        for block in rules.program.blocks { for rule in block.rules { cover.rulesTotal.insert(rule.name) } }
        var stores: [String: StoreSnapshot?] = [:]
        for testCase in suite.cases {
            let started = Date()
            let storePath = testCase.store ?? suite.store
            var store: StoreSnapshot?
            if let storePath {
                if let cached = stores[storePath] {
                    store = cached
                } else {
                    do {
                        store = try StoreSnapshotLoader.load(directory: TestSuite.join(suite.directory, storePath))
                    } catch {
                        results.append(CaseResult(suite: suite.path, name: testCase.name, passed: false, message: "store \(storePath): \(error)", seconds: 0))
                        continue
                    }
                    stores[storePath] = store
                }
            }
            var batch: [IncomingEvent] = []
            do {
                for path in testCase.events {
                    for file in try EventReader.files(at: TestSuite.join(suite.directory, path)) {
                        let shown = file.hasPrefix(suite.directory + "/") ? String(file.dropFirst(suite.directory.count + 1)) : file
                        try EventReader.read(file, displayPath: shown) { batch.append($0) }
                    }
                }
            } catch {
                results.append(CaseResult(suite: suite.path, name: testCase.name, passed: false, message: "\(error)", seconds: 0))
                continue
            }
            var session = PlanSession(planner: Planner(rules: rules, store: store))
            // JSON Lines are a stream, planned in arrival order as `plan` and `run` plan them (a
            // late event is stale); event files are a batch, ordered by envelope time.
            let streamed = testCase.events.contains { $0.hasSuffix(".jsonl") || $0.hasSuffix(".ndjson") }
            let plans = streamed ? batch.map { session.plan($0).0 } : session.plan(batch: batch)
            var encoder = PlanJSONEncoder(pretty: true)
            encoder.begin(client: rules.program.client, rulesFile: suite.rules)
            var summary = PlanSummary()
            for plan in plans {
                encoder.add(plan)
                summary.add(plan)
                for step in plan.steps { if let rule = step.rule { cover.rulesFired.insert(rule.name) } }
                if plan.outcome == .planned, let status = plan.status { cover.cells.insert("\(plan.returnType ?? "?") × \(status)") }
            }
            encoder.finish(summary: summary)
            let actual = String(decoding: encoder.drain(), as: UTF8.self)
            let goldenPath = TestSuite.join(suite.directory, testCase.plan)
            let expected = FileManager.default.contents(atPath: goldenPath).map { String(decoding: $0, as: UTF8.self) }
            let seconds = Date().timeIntervalSince(started)
            if expected == actual {
                results.append(CaseResult(suite: suite.path, name: testCase.name, passed: true, seconds: seconds))
            } else if update {
                let directory = (goldenPath as NSString).deletingLastPathComponent
                try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                if FileManager.default.createFile(atPath: goldenPath, contents: Data(actual.utf8)) {
                    results.append(CaseResult(suite: suite.path, name: testCase.name, passed: true, message: expected == nil ? "golden written" : "golden updated", seconds: seconds))
                } else {
                    // A golden that was not written must not read as updated.
                    results.append(CaseResult(suite: suite.path, name: testCase.name, passed: false, message: "could not write the golden plan \(goldenPath)", seconds: seconds))
                }
            } else if let expected {
                results.append(CaseResult(suite: suite.path, name: testCase.name, passed: false,
                                          message: "plan differs from \(testCase.plan):\n" + LineDiff.render(expected: expected, actual: actual), seconds: seconds))
            } else {
                results.append(CaseResult(suite: suite.path, name: testCase.name, passed: false,
                                          message: "no golden plan at \(testCase.plan); run with --update to write it", seconds: seconds))
            }
        }
        coverage[suite.rules] = cover
    }
}
