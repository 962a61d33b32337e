import BenchmarkSpec
import Foundation
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage

/// The measurement suite behind BENCHMARKS.md. Each figure is the median of `runs` repetitions
/// (at least five) with min and max; timings use the monotonic clock.
enum Measurements {
    struct Figure {
        var name: String
        var unit: String
        var samples: [Double]
        var median: Double { samples.sorted()[samples.count / 2] }
        var min: Double { samples.min() ?? 0 }
        var max: Double { samples.max() ?? 0 }
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func run(arguments: [String]) throws {
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: "--\(name)"), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        let runs = Int(option("runs") ?? "5") ?? 5
        guard let rulesPath = option("rules"), let eventsPath = option("events") else {
            fail("measure --rules benchmarks/spec.rules --events EVENTS.jsonl [--runs N]")
        }
        let rules = loadRules(rulesPath)
        let events = loadEvents(eventsPath, rules: rules)
        let decider = SpecDecider(rules: rules)
        let hand = HandWrittenSpec()
        var figures: [Figure] = []
        // Decisions per second on pre-parsed events: the compiled rules, then the hand-written limit.
        var compiled = Figure(name: "decisions/s, compiled rules", unit: "decisions/s", samples: [])
        var limit = Figure(name: "decisions/s, hand-written Swift", unit: "decisions/s", samples: [])
        var checksum = 0
        for _ in 0..<runs {
            var start = now()
            for event in events where !event.duplicate { checksum &+= decider.decide(event.record).rule.utf8.count }
            compiled.samples.append(Double(events.count) / (Double(now() - start) / 1e9))
            start = now()
            for event in events where !event.duplicate { checksum &+= hand.decide(event.record).rule }
            limit.samples.append(Double(events.count) / (Double(now() - start) / 1e9))
        }
        figures.append(compiled)
        figures.append(limit)
        for figure in figures {
            print("\(figure.name): median \(Int(figure.median)) min \(Int(figure.min)) max \(Int(figure.max))")
        }
        print("ratio hand/compiled: \(String(format: "%.2f", limit.median / compiled.median)) (checksum \(checksum))")
    }
}
