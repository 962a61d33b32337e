import JSONBytes
import ReturnRulesLanguage

/// The plan's events as compact JSON composed directly (`JSONWriter.compactValue`): keys and
/// punctuation are literals, so an event costs a copy per member instead of the writer's
/// bookkeeping per token. The members, their order and the bytes are exactly those of the
/// writer path in `PlanJSONEncoder` (the golden files are pretty; `plan --format json` is this).
extension PlanJSONEncoder {
    static func write(_ event: EventPlan, into json: inout CompactJSON) {
        json.raw("{\"source\":")
        json.string(event.source.file)
        json.raw(",\"line\":")
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
        // By index: the elements are borrowed where a for-in loop would copy each step.
        for index in event.steps.indices {
            if index > 0 { json.raw(",") }
            write(event.steps[index], into: &json)
        }
        json.raw("]}")
    }

    static func write(_ step: PlanStep, into json: inout CompactJSON) {
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
            json.raw("{\"name\":")
            json.string(rule.name)
            json.raw(",\"file\":")
            json.string(rule.file)
            json.raw(",\"line\":")
            json.int(rule.line)
            json.raw(",\"column\":")
            json.int(rule.column)
            json.raw("}")
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

    /// Strings separated by commas (the brackets are the caller's).
    private static func strings(_ texts: [String], into json: inout CompactJSON) {
        for index in texts.indices {
            if index > 0 { json.raw(",") }
            json.string(texts[index])
        }
    }
}
