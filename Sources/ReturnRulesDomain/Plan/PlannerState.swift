import Checksums
import Synchronization
import ReturnRulesLanguage

/// Everything the planner knows beyond the store snapshot: what earlier events of this run (or
/// the runner's journal) already planned. It only ever changes through `StateChange`s, so the
/// runner can journal exactly what the planner decided and rebuild the state by replaying them.
///
/// Memory grows with the number of open returns, not with events: each return keeps the ids
/// and content digests of its last `recentEventLimit` events and counters. An older delivery of
/// a return is recognised as stale by its envelope time, so the window need not be longer.
/// Closed returns (the runner's `settle`) are kept compact in `closed` and come back to
/// `returns` when anything reads or changes them (`PlannerState+Compact`).
public struct PlannerState: Sendable {
    /// Open returns (and every return, for a state the runner does not settle).
    public var returns: [String: ReturnKnowledge] = [:]
    /// Closed returns, compact: never in `returns` at the same time.
    public var closed: [String: ClosedReturn] = [:]
    /// The return last brought back from `closed` to be read, with its bytes, until a change
    /// touches it: settling it again reuses them (a redelivery changes nothing).
    var reopenedUnchanged: (returnID: String, compact: ClosedReturn)?
    /// Closed returns still in full knowledge, least recently touched first (`settle`).
    var settling = SettlingQueue()
    /// How many closed returns stay in full knowledge, the most recently touched ones.
    public var closedKeptFull = PlannerState.closedKeptFullDefault.load(ordering: .relaxed)
    /// Refunds planned per WooCommerce order that the snapshot does not show yet.
    public var orders: [Int: OrderKnowledge] = [:]
    /// Stock deltas planned per stock holder (`product:410` or `variation:412`).
    public var stockDeltas: [String: Int] = [:]
    /// How many recent events per return are remembered for duplicate detection.
    public static let recentEventLimit = 32

    public init() {}

    /// Returns kept in compact form (see `PlannerState+Compact`).
    public var closedCount: Int { closed.count }
    /// Every return known, open or closed.
    public var returnCount: Int { returns.count + closed.count }

    public func knowledge(of returnID: String) -> ReturnKnowledge {
        if let knowledge = returns[returnID] { return knowledge }
        return closed[returnID]?.knowledge() ?? ReturnKnowledge()
    }

    public mutating func apply(_ change: StateChange) {
        apply(change, returnID: change.returnID)
    }

    /// `apply(change)` with the change's return id read by the caller already (the getter
    /// copies the change out to find it).
    mutating func apply(_ change: StateChange, returnID: String?) {
        // Knowledge is changed in place in the dictionary (`default:` subscript): copying it out
        // and back would copy its arrays on every change (copy-on-write sees two owners).
        if let returnID {
            reopen(returnID)
            if reopenedUnchanged?.returnID == returnID { reopenedUnchanged = nil }
            PlannerState.note(change, in: &returns[returnID, default: ReturnKnowledge()])
        }
        noteOutsideReturns(change)
    }

    /// `apply(change)` for a change of the return whose knowledge is at `index` in `returns`
    /// (open, and found by the caller already): the same, without hashing the return id again.
    mutating func apply(_ change: StateChange, at index: Dictionary<String, ReturnKnowledge>.Index) {
        if let reopened = reopenedUnchanged?.returnID, reopened == returns.keys[index] { reopenedUnchanged = nil }
        PlannerState.note(change, in: &returns.values[index])
        noteOutsideReturns(change)
    }

