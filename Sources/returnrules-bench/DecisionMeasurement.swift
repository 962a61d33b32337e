import BenchmarkSpec
import Foundation
import ReturnRulesDomain
import ReturnRulesLanguage

/// `measure`: decisions/s of the compiled rules and of the hand-written if-chain over the same
/// mapped events, timed in turn in each run. Before any timing, both must make the same decision
/// on every event: a fast wrong answer is not a figure.
enum DecisionMeasurement {
    static let usage = "measure --rules benchmarks/spec.rules --events EVENTS.jsonl [--runs 5] [--shown-as CMD] [--results FILE]"

    static func run(_ arguments: [String]) {
        let options = CommandOptions(arguments, usage: usage)
        let rulesPath = options.required("rules"), eventsPath = options.required("events")
        let runs = max(1, options.int("runs", default: 5))
        let rules = SpecInput.rules(rulesPath)
        let events = SpecInput.events(eventsPath, rules: rules)
        let decider = SpecDecider(rules: rules)
        let hand = HandWrittenSpec()

        var disagreements: [String] = []
        for event in events where !event.duplicate {
            let compiled = decider.decide(event.record), written = hand.decide(event.record)
            if compiled != written { disagreements.append("\(event.id): compiled \(compiled.json), hand-written \(written.json)") }
        }
        guard disagreements.isEmpty else {
            fail("the compiled rules and the hand-written if-chain disagree on \(disagreements.count) of \(events.count) events; no timing:\n"
                 + disagreements.prefix(10).joined(separator: "\n"), code: 1)
        }

        // Plain arrays, so the timed loops do the same bookkeeping for both implementations.
        let records = events.map(\.record)
        let duplicates = events.map(\.duplicate)
        var compiledRates: [Double] = [], handRates: [Double] = [], ratios: [Double] = []
        var checksum = 0
        for _ in 0..<runs {
            var start = DispatchTime.now().uptimeNanoseconds
            for index in records.indices {
                checksum &+= duplicates[index] ? 1 : decider.decide(records[index]).rule.utf8.count
            }
            let compiled = Double(records.count) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            start = DispatchTime.now().uptimeNanoseconds
            for index in records.indices {
                checksum &+= duplicates[index] ? 1 : hand.decide(records[index]).rule.utf8.count
            }
            let written = Double(records.count) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            compiledRates.append(compiled)
            handRates.append(written)
            ratios.append(written / compiled)
        }

        let command = options.value("shown-as") ?? "returnrules-bench measure --rules \(rulesPath) --events \(eventsPath) --runs \(runs)"
        let figures = [
            BenchmarkResults.Figure(id: FigureID.decisionsCompiled, label: "decisions/s, compiled rules (benchmarks/spec.rules)",
                                    unit: .decisionsPerSecond, samples: compiledRates, command: command, count: records.count),
            BenchmarkResults.Figure(id: FigureID.decisionsHandWritten, label: "decisions/s, hand-written Swift if-chain",
                                    unit: .decisionsPerSecond, samples: handRates, command: command, count: records.count),
            BenchmarkResults.Figure(id: FigureID.decisionsHandOverCompiled, label: "hand-written ÷ compiled, per run",
                                    unit: .ratio, samples: ratios, command: command, count: records.count),
        ]
        for figure in figures {
            print("\(figure.label): median \(ReportFormat.value(figure.median, figure.unit)), \(ReportFormat.spread(figure)) over \(runs) runs")
        }
        print("(checksum \(checksum))")
        let agreement = BenchmarkResults.Check(id: FigureID.agreeCompiledHandWritten, label: "compiled rules and hand-written if-chain agree",
                                               passed: true, detail: "the same decision on all \(ReportFormat.grouped(events.count)) events before timing")
        if let path = options.value("results") {
            do {
                try BenchmarkResults.update(path) { results in
                    figures.forEach { results.record($0) }
                    results.record(agreement)
                }
            } catch {
                fail("cannot write \(path): \(error)", code: 74)
            }
        }
    }
}
