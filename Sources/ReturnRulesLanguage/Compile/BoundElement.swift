/// An element bound by a per-element trigger, a `where` or an aggregate: the record and its
/// position in its collection (so actions can name exactly which items they act on).
public struct BoundElement: Sendable {
    public var record: ElementRecord
    public var index: Int

    public init(record: ElementRecord, index: Int) {
        self.record = record
        self.index = index
    }

    public static let empty = BoundElement(record: ElementRecord(fields: []), index: -1)
}
