import Checksums
import ReturnRulesLanguage

/// An event read, mapped and digested ahead of planning: the part of planning that does not
/// depend on what earlier events decided, so it can run on another thread while the planner
/// plans the events before it (see `Planner.prepare` and `PlanSession.plan(_: PreparedEvent)`).
public struct PreparedEvent: Sendable {
    public let source: EventSource
    /// The input exactly as read (for a dead letter); empty when prepared without `keepingRaw`.
    public let raw: ArraySlice<UInt8>
    private(set) var outcome: Outcome
    /// The content digest of a mapped event; nil until `digestBatch` computes it when the event
    /// was prepared with `digestLater`.
    private(set) var digest: SHA256Digest?

    enum Outcome: Sendable {
        case mapped(EventRecord)
        /// Not readable or not mappable; the event id when the JSON has one.
        case rejected(IntakeError, eventID: String?)
        /// Planned, its record taken for reuse.
        case spent
    }

    /// Moves the mapped record out (leaving the event spent), so its arrays have one owner
    /// and can be refilled in place.
    mutating func takeRecord() -> EventRecord? {
        // Swapped out rather than copied, so the arrays are not retained and released again.
        var taken = Outcome.spent
        swap(&taken, &outcome)
        switch consume taken {
        case .mapped(let record): return record
        case .rejected, .spent: return nil
        }
    }

    /// Puts a record taken with `takeRecord` back (the event is mapped again, as it was).
    mutating func putBack(_ record: consuming EventRecord) {
        outcome = .mapped(record)
    }

    /// Computes the digests of every event of `batch` prepared with `digestLater`, all at once
    /// in SIMD lanes (see `RecordDigest.digests`). `scratch` is memory kept from batch to batch.
    public static func digestBatch(_ batch: inout [PreparedEvent], scratch: inout [UInt8]) {
        var waiting: [Int] = []
        waiting.reserveCapacity(batch.count)
        for index in batch.indices where batch[index].digest == nil {
            if case .mapped = batch[index].outcome { waiting.append(index) }
        }
        batch.withUnsafeMutableBufferPointer { events in
            RecordDigest.digests(waiting.count, record: { position in
                guard case .mapped(let record) = events[waiting[position]].outcome else { preconditionFailure("an event waiting for its digest is mapped") }
                return record
            }, scratch: &scratch) { position, digest in
                events[waiting[position]].digest = digest
            }
        }
    }
}

extension Planner {
    /// Maps `incoming` and computes its content digest: everything `PlanSession.plan` does
    /// before it reads the planner state. Pure, so any thread may call it.
    ///
    /// `spent` is an event planned already, whose record's memory is reused (mapping into a
    /// fresh record allocates each of its arrays several times as they grow).
    ///
    /// With `digestLater`, the digest is left for `PreparedEvent.digestBatch`, which hashes a
    /// batch of events together. Without `keepingRaw`, `raw` is left empty: a caller that holds
    /// many prepared events and never dead-letters them then does not keep the line reader's
    /// buffer alive (a kept slice makes the reader copy its buffer when it refills).
    public func prepare(_ incoming: borrowing IncomingEvent, reusing spent: consuming PreparedEvent? = nil, digestLater: Bool = false,
                        keepingRaw: Bool = true) -> PreparedEvent {
        // Read in place: a copy of the incoming event would retain its document and bytes.
        let raw = keepingRaw ? incoming.raw : []
        switch incoming.document {
        case .failure(let error):
            return PreparedEvent(source: incoming.source, raw: raw, outcome: .rejected(error, eventID: nil))
        case .success(let document):
            var record: EventRecord
            if var reused = consume spent, let taken = reused.takeRecord() {
                record = taken
            } else {
                record = EventRecord(fieldCount: 0, collectionFieldCounts: [])
            }
            if let error = mapper.map(document.root, into: &record) {
                return PreparedEvent(source: incoming.source, raw: raw,
                                     outcome: .rejected(error, eventID: document.root.lookup(Planner.eventIDPath)?.stringValue))
            }
            return PreparedEvent(source: incoming.source, raw: raw, outcome: .mapped(record),
                                 digest: digestLater ? nil : RecordDigest.digest(record))
        }
    }
}

extension PlanSession {
    /// Plans an event prepared by `Planner.prepare`, in arrival order: the same plan as
    /// `plan(_: IncomingEvent)` gives for the event it was prepared from. Without
    /// `keepingChanges` the changes are applied to the state but not returned.
    public mutating func plan(_ prepared: PreparedEvent, keepingChanges: Bool = true) -> (EventPlan, [StateChange]) {
        switch prepared.outcome {
        case .rejected(let error, let eventID):
            return (EventPlan(source: prepared.source, outcome: .rejected, eventID: eventID, reason: error.message, jsonPath: error.jsonPath), [])
        case .mapped(let record):
            return plan(mapped: record, source: prepared.source, digest: prepared.digest ?? RecordDigest.digest(record),
                        keepingChanges: keepingChanges)
        case .spent:
            preconditionFailure("PlanSession.plan: this prepared event was planned already")
        }
    }

    /// `plan(_:keepingChanges:)` for an event held in place (a batch being planned): the record
    /// is moved out for planning and back afterwards, where reading it out of a borrowed event
    /// copied it (retaining and releasing each of its arrays). The event stays as it was, so
    /// `Planner.prepare(reusing:)` can still refill its record.
    public mutating func plan(inPlace prepared: inout PreparedEvent, keepingChanges: Bool = true) -> (EventPlan, [StateChange]) {
        guard case .mapped = prepared.outcome, let record = prepared.takeRecord() else {
            return plan(prepared, keepingChanges: keepingChanges)
        }
        let planned = plan(mapped: record, source: prepared.source, digest: prepared.digest ?? RecordDigest.digest(record),
                           keepingChanges: keepingChanges)
        prepared.putBack(record)
        return planned
    }
}
