import JSONBytes
import ReturnRulesLanguage
import Testing
@testable import ReturnRulesDomain

/// Compact plan JSON is composed directly (`PlanJSONEncoder+Compact`); it must be the bytes the
/// writer makes of the same plan: the pretty output, read back and written compact.
@Suite("Plan: compact JSON is the writer's JSON")
struct PlanJSONCompactTests {
    static let awkward = "quote \" backslash \\ newline \n tab \t cr \r bell \u{07} del \u{7F} é € 😀 </script>"

    static func plans() -> [EventPlan] {
        let rule = RuleReference(name: "R\"1", file: "rules/a b.rules", line: 12, column: 3)
        var full = EventPlan(source: EventSource(file: "events/\(awkward).jsonl", line: 7), outcome: .planned, eventID: "evt_1",
                             returnID: "ret \u{1}", status: "accepted", orderReference: "5123")
        full.returnType = "refund"
        full.steps = [
            PlanStep(kind: .refund, summary: awkward, details: ["one", awkward], key: "k1", rule: rule,
                     preconditions: [Precondition("holds", holds: true), Precondition("fails", holds: false), Precondition(awkward, holds: nil)],
                     verified: true, review: nil, amount: Money(minorUnits: -1234, currency: .eur)),
            PlanStep(kind: .restock, summary: "restock", details: [],
                     request: PlannedRequest(method: "PUT", path: "/wc/v3/products/1",
                                             body: .object([("stock_quantity", .number("4")), ("meta_data", .array([.object([("key", .string(awkward)),
                                                                                                                        ("value", .null)])])),
                                                            ("flags", .array([.bool(true), .bool(false), .array([]), .object([])])),
                                                            ("k\u{2}\"", .number("-0.5e3"))]),
                                             stockDelta: StockDelta(delta: -2, expectedBefore: nil)),
                     key: nil, rule: nil),
            PlanStep(kind: .restock, summary: "", request: PlannedRequest(method: "PUT", path: "/p", body: nil, stockDelta: StockDelta(delta: 3, expectedBefore: 9))),
            PlanStep(kind: .review, summary: "review", rule: rule, review: ReviewItem(queue: "q", reason: awkward, figures: ["a", "b\\"])),
            PlanStep(kind: .review, summary: "review", review: ReviewItem(queue: "q", reason: "", figures: [])),
            PlanStep(kind: .ignore, summary: "ignore", rule: rule),
        ]
        let rejected = EventPlan(source: EventSource(file: "a.json", index: 3), outcome: .rejected, reason: awkward, jsonPath: "$.items[0].sku")
        let bare = EventPlan(source: EventSource(file: ""), outcome: .duplicate, steps: [], reason: nil)
        let stale = EventPlan(source: EventSource(file: "s", line: -4, index: 0), outcome: .stale, eventID: "", reason: "older")
        return [full, rejected, bare, stale]
    }

    @Test func sameBytesAsTheWriter() throws {
        for plan in Self.plans() {
            var compact = JSONWriter(style: .compact)
            PlanJSONEncoder.write(plan, into: &compact)
            var pretty = JSONWriter(style: .pretty)
            PlanJSONEncoder.write(plan, into: &pretty)
            let rewritten = try JSONValue(parsing: pretty.bytes).serialized()
            #expect(compact.bytes == rewritten)
        }
    }

    @Test func eventsInAnArraySeparatedByCommas() throws {
        var encoder = PlanJSONEncoder(pretty: false)
        encoder.begin(client: "c", rulesFile: "f")
        for plan in Self.plans() { encoder.add(plan) }
        encoder.finish(summary: PlanSummary(Self.plans()))
        var pretty = PlanJSONEncoder(pretty: true)
        pretty.begin(client: "c", rulesFile: "f")
        for plan in Self.plans() { pretty.add(plan) }
        pretty.finish(summary: PlanSummary(Self.plans()))
        let compactBytes = encoder.drain()
        let prettyBytes = pretty.drain()
        // Both end with a newline; the compact document is the pretty one written compact.
        #expect(compactBytes.last == 0x0A)
        #expect(Array(compactBytes.dropLast()) == (try JSONValue(parsing: Array(prettyBytes.dropLast())).serialized()))
    }
}
