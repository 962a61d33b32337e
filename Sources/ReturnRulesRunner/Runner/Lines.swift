import Checksums
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage

/// The lines of the projection files. Rendered once, stored in the journal record as bytes.
enum Lines {
    static let outboxFormatVersion = 1

    /// One outbox line:
    ///
    ///     {"outbox_format_version":1,"seq":12,"key":"…","kind":"refund","method":"POST",
    ///      "path":"/wc/v3/orders/5123/refunds","body":{…},"stock":{"delta":1,"expected_before":3},
    ///      "find":{"get":"/wc/v3/orders/5123/refunds?per_page=100","meta_key":"rr_idempotency_key","value":"…"},
    ///      "preconditions":[…],"verified":true,"return_id":"…","order_id":5123,"event_id":"…",
    ///      "event_time":"…","rule":{…},"amount":{"value":"92.85","currency":"EUR"},"summary":"…",
    ///      "planned_at":"2026-11-27T23:12:10.123Z"}
    static func outbox(step: PlanStep, request: PlannedRequest, key: String, header: RecordHeader, at: String, returnID: String, orderID: Int?,
                       eventID: String, eventTime: String?, writer: inout JSONWriter) -> [UInt8] {
        writeOutbox(step: step, request: request, key: key, header: header, at: at, returnID: returnID, orderID: orderID, eventID: eventID,
                    eventTime: eventTime, writer: &writer)
        return writer.bytes
    }

    /// The outbox line, left in `writer` (for the caller to copy where it goes).
    static func writeOutbox(step: PlanStep, request: PlannedRequest, key: String, header: RecordHeader, at: String, returnID: String, orderID: Int?,
                            eventID: String, eventTime: String?, writer: inout JSONWriter) {
        writer.reset()
        writer.beginObject()
        writer.key("outbox_format_version")
        writer.int(outboxFormatVersion)
        writer.key("seq")
        writer.uint(header.sequence)
        writer.key("key")
        writer.string(key)
        writer.key("kind")
        writer.string(PlanJSONEncoder.name(of: step.kind))
        // The step's request, preconditions, rule and amount as the plan writes them.
        PlanJSONEncoder.writeMembers(of: request, into: &writer)
        writer.key("find")
        find(step: step, request: request, key: key, plannedAt: header.time, writer: &writer)
        writer.key("preconditions")
        PlanJSONEncoder.write(step.preconditions, into: &writer)
        writer.key("verified")
        writer.bool(step.verified)
        writer.key("return_id")
        writer.string(returnID)
        writer.key("order_id")
        if let orderID { writer.int(orderID) } else { writer.null() }
        writer.key("event_id")
        writer.string(eventID)
        writer.key("event_time")
        if let eventTime { writer.string(eventTime) } else { writer.null() }
        writer.key("rule")
        PlanJSONEncoder.write(step.rule, into: &writer)
        if let amount = step.amount {
            writer.key("amount")
            PlanJSONEncoder.write(amount, into: &writer)
        }
        writer.key("summary")
        writer.string(step.summary)
        writer.key("planned_at")
        writer.string(at)
        writer.endObject()
        writer.newline()
    }

    /// How an executor finds out whether a request was already applied, before retrying it.
    static func find(step: PlanStep, request: PlannedRequest, key: String, plannedAt: Int64, writer: inout JSONWriter) {
        writer.beginObject()
        switch step.kind {
        case .refund:
            writer.key("get")
            writer.string(request.path + "?per_page=100")
            writer.key("meta_key")
            writer.string("rr_idempotency_key")
            writer.key("value")
            writer.string(key)
        case .replacementOrder:
            writer.key("get")
            // Orders created from a day before the plan on; the key is in their meta_data.
            writer.string("/wc/v3/orders?per_page=100&after=" + Timestamp.iso(plannedAt - 86_400_000).prefix(19))
            writer.key("meta_key")
            writer.string("rr_idempotency_key")
            writer.key("value")
            writer.string(key)
        case .storeCredit:
            let code = IdempotencyKey.couponCode(for: key)
            writer.key("get")
            writer.string("/wc/v3/coupons?code=" + code)
            writer.key("code")
            writer.string(code)
        case .note:
            let customer = request.body?["customer_note"] == .bool(true)
            writer.key("get")
            writer.string(request.path + "?type=" + (customer ? "customer" : "internal"))
            if customer, case .string(let text)? = request.body?["note"] {
                writer.key("note_equals")
                writer.string(text)
            } else {
                writer.key("note_contains")
                writer.string(IdempotencyKey.noteMarker(for: key))
            }
        case .restock:
            writer.key("get")
            writer.string(request.path)
            writer.key("meta_key")
            writer.string("rr_last_restock_key")
            writer.key("value")
            writer.string(key)
        default:
            writer.key("get")
            writer.null()
        }
        writer.endObject()
    }

