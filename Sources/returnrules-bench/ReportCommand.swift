import BenchmarkSpec
import Foundation

/// `report`: renders BENCHMARKS.md from the run's files.
enum ReportCommand {
    static let usage = "report --ours RESULTS.json --machine MACHINE.json [--peers PEERS.json] [--analysis benchmarks/analysis.md] --out BENCHMARKS.md"

    static func run(_ arguments: [String]) {
        let options = CommandOptions(arguments, usage: usage)
        let oursPath = options.required("ours"), machinePath = options.required("machine"), out = options.required("out")
        do {
            let results = try BenchmarkResults.load(orEmpty: oursPath)
            let machine = try MachineDescription.load(machinePath)
            let peers = try options.value("peers").map { try PeerResults.load($0) }
            let analysis = try options.value("analysis").map { try String(contentsOfFile: $0, encoding: .utf8) }
            let text = ReportRenderer(results: results, peers: peers, machine: machine, analysis: analysis).render()
            try Data(text.utf8).write(to: URL(fileURLWithPath: out))
        } catch {
            fail("report: \(error)", code: 74)
        }
    }
}
