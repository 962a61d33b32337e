import BenchmarkSpec
import ReturnRulesDomain
import ReturnRulesLanguage

/// SPEC.md as a plain Swift if-chain over the same mapped events the compiled rules read: the
/// limit a rules language can approach. Like the compiled rules, it reads text as bytes (the SKU
/// catalog is a byte hash set), walks the items in place, and builds the same decision value;
/// nothing else is allocated per event. Benchmark target only.
struct HandWrittenSpec {
    let catalog = ByteCatalog((0..<40).map { "RV-\(1000 + $0)" })
    let threshold: Int64 = 50_000
    let bulkUnits: Int64 = 3
    let one = ExactDecimal(1)
    let status = ReturnSchema.eventSlot("return.status")
    let type = ReturnSchema.eventSlot("return.type")
    let method = ReturnSchema.eventSlot("refund.method")
    let refundStatus = ReturnSchema.eventSlot("refund.status")
    let sku = ReturnSchema.itemSlot("sku")
    let quantity = ReturnSchema.itemSlot("quantity")
    let price = ReturnSchema.itemSlot("unit_price")
    let grade = ReturnSchema.itemSlot("grade")
    // Enum indices, from the schema's member order and the spec's `grades A, B, C`.
    let cancelled: Int32, forReview: Int32, accepted: Int32
    let refund: Int32, exchange: Int32, storeCredit: Int32, original: Int32, paid: Int32
    let gradeA: Int32 = 0, gradeC: Int32 = 2

    /// Held per instance: a static would cost a lazy-initialisation check on every decision.
    let decisions = HandWrittenSpec.table
    let currency = Currency.eur

    /// SPEC.md's rule table: the decision each rule makes (R11 and R12 add the total).
    static let table: [SpecDecision] = [
        SpecDecision.duplicate,
        SpecDecision(rule: "R02", action: "ignore", reason: "terminal_status", amount: nil),
        SpecDecision(rule: "R03", action: "manual_review", reason: "unknown_sku", amount: nil),
        SpecDecision(rule: "R04", action: "manual_review", reason: "invalid_quantity", amount: nil),
        SpecDecision(rule: "R05", action: "manual_review", reason: "amount_over_threshold", amount: nil),
        SpecDecision(rule: "R06", action: "manual_review", reason: "bulk_exchange", amount: nil),
        SpecDecision(rule: "R07", action: "manual_review", reason: "damaged_item", amount: nil),
        SpecDecision(rule: "R08", action: "restock", reason: "inspected_grade_a", amount: nil),
        SpecDecision(rule: "R09", action: "ignore", reason: "not_restockable", amount: nil),
        SpecDecision(rule: "R10", action: "replacement_order", reason: "exchange_approved", amount: "0.00"),
        SpecDecision(rule: "R11", action: "refund", reason: "refund_completed", amount: nil),
        SpecDecision(rule: "R12", action: "store_credit", reason: "store_credit_issued", amount: nil),
        SpecDecision(rule: "R13", action: "ignore", reason: "no_action", amount: nil),
    ]

    init() {
        let enums = ReturnSchema.schema.enums
        func index(_ name: String, _ member: String) -> Int32 { Int32(enums[name]!.firstIndex(of: member)!) }
        cancelled = index(ReturnSchema.returnStatus, "cancelled")
        forReview = index(ReturnSchema.returnStatus, "for_review")
        accepted = index(ReturnSchema.returnStatus, "accepted")
        refund = index(ReturnSchema.returnType, "refund")
        exchange = index(ReturnSchema.returnType, "exchange")
        storeCredit = index(ReturnSchema.refundMethod, "store_credit")
        original = index(ReturnSchema.refundMethod, "original_payment_method")
        paid = index(ReturnSchema.refundStatus, "paid")
    }

    @inline(__always) func member(_ value: Value) -> Int32 { if case .member(let m) = value { m } else { -1 } }

    /// The decision for one mapped event that is not a duplicate.
    func decide(_ event: EventRecord) -> SpecDecision {
        let (rule, amount) = decideRule(event)
        guard rule == 11 || rule == 12 else { return decisions[rule - 1] }
        var decision = decisions[rule - 1]
        decision.amount = Money(minorUnits: amount, currency: currency).formatted
        return decision
    }

    /// The rule that fires (1–13) and, for R11 and R12, the total in cents.
    func decideRule(_ event: EventRecord) -> (rule: Int, amount: Int64) {
        let range = event.ranges[ReturnSchema.itemsSlot]
        let first = Int(range.start), width = Int(range.stride)
        let end = first + Int(range.count) * width
        let items = event.elements
        let st = member(event.fields[status]), rt = member(event.fields[type])
        let isPaid = member(event.fields[refundStatus]) == paid
        if st == cancelled { return (2, 0) }
        let unknownSKU = event.text.withUnsafeBufferPointer { text -> Bool in
            for item in stride(from: first, to: end, by: width) {
                if case .text(let span) = items[item + sku] {
                    let start = Int(span.offset)
                    if !catalog.contains(UnsafeBufferPointer(rebasing: text[start..<(start + Int(span.length))])) { return true }
                }
            }
            return false
        }
        if unknownSKU { return (3, 0) }
        for item in stride(from: first, to: end, by: width) {
            if case .number(let q) = items[item + quantity], q < one { return (4, 0) }
        }
        if rt == refund, isPaid, total(items, first, end, width) > threshold { return (5, 0) }
        if rt == exchange, st == accepted, !isPaid {
            var units: Int64 = 0
            for item in stride(from: first, to: end, by: width) {
                if case .number(let q) = items[item + quantity], let n = q.int64Value { units += n }
            }
            if units > bulkUnits { return (6, 0) }
        }
        if st == forReview {
            var anyC = false, allA = true
            for item in stride(from: first, to: end, by: width) {
                let g = member(items[item + grade])
                if g == gradeC { anyC = true }
                if g != gradeA { allA = false }
            }
            if anyC { return (7, 0) }
            if allA { return (8, 0) }
            return (9, 0)
        }
        if rt == exchange, st == accepted, !isPaid { return (10, 0) }
        let rm = member(event.fields[method])
        if rt == refund, rm == original, isPaid { return (11, total(items, first, end, width)) }
        if rt == refund, rm == storeCredit, isPaid { return (12, total(items, first, end, width)) }
        return (13, 0)
    }

    /// Σ quantity × unit price, in cents.
    @inline(__always)
    func total(_ items: [Value], _ first: Int, _ end: Int, _ width: Int) -> Int64 {
        var sum: Int64 = 0
        for item in stride(from: first, to: end, by: width) {
            if case .money(let p) = items[item + price], case .number(let q) = items[item + quantity], let n = q.int64Value { sum += p * n }
        }
        return sum
    }
}
