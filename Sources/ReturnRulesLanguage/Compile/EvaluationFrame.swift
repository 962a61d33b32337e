/// The mutable state of one evaluation: the event and the elements bound so far, by depth.
///
/// One frame is reused for every event a caller evaluates, so the hot path allocates nothing.
public final class EvaluationFrame {
    public var event: EventRecord
    /// Elements by binding depth: 0 is the per-element trigger's element (if any), deeper ones
    /// belong to enclosing `where` filters and aggregates.
    public var elements: [BoundElement]

    public init(event: EventRecord, depth: Int = 8) {
        self.event = event
        self.elements = Array(repeating: .empty, count: max(depth, 1))
    }

    /// Binds the trigger's element (depth 0) for a per-element rule table.
    public func bindTriggerElement(collection: Int, index: Int) {
        elements[0] = BoundElement(record: event.collections[collection][index], index: index)
    }

    @inline(__always)
    func bind(_ depth: Int, _ record: ElementRecord, _ index: Int) {
        if depth >= elements.count { elements.append(contentsOf: repeatElement(.empty, count: depth - elements.count + 1)) }
        elements[depth] = BoundElement(record: record, index: index)
    }
}
