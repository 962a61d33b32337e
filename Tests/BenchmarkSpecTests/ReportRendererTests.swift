import BenchmarkSpec
import Foundation
import Testing

/// BENCHMARKS.md as the renderer writes it from fixed results: every target met or missed by its
/// median, peers read from bench.py's own format, the baseline and the quoted figure labelled.
@Suite("Benchmark report")
struct ReportRendererTests {
    static func figure(_ id: String, _ label: String, _ unit: FigureUnit, _ samples: [Double]) -> BenchmarkResults.Figure {
        BenchmarkResults.Figure(id: id, label: label, unit: unit, samples: samples, command: "cmd \(id)", count: 100_000)
    }

    static let results = BenchmarkResults(
        figures: [
            figure(FigureID.decisionsCompiled, "compiled", .decisionsPerSecond, [2.4e6, 2.5e6, 2.3e6, 2.5e6, 2.45e6]),
            figure(FigureID.decisionsHandWritten, "hand-written", .decisionsPerSecond, [3.0e6, 3.1e6, 2.9e6, 3.0e6, 3.2e6]),
            figure(FigureID.decisionsHandOverCompiled, "ratio", .ratio, [1.2, 1.3, 1.25, 1.2, 1.3]),
            // 18 ms median, but one run over the 20 ms target.
            figure(FigureID.wall(FigureID.checkClientLarge), "client-large.rules (544 lines)", .milliseconds, [17, 18, 18, 19, 25]),
            figure(FigureID.wall(FigureID.checkRules10k), "generated, 10,000 rules", .milliseconds, [340, 350, 352, 360, 355]),
            figure(FigureID.megabytesPerSecond(FigureID.plan), "plan MB/s", .megabytesPerSecond, [44, 45, 43, 44, 46]),
            // A stream with a new return every five events grows with its returns; not the memory figure.
            figure(FigureID.rss(FigureID.runnerBatch), "whole stream RSS", .mebibytes, [250, 250, 251, 250, 250]),
            figure(FigureID.rss(FigureID.runnerBatchQuarter), "quarter RSS", .mebibytes, [90, 90, 91, 90, 90]),
            figure(FigureID.rss(FigureID.runnerBounded), "bounded whole stream RSS", .mebibytes, [100, 100, 101, 100, 100]),
            figure(FigureID.rss(FigureID.runnerBoundedQuarter), "bounded quarter RSS", .mebibytes, [90, 90, 91, 90, 90]),
            figure(FigureID.eventsPerSecond(FigureID.runnerBatch), "run batch", .eventsPerSecond, [60_000, 61_000, 59_000]),
        ],
        checks: [BenchmarkResults.Check(id: FigureID.compiledMatchesExpected, label: "the compiled rules against expected.py",
                                        passed: true, detail: "100,000 / 100,000 events identical")])

    /// Two rows in the shape ../shared/bench/bench.py writes: the baseline, a measured engine, a failed one.
    static let peersJSON = """
    {"date_utc": "2026-11-27T22:16:01Z", "machine": {"nproc": 2, "cpu_model": "AMD EPYC", "python": "3.11.7", "platform": "Linux"},
     "params": {"n": 100000, "seed": 42, "repeats": 5, "budget_s": 60.0, "events_file": "data/events_100000_s42.jsonl"},
     "json_parse_us_per_event": 11.2,
     "engines": [
      {"engine": "reference", "package": null, "version": null, "core": "pure Python (if/elif chain)", "n_used": 100000, "repeats": 5,
       "decisions_per_s_median": 250000.0, "decisions_per_s_min": 200000.0, "decisions_per_s_max": 300000.0, "decisions_per_s_all": [1, 2]},
      {"engine": "cel_rust", "package": "common-expression-language", "version": "0.10.0", "core": "Rust (cel interpreter, PyO3)",
       "n_used": 100000, "repeats": 5, "decisions_per_s_median": 40000.0, "decisions_per_s_min": 30000.0, "decisions_per_s_max": 50000.0},
      {"engine": "zen", "error": "timeout after 170 s"}
     ]}
    """

    static let machine = MachineDescription(dateUTC: "2026-11-28T12:00:00Z", processors: 2, cpuModel: "AMD EPYC", memory: "23.5 GiB",
                                            kernel: "6.18", operatingSystem: "Debian GNU/Linux 12", swiftVersion: "Swift version 6.3.1",
                                            loadAtStart: "1.00 1.00 1.00", loadAtEnd: "2.00 1.50 1.00",
                                            facts: [.init(key: "mode", value: "quick run: 3 runs per figure"), .init(key: "commit", value: "abc1234"),
                                                    .init(key: "peer results", value: "this run")])

    func render() throws -> String {
        let peers = try JSONDecoder().decode(PeerResults.self, from: Data(Self.peersJSON.utf8))
        return ReportRenderer(results: Self.results, peers: peers, machine: Self.machine, analysis: "### Notes\n\nHand-kept text.\n").render()
    }

