import JSONBytes
import ReturnRulesRunner

/// `returnrules review list|show|resolve`: the manual-review queue.
enum ReviewCommand {
    static let spec = OptionSpec(valued: ["state", "note", "queue", "by", "format", "now"], flags: ["all"], choices: ["format": ["human", "json"]])

    static let help = """
    Usage: returnrules review [list] --state DIR [--queue Q] [--all]
           returnrules review show ID --state DIR
           returnrules review resolve ID --state DIR --note TEXT [--by NAME]

    The review queue: cases the planner would not decide alone (a refund that differs from
    Reveni's figure, an order not in the store, a reversal after a refund, a grade that is not
    restockable, …), with the figures a person needs. IDs look like R-12.

    Options:
      --state DIR         the runner's state directory (required)
      --queue Q           only this queue (finance, warehouse, exchanges, …)
      --all               include resolved items
      --note TEXT         what was decided (required to resolve)
      --by NAME           who resolved it (default: $USER)
      --format human|json

    Exit: 0, 1 unknown or already resolved item, 64 usage.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        let action = arguments.positional.first ?? "list"
        switch action {
        case "list":
            guard arguments.positional.count <= 1 else { throw UsageError("review list takes no ID") }
            let store: StateStore
            switch try RunnerCommandSupport.open(arguments, mode: .readOnly, io: io) {
            case .failure(let code): return code
            case .success(let opened): store = opened
            }
            let items = StateQueries.reviews(store.state, includeResolved: arguments.has("all"), queue: arguments.value("queue"))
            let now = try RunnerCommandSupport.now(arguments)
            if RunnerCommandSupport.isJSON(arguments) {
                RunnerCommandSupport.writeJSON(io) { w in
                    w.beginObject()
                    w.key("reviews")
                    w.beginArray()
                    for item in items { write(item, into: &w) }
                    w.endArray()
                    w.endObject()
                }
                return .success
            }
            if items.isEmpty {
                io.write(arguments.has("all") ? "no review items\n" : "no open review items\n")
                return .success
            }
            for item in items {
                let age = Timestamp.age(now - StateQueries.since(item))
                var line = "\(RunnerCommandSupport.pad(item.displayID, 7)) \(RunnerCommandSupport.pad(item.queue, 12)) \(RunnerCommandSupport.pad(age, 8)) return \(item.returnID.prefix(12))…"
                if let order = item.orderReference { line += " · order \(order)" }
                line += "\n        \(item.reason)"
                if let resolution = item.resolution { line += "\n        resolved \(Timestamp.iso(resolution.time)): \(resolution.note)" }
                io.write(line + "\n")
            }
            let open = items.filter(\.isOpen).count
            io.write("\n\(RunnerCommandSupport.plural(open, "open item")); `returnrules review show ID` for the figures\n")
            return .success
        case "show", "resolve":
            guard arguments.positional.count == 2, let id = StateOperations.parseID(arguments.positional[1], prefix: "R") else {
                throw UsageError("review \(action) needs an ID like R-12")
            }
            if action == "show" {
                let store: StateStore
                switch try RunnerCommandSupport.open(arguments, mode: .readOnly, io: io) {
                case .failure(let code): return code
                case .success(let opened): store = opened
                }
                guard id <= store.state.reviews.count else {
                    io.write("error: no review item R-\(id) (there are \(store.state.reviews.count))\n", to: .stderr)
                    return .failure
                }
                let item = store.state.reviews[id - 1]
                if RunnerCommandSupport.isJSON(arguments) {
                    RunnerCommandSupport.writeJSON(io) { write(item, into: &$0) }
                    return .success
                }
                var out = "\(item.displayID) · \(item.queue) · \(item.isOpen ? "open" : "resolved")\n"
                out += "  \(item.reason)\n"
                for figure in item.figures { out += "    \(figure)\n" }
                out += "  return \(item.returnID)"
                if let order = item.orderReference { out += " · order \(order)" }
                out += "\n  event \(item.eventID)" + (item.eventTime.map { " at \($0)" } ?? "") + " · journaled \(Timestamp.iso(item.openedAt)) (record \(item.sequence))\n"
                if let rule = item.rule { out += "  rule \(rule.name) (\(rule.location))\n" }
                if let resolution = item.resolution {
                    out += "  resolved \(Timestamp.iso(resolution.time))" + (resolution.by.map { " by \($0)" } ?? "") + ": \(resolution.note)\n"
                }
                io.write(out)
                return .success
            }
            guard let note = arguments.value("note") else { throw UsageError("review resolve needs --note TEXT") }
            let store: StateStore
            switch try RunnerCommandSupport.open(arguments, mode: .readWrite, io: io) {
            case .failure(let code): return code
            case .success(let opened): store = opened
            }
            do {
                try StateOperations.resolveReview(id: id, note: note, store: store, by: RunnerCommandSupport.actor(arguments, io: io))
                try store.close()
            } catch {
                try? store.close()
                return RunnerCommandSupport.report(error, io: io)
            }
            if RunnerCommandSupport.isJSON(arguments) {
                RunnerCommandSupport.writeJSON(io) { write(store.state.reviews[id - 1], into: &$0) }
            } else {
                io.write("resolved R-\(id)\n")
            }
            return .success
        default:
            throw UsageError("unknown review action '\(action)': list, show ID or resolve ID")
        }
    }

    static func write(_ item: ReviewRecord, into w: inout JSONWriter) {
        w.beginObject()
        w.key("id")
        w.string(item.displayID)
        w.key("queue")
        w.string(item.queue)
        w.key("status")
        w.string(item.isOpen ? "open" : "resolved")
        w.key("reason")
        w.string(item.reason)
        w.key("figures")
        w.beginArray()
        for figure in item.figures { w.string(figure) }
        w.endArray()
        w.key("return_id")
        w.string(item.returnID)
        w.key("order")
        RunnerCommandSupport.optional(item.orderReference, &w)
        w.key("event_id")
        w.string(item.eventID)
        w.key("event_time")
        RunnerCommandSupport.optional(item.eventTime, &w)
        w.key("opened_at")
        w.string(Timestamp.iso(item.openedAt))
        w.key("rule")
        if let rule = item.rule {
            w.beginObject()
            w.key("name")
            w.string(rule.name)
            w.key("location")
            w.string(rule.location)
            w.endObject()
        } else {
            w.null()
        }
        w.key("resolution")
        if let resolution = item.resolution {
            w.beginObject()
            w.key("note")
            w.string(resolution.note)
            w.key("at")
            w.string(Timestamp.iso(resolution.time))
            w.key("by")
            RunnerCommandSupport.optional(resolution.by, &w)
            w.endObject()
        } else {
            w.null()
        }
        w.endObject()
    }
}
