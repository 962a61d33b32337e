import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage
import ReturnRulesRunner

/// `returnrules holds`: restock holds waiting for an inspection; release one by hand.
enum HoldsCommand {
    static let spec = OptionSpec(valued: ["state", "older-than", "grade", "rules", "store", "by", "format", "now"], flags: ["all"],
                                 choices: ["format": ["human", "json"]])

    static let help = """
    Usage: returnrules holds [list] --state DIR [--older-than 7d] [--all]
           returnrules holds release ID --grade G --state DIR [--rules FILE] [--store DIR]

    Restocks asked for before an item was inspected wait as holds (IDs like H-3). An inspection
    grade in a later Reveni event settles them. For a warehouse that records inspections outside
    Reveni, `release` settles one by hand: a grade in the rule file's `restock_grades` makes the
    same restock request the planner makes (into the outbox), any other grade a warehouse
    review item.

    Options:
      --state DIR         the runner's state directory (required)
      --older-than AGE    only holds waiting at least this long (7d, 36h, …), measured from the
                          event's envelope time
      --all               include settled holds
      --grade G           the inspection grade (release)
      --rules FILE        the rule file (default: the last run's)
      --store DIR         the store snapshot (default: the last run's)
      --by NAME           who released it (default: $USER)
      --now TIME          measure ages from this time instead of the clock
      --format human|json

    Exit: 0, 1 unknown or settled hold, 64 usage, 74 state not writable.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        let action = arguments.positional.first ?? "list"
        switch action {
        case "list":
            let store: StateStore
            switch try RunnerCommandSupport.open(arguments, mode: .readOnly, io: io) {
            case .failure(let code): return code
            case .success(let opened): store = opened
            }
            let now = try RunnerCommandSupport.now(arguments)
            let olderThan = try RunnerCommandSupport.duration(arguments, "older-than")
            let holds = arguments.has("all") ? Array(store.state.holds) : StateQueries.openHolds(store.state, olderThan: olderThan, now: now)
            if RunnerCommandSupport.isJSON(arguments) {
                RunnerCommandSupport.writeJSON(io) { w in
                    w.beginObject()
                    w.key("holds")
                    w.beginArray()
                    for hold in holds { write(hold, now: now, into: &w) }
                    w.endArray()
                    w.endObject()
                }
                return .success
            }
            if holds.isEmpty {
                io.write(olderThan == nil ? "no open restock holds\n" : "no restock hold older than \(arguments.value("older-than")!)\n")
                return .success
            }
            for hold in holds {
                let age = Timestamp.age(now - StateQueries.since(hold))
                var line = "\(RunnerCommandSupport.pad(hold.displayID, 7)) \(RunnerCommandSupport.pad(age, 8)) \(hold.hold.units) × \(hold.hold.sku ?? hold.hold.item)"
                if let ean = hold.hold.ean { line += " (EAN \(ean))" }
                line += " · return \(hold.returnID.prefix(12))…" + (hold.hold.orderID.map { " · order \($0)" } ?? "")
                line += " · rule \(hold.hold.rule)"
                if !hold.isOpen { line += " · settled: \(hold.outcome ?? "closed")" }
                io.write(line + "\n")
            }
            return .success
        case "release":
            guard arguments.positional.count == 2, let id = StateOperations.parseID(arguments.positional[1], prefix: "H") else {
                throw UsageError("holds release needs an ID like H-3")
            }
            guard let grade = arguments.value("grade") else { throw UsageError("holds release needs --grade G") }
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
            let runner = Runner(store: store, planner: Planner(rules: rules, store: snapshot), rulesDigest: Runner.rulesDigest(rules), sync: .every)
            let plan: EventPlan
            do {
                plan = try runner.releaseHold(id: id, grade: grade, by: RunnerCommandSupport.actor(arguments, io: io))
                try runner.finish()
            } catch {
                try? store.close()
                return RunnerCommandSupport.report(error, io: io)
            }
            if RunnerCommandSupport.isJSON(arguments) {
                var encoder = PlanJSONEncoder(pretty: true)
                PlanJSONEncoder.write(plan, into: &encoder.writer)
                encoder.writer.newline()
                io.write(contentsOf: encoder.drain())
            } else {
                io.write("released H-\(id) with grade \(grade)\n")
                io.write(PlanHumanRenderer(useColor: io.useColor(for: .stdout), showBodies: false).render(plan))
            }
            return .success
        default:
            throw UsageError("unknown holds action '\(action)': list or release ID")
        }
    }

    static func write(_ hold: HoldRecord, now: Int64, into w: inout JSONWriter) {
        w.beginObject()
        w.key("id")
        w.string(hold.displayID)
        w.key("status")
        w.string(hold.isOpen ? "open" : "settled")
        w.key("return_id")
        w.string(hold.returnID)
        w.key("item")
        w.string(hold.hold.item)
        w.key("order_id")
        if let order = hold.hold.orderID { w.int(order) } else { w.null() }
        w.key("product_id")
        if let product = hold.hold.productID { w.int(product) } else { w.null() }
        w.key("variation_id")
        if let variation = hold.hold.variationID { w.int(variation) } else { w.null() }
        w.key("sku")
        RunnerCommandSupport.optional(hold.hold.sku, &w)
        w.key("ean")
        RunnerCommandSupport.optional(hold.hold.ean, &w)
        w.key("units")
        w.int(hold.hold.units)
        w.key("rule")
        w.string(hold.hold.rule)
        w.key("key")
        w.string(hold.hold.key)
        w.key("event_time")
        RunnerCommandSupport.optional(hold.eventTime, &w)
        w.key("opened_at")
        w.string(Timestamp.iso(hold.openedAt))
        w.key("age_seconds")
        w.int((now - StateQueries.since(hold)) / 1000)
        w.key("outcome")
        RunnerCommandSupport.optional(hold.outcome, &w)
        w.endObject()
    }
}
