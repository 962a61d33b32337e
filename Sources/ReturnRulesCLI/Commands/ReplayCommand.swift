import Foundation
import Checksums
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage
import ReturnRulesRunner

/// `returnrules replay`: run dead letters again after a rule or mapping fix.
enum ReplayCommand {
    static let spec = OptionSpec(valued: ["state", "rules", "store", "format"], flags: [], choices: ["format": ["human", "json"]])

    static let help = """
    Usage: returnrules replay DEADLETTER-FILE --state DIR [--rules FILE] [--store DIR]

    Runs the events of a dead-letter file (DIR/dead-letters.jsonl, or a copy with the lines you
    want) through the runner again, after the rule file or its mapping was fixed. Each line's
    raw input is planned as if it arrived now; what plans goes to the outbox like any event (a
    duplicate stays a no-op), what still fails stays in the dead-letter file once.

    Options:
      --state DIR     the runner's state directory (required)
      --rules FILE    the (fixed) rule file (default: the last run's)
      --store DIR     the store snapshot (default: the last run's)
      --format human|json

    Exit: 0 all replayed, 2 some still fail, 1 unreadable file, 64 usage, 74 state not writable.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        guard arguments.positional.count == 1 else { throw UsageError("replay needs one DEADLETTER-FILE") }
        let file = arguments.positional[0]
        guard let data = FileManager.default.contents(atPath: io.absolute(file)) else {
            io.write("error: cannot read \(file)\n", to: .stderr)
            return .ioError
        }
        let bytes = [UInt8](data)
        // Read the whole file first: a malformed line stops before anything is replayed.
        var letters: [(raw: [UInt8], source: EventSource)] = []
        for line in JSONLines(bytes) {
            let document: JSONDocument
            do {
                document = try JSONDocument(parsing: bytes[line.range])
            } catch {
                io.write("error: \(file):\(line.number): not a dead-letter line: \(error.message)\n", to: .stderr)
                return .failure
            }
            let root = document.root
            var raw: [UInt8]?
            if let text = root["raw"]?.stringValue { raw = Array(text.utf8) }
            if raw == nil, let encoded = root["raw_base64"]?.stringValue, let decoded = Data(base64Encoded: encoded) { raw = [UInt8](decoded) }
            guard let raw else {
                io.write("error: \(file):\(line.number): no \"raw\" input in this line\n", to: .stderr)
                return .failure
            }
            let source = EventSource(file: root["source"]?.stringValue ?? file, line: root["line"]?.intValue, index: root["index"]?.intValue)
            letters.append((raw, source))
        }
        let store: StateStore
        switch try RunnerCommandSupport.open(arguments, mode: .readWrite, io: io) {
        case .failure(let code): return code
        case .success(let opened): store = opened
        }
        let rules: CompiledRuleSet
        let snapshot: StoreSnapshot?
        switch try RunnerCommandSupport.rules(arguments, store: store, io: io) {
        case .failure(let code):
            try? store.close()
            return code
        case .success(let loaded): rules = loaded.0
        }
        switch RunnerCommandSupport.store(arguments, state: store, io: io) {
        case .failure(let code):
            try? store.close()
            return code
        case .success(let loaded): snapshot = loaded
        }
        let runner = Runner(store: store, planner: Planner(rules: rules, store: snapshot), rulesDigest: Runner.rulesDigest(rules))
        var stillFailing: [(EventSource, String, String?)] = []
        do {
            for letter in letters {
                let plan = try runner.process(EventReader.parse(letter.raw[...], source: letter.source), replayOf: SHA256.hash(letter.raw))
                if plan.outcome == .rejected { stillFailing.append((letter.source, plan.reason ?? "", plan.jsonPath)) }
            }
            try runner.finish()
        } catch {
            try? store.close()
            return RunnerCommandSupport.report(error, io: io)
        }
        let s = runner.summary
        if RunnerCommandSupport.isJSON(arguments) {
            RunnerCommandSupport.writeJSON(io) { w in
                w.beginObject()
                w.key("lines")
                w.int(letters.count)
                w.key("replayed")
                w.int(s.replayed)
                w.key("duplicates")
                w.int(s.duplicates)
                w.key("still_failing")
                w.beginArray()
                for (source, reason, path) in stillFailing {
                    w.beginObject()
                    w.key("source")
                    w.string(source.description)
                    w.key("error")
                    w.string(reason)
                    w.key("json_path")
                    RunnerCommandSupport.optional(path, &w)
                    w.endObject()
                }
                w.endArray()
                w.key("requests")
                w.int(s.requestCount)
                w.endObject()
            }
        } else {
            io.write("replayed \(RunnerCommandSupport.plural(s.replayed, "event")) of \(letters.count) (\(s.duplicates) already planned): "
                     + "\(RunnerCommandSupport.plural(s.requestCount, "request")) to the outbox, \(RunnerCommandSupport.plural(s.reviewItems, "review item"))\n")
            for (source, reason, path) in stillFailing {
                io.write("  still failing: \(source): \(reason)" + (path.map { " at \($0)" } ?? "") + "\n")
            }
        }
        return stillFailing.isEmpty ? .success : .warningsOrChanges
    }
}
