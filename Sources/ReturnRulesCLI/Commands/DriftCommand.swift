import JSONBytes
import ReturnRulesRunner

/// `returnrules drift`: what has waited too long.
enum DriftCommand {
    static let spec = OptionSpec(valued: ["state", "older-than", "format", "now"], flags: [], choices: ["format": ["human", "json"]])

    static let help = """
    Usage: returnrules drift --state DIR --older-than 7d [--format human|json]

    What has waited too long: restock holds still waiting for an inspection, accepted returns
    with no refund (nor store credit nor replacement order), requests the executor never
    acknowledged, and review items still open. Ages are measured from the event's envelope
    time where there is one (holds, returns, reviews), else from when the runner journaled it
    (requests). For monitoring: exit 2 when anything drifted.

    Options:
      --state DIR         the runner's state directory (required)
      --older-than AGE    the threshold: 7d, 48h, 90m (required)
      --now TIME          measure ages from this time instead of the clock
      --format human|json

    Exit: 0 nothing drifted, 2 something did, 1 no state, 64 usage.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        guard let olderThan = try RunnerCommandSupport.duration(arguments, "older-than") else { throw UsageError("drift needs --older-than AGE (e.g. 7d)") }
        let now = try RunnerCommandSupport.now(arguments)
        let store: StateStore
        switch try RunnerCommandSupport.open(arguments, mode: .readOnly, io: io) {
        case .failure(let code): return code
        case .success(let opened): store = opened
        }
        let drift = StateQueries.drift(store.state, olderThan: olderThan, now: now)
        if RunnerCommandSupport.isJSON(arguments) {
            RunnerCommandSupport.writeJSON(io) { w in
                w.beginObject()
                w.key("older_than_seconds")
                w.int(olderThan / 1000)
                w.key("now")
                w.string(Timestamp.iso(now))
                w.key("holds")
                w.beginArray()
                for hold in drift.holds { HoldsCommand.write(hold, now: now, into: &w) }
                w.endArray()
                w.key("accepted_without_refund")
                w.beginArray()
                for item in drift.unrefunded {
                    w.beginObject()
                    w.key("return_id")
                    w.string(item.returnID)
                    w.key("status")
                    w.string(item.status)
                    w.key("order_id")
                    if let order = item.orderID { w.int(order) } else { w.null() }
                    w.key("event_time")
                    RunnerCommandSupport.optional(item.eventTime, &w)
                    w.endObject()
                }
                w.endArray()
                w.key("unacknowledged")
                w.beginArray()
                for record in drift.unacknowledged {
                    w.beginObject()
                    w.key("key")
                    w.string(record.key)
                    w.key("kind")
                    w.string(record.kind)
                    w.key("return_id")
                    w.string(record.returnID)
                    w.key("order_id")
                    if let order = record.orderID { w.int(order) } else { w.null() }
                    w.key("planned_at")
                    w.string(Timestamp.iso(record.plannedAt))
                    w.endObject()
                }
                w.endArray()
                w.key("open_reviews")
                w.beginArray()
                for review in drift.openReviews { ReviewCommand.write(review, into: &w) }
                w.endArray()
                w.endObject()
            }
            return drift.isEmpty ? .success : .warningsOrChanges
        }
        let limit = arguments.value("older-than")!
        if drift.isEmpty {
            io.write("nothing older than \(limit)\n")
            return .success
        }
        var out = ""
        if !drift.holds.isEmpty {
            out += "Restock holds waiting more than \(limit): \(drift.holds.count)\n"
            for hold in drift.holds {
                out += "  \(RunnerCommandSupport.pad(hold.displayID, 7)) \(RunnerCommandSupport.pad(Timestamp.age(now - StateQueries.since(hold)), 8)) \(hold.hold.units) × \(hold.hold.sku ?? hold.hold.item) · return \(hold.returnID.prefix(12))…\n"
            }
        }
        if !drift.unrefunded.isEmpty {
            out += "Accepted returns with no refund for more than \(limit): \(drift.unrefunded.count)\n"
            for item in drift.unrefunded {
                out += "  return \(item.returnID) \(item.status)" + (item.orderID.map { " · order \($0)" } ?? "")
                    + (item.since.map { " · \(Timestamp.age(now - $0))" } ?? "") + "\n"
            }
        }
        if !drift.unacknowledged.isEmpty {
            out += "Requests not acknowledged for more than \(limit): \(drift.unacknowledged.count)\n"
            for record in drift.unacknowledged.prefix(50) {
                out += "  \(record.key) \(RunnerCommandSupport.pad(record.kind, 17)) \(Timestamp.age(now - record.plannedAt))" + (record.orderID.map { " · order \($0)" } ?? "") + "\n"
            }
            if drift.unacknowledged.count > 50 { out += "  … and \(drift.unacknowledged.count - 50) more (--format json for all)\n" }
        }
        if !drift.openReviews.isEmpty {
            out += "Review items open for more than \(limit): \(drift.openReviews.count)\n"
            for review in drift.openReviews.prefix(50) {
                out += "  \(RunnerCommandSupport.pad(review.displayID, 7)) \(RunnerCommandSupport.pad(review.queue, 12)) \(review.reason)\n"
            }
        }
        io.write(out)
        return .warningsOrChanges
    }
}