    /// What a change says about its return.
    private static func note(_ change: StateChange, in knowledge: inout ReturnKnowledge) {
        switch change {
        case .eventSeen(let eventID, let digest, _, let time, let rank, let status):
            PlannerState.noteEvent(&knowledge, eventID: eventID, digest: digest, time: time, rank: rank, status: status)
        case .unitsRefunded(_, let orderID, let lines, let amount, let feesDeducted, let key):
            PlannerState.noteRefund(&knowledge, orderID: orderID, lines: lines, amount: amount, feesDeducted: feesDeducted, key: key)
        case .amountRefunded(_, _, let amount, let key):
            knowledge.differenceRefunded += amount
            knowledge.refundKeys.append(key)
        case .itemInspected(_, let item, let grade):
            // The first entry of a table made at its size: inserting into an empty dictionary
            // hashes the key twice around growing storage (about twice the instructions).
            if knowledge.inspected.isEmpty { knowledge.inspected = [item: grade] } else { knowledge.inspected[item] = grade }
        case .restockHeld(_, let hold):
            if knowledge.holds.isEmpty { knowledge.holds = [hold.item: hold] } else { knowledge.holds[hold.item] = hold }
        case .restockHoldClosed(_, let item, _):
            // Through the index, in place: the optional subscript's modify accessor (`holds[item]?`)
            // cost about three times as much.
            if let index = knowledge.holds.index(forKey: item) { knowledge.holds.values[index].closed = true }
        case .keyPlanned(_, let key):
            if knowledge.plannedKeys.isEmpty { knowledge.plannedKeys = [key] } else { knowledge.plannedKeys.insert(key) }
        case .reviewOpened:
            knowledge.reviewCount += 1
        case .stockPlanned:
            break
        }
    }

    /// What a change says beyond its return: refunds per order, stock deltas.
    private mutating func noteOutsideReturns(_ change: StateChange) {
        switch change {
        case .unitsRefunded(_, let orderID, let lines, let amount, _, let key):
            orders[orderID, default: OrderKnowledge()].refundedAmount += amount
            orders[orderID, default: OrderKnowledge()].refunds.append(PlannedRefund(key: key, lines: lines, amount: amount))
        case .amountRefunded(_, let orderID, let amount, let key):
            orders[orderID, default: OrderKnowledge()].refundedAmount += amount
            orders[orderID, default: OrderKnowledge()].refunds.append(PlannedRefund(key: key, lines: [], amount: amount))
        case .stockPlanned(let holder, let delta):
            stockDeltas[holder, default: 0] += delta
        case .eventSeen, .itemInspected, .restockHeld, .restockHoldClosed, .keyPlanned, .reviewOpened:
            break
        }
    }

    private static func noteEvent(_ knowledge: inout ReturnKnowledge, eventID: String, digest: SHA256Digest, time: String?, rank: Int, status: String) {
        // A return's first event makes its list at its size: appending to an empty array goes
        // through the growth path (about twice the instructions).
        if knowledge.recentEvents.isEmpty {
            knowledge.recentEvents = [SeenEvent(id: eventID, digest: digest)]
        } else {
            knowledge.recentEvents.append(SeenEvent(id: eventID, digest: digest))
        }
        if knowledge.recentEvents.count > PlannerState.recentEventLimit { knowledge.recentEvents.removeFirst() }
        if knowledge.lastRank < 0 || PlannerState.isLater(time, rank, than: knowledge.lastTime, knowledge.lastRank) {
            knowledge.lastTime = time
            knowledge.lastRank = rank
            knowledge.lastStatus = status
        }
        knowledge.eventCount += 1
    }

    private static func noteRefund(_ knowledge: inout ReturnKnowledge, orderID: Int, lines: [RefundedLine], amount: Int64, feesDeducted: Bool, key: String) {
        for line in lines { knowledge.unitsRefunded[line.lineID, default: 0] += line.units }
        knowledge.amountRefunded += amount
        if feesDeducted { knowledge.feesDeducted = true }
        knowledge.refundKeys.append(key)
        knowledge.orderID = orderID
    }

    /// Events of one return are ordered by envelope time, then by lifecycle rank.
    public static func isLater(_ time: String?, _ rank: Int, than otherTime: String?, _ otherRank: Int) -> Bool {
        switch (time, otherTime) {
        case (let a?, let b?) where a != b: return a > b
        default: return rank > otherRank
        }
    }
}

