import Foundation

/// A seeded stream of Reveni-shaped `return.updated` events, for the crash tests, the soak
/// script and benchmarks: several events per return through its lifecycle (in progress,
/// received, accepted or rejected or cancelled, now and then a reversal after the refund),
/// with redeliveries under the same id, re-sends of the same content under a new id,
/// out-of-order deliveries and a few malformed lines, interleaved across returns.
///
/// Deterministic: the same options give the same bytes. Every event of return `n` is a pure
/// function of the seed and `n`, so the stream needs memory for the open returns only, and
/// once every return has been through its lifecycle the rest of the stream redelivers old
/// events of random returns (that is how 1,000,000 events spread over a fixed set of returns).
public struct SyntheticEvents: Sequence, IteratorProtocol {
    public struct Options: Sendable, Hashable {
        public var seed: UInt64 = 1
        /// Distinct returns.
        public var returns = 2_000
        /// Lines in the stream.
        public var events = 10_000
        /// Returns in flight at once (interleaving).
        public var window = 64
        /// Per event: chance (percent) of a redelivery with the same id later on.
        public var duplicatePercent = 8
        /// Per event: chance (percent) of a re-send of the same content under a new id.
        public var newIDPercent = 4
        /// Per return: chance (percent) that two of its events arrive in the wrong order.
        public var outOfOrderPercent = 10
        /// Per line, per mille: malformed JSON or a value the mapping rejects.
        public var malformedPerMille = 5
        /// WooCommerce order ids are `firstOrderID + return number`.
        public var firstOrderID = 100_000

        public init() {}
    }

    struct Delivery {
        var returnIndex: Int
        var step: Int
        /// 0 for the first delivery; n for the n-th re-send under a new id.
        var resend: Int
        var attempt: Int
    }

    struct Flight {
        var returnIndex: Int
        var queue: [Delivery]
    }

    public let options: Options
    var rng: Random
    var nextReturn = 0
    var flights: [Flight] = []
    var produced = 0

    public init(options: Options) {
        self.options = options
        rng = Random(seed: options.seed)
    }

    public mutating func next() -> [UInt8]? {
        guard produced < options.events else { return nil }
        produced += 1
        if rng.below(1000) < options.malformedPerMille { return malformed() }
        while flights.count < options.window, nextReturn < options.returns {
            flights.append(Flight(returnIndex: nextReturn, queue: schedule(nextReturn)))
            nextReturn += 1
        }
        if flights.isEmpty {
            // Every return has been through its lifecycle: redeliver old events.
            let index = rng.below(Swift.max(1, options.returns))
            let plan = SyntheticReturn(index: index, options: options)
            let step = rng.below(plan.steps.count)
            let resend = rng.below(100) < 30 ? 1 + rng.below(3) : 0
            return plan.render(step: step, resend: resend, attempt: 2 + rng.below(3))
        }
        let slot = rng.below(flights.count)
        let delivery = flights[slot].queue.removeFirst()
        if flights[slot].queue.isEmpty { flights.remove(at: slot) }
        return SyntheticReturn(index: delivery.returnIndex, options: options).render(step: delivery.step, resend: delivery.resend, attempt: delivery.attempt)
    }

    /// The deliveries of one return, in the order they will arrive.
    func schedule(_ index: Int) -> [Delivery] {
        let plan = SyntheticReturn(index: index, options: options)
        var local = Random(seed: options.seed &* 0x9E37_79B9 &+ UInt64(index) &* 7919 &+ 17)
        var queue: [Delivery] = []
        for step in plan.steps.indices {
            queue.append(Delivery(returnIndex: index, step: step, resend: 0, attempt: 1))
            if local.below(100) < options.duplicatePercent {
                queue.append(Delivery(returnIndex: index, step: step, resend: 0, attempt: 2))
            }
            if local.below(100) < options.newIDPercent {
                queue.append(Delivery(returnIndex: index, step: step, resend: 1, attempt: 1))
            }
        }
        if queue.count >= 2, local.below(100) < options.outOfOrderPercent {
            let at = local.below(queue.count - 1)
            queue.swapAt(at, at + 1)
        }
        return queue
    }

