import JSONBytes
import ReturnRulesLanguage

/// The plan as JSON (`plan --format json`, golden files, the runner's outbox). Versioned:
/// `plan_format_version` changes only when a field changes meaning or disappears.
///
///     {"plan_format_version": 1,
///      "rules": {"client": "acme-fashion", "file": "rules/acme.rules"},
///      "events": [{"source": "…", "line": 3, "event_id": "…", "return_id": "…", "status": "accepted",
///                  "order": "5123", "outcome": "planned", "reason": null,
///                  "steps": [{"kind": "refund", "summary": "…", "key": "…", "verified": true,
///                             "rule": {"name": "…", "file": "…", "line": 27, "column": 8},
///                             "amount": {"value": "92.85", "currency": "EUR"},
///                             "request": {"method": "POST", "path": "/wc/v3/orders/5123/refunds", "body": {…},
///                                         "stock": {"delta": 1, "expected_before": 3}},
///                             "preconditions": [{"description": "…", "holds": true}],
///                             "review": {"queue": "…", "reason": "…", "figures": […]},
///                             "details": […]}]}],
///      "summary": {"events": 12, "duplicates": 1, …, "refund_totals": {"EUR": "168.76"}}}
public struct PlanJSONEncoder {
    public static let formatVersion = 1
    public var writer: JSONWriter
    /// The JSON of sources and rules, rendered once and copied into every event that repeats them.
    let fragments = PlanJSONFragments()

    public init(pretty: Bool) {
        writer = JSONWriter(style: pretty ? .pretty : .compact, reservingCapacity: 1 << 16)
    }

    /// Opens the document; events follow, then `finish`.
    public mutating func begin(client: String, rulesFile: String) {
        writer.beginObject()
        writer.key("plan_format_version")
        writer.int(PlanJSONEncoder.formatVersion)
        writer.key("rules")
        writer.beginObject()
        writer.key("client")
        writer.string(client)
        writer.key("file")
        writer.string(rulesFile)
        writer.endObject()
        writer.key("events")
        writer.beginArray()
    }

    public mutating func finish(summary: PlanSummary) {
        writer.endArray()
        writer.key("summary")
        PlanJSONEncoder.write(summary, into: &writer)
        writer.endObject()
        writer.newline()
    }

    /// Takes the bytes written so far (for streaming to stdout); the document goes on.
    public mutating func drain() -> [UInt8] { writer.takeBytes() }

    /// Hands the bytes written so far to `body` without copying them into an array, then
    /// drops them; the document goes on.
    public mutating func drain(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try writer.drain(body)
    }

    public mutating func add(_ event: EventPlan) { PlanJSONEncoder.write(event, into: &writer, fragments: fragments) }

    public static func write(_ event: EventPlan, into writer: inout JSONWriter) {
        write(event, into: &writer, fragments: nil)
    }

    static func write(_ event: EventPlan, into writer: inout JSONWriter, fragments: PlanJSONFragments?) {
        // Compact output (every `plan --format json` event) is composed directly: the same
        // bytes for a fraction of the instructions (see `PlanJSONEncoder+Compact`).
        if writer.style == .compact {
            writer.compactValue { write(event, into: &$0, fragments: fragments) }
            return
        }
        writer.beginObject()
        writer.key("source")
        writer.string(event.source.file)
        writer.key("line")
        if let line = event.source.line { writer.int(line) } else { writer.null() }
        if let index = event.source.index {
            writer.key("index")
            writer.int(index)
        }
        writer.key("event_id")
        optional(event.eventID, into: &writer)
        writer.key("return_id")
        optional(event.returnID, into: &writer)
        writer.key("status")
        optional(event.status, into: &writer)
        writer.key("type")
        optional(event.returnType, into: &writer)
        writer.key("order")
        optional(event.orderReference, into: &writer)
        writer.key("outcome")
        writer.string(name(of: event.outcome))
        writer.key("reason")
        optional(event.reason, into: &writer)
        if let path = event.jsonPath {
            writer.key("json_path")
            writer.string(path)
        }
        writer.key("steps")
        writer.beginArray()
        // By index: the elements are borrowed where a for-in loop would copy each step.
        for index in event.steps.indices { write(event.steps[index], into: &writer) }
        writer.endArray()
        writer.endObject()
    }

    static func optional(_ text: String?, into writer: inout JSONWriter) {
        if let text { writer.string(text) } else { writer.null() }
    }

