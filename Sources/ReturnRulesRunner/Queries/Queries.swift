import ReturnRulesDomain

/// Read-only questions about the state, for the people who work the queues.
public enum StateQueries {
    /// Open restock holds, oldest first; with `olderThan`, only those waiting at least that long.
    public static func openHolds(_ state: RunnerState, olderThan: Int64? = nil, now: Int64) -> [HoldRecord] {
        state.holds.filter { hold in
            guard hold.isOpen else { return false }
            guard let olderThan else { return true }
            return now - since(hold) >= olderThan
        }.sorted { since($0) < since($1) }
    }

    /// When a hold started waiting: its event's envelope time, else when it was journaled.
    public static func since(_ hold: HoldRecord) -> Int64 {
        hold.eventTime.flatMap(Timestamp.parse) ?? hold.openedAt
    }

    public static func since(_ review: ReviewRecord) -> Int64 {
        review.eventTime.flatMap(Timestamp.parse) ?? review.openedAt
    }

    public static func reviews(_ state: RunnerState, includeResolved: Bool, queue: String? = nil) -> [ReviewRecord] {
        state.reviews.filter { (includeResolved || $0.isOpen) && (queue == nil || $0.queue == queue) }
    }

    /// An accepted return with nothing refunded and no credit or replacement order planned.
    public struct UnrefundedReturn: Sendable, Hashable {
        public var returnID: String
        public var status: String
        public var orderID: Int?
        public var since: Int64?
        public var eventTime: String?
    }

    public struct Drift: Sendable {
        public var holds: [HoldRecord]
        public var unrefunded: [UnrefundedReturn]
        public var unacknowledged: [OutboxRecord]
        public var openReviews: [ReviewRecord]

        public var isEmpty: Bool { holds.isEmpty && unrefunded.isEmpty && unacknowledged.isEmpty && openReviews.isEmpty }
    }

    /// What has waited too long: holds still waiting for an inspection, accepted returns with no
    /// refund, requests never acknowledged, review items still open. Ages are measured from
    /// the event's envelope time where there is one, else from the journal time.
    public static func drift(_ state: RunnerState, olderThan: Int64, now: Int64) -> Drift {
        let holds = openHolds(state, olderThan: olderThan, now: now)
        var settled = Set<String>()
        for record in state.outbox.values where record.kind == "refund" || record.kind == "store_credit" || record.kind == "replacement_order" {
            settled.insert(record.returnID)
        }
        var unrefunded: [UnrefundedReturn] = []
        state.planner.forEachReturn { returnID, knowledge in
            guard let status = knowledge.lastStatus, status == "accepted" || status == "partly_accepted",
                  !knowledge.hasRefunds, !settled.contains(returnID) else { return }
            let since = knowledge.lastTime.flatMap(Timestamp.parse)
            if let since, now - since < olderThan { return }
            unrefunded.append(UnrefundedReturn(returnID: returnID, status: status, orderID: knowledge.orderID, since: since, eventTime: knowledge.lastTime))
        }
        unrefunded.sort { ($0.since ?? 0, $0.returnID) < ($1.since ?? 0, $1.returnID) }
        let unacknowledged = state.outbox.values.filter { $0.ack == nil && now - $0.plannedAt >= olderThan }.sorted { $0.offset < $1.offset }
        let reviews = state.reviews.filter { $0.isOpen && now - since($0) >= olderThan }
        return Drift(holds: holds, unrefunded: unrefunded, unacknowledged: unacknowledged, openReviews: reviews)
    }

    /// One ledger row: a refund or a store credit.
    public struct LedgerRow: Sendable, Hashable {
        public var date: Int64
        public var record: OutboxRecord
        public var ledger: LedgerInfo
    }

    public enum LedgerDate: String, Sendable {
        /// The refund's event time (Reveni's), else when it was planned.
        case event
        /// When the executor acknowledged it (unacknowledged rows are left out).
        case acknowledged
    }

    /// Every refund and credit with its date in `[from, to)`, in date order.
    public static func ledger(_ state: RunnerState, from: Int64, to: Int64, by: LedgerDate) -> [LedgerRow] {
        var rows: [LedgerRow] = []
        for record in state.outbox.values {
            guard let ledger = record.ledger else { continue }
            let date: Int64
            switch by {
            case .event: date = record.eventTime ?? record.plannedAt
            case .acknowledged:
                guard let ack = record.ack else { continue }
                date = ack.time
            }
            guard date >= from, date < to else { continue }
            rows.append(LedgerRow(date: date, record: record, ledger: ledger))
        }
        return rows.sorted { ($0.date, $0.record.offset) < ($1.date, $1.record.offset) }
    }

    /// Counts for `returnrules state`.
    public struct Counts: Sendable {
        public var counters: RunnerState.Counters
        public var returns: Int
        public var requests: [String: Int]
        public var requestsByStatus: [String: Int]
        public var openHolds: Int
        public var holds: Int
        public var openReviews: [String: Int]
        public var reviews: Int
        public var deadLettersOpen: Int
        public var deadLetters: Int
        public var lastSequence: UInt64
        public var lastTime: Int64
        public var session: SessionEntry?
    }

    public static func counts(_ state: RunnerState, emittedBytes: Int64) -> Counts {
        var byKind: [String: Int] = [:]
        var byStatus: [String: Int] = ["planned": 0, "emitted": 0, "acknowledged": 0]
        for record in state.outbox.values {
            byKind[record.kind, default: 0] += 1
            byStatus[record.status(emittedBytes: emittedBytes), default: 0] += 1
        }
        var openReviews: [String: Int] = [:]
        for review in state.reviews where review.isOpen { openReviews[review.queue, default: 0] += 1 }
        return Counts(counters: state.counters, returns: state.planner.returnCount, requests: byKind, requestsByStatus: byStatus,
                      openHolds: state.holds.filter(\.isOpen).count, holds: state.holds.count, openReviews: openReviews,
                      reviews: state.reviews.count, deadLettersOpen: state.deadLetters.values.filter { $0.replayedAt == nil }.count,
                      deadLetters: state.deadLetters.count, lastSequence: state.lastSequence, lastTime: state.lastTime, session: state.session)
    }
}
