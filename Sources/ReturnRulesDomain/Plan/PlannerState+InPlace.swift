/// Reading a return's knowledge without copying it.
///
/// `returns[id]` hands out a copy of the whole `ReturnKnowledge` (its arrays, sets and
/// dictionaries retained and released) even to read one flag; the planner reads a few facts
/// per event, so it goes through the dictionary's in-place accessor instead.
extension PlannerState {
    /// Calls `body` with the knowledge of `returnID` in place; nil when the return is unknown.
    public mutating func withKnowledge<R>(of returnID: String, _ body: (inout ReturnKnowledge) throws -> R) rethrows -> R? {
        reopen(returnID)
        guard let index = returns.index(forKey: returnID) else { return nil }
        return try body(&returns.values[index])
    }
}