    func line(_ text: String, containing needle: String) -> String? {
        text.split(separator: "\n").first { $0.contains(needle) }.map(String.init)
    }

    @Test func targetsAreMetOrMissedByTheirMedian() throws {
        let text = try render()
        #expect(line(text, containing: "decisions/s, compiled rules, one core")?.contains("| 2.45 M/s | 2.30 M/s – 2.50 M/s | ≥ 2 M/s | met |") == true)
        #expect(line(text, containing: "`check` client-large.rules")?.contains("met (the spread crosses it)") == true)
        #expect(line(text, containing: "`check` generated, 10,000 rules")?.hasSuffix("| **missed** |") == true)
        #expect(line(text, containing: "`plan` end to end")?.contains("**missed**") == true)
        // 100 MiB over the whole stream against 90 over its first quarter: 1.11×, flat.
        #expect(line(text, containing: "whole stream ÷ first quarter")?.contains("| 1.11× |") == true)
        #expect(line(text, containing: "whole stream ÷ first quarter")?.hasSuffix("| met |") == true)
        // Three runs only: the verdict says so.
        #expect(line(text, containing: "`run` events/s, batch sync")?.contains("met (3 runs only)") == true)
    }

    @Test func peersAreRatioedAndLabelled() throws {
        let text = try render()
        #expect(line(text, containing: "| reference")?.contains("**baseline**") == true)
        #expect(line(text, containing: "| reference")?.hasSuffix("| 9.80× |") == true)
        #expect(line(text, containing: "| cel_rust 0.10.0")?.hasSuffix("| 61× |") == true)
        #expect(line(text, containing: "| zen")?.contains("error: timeout after 170 s") == true)
        #expect(line(text, containing: "GoRules Zen, native")?.contains("**quoted**") == true)
        // The fastest engine is cel_rust (the baseline does not count): 2.45 M ÷ 40 k.
        #expect(line(text, containing: "fastest peer engine measured (cel_rust)")?.contains("| 61× |") == true)
        #expect(line(text, containing: "GoRules' published native figure")?.contains("| 27× |") == true)
    }

    @Test func headerMachineMethodAndAnalysis() throws {
        let text = try render()
        #expect(text.hasPrefix("# Benchmarks\n\nReproduce: `benchmarks/run.sh`"))
        #expect(text.contains("> **Quick run**"))
        #expect(!text.contains("Peer figures not measured in this run"))
        #expect(text.contains("1.00 1.00 1.00 at the start, 2.00 1.50 1.00 at the end"))
        #expect(text.contains("| compiled | 5 | `cmd decisions.compiled` |"))
        #expect(text.contains("`bench.py --n 100000 --seed 42 --repeats 5 --budget 60`"))
        #expect(text.contains("- Passed: the compiled rules against expected.py: 100,000 / 100,000 events identical."))
        #expect(text.hasSuffix("### Notes\n\nHand-kept text.\n"))
    }

    /// Sync-every against raw fdatasync: per pair when measured in pairs, not median over median.
    @Test func syncEveryIsRatioedPerPairWhenMeasuredInPairs() throws {
        let raw = Self.figure(FigureID.rawFdatasync, "raw", .appendsPerSecond, [8_000, 2_000, 8_000])
        let every = Self.figure(FigureID.eventsPerSecond(FigureID.runnerEvery), "every", .eventsPerSecond, [4_400, 1_000, 1_000])
        var unpaired = Self.results
        unpaired.record(raw)
        unpaired.record(every)
        let peers = try JSONDecoder().decode(PeerResults.self, from: Data(Self.peersJSON.utf8))
        let render = { (results: BenchmarkResults) in ReportRenderer(results: results, peers: peers, machine: Self.machine, analysis: "").render() }
        // Median over median: 1,000 ÷ 8,000.
        #expect(line(render(unpaired), containing: "`run --sync every` ÷ raw")?.contains("| 0.12× | 0.12× – 2.20× |") == true)
        var paired = unpaired
        paired.record(Self.figure(FigureID.overRaw(FigureID.runnerEvery), "every ÷ raw", .ratio, [0.55, 0.5, 0.125]))
        #expect(line(render(paired), containing: "`run --sync every` ÷ raw")?.contains("| 0.50× |") == true)
        #expect(line(render(paired), containing: "`run --sync every` ÷ raw")?.contains("| 0.50× | 0.12× – 0.55× |") == true)
    }

    @Test func numbersAreWrittenForReading() {
        #expect(ReportFormat.grouped(1_234_567) == "1,234,567")
        #expect(ReportFormat.rate(2_320_000) == "2.32 M")
        #expect(ReportFormat.rate(101_400) == "101 k")
        #expect(ReportFormat.rate(2_938) == "2,938")
        #expect(ReportFormat.value(352, .milliseconds) == "352 ms")
        #expect(ReportFormat.value(2_600, .milliseconds) == "2.60 s")
        #expect(Target(.below, 100, "").isMet(by: 100) == false)
        #expect(Target(.atMost, 20, "").isMet(by: 20))
    }
}
