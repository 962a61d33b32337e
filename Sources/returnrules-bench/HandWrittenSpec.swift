import ReturnRulesDomain
import ReturnRulesLanguage

/// SPEC.md as a plain Swift if-chain over the same mapped events the compiled rules read: the
/// limit a rules language can approach. Benchmark target only.
struct HandWrittenSpec {
    let catalog: Set<String>
    let threshold: Int64 = 50_000
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

    init() {
        catalog = Set((0..<40).map { "RV-\(1000 + $0)" })
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

    func decide(_ event: EventRecord) -> (rule: Int, amount: Int64) {
        let range = event.ranges[ReturnSchema.itemsSlot]
        let items = (0..<Int(range.count)).map { Int(range.start) + $0 * Int(range.stride) }
        let fields = event.elements
        let st = member(event.fields[status]), rt = member(event.fields[type])
        let isPaid = member(event.fields[refundStatus]) == paid
        if st == cancelled { return (2, 0) }
        for item in items {
            if case .text(let span) = fields[item + sku] {
                let bytes = event.bytes(span)
                if !catalog.contains(String(decoding: bytes, as: UTF8.self)) { return (3, 0) }
            }
        }
        for item in items { if case .number(let q) = fields[item + quantity], q < ExactDecimal(1) { return (4, 0) } }
        func total() -> Int64 {
            var sum: Int64 = 0
            for item in items {
                if case .money(let p) = fields[item + price], case .number(let q) = fields[item + quantity], let n = q.int64Value { sum += p * n }
            }
            return sum
        }
        if rt == refund, isPaid, total() > threshold { return (5, 0) }
        if rt == exchange, st == accepted, !isPaid {
            var units: Int64 = 0
            for item in items { if case .number(let q) = fields[item + quantity], let n = q.int64Value { units += n } }
            if units > 3 { return (6, 0) }
        }
        if st == forReview {
            if items.contains(where: { member(fields[$0 + grade]) == gradeC }) { return (7, 0) }
            if items.allSatisfy({ member(fields[$0 + grade]) == gradeA }) { return (8, 0) }
            return (9, 0)
        }
        if rt == exchange, st == accepted, !isPaid { return (10, 0) }
        let rm = member(event.fields[method])
        if rt == refund, rm == original, isPaid { return (11, total()) }
        if rt == refund, rm == storeCredit, isPaid { return (12, total()) }
        return (13, 0)
    }
}
