import Checksums
import ReturnRulesLanguage

/// An event read, mapped and digested ahead of planning: the part of planning that does not
/// depend on what earlier events decided, so it can run on another thread while the planner
/// plans the events before it (see `Planner.prepare` and `PlanSession.plan(_: PreparedEvent)`).
public struct PreparedEvent: Sendable {
    public let source: EventSource
    /// The input exactly as read (for a dead letter).
    public let raw: ArraySlice<UInt8>
    private(set) var outcome: Outcome

    enum Outcome: Sendable {
        case mapped(EventRecord, SHA256Digest)
        /// Not readable or not mappable; the event id when the JSON has one.
        case rejected(IntakeError, eventID: String?)
    }

    /// Moves the mapped record out (leaving the event spent), so its arrays have one owner
    /// and can be refilled in place.
    mutating func takeRecord() -> EventRecord? {
        guard case .mapped(let record, _) = outcome else { return nil }
        outcome = .rejected(IntakeError("spent", at: "$"), eventID: nil)
        return record
    }
}

extension Planner {
    /// Maps `incoming` and computes its content digest: everything `PlanSession.plan` does
    /// before it reads the planner state. Pure, so any thread may call it.
    ///
    /// `spent` is an event planned already, whose record's memory is reused (mapping into a
    /// fresh record allocates each of its arrays several times as they grow).
    public func prepare(_ incoming: IncomingEvent, reusing spent: consuming PreparedEvent? = nil) -> PreparedEvent {
        switch incoming.document {
        case .failure(let error):
            return PreparedEvent(source: incoming.source, raw: incoming.raw, outcome: .rejected(error, eventID: nil))
        case .success(let document):
            var spent = spent
            var record = spent?.takeRecord() ?? EventRecord(fieldCount: 0, collectionFieldCounts: [])
            if let error = mapper.map(document.root, into: &record) {
                return PreparedEvent(source: incoming.source, raw: incoming.raw,
                                     outcome: .rejected(error, eventID: document.root.lookup(Planner.eventIDPath)?.stringValue))
            }
            return PreparedEvent(source: incoming.source, raw: incoming.raw, outcome: .mapped(record, RecordDigest.digest(record)))
        }
    }
}

extension PlanSession {
    /// Plans an event prepared by `Planner.prepare`, in arrival order: the same plan as
    /// `plan(_: IncomingEvent)` gives for the event it was prepared from.
    public mutating func plan(_ prepared: PreparedEvent) -> (EventPlan, [StateChange]) {
        switch prepared.outcome {
        case .rejected(let error, let eventID):
            return (EventPlan(source: prepared.source, outcome: .rejected, eventID: eventID, reason: error.message, jsonPath: error.jsonPath), [])
        case .mapped(let record, let digest):
            return plan(mapped: record, source: prepared.source, digest: digest)
        }
    }
}