    mutating func malformed() -> [UInt8] {
        let plan = SyntheticReturn(index: rng.below(Swift.max(1, options.returns)), options: options)
        let line = plan.render(step: 0, resend: 7, attempt: 1)
        switch rng.below(3) {
        case 0:
            // Cut off in the middle.
            return Array(line.prefix(line.count / 2))
        case 1:
            // A quantity the mapping cannot read.
            let text = String(decoding: line, as: UTF8.self).replacingFirst("\"quantity\":", with: "\"quantity\":\"two\",\"was\":")
            return Array(text.utf8)
        default:
            // A status nobody declared.
            let text = String(decoding: line, as: UTF8.self).replacingFirst("\"status\":\"", with: "\"status\":\"lost_")
            return Array(text.utf8)
        }
    }
}

/// One synthetic return: its items, money and lifecycle, a pure function of the seed and its number.
struct SyntheticReturn {
    enum Kind { case refundInstant, refundCard, refundBank, storeCredit, exchange }

    struct Item {
        var id: String
        var line: Int
        var product: Int
        var sku: String
        var quantity: Int
        var unitCents: Int64
        var grade: String
    }

    let index: Int
    let options: SyntheticEvents.Options
    let kind: Kind
    let items: [Item]
    let fee: Int64
    let restock: Bool
    /// Status per step; `reversal` marks a cancellation after acceptance.
    let steps: [String]
    let returnID: String
    let orderID: Int
    let startSeconds: Int64

    init(index: Int, options: SyntheticEvents.Options) {
        self.index = index
        self.options = options
        var r = Random(seed: options.seed &+ UInt64(index) &* 0x2545_F491_4F6C_DD1D)
        let roll = r.below(100)
        kind = roll < 25 ? .refundInstant : roll < 55 ? .refundCard : roll < 75 ? .refundBank : roll < 88 ? .storeCredit : .exchange
        var items: [Item] = []
        for n in 0..<(1 + r.below(3)) {
            let product = 300 + r.below(40)
            let gradeRoll = r.below(100)
            items.append(Item(id: "ri_\(index)_\(n)", line: 900_000 + index * 4 + n, product: product, sku: "SKU-\(product)",
                              quantity: 1 + r.below(2), unitCents: Int64(1000 + r.below(9000)),
                              grade: gradeRoll < 70 ? "A" : gradeRoll < 90 ? "B" : "C"))
        }
        self.items = items
        fee = r.below(100) < 30 ? 395 : 0
        restock = r.below(100) < 60
        var steps = ["in_progress", "shipped", "received"]
        let end = r.below(100)
        if end < 5 {
            steps = ["in_progress", "cancelled"]
        } else if end < 9 {
            steps.append("rejected")
        } else {
            steps.append("accepted")
            if end < 12 { steps.append("cancelled") }
        }
        self.steps = steps
        returnID = SyntheticReturn.hex(options.seed, UInt64(index), 32)
        orderID = options.firstOrderID + index
        startSeconds = 1_772_323_200 + Int64(index) * 37 // 2026-03-01T00:00:00Z onwards
    }

    static func hex(_ a: UInt64, _ b: UInt64, _ count: Int) -> String {
        var r = Random(seed: a &* 0x1000_0000_01B3 ^ b &+ 0x51_7CC1_B727_220A)
        let digits = Array("0123456789abcdef")
        return String((0..<count).map { _ in digits[r.below(16)] })
    }

    var total: Int64 { items.reduce(0) { $0 + $1.unitCents * Int64($1.quantity) } }

    static func money(_ cents: Int64) -> String {
        let whole = cents / 100
        let part = cents % 100
        return "\(whole).\(part < 10 ? "0" : "")\(part)"
    }

    static func iso(_ seconds: Int64) -> String { String(Timestamp.iso(seconds * 1000).prefix(19)) + "Z" }

