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
    /// - Returns: the plan, and the changes (already applied to `state`; journal them, do not
    ///   apply them again).
    public func plan(_ record: EventRecord, source: EventSource, applyingTo state: inout PlannerState,
                     frame: EvaluationFrame? = nil) -> (EventPlan, [StateChange]) {
        var context = EventContext(planner: self, event: ReturnEvent(record: record, enums: enums), source: source, state: PlannerState(),
                                   frame: frame)
        swap(&context.state, &state)
        context.run()
        swap(&context.state, &state)
        return (context.result, context.changes)
    }
}