/// What is known about one return.
public struct ReturnKnowledge: Sendable, Hashable {
    public var lastTime: String?
    /// −1 until an event was seen.
    public var lastRank = -1
    public var lastStatus: String?
    public var eventCount = 0
    /// The last events of this return: ids and content digests, oldest first.
    public var recentEvents: [SeenEvent] = []
    /// Units this return has had refunded, per WooCommerce order line.
    public var unitsRefunded: [Int: Int] = [:]
    /// Minor units refunded for this return's lines (fees already deducted).
    public var amountRefunded: Int64 = 0
    /// Minor units refunded as amount-only refunds (price differences).
    public var differenceRefunded: Int64 = 0
    public var feesDeducted = false
    public var refundKeys: [String] = []
    public var orderID: Int?
    /// Items whose inspection result has been seen, with the grade.
    public var inspected: [String: String] = [:]
    public var holds: [String: RestockHold] = [:]
    /// Idempotency keys of writes planned once per return (notes, coupons, replacement orders).
    public var plannedKeys: Set<String> = []
    public var reviewCount = 0

    public init() {}

    public var hasRefunds: Bool { !refundKeys.isEmpty }
}

/// An event remembered for duplicate detection.
public struct SeenEvent: Sendable, Hashable {
    public var id: String
    public var digest: SHA256Digest
}

/// Refunds planned against one order; the snapshot may or may not show them yet.
public struct OrderKnowledge: Sendable, Hashable {
    public var refundedAmount: Int64 = 0
    public var refunds: [PlannedRefund] = []
}

/// One refund the planner planned: its key, lines and amount.
public struct PlannedRefund: Sendable, Hashable {
    public var key: String
    public var lines: [RefundedLine]
    public var amount: Int64
}

/// A restock waiting for the item's inspection.
public struct RestockHold: Sendable, Hashable {
    /// The item's identity within its return.
    public var item: String
    public var orderID: Int?
    public var productID: Int?
    public var variationID: Int?
    public var sku: String?
    /// The item's EAN barcode, for a warehouse that scans it to find the hold.
    public var ean: String?
    public var units: Int
    /// The rule that asked for the restock, and where it is written.
    public var rule: String
    public var ruleLocation: String
    public var key: String
    public var closed = false

    public init(item: String, orderID: Int?, productID: Int?, variationID: Int?, sku: String?, ean: String? = nil, units: Int, rule: String,
                ruleLocation: String = "", key: String) {
        self.item = item
        self.orderID = orderID
        self.productID = productID
        self.variationID = variationID
        self.sku = sku
        self.ean = ean
        self.units = units
        self.rule = rule
        self.ruleLocation = ruleLocation
        self.key = key
    }
}

/// One fact the planner decided. The runner journals these; replaying them rebuilds the state.
public enum StateChange: Sendable, Hashable {
    case eventSeen(eventID: String, digest: SHA256Digest, returnID: String, time: String?, rank: Int, status: String)
    case unitsRefunded(returnID: String, orderID: Int, lines: [RefundedLine], amount: Int64, feesDeducted: Bool, key: String)
    case amountRefunded(returnID: String, orderID: Int, amount: Int64, key: String)
    case itemInspected(returnID: String, item: String, grade: String)
    case restockHeld(returnID: String, hold: RestockHold)
    case restockHoldClosed(returnID: String, item: String, outcome: String)
    case stockPlanned(holder: String, delta: Int)
    case keyPlanned(returnID: String, key: String)
    case reviewOpened(returnID: String, queue: String)

    /// The return this change is about (none for a stock delta).
    public var returnID: String? {
        switch self {
        case .eventSeen(_, _, let returnID, _, _, _), .unitsRefunded(let returnID, _, _, _, _, _), .amountRefunded(let returnID, _, _, _),
             .itemInspected(let returnID, _, _), .restockHeld(let returnID, _), .restockHoldClosed(let returnID, _, _),
             .keyPlanned(let returnID, _), .reviewOpened(let returnID, _):
            return returnID
        case .stockPlanned:
            return nil
        }
    }
}

public struct RefundedLine: Sendable, Hashable {
    public var lineID: Int
    public var units: Int
    public init(lineID: Int, units: Int) {
        self.lineID = lineID
        self.units = units
    }
}