    public static func write(_ step: PlanStep, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("kind")
        writer.string(name(of: step.kind))
        writer.key("summary")
        writer.string(step.summary)
        writer.key("key")
        optional(step.key, into: &writer)
        writer.key("verified")
        writer.bool(step.verified)
        writer.key("rule")
        write(step.rule, into: &writer)
        if let amount = step.amount {
            writer.key("amount")
            write(amount, into: &writer)
        }
        if let request = step.request {
            writer.key("request")
            writer.beginObject()
            writeMembers(of: request, into: &writer)
            writer.endObject()
        }
        if !step.preconditions.isEmpty {
            writer.key("preconditions")
            write(step.preconditions, into: &writer)
        }
        if let review = step.review {
            writer.key("review")
            writer.beginObject()
            writer.key("queue")
            writer.string(review.queue)
            writer.key("reason")
            writer.string(review.reason)
            writer.key("figures")
            writer.beginArray()
            for figure in review.figures { writer.string(figure) }
            writer.endArray()
            writer.endObject()
        }
        if !step.details.isEmpty {
            writer.key("details")
            writer.beginArray()
            for detail in step.details { writer.string(detail) }
            writer.endArray()
        }
        writer.endObject()
    }

    // MARK: - Parts shared with the runner's outbox lines

    /// `{"name": …, "file": …, "line": …, "column": …}`, or `null` for the planner's own steps.
    public static func write(_ rule: RuleReference?, into writer: inout JSONWriter) {
        guard let rule else {
            writer.null()
            return
        }
        writer.beginObject()
        writer.key("name")
        writer.string(rule.name)
        writer.key("file")
        writer.string(rule.file)
        writer.key("line")
        writer.int(rule.line)
        writer.key("column")
        writer.int(rule.column)
        writer.endObject()
    }

    /// `{"value": "92.85", "currency": "EUR"}`.
    public static func write(_ amount: Money, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("value")
        writer.string(amount.formatted)
        writer.key("currency")
        writer.string(amount.currency.code)
        writer.endObject()
    }

    /// The request's members, into an object the caller has open: `method`, `path`, `body`,
    /// and for a stock write `stock`.
    public static func writeMembers(of request: PlannedRequest, into writer: inout JSONWriter) {
        writer.key("method")
        writer.string(request.method)
        writer.key("path")
        writer.string(request.path)
        writer.key("body")
        if let body = request.body { body.write(to: &writer) } else { writer.null() }
        if let stock = request.stockDelta {
            writer.key("stock")
            writer.beginObject()
            writer.key("delta")
            writer.int(stock.delta)
            writer.key("expected_before")
            if let expected = stock.expectedBefore { writer.int(expected) } else { writer.null() }
            writer.endObject()
        }
    }

    /// `[{"description": …, "holds": true|false|null}, …]`.
    public static func write(_ preconditions: [Precondition], into writer: inout JSONWriter) {
        writer.beginArray()
        for precondition in preconditions {
            writer.beginObject()
            writer.key("description")
            writer.string(precondition.description)
            writer.key("holds")
            if let holds = precondition.holds { writer.bool(holds) } else { writer.null() }
            writer.endObject()
        }
        writer.endArray()
    }

    /// A step kind's name as written (its raw value), without building a `String`.
    public static func name(of kind: PlanStep.Kind) -> StaticString {
        switch kind {
        case .refund: "refund"
        case .replacementOrder: "replacement_order"
        case .restock: "restock"
        case .restockHold: "restock_hold"
        case .storeCredit: "store_credit"
        case .note: "note"
        case .review: "review"
        case .ignore: "ignore"
        case .noop: "noop"
        }
    }

    static func name(of outcome: EventPlan.Outcome) -> StaticString {
        switch outcome {
        case .planned: "planned"
        case .duplicate: "duplicate"
        case .stale: "stale"
        case .rejected: "rejected"
        }
    }

    public static func write(_ summary: PlanSummary, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("events")
        writer.int(summary.events)
        writer.key("duplicates")
        writer.int(summary.duplicates)
        writer.key("stale")
        writer.int(summary.stale)
        writer.key("rejected")
        writer.int(summary.rejected)
        writer.key("requests")
        writer.int(summary.requests)
        let counts = summary.counts
        for kind in PlanStep.Kind.allCases {
            writer.key(kind.rawValue + "s")
            writer.int(counts[kind] ?? 0)
        }
        writer.key("refund_totals")
        writer.beginObject()
        for (code, total) in summary.refundTotals.sorted(by: { $0.key < $1.key }) {
            writer.key(code)
            writer.string(total.formatted)
        }
        writer.endObject()
        writer.key("store_credit_totals")
        writer.beginObject()
        for (code, total) in summary.storeCreditTotals.sorted(by: { $0.key < $1.key }) {
            writer.key(code)
            writer.string(total.formatted)
        }
        writer.endObject()
        writer.key("line")
        writer.string(summary.line)
        writer.endObject()
    }
}
