import Checksums
import JSONBytes
import ReturnRulesLanguage

/// Plans a sequence of events against one rule set and store snapshot, carrying the planner's
/// knowledge from event to event (a later event of a return sees what the earlier ones planned).
public struct PlanSession {
    public let planner: Planner
    public private(set) var state: PlannerState
    /// Reused from event to event in a stream: the mapped record and the evaluation frame keep
    /// their storage, so planning an event allocates only what its plan holds.
    private var record: EventRecord
    private let frame: EvaluationFrame

    public init(planner: Planner, state: PlannerState = PlannerState()) {
        self.planner = planner
        self.state = state
        record = EventRecord(fieldCount: 0, collectionFieldCounts: [])
        frame = planner.rules.makeFrame(record)
    }

    /// Plans one event in arrival order (streaming): a late event becomes a stale no-op.
    public mutating func plan(_ incoming: IncomingEvent) -> (EventPlan, [StateChange]) {
        switch incoming.document {
        case .failure(let error):
            return (EventPlan(source: incoming.source, outcome: .rejected, reason: error.message, jsonPath: error.jsonPath), [])
        case .success(let document):
            if let error = planner.mapper.map(document.root, into: &record) {
                return (EventPlan(source: incoming.source, outcome: .rejected, eventID: document.root.lookup(Planner.eventIDPath)?.stringValue,
                                  reason: error.message, jsonPath: error.jsonPath), [])
            }
            // In place: the changes are applied to the session's state as they are decided.
            return planner.plan(record, source: incoming.source, applyingTo: &state, frame: frame)
        }
    }

    /// Plans a record mapped elsewhere (see `PreparedEvent`), with its digest.
    mutating func plan(mapped record: EventRecord, source: EventSource, digest: SHA256Digest, keepingChanges: Bool) -> (EventPlan, [StateChange]) {
        planner.plan(record, source: source, applyingTo: &state, frame: frame, digest: digest, keepingChanges: keepingChanges)
    }

    /// Plans a batch (files given on the command line): events are ordered by envelope time,
    /// then lifecycle rank, then input order, so the plan does not depend on file names.
    /// Events without a time keep their input order, before the timed ones.
    public mutating func plan(batch: [IncomingEvent]) -> [EventPlan] {
        struct Mapped {
            var index: Int
            var incoming: IncomingEvent
            var record: EventRecord?
            var error: IntakeError?
            var time: String
            var rank: Int
        }
        var mapped: [Mapped] = []
        mapped.reserveCapacity(batch.count)
        for (index, incoming) in batch.enumerated() {
            switch incoming.document {
            case .failure(let error):
                mapped.append(Mapped(index: index, incoming: incoming, error: error, time: "", rank: 0))
            case .success(let document):
                switch planner.mapper.map(document.root) {
                case .failure(let error):
                    mapped.append(Mapped(index: index, incoming: incoming, error: error, time: "", rank: 0))
                case .success(let record):
                    let event = ReturnEvent(record: record, names: planner.parts.names)
                    mapped.append(Mapped(index: index, incoming: incoming, record: record, time: event.createdAt ?? "", rank: event.statusRank))
                }
            }
        }
        mapped.sort { ($0.time, $0.rank, $0.index) < ($1.time, $1.rank, $1.index) }
        var plans: [EventPlan] = []
        for entry in mapped {
            if let record = entry.record {
                let (plan, _) = planner.plan(record, source: entry.incoming.source, applyingTo: &state, frame: frame)
                plans.append(plan)
            } else if let error = entry.error {
                var eventID: String?
                if case .success(let document) = entry.incoming.document { eventID = document.root.lookup(Planner.eventIDPath)?.stringValue }
                plans.append(EventPlan(source: entry.incoming.source, outcome: .rejected, eventID: eventID, reason: error.message, jsonPath: error.jsonPath))
            }
        }
        return plans
    }
}
