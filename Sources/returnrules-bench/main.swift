import BenchmarkSpec
import Foundation

// returnrules-bench: the measurements behind BENCHMARKS.md, the spec's decisions for the
// correctness test, and the report. benchmarks/run.sh runs them all; see its header.
let arguments = Array(CommandLine.arguments.dropFirst())
let rest = Array(arguments.dropFirst())

switch arguments.first {
case "decisions":
    // One decision per event, as JSON Lines, in input order: compare with expected.py's output.
    let options = CommandOptions(rest, usage: "decisions --rules FILE --events FILE")
    let rules = SpecInput.rules(options.required("rules"))
    let decider = SpecDecider(rules: rules)
    var out = ""
    for event in SpecInput.events(options.required("events"), rules: rules) {
        let decision = event.duplicate ? SpecDecision.duplicate : decider.decide(event.record)
        out += "{\"event_id\": \"\(event.id)\", " + decision.json.dropFirst() + "\n"
    }
    FileHandle.standardOutput.write(Data(out.utf8))
case "verify": DecisionVerification.run(rest)
case "measure": DecisionMeasurement.run(rest)
case "time": ProcessTiming.run(rest)
case "fsync": RawSyncMeasurement.run(rest)
case "machine": MachineProbe.run(rest)
case "report": ReportCommand.run(rest)
default:
    fail("""
    usage: returnrules-bench COMMAND [options]
      \("decisions --rules FILE --events FILE")
      \(DecisionVerification.usage)
      \(DecisionMeasurement.usage)
      \(ProcessTiming.usage)
      \(RawSyncMeasurement.usage)
      \(MachineProbe.usage)
      \(ReportCommand.usage)
    """)
}
