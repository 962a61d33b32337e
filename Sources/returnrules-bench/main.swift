import BenchmarkSpec
import Foundation
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage

// returnrules-bench: performance figures for BENCHMARKS.md, and the spec's decisions for the
// correctness test. See benchmarks/README.md.
let arguments = Array(CommandLine.arguments.dropFirst())

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("returnrules-bench: \(message)\n".utf8))
    exit(64)
}

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: "--\(name)"), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func loadRules(_ path: String) -> CompiledRuleSet {
    let sources = SourceMap()
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    let root = sources.add(path: path, bytes: [UInt8](data))
    let result = RuleFileChecker.check(root: root, sources: sources, loader: nil)
    guard let program = result.program else {
        fail("\(path) does not check:\n" + HumanDiagnosticRenderer().render(result.diagnostics, sources: sources))
    }
    return CompiledRuleSet(program)
}

/// Reads JSON Lines events and maps them, with the stream's duplicate flag (SPEC.md's R01).
func loadEvents(_ path: String, rules: CompiledRuleSet) -> [(id: String, duplicate: Bool, record: EventRecord)] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    do {
        return try SpecEvents.load([UInt8](data), path: path, rules: rules).map { ($0.id, $0.duplicate, $0.record) }
    } catch {
        fail(error.description)
    }
}

switch arguments.first {
case "decisions":
    // One decision per event, as JSON Lines, in input order: compare with expected.py's output.
    guard let rulesPath = option("rules"), let eventsPath = option("events") else { fail("decisions --rules FILE --events FILE") }
    let rules = loadRules(rulesPath)
    let decider = SpecDecider(rules: rules)
    var out = ""
    for event in loadEvents(eventsPath, rules: rules) {
        let decision = event.duplicate ? SpecDecision.duplicate : decider.decide(event.record)
        out += "{\"event_id\": \"\(event.id)\", " + decision.json.dropFirst() + "\n"
    }
    FileHandle.standardOutput.write(Data(out.utf8))
case "measure":
    try Measurements.run(arguments: Array(arguments.dropFirst()))
default:
    fail("usage: returnrules-bench decisions --rules FILE --events FILE | measure [options]")
}
