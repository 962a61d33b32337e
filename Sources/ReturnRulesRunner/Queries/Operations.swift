import Checksums
import ReturnRulesDomain

/// A request about the state that cannot be done: an unknown key or id, a conflict.
public struct OperationError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        case notFound
        case conflict
        case invalid
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// One acknowledgement: the executor applied a request (or found it already applied).
public struct AckRequest: Sendable, Hashable {
    public var key: String
    public var wooID: Int64?
    public var note: String?
    /// Who acknowledges; nil: whoever records it says.
    public var by: String?

    public init(key: String, wooID: Int64? = nil, note: String? = nil, by: String? = nil) {
        self.key = key
        self.wooID = wooID
        self.note = note
        self.by = by
    }
}

/// An acknowledgement checked against the state: the outbox key it names, and whether it is a
/// repeat of one already recorded.
public struct CheckedAck: Sendable, Hashable {
    public var request: AckRequest
    public var key: String
    public var alreadyAcknowledged: Bool
}

public enum AckResult: Sendable, Hashable {
    case acknowledged(key: String)
    /// Acknowledged before with the same WooCommerce id: nothing to do.
    case alreadyAcknowledged(key: String)
}

/// Changes people make to the state: acknowledgements, review resolutions. (Hold releases plan
/// a request, so they are on `Runner`.)
public enum StateOperations {
    /// Finds an outbox key: exact, or a unique prefix of at least 16 characters (the marker in
    /// order notes carries 16).
    public static func resolveKey(_ text: String, in state: RunnerState) -> Result<String, OperationError> {
        let key = text.lowercased()
        if state.outbox[key] != nil { return .success(key) }
        guard key.count >= 16 else { return .failure(OperationError(.notFound, "unknown key \(text): no request in the outbox has it")) }
        let matches = state.outbox.keys.filter { $0.hasPrefix(key) }
        switch matches.count {
        case 0: return .failure(OperationError(.notFound, "unknown key \(text): no request in the outbox has it"))
        case 1: return .success(matches[0])
        default: return .failure(OperationError(.conflict, "key \(text) is ambiguous: \(matches.sorted().joined(separator: ", "))"))
        }
    }

    /// Checks one acknowledgement against the state: a known key (or unique prefix), and no
    /// other WooCommerce id recorded for it before.
    public static func check(_ request: AckRequest, in state: RunnerState) -> Result<CheckedAck, OperationError> {
        let key: String
        switch resolveKey(request.key, in: state) {
        case .failure(let error): return .failure(error)
        case .success(let found): key = found
        }
        guard let previous = state.outbox[key]?.ack else { return .success(CheckedAck(request: request, key: key, alreadyAcknowledged: false)) }
        if let id = request.wooID, let old = previous.wooID, id != old {
            return .failure(OperationError(.conflict, "key \(key) was acknowledged with WooCommerce id \(old) on \(Timestamp.iso(previous.time)), not \(id)"))
        }
        return .success(CheckedAck(request: request, key: key, alreadyAcknowledged: request.wooID == nil || previous.wooID == request.wooID))
    }

    /// Checks acknowledgements, all or none: an error names every key that is unknown or
    /// conflicts (with the state, or with another line of the same input).
    public static func check(_ requests: [AckRequest], in state: RunnerState) throws(OperationError) -> [CheckedAck] {
        var problems: [String] = []
        var checked: [CheckedAck] = []
        var seen: [String: Int64?] = [:]
        for request in requests {
            switch check(request, in: state) {
            case .failure(let error):
                problems.append(error.message)
            case .success(let ack):
                if let earlier = seen[ack.key], let id = request.wooID, let old = earlier, id != old {
                    problems.append("key \(ack.key) is acknowledged twice in this input, with WooCommerce ids \(old) and \(id)")
                    continue
                }
                seen[ack.key] = request.wooID
                checked.append(ack)
            }
        }
        guard problems.isEmpty else {
            throw OperationError(problems.allSatisfy { $0.hasPrefix("unknown key") } ? .notFound : .conflict,
                                 problems.joined(separator: "\n") + "\nnothing was acknowledged")
        }
        return checked
    }