    /// The JSON line of one step, as delivery `resend` (a new id for the same content) and attempt.
    func render(step: Int, resend: Int, attempt: Int) -> [UInt8] {
        let status = steps[step]
        let eventID = "evt_" + SyntheticReturn.hex(options.seed &+ UInt64(step) &* 31 &+ UInt64(resend) &* 1_000_003, UInt64(index), 28)
        let time = startSeconds + Int64(step) * 86_400 + Int64(resend) * 60
        let previous = step == 0 ? "null" : "\"\(steps[step - 1])\""
        let instant = kind == .refundInstant
        let (method, executedBy, refundStatus): (String, String, String)
        switch kind {
        case .refundInstant: (method, executedBy, refundStatus) = ("bank_transfer", "reveni", "paid")
        case .refundCard: (method, executedBy, refundStatus) = ("original_payment_method", "merchant", "pending")
        case .refundBank: (method, executedBy, refundStatus) = ("bank_transfer", "reveni", "paid")
        case .storeCredit: (method, executedBy, refundStatus) = ("store_credit", "merchant", "pending")
        case .exchange: (method, executedBy, refundStatus) = ("original_payment_method", "merchant", "pending")
        }
        let decided = status == "accepted" || status == "rejected" || (status == "cancelled" && step > 2)
        var itemsJSON: [String] = []
        for item in items {
            let total = item.unitCents * Int64(item.quantity)
            let tax = total - (total * 100 + 60) / 121
            var validation = "null"
            if decided {
                let rejected = status == "rejected"
                validation = "{\"status\":\"\(rejected ? "rejected" : "accepted")\",\"grade\":\"\(item.grade)\",\"reject_reason\":\(rejected ? "\"damaged\"" : "null")}"
            }
            itemsJSON.append("{\"id\":\"\(item.id)\",\"order_line_external_id\":\"\(item.line)\",\"product_external_id\":\"\(item.product)\","
                             + "\"variant_external_id\":null,\"sku\":\"\(item.sku)\",\"name\":\"Item \(item.product)\",\"quantity\":\(item.quantity),"
                             + "\"unit_price\":\"\(SyntheticReturn.money(item.unitCents))\",\"tax_total\":\"\(SyntheticReturn.money(tax))\","
                             + "\"total\":\"\(SyntheticReturn.money(total))\",\"reason\":{\"code\":\"size_too_small\",\"comment\":null},"
                             + "\"validation\":\(validation)}")
        }
        let fees = fee > 0 ? "[{\"type\":\"logistics\",\"amount\":\"\(SyntheticReturn.money(fee))\"}]" : "[]"
        let exchange = kind == .exchange
            ? "{\"created_by\":\"merchant_system\",\"new_order_external_id\":null,\"price_difference\":\"0.00\",\"new_items\":[{\"product_external_id\":\"\(items[0].product)\",\"variant_external_id\":null,\"sku\":\"\(items[0].sku)\",\"name\":\"Item \(items[0].product)\",\"quantity\":1,\"unit_price\":\"\(SyntheticReturn.money(items[0].unitCents))\"}]}"
            : "null"
        let type = exchange == "null" ? "refund" : "exchange"
        let text = "{\"id\":\"\(eventID)\",\"type\":\"return.updated\",\"api_version\":\"2026-01\",\"created_at\":\"\(SyntheticReturn.iso(time))\","
            + "\"attempt\":\(attempt),\"store_id\":\"st_synthetic\",\"data\":{\"return\":{\"id\":\"\(returnID)\","
            + "\"order\":{\"id\":\"\(SyntheticReturn.hex(options.seed, UInt64(orderID), 32))\",\"external_id\":\"\(orderID)\",\"number\":\"\(orderID)\"},"
            + "\"transaction_type\":\"\(type)\",\"mode\":\"\(instant ? "instant" : "standard")\",\"status\":\"\(status)\",\"previous_status\":\(previous),"
            + "\"currency\":\"EUR\",\"customer\":{\"email\":\"customer\(index)@example.es\"},\"items\":[\(itemsJSON.joined(separator: ","))],"
            + "\"fees\":\(fees),\"refund\":{\"method\":\"\(method)\",\"amount\":\"\(SyntheticReturn.money(total - fee))\",\"bonus\":\"0.00\","
            + "\"executed_by\":\"\(executedBy)\",\"status\":\"\(refundStatus)\",\"reference\":\(instant || kind == .refundBank ? "\"rvn_rf_\(index)\"" : "null")},"
            + "\"exchange\":\(exchange),\"restock\":{\"requested\":\(restock && status == "received")}}}}"
        return Array(text.utf8)
    }
}

/// SplitMix64, so the stream is the same on every machine.
struct Random {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
