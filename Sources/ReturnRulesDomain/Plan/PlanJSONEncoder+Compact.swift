import JSONBytes
import ReturnRulesLanguage

/// The plan's events as compact JSON composed directly (`JSONWriter.compactValue`): keys and
/// punctuation are literals, so an event costs a copy per member instead of the writer's
/// bookkeeping per token. The members, their order and the bytes are exactly those of the
/// writer path in `PlanJSONEncoder` (the golden files are pretty; `plan --format json` is this).
extension PlanJSONEncoder {
    static func write(_ event: EventPlan, into json: inout CompactJSON, fragments: PlanJSONFragments? = nil) {
        if let fragments {
            // `{"source":"<file>","line":`, rendered once per file.
            fragments.withSource(event.source.file) { json.raw(utf8: $0) }
        } else {
            json.raw("{\"source\":")
            json.string(event.source.file)
            json.raw(",\"line\":")
        }
        if let line = event.source.line { json.int(line) } else { json.null() }
        if let index = event.source.index {
            json.raw(",\"index\":")
            json.int(index)
        }
        json.raw(",\"event_id\":")
        json.optional(event.eventID)
        json.raw(",\"return_id\":")
        json.optional(event.returnID)
        json.raw(",\"status\":")
        json.optional(event.status)
        json.raw(",\"type\":")
        json.optional(event.returnType)
        json.raw(",\"order\":")
        json.optional(event.orderReference)
        json.raw(",\"outcome\":")
        json.string(name(of: event.outcome))
        json.raw(",\"reason\":")
        json.optional(event.reason)
        if let path = event.jsonPath {
            json.raw(",\"json_path\":")
            json.string(path)
        }
        json.raw(",\"steps\":[")
        event.steps.withUnsafeBufferPointer { steps in
            for index in steps.indices {
                if index > 0 { json.raw(",") }
                // Through its address: a step passed by value (`steps[index]`) was copied and
                // the copy destroyed, about 400 instructions a step. It is only read.
                write(&UnsafeMutablePointer(mutating: steps.baseAddress! + index).pointee, into: &json, fragments: fragments)
            }
        }
        json.raw("]}")
    }

    /// `step` is inout only to be read where it is (see the caller); it is never changed.
    static func write(_ step: inout PlanStep, into json: inout CompactJSON, fragments: PlanJSONFragments? = nil) {
        json.raw("{\"kind\":")
        json.string(name(of: step.kind))
        json.raw(",\"summary\":")
        json.string(step.summary)
        json.raw(",\"key\":")
        json.optional(step.key)
        json.raw(",\"verified\":")
        json.bool(step.verified)
        json.raw(",\"rule\":")
        if let rule = step.rule {
            if let fragments {
                fragments.withRule(rule) { json.raw(utf8: $0) }
            } else {
                write(rule, into: &json)
            }
        } else {
            json.null()
        }
        if let amount = step.amount {
            json.raw(",\"amount\":{\"value\":")
            json.string(amount.formatted)
            json.raw(",\"currency\":")
            json.string(amount.currency.code)
            json.raw("}")
        }
        if let request = step.request {
            json.raw(",\"request\":{\"method\":")
            json.string(request.method)
            json.raw(",\"path\":")
            json.string(request.path)
            json.raw(",\"body\":")
            if let body = request.body { body.write(to: &json) } else { json.null() }
            if let stock = request.stockDelta {
                json.raw(",\"stock\":{\"delta\":")
                json.int(stock.delta)
                json.raw(",\"expected_before\":")
                if let expected = stock.expectedBefore { json.int(expected) } else { json.null() }
                json.raw("}")
            }
            json.raw("}")
        }
        if !step.preconditions.isEmpty {
            json.raw(",\"preconditions\":[")
            for index in step.preconditions.indices {
                json.raw(index > 0 ? ",{\"description\":" : "{\"description\":")
                json.string(step.preconditions[index].description)
                json.raw(",\"holds\":")
                if let holds = step.preconditions[index].holds { json.bool(holds) } else { json.null() }
                json.raw("}")
            }
            json.raw("]")
        }
        if let review = step.review {
            json.raw(",\"review\":{\"queue\":")
            json.string(review.queue)
            json.raw(",\"reason\":")
            json.string(review.reason)
            json.raw(",\"figures\":[")
            strings(review.figures, into: &json)
            json.raw("]}")
        }
        if !step.details.isEmpty {
            json.raw(",\"details\":[")
            strings(step.details, into: &json)
            json.raw("]")
        }
        json.raw("}")
    }

    /// `{"name":…,"file":…,"line":…,"column":…}`.
    static func write(_ rule: RuleReference, into json: inout CompactJSON) {
        json.raw("{\"name\":")
        json.string(rule.name)
        json.raw(",\"file\":")
        json.string(rule.file)
        json.raw(",\"line\":")
        json.int(rule.line)
        json.raw(",\"column\":")
        json.int(rule.column)
        json.raw("}")
    }

    /// Strings separated by commas (the brackets are the caller's).
    private static func strings(_ texts: [String], into json: inout CompactJSON) {
        for index in texts.indices {
            if index > 0 { json.raw(",") }
            json.string(texts[index])
        }
    }
}

/// JSON that every event of a file, and every step of a rule, repeats: the source file and the
/// rule reference, escaped and formatted once and then copied (an event's file and a step's
/// rule otherwise cost two string escapes and two integer formats per event).
///
/// The last file, and a few rules, are remembered; a rule is recognised by its position first
/// (two integers) and then its name and file, which are the same strings every time and so
/// compare by identity. Used by one encoder on one thread.
final class PlanJSONFragments {
    private var sourceFile: String?
    private var sourceJSON: [UInt8] = []
    private var rules: [(reference: RuleReference, json: [UInt8])] = []
    private var nextReplaced = 0
    static let ruleLimit = 32

    /// `{"source":"<file>","line":` for `file`.
    func withSource(_ file: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if sourceFile != file {
            sourceJSON = PlanJSONFragments.render { json in
                json.raw("{\"source\":")
                json.string(file)
                json.raw(",\"line\":")
            }
            sourceFile = file
        }
        sourceJSON.withUnsafeBufferPointer(body)
    }

    /// The JSON object of `rule`.
    func withRule(_ rule: RuleReference, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        for index in rules.indices {
            let known = rules[index].reference
            if known.line == rule.line && known.column == rule.column && known.name == rule.name && known.file == rule.file {
                rules[index].json.withUnsafeBufferPointer(body)
                return
            }
        }
        let json = PlanJSONFragments.render { PlanJSONEncoder.write(rule, into: &$0) }
        if rules.count < PlanJSONFragments.ruleLimit {
            rules.append((rule, json))
        } else {
            rules[nextReplaced] = (rule, json)
            nextReplaced = (nextReplaced + 1) % PlanJSONFragments.ruleLimit
        }
        json.withUnsafeBufferPointer(body)
    }

    private static func render(_ compose: (inout CompactJSON) -> Void) -> [UInt8] {
        var writer = JSONWriter(style: .compact, reservingCapacity: 128)
        writer.compactValue(compose)
        return writer.takeBytes()
    }
}