    /// Acknowledges requests, all or none: every key is checked before anything is written.
    public static func ack(_ requests: [AckRequest], store: StateStore, by: String?) throws -> [AckResult] {
        var results: [AckResult] = []
        var done = Set<String>()
        for ack in try check(requests, in: store.state) {
            if ack.alreadyAcknowledged || done.contains(ack.key) {
                results.append(.alreadyAcknowledged(key: ack.key))
                continue
            }
            try store.append(.ack(AckEntry(key: ack.key, wooID: ack.request.wooID, note: ack.request.note, by: ack.request.by ?? by)))
            done.insert(ack.key)
            results.append(.acknowledged(key: ack.key))
        }
        try store.commit()
        return results
    }

    /// Resolves a review item with a note.
    public static func resolveReview(id: Int, note: String, store: StateStore, by: String?) throws {
        guard id >= 1, id <= store.state.reviews.count else {
            throw OperationError(.notFound, "no review item R-\(id) (there are \(store.state.reviews.count))")
        }
        let review = store.state.reviews[id - 1]
        if let resolution = review.resolution {
            throw OperationError(.conflict, "review item R-\(id) was already resolved on \(Timestamp.iso(resolution.time))"
                                 + (resolution.by.map { " by \($0)" } ?? "") + ": \(resolution.note)")
        }
        guard !note.trimmingWhitespace().isEmpty else { throw OperationError(.invalid, "a resolution needs a note (--note TEXT)") }
        try store.append(.reviewResolved(ReviewResolutionEntry(reviewID: id, note: note, by: by)))
        try store.commit()
    }

    /// `R-12`, `r12`, `12` → 12.
    public static func parseID(_ text: String, prefix: Character) -> Int? {
        var rest = Substring(text)
        if let first = rest.first, first == prefix || first == Character(prefix.lowercased()) {
            rest = rest.dropFirst()
            if rest.first == "-" { rest = rest.dropFirst() }
        }
        return Int(rest).flatMap { $0 > 0 ? $0 : nil }
    }
}

extension Runner {
    /// Releases a restock hold by hand with the grade the warehouse recorded: a grade in
    /// `restock_grades` becomes the restock request the planner would have made, any other
    /// grade a warehouse review item. Committed before it returns.
    public func releaseHold(id: Int, grade: String, by: String?) throws -> EventPlan {
        guard id >= 1, id <= store.state.holds.count else {
            throw OperationError(.notFound, "no hold H-\(id) (there are \(store.state.holds.count))")
        }
        let hold = store.state.holds[id - 1]
        guard hold.isOpen else {
            throw OperationError(.conflict, "hold H-\(id) is already closed" + (hold.outcome.map { ": \($0)" } ?? "")
                                 + (hold.closedAt.map { " (\(Timestamp.iso($0)))" } ?? ""))
        }
        let grade = grade.trimmingWhitespace()
        guard !grade.isEmpty else { throw OperationError(.invalid, "a release needs the inspection grade (--grade G)") }
        // Lines of events still rendering come first in their files.
        try store.settleAllLines()
        let header = store.nextHeader()
        let eventID = "release-H\(id)"
        guard let (plan, changes) = planner.releaseHold(returnID: hold.returnID, item: hold.hold.item, grade: grade, eventID: eventID,
                                                         source: EventSource(file: "holds release H-\(id)"), state: store.state.planner) else {
            throw OperationError(.conflict, "hold H-\(id) is not open in the planner's state")
        }
        var (effects, requestSteps, suppressed) = effects(of: plan, returnID: hold.returnID, orderReference: hold.hold.orderID.map(String.init))
        effects.changes = changes
        renderer.renderOutbox(&effects, plan: plan, requestSteps: requestSteps, header: header, returnID: hold.returnID, eventID: eventID, eventTime: nil)
        let line = renderer.decisionLine(header: header, plan: plan, outcome: "released", eventTime: nil, customer: nil, rulesHex: rulesHex,
                                         suppressed: suppressed)
        try store.append(.holdReleased(HoldReleaseEntry(holdID: id, returnID: hold.returnID, item: hold.hold.item, grade: grade, by: by,
                                                        effects: effects, decisionLine: line, decisionLength: line.count)), header: header)
        count(plan, effects: effects, suppressed: suppressed)
        try flush()
        return plan
    }
}
