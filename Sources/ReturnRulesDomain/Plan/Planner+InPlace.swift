import Checksums
import ReturnRulesLanguage

extension Planner {
    /// Plans one mapped event against `state` and leaves the decided changes applied to it.
    ///
    /// The same planning as `plan(_:source:state:)`, without its cost: that one takes the state
    /// by value, so the first change the event records copies the whole per-return dictionary
    /// (copy-on-write), which is O(returns) per event. Here the state is moved into the working
    /// context and back, so it is never shared and never copied.
    ///
    /// A caller planning many events passes one `frame` (from `rules.makeFrame`) to reuse its
    /// memory instead of allocating a frame per event.
    ///
    /// `digest` is the record's content digest when the caller computed it already
    /// (`RecordDigest` — for instance on another thread, see `prepare`).
    ///
    /// Without `keepingChanges` the changes are applied but not returned (for a caller that only
    /// prints plans).
    ///
    /// - Returns: the plan, and the changes (already applied to `state`; journal them, do not
    ///   apply them again).
    public func plan(_ record: EventRecord, source: EventSource, applyingTo state: inout PlannerState,
                     frame: EvaluationFrame? = nil, digest: SHA256Digest? = nil, keepingChanges: Bool = true) -> (EventPlan, [StateChange]) {
        let context = EventContext(planner: self, event: ReturnEvent(record: record, names: parts.names), source: source, state: PlannerState(),
                                   frame: frame)
        context.knownDigest = digest
        context.keepsChanges = keepingChanges
        swap(&context.state, &state)
        context.run()
        swap(&context.state, &state)
        return context.take()
    }
}
