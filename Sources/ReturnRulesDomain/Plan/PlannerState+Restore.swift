import Checksums
import ReturnRulesLanguage

// Public constructors for the planner's state types, so the runner can restore a
// `PlannerState` from a snapshot exactly as it was (the memberwise initialisers are internal).

extension SeenEvent {
    /// A remembered event, as restored from a runner snapshot.
    public static func restored(id: String, digest: SHA256Digest) -> SeenEvent {
        SeenEvent(id: id, digest: digest)
    }
}

extension PlannedRefund {
    /// A planned refund, as restored from a runner snapshot.
    public static func restored(key: String, lines: [RefundedLine], amount: Int64) -> PlannedRefund {
        PlannedRefund(key: key, lines: lines, amount: amount)
    }
}

extension OrderKnowledge {
    /// What is known about an order, as restored from a runner snapshot.
    public static func restored(refundedAmount: Int64, refunds: [PlannedRefund]) -> OrderKnowledge {
        var knowledge = OrderKnowledge()
        knowledge.refundedAmount = refundedAmount
        knowledge.refunds = refunds
        return knowledge
    }
}

extension Planner {
    /// The SHA-256 of an event's canonical content, without its envelope: the digest the
    /// planner compares to recognise the same return state re-sent under a new event id.
    public static func contentDigest(of record: EventRecord) -> SHA256Digest { RecordDigest.digest(record) }
}
