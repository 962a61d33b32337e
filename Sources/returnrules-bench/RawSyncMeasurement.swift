import BenchmarkSpec
import Foundation
import ReturnRulesRunner

/// `fsync`: the disk's commit rate — appends of a journal-sized record, each followed by
/// fdatasync, in a scratch file in DIR — against which `run --sync every` is judged.
enum RawSyncMeasurement {
    static let usage = "fsync --dir DIR [--count 2000] [--bytes 200] [--runs 5] [--shown-as CMD] [--results FILE]"

    static func run(_ arguments: [String]) {
        let options = CommandOptions(arguments, usage: usage)
        let directory = options.required("dir")
        let count = max(1, options.int("count", default: 2000)), bytes = options.int("bytes", default: 200)
        let runs = max(1, options.int("runs", default: 5))
        var rates: [Double] = []
        for _ in 0..<runs {
            do {
                rates.append(try RunnerBenchmark.rawAppendSync(directory: directory, count: count, bytes: bytes))
            } catch {
                fail("\(error)", code: 74)
            }
        }
        let figure = BenchmarkResults.Figure(id: FigureID.rawFdatasync, label: "raw appends of \(bytes) bytes, each + fdatasync (\(ReportFormat.grouped(count)) per run)",
                                             unit: .appendsPerSecond, samples: rates,
                                             command: options.value("shown-as") ?? "returnrules-bench fsync --dir \(directory) --count \(count) --bytes \(bytes) --runs \(runs)",
                                             count: count)
        print("\(figure.label): median \(ReportFormat.value(figure.median, figure.unit)), \(ReportFormat.spread(figure)) over \(runs) runs")
        if let path = options.value("results") {
            do {
                try BenchmarkResults.update(path) { $0.record(figure) }
            } catch {
                fail("cannot write \(path): \(error)", code: 74)
            }
        }
    }
}
