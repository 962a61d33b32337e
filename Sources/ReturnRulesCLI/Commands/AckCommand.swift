import Foundation
import JSONBytes
import ReturnRulesRunner

/// `returnrules ack`: the executor applied requests (or found them already applied).
enum AckCommand {
    static let spec = OptionSpec(valued: ["state", "woo-id", "note", "file", "by", "format"], flags: [], choices: ["format": ["human", "json"]])

    static let help = """
    Usage: returnrules ack --state DIR KEY [--woo-id N] [--note TEXT]
           returnrules ack --state DIR --file ACKS.jsonl|-

    Marks outbox requests as applied in WooCommerce, with the id WooCommerce gave them (the
    refund, order, coupon or note id). A key is the request's idempotency key (32 hex
    characters, or a unique prefix of 16 or more, as in the `[rr:…]` marker of order notes).

    The file form reads JSON Lines: {"key": "…", "woo_id": 123, "note": "…"} (woo_id and note
    are optional). Every key is checked first: an unknown key (or a key acknowledged before with
    another WooCommerce id) is an error naming it, and then nothing is acknowledged. Acknowledging
    a key again with the same id is a no-op.

    While a runner holds DIR (`run --follow`), the acknowledgements are checked against what it
    has committed, then queued in DIR/ack-inbox/ (synced before `ack` returns): the runner
    records them at its next commit or poll tick, and if it stops first, the next command that
    opens DIR for writing does. The output says which happened: "recorded" or "queued for the
    running runner".

    Options:
      --state DIR        the runner's state directory (required)
      --woo-id N         the WooCommerce id of what was created
      --note TEXT        a note kept with the acknowledgement
      --file PATH|-      acknowledgements as JSON Lines (`-`: standard input)
      --by NAME          who acknowledges (default: $USER)
      --format human|json

    Exit: 0 recorded or queued, 1 unknown key or conflict, 64 usage, 74 state not writable.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        var requests: [AckRequest] = []
        if let file = arguments.value("file") {
            guard arguments.positional.isEmpty else { throw UsageError("give keys either as arguments or with --file, not both") }
            let bytes: [UInt8]
            if file == "-" {
                bytes = [UInt8](io.standardInput?.readDataToEndOfFile() ?? Data())
            } else {
                guard let data = FileManager.default.contents(atPath: io.absolute(file)) else { throw UsageError("cannot read \(file)") }
                bytes = [UInt8](data)
            }
            for (_, parsed) in AckLines.parse(bytes, file: file == "-" ? "<stdin>" : file) {
                switch parsed {
                case .failure(let problem):
                    io.write("error: \(problem)\n", to: .stderr)
                    return .failure
                case .success(let request): requests.append(request)
                }
            }
        } else {
            guard arguments.positional.count == 1 else { throw UsageError("ack needs one KEY (or --file ACKS.jsonl)") }
            var wooID: Int64?
            if let text = arguments.value("woo-id") {
                guard let id = Int64(text) else { throw UsageError("--woo-id must be a whole number, not '\(text)'") }
                wooID = id
            }
            requests.append(AckRequest(key: arguments.positional[0], wooID: wooID, note: arguments.value("note")))
        }
        guard let directory = arguments.value("state") else { throw UsageError("needs --state DIR") }
        let by = RunnerCommandSupport.actor(arguments, io: io)
        let store: StateStore
        do {
            store = try StateStore.open(directory: io.absolute(directory), mode: .readWrite)
        } catch where error.kind == .locked {
            return try queue(requests, by: by, holder: error.holder, arguments: arguments, io: io)
        } catch {
            io.write("error: \(error.message)\n", to: .stderr)
            return RunnerCommandSupport.exitCode(error)
        }
        for warning in store.warnings { io.write("warning: \(warning)\n", to: .stderr) }
        RunnerCommandSupport.keepAlive.append(store)
        let results: [AckResult]
        do {
            results = try StateOperations.ack(requests, store: store, by: by)
            try store.close()
        } catch {
            try? store.close()
            return RunnerCommandSupport.report(error, io: io)
        }
        var acknowledged: [String] = []
        var already: [String] = []
        for result in results {
            switch result {
            case .acknowledged(let key): acknowledged.append(key)
            case .alreadyAcknowledged(let key): already.append(key)
            }
        }
        if RunnerCommandSupport.isJSON(arguments) {
            writeJSON(status: "recorded", keys: acknowledged, already: already, inboxFile: nil, io: io)
        } else {
            var line = "recorded \(RunnerCommandSupport.plural(acknowledged.count, "acknowledgement"))"
            if !already.isEmpty { line += " (\(already.count) already acknowledged)" }
            if acknowledged.count == 1, requests.count == 1 { line = "recorded: \(acknowledged[0]) acknowledged" + (requests[0].wooID.map { " (WooCommerce id \($0))" } ?? "") }
            if acknowledged.isEmpty, already.count == 1, requests.count == 1 { line = "already acknowledged: \(already[0]) (nothing recorded)" }
            io.write(line + "\n")
        }
        return .success
    }

    /// A runner holds the lock: check the keys against what it has committed, then queue them
    /// in its ack inbox.
    static func queue(_ requests: [AckRequest], by: String?, holder: String?, arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        let state: StateStore
        switch try RunnerCommandSupport.open(arguments, mode: .readOnly, io: io) {
        case .failure(let code): return code
        case .success(let opened): state = opened
        }
        let checked: [CheckedAck]
        do {
            checked = try StateOperations.check(requests, in: state.state)
        } catch {
            return RunnerCommandSupport.report(error, io: io)
        }
        let already = checked.filter(\.alreadyAcknowledged).map(\.key)
        var fresh: [CheckedAck] = []
        for ack in checked where !ack.alreadyAcknowledged && !fresh.contains(where: { $0.key == ack.key }) { fresh.append(ack) }
        var inboxFile: String?
        if !fresh.isEmpty {
            let queued = fresh.map { AckRequest(key: $0.key, wooID: $0.request.wooID, note: $0.request.note, by: $0.request.by ?? by) }
            do {
                inboxFile = try AckInbox.queue(queued, stateDirectory: state.directory, fs: state.fs, clock: SystemClock())
            } catch {
                return RunnerCommandSupport.report(error, io: io)
            }
        }
        let keys = fresh.map(\.key)
        if RunnerCommandSupport.isJSON(arguments) {
            writeJSON(status: keys.isEmpty ? "recorded" : "queued", keys: keys, already: already, inboxFile: inboxFile, io: io)
            return .success
        }
        if keys.isEmpty {
            io.write("already acknowledged: \(already.joined(separator: ", ")) (nothing queued)\n")
            return .success
        }
        var line = "queued for the running runner" + (holder.map { " (\($0))" } ?? "") + ": "
        if keys.count == 1 {
            line += keys[0] + (fresh[0].request.wooID.map { " (WooCommerce id \($0))" } ?? "")
        } else {
            line += RunnerCommandSupport.plural(keys.count, "acknowledgement")
        }
        if !already.isEmpty { line += " (\(already.count) already acknowledged)" }
        io.write(line + "\n")
        let them = keys.count == 1 ? "it" : "them"
        io.write("  in \(inboxFile ?? AckInbox.directory(of: state.directory)); the runner records \(them) at its next commit or poll tick, "
                 + "or the next command that opens the state for writing does\n")
        return .success
    }

    /// `{"status": "recorded"|"queued", "acknowledged"|"queued": [...], "already_acknowledged": [...]}`
    static func writeJSON(status: String, keys: [String], already: [String], inboxFile: String?, io: ToolIO) {
        RunnerCommandSupport.writeJSON(io) { w in
            w.beginObject()
            w.key("status")
            w.string(status)
            w.key(status == "queued" ? "queued" : "acknowledged")
            w.beginArray()
            for key in keys { w.string(key) }
            w.endArray()
            w.key("already_acknowledged")
            w.beginArray()
            for key in already { w.string(key) }
            w.endArray()
            if let inboxFile {
                w.key("inbox_file")
                w.string(inboxFile)
            }
            w.endObject()
        }
    }
}