    /// One decision-log line, with personal data masked:
    ///
    ///     {"seq":12,"at":"…","event_id":"…","return_id":"…","status":"accepted","event_time":"…",
    ///      "order":"5123","outcome":"planned","reason":null,"source":"events.jsonl:12",
    ///      "rules_sha256":"…","customer":"l***@example.es","rules":["card_refund"],
    ///      "actions":[{"kind":"refund","key":"…","rule":"card_refund","summary":"…"}]}
    static func decision(header: RecordHeader, at: String, plan: EventPlan, outcome: String, eventTime: String?, customer: String?,
                         rulesHex: String, suppressed: Set<Int>, writer: inout JSONWriter) -> [UInt8] {
        writeDecision(header: header, at: at, plan: plan, outcome: outcome, eventTime: eventTime, customer: customer, rulesHex: rulesHex,
                      suppressed: suppressed, writer: &writer)
        return writer.bytes
    }

    /// The decision-log line, left in `writer`.
    static func writeDecision(header: RecordHeader, at: String, plan: EventPlan, outcome: String, eventTime: String?, customer: String?,
                              rulesHex: String, suppressed: Set<Int>, writer: inout JSONWriter) {
        writer.reset()
        writer.beginObject()
        writer.key("seq")
        writer.uint(header.sequence)
        writer.key("at")
        writer.string(at)
        writer.key("event_id")
        optional(plan.eventID.map(Masking.mask), &writer)
        writer.key("return_id")
        optional(plan.returnID, &writer)
        writer.key("status")
        optional(plan.status, &writer)
        writer.key("event_time")
        optional(eventTime, &writer)
        writer.key("order")
        optional(plan.orderReference, &writer)
        writer.key("outcome")
        writer.string(outcome)
        writer.key("reason")
        optional(plan.reason.map(Masking.mask), &writer)
        writer.key("source")
        writer.string(plan.source.description)
        writer.key("rules_sha256")
        writer.string(rulesHex)
        writer.key("customer")
        optional(customer.map(Masking.mask), &writer)
        // The steps are read in place: a copy of each would retain every one of its fields.
        plan.steps.withUnsafeBufferPointer { steps in
            writer.key("rules")
            writer.beginArray()
            var seen = Set<String>()
            for index in steps.indices {
                if let name = steps[index].rule?.name, seen.insert(name).inserted { writer.string(name) }
            }
            writer.endArray()
            writer.key("actions")
            writer.beginArray()
            for index in steps.indices {
                writer.beginObject()
                writer.key("kind")
                writer.string(PlanJSONEncoder.name(of: steps[index].kind))
                if let key = steps[index].key {
                    writer.key("key")
                    writer.string(key)
                }
                writer.key("rule")
                optional(steps[index].rule?.name, &writer)
                writer.key("summary")
                writer.string(Masking.mask(steps[index].summary))
                if suppressed.contains(index) {
                    writer.key("suppressed")
                    writer.string("the key is already in the outbox; not written again")
                }
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
        writer.newline()
    }

    static func optional(_ text: String?, _ writer: inout JSONWriter) {
        if let text { writer.string(text) } else { writer.null() }
    }

    /// One dead-letter line: the input exactly as read (as text, or base64 when it is not
    /// UTF-8), where it came from, the error and its JSON path.
    ///
    ///     {"seq":7,"at":"…","source":"events.jsonl","line":3,"index":null,"error":"…",
    ///      "json_path":"$.data.return.items[0].quantity","event_id":"…","raw":"{…}"}
    static func deadLetter(header: RecordHeader, source: SourceRef, error: String, jsonPath: String, eventID: String?, raw: [UInt8],
                           writer: inout JSONWriter) -> [UInt8] {
        writer.reset()
        writer.beginObject()
        writer.key("seq")
        writer.uint(header.sequence)
        writer.key("at")
        writer.string(Timestamp.iso(header.time))
        writer.key("source")
        writer.string(source.file)
        writer.key("line")
        if let line = source.line { writer.int(line) } else { writer.null() }
        writer.key("index")
        if let index = source.index { writer.int(index) } else { writer.null() }
        writer.key("error")
        writer.string(error)
        writer.key("json_path")
        writer.string(jsonPath)
        writer.key("event_id")
        optional(eventID, &writer)
        let text = String(decoding: raw, as: UTF8.self)
        if Array(text.utf8) == raw {
            writer.key("raw")
            writer.string(text)
        } else {
            writer.key("raw_base64")
            writer.string(Base64.encode(raw))
        }
        writer.endObject()
        writer.newline()
        return writer.bytes
    }
}

enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int((n >> UInt32(shift)) & 63)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            var n = UInt32(bytes[index]) << 16
            if rest == 2 { n |= UInt32(bytes[index + 1]) << 8 }
            out.append(alphabet[Int((n >> 18) & 63)])
            out.append(alphabet[Int((n >> 12) & 63)])
            out.append(rest == 2 ? alphabet[Int((n >> 6) & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var lookup = [Int](repeating: -1, count: 256)
        for (index, byte) in alphabet.enumerated() { lookup[Int(byte)] = index }
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") { break }
            let value = lookup[Int(byte)]
            guard value >= 0 else { return nil }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }
}
