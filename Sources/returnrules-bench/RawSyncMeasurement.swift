import BenchmarkSpec
import Foundation
import ReturnRulesRunner

/// `fsync`: the disk's commit rate — appends of a journal-sized record, each followed by
/// fdatasync, in a scratch file in DIR — against which `run --sync every` is judged.
///
/// With `--paired-id ID -- COMMAND`, each run times the raw appends and then, straight after on
/// the same disk, the command (`run --sync every` on a fresh state directory). A shared VM's disk
/// changes speed from one minute to the next, so the ratio is taken per pair (`ID.over_raw`)
/// rather than between medians measured minutes apart.
enum RawSyncMeasurement {
    static let usage = """
    fsync --dir DIR [--count 2000] [--bytes 200] [--runs 5] [--shown-as CMD] [--results FILE] \
    [--paired-id ID --label TEXT --events N --fresh-dir DIR [--log FILE] [--paired-shown-as CMD] -- COMMAND ARGS...]
    """

    static func run(_ arguments: [String]) {
        let options = CommandOptions(arguments, usage: usage)
        let directory = options.required("dir")
        let count = max(1, options.int("count", default: 2000)), bytes = options.int("bytes", default: 200)
        let runs = max(1, options.int("runs", default: 5))
        let paired = options.value("paired-id").map { PairedCommand(options: options, id: $0) }

        var rates: [Double] = []
        var pairedSamples: [ProcessTiming.Sample] = []
        for _ in 0..<runs {
            do {
                rates.append(try RunnerBenchmark.rawAppendSync(directory: directory, count: count, bytes: bytes))
            } catch {
                fail("\(error)", code: 74)
            }
            if let paired { pairedSamples.append(paired.runOnce()) }
        }

        var figures = [BenchmarkResults.Figure(id: FigureID.rawFdatasync, label: "raw appends of \(bytes) bytes, each + fdatasync (\(ReportFormat.grouped(count)) per run)",
                                               unit: .appendsPerSecond, samples: rates,
                                               command: options.value("shown-as") ?? "returnrules-bench fsync --dir \(directory) --count \(count) --bytes \(bytes) --runs \(runs)",
                                               count: count)]
        if let paired { figures += paired.figures(pairedSamples, rawRates: rates) }
        for figure in figures {
            print("\(figure.label): median \(ReportFormat.value(figure.median, figure.unit)), \(ReportFormat.spread(figure)) over \(runs) runs")
        }
        if let path = options.value("results") {
            do {
                try BenchmarkResults.update(path) { results in figures.forEach { results.record($0) } }
            } catch {
                fail("cannot write \(path): \(error)", code: 74)
            }
        }
    }

    /// The command timed after each run of raw appends.
    struct PairedCommand {
        var id: String
        var label: String
        var events: Int
        var freshDirectory: String
        var log: String
        var command: [String]
        var shown: String

        init(options: CommandOptions, id: String) {
            self.id = id
            label = options.required("label")
            events = max(1, options.int("events", default: 0))
            freshDirectory = options.required("fresh-dir")
            log = options.value("log") ?? "/dev/null"
            command = options.trailing
            guard !command.isEmpty else { fail("--paired-id needs a command after --\nusage: \(usage)") }
            shown = options.value("paired-shown-as") ?? command.joined(separator: " ")
        }

        func runOnce() -> ProcessTiming.Sample {
            ProcessTiming.resetDirectory(freshDirectory)
            let (sample, status) = ProcessTiming.spawnAndWait(command, standardOutput: log, standardError: log)
            guard status == 0 else { fail("\(command.joined(separator: " ")) exited with \(status); see \(log)", code: 1) }
            return sample
        }

        func figures(_ samples: [ProcessTiming.Sample], rawRates: [Double]) -> [BenchmarkResults.Figure] {
            let rates = samples.map { Double(events) / $0.seconds }
            return [
                BenchmarkResults.Figure(id: FigureID.wall(id), label: label, unit: .milliseconds, samples: samples.map { $0.seconds * 1000 },
                                        command: shown, count: events),
                BenchmarkResults.Figure(id: FigureID.rss(id), label: label + ": peak RSS", unit: .mebibytes,
                                        samples: samples.map { Double($0.peakKilobytes) / 1024 }, command: shown, count: events),
                BenchmarkResults.Figure(id: FigureID.eventsPerSecond(id), label: label + ": events/s", unit: .eventsPerSecond,
                                        samples: rates, command: shown, count: events),
                BenchmarkResults.Figure(id: FigureID.overRaw(id), label: label + " ÷ the raw appends timed just before it", unit: .ratio,
                                        samples: zip(rates, rawRates).map { $0 / $1 }, command: shown, count: events),
            ]
        }
    }
}
