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

    Options:
      --state DIR        the runner's state directory (required)
      --woo-id N         the WooCommerce id of what was created
      --note TEXT        a note kept with the acknowledgement
      --file PATH|-      acknowledgements as JSON Lines (`-`: standard input)
      --by NAME          who acknowledges (default: $USER)
      --format human|json

    Exit: 0 acknowledged, 1 unknown key or conflict, 64 usage, 74 state not writable.
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
            for line in JSONLines(bytes) {
                let text = bytes[line.range]
                let document: JSONDocument
                do {
                    document = try JSONDocument(parsing: text)
                } catch {
                    io.write("error: \(file):\(line.number): not JSON: \(error.message)\n", to: .stderr)
                    return .failure
                }
                guard let key = document.root["key"]?.stringValue else {
                    io.write("error: \(file):\(line.number): no \"key\"\n", to: .stderr)
                    return .failure
                }
                var wooID: Int64?
                if let node = document.root["woo_id"], !node.isNull {
                    guard let id = node.int64Value ?? node.stringValue.flatMap({ Int64($0) }) else {
                        io.write("error: \(file):\(line.number): \"woo_id\" must be a whole number\n", to: .stderr)
                        return .failure
                    }
                    wooID = id
                }
                requests.append(AckRequest(key: key, wooID: wooID, note: document.root["note"]?.stringValue))
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
        let store: StateStore
        switch try RunnerCommandSupport.open(arguments, mode: .readWrite, io: io) {
        case .failure(let code): return code
        case .success(let opened): store = opened
        }
        let results: [AckResult]
        do {
            results = try StateOperations.ack(requests, store: store, by: RunnerCommandSupport.actor(arguments, io: io))
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
            RunnerCommandSupport.writeJSON(io) { w in
                w.beginObject()
                w.key("acknowledged")
                w.beginArray()
                for key in acknowledged { w.string(key) }
                w.endArray()
                w.key("already_acknowledged")
                w.beginArray()
                for key in already { w.string(key) }
                w.endArray()
                w.endObject()
            }
        } else {
            var line = "acknowledged \(RunnerCommandSupport.plural(acknowledged.count, "request"))"
            if !already.isEmpty { line += " (\(already.count) already acknowledged)" }
            if acknowledged.count == 1, requests.count == 1 { line = "acknowledged \(acknowledged[0])" + (requests[0].wooID.map { " (WooCommerce id \($0))" } ?? "") }
            io.write(line + "\n")
        }
        return .success
    }
}
