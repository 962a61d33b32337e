/// The outbox's requests by idempotency key, kept in the order they were planned (the order of
/// their lines in outbox.jsonl).
///
/// Records sit in one dense array and the hash table maps a key to its position. A dictionary
/// of the records themselves sized its table (a third or more of it empty) by the record, and
/// moved every record when it grew; with a million requests that was half a gigabyte, and the
/// snapshot had to sort the records back into outbox order.
public struct OutboxIndex: Sendable {
    /// Every request, in planning order.
    public private(set) var values: [OutboxRecord] = []
    private var positions: [String: Int] = [:]

    public init() {}

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }

    /// The keys, in planning order.
    public var keys: LazyMapSequence<[OutboxRecord], String> { values.lazy.map(\.key) }

    public func contains(_ key: String) -> Bool { positions[key] != nil }

    /// The request with this key. Setting a request adds it (or replaces the one with its key);
    /// setting nil removes it.
    public subscript(key: String) -> OutboxRecord? {
        get { positions[key].map { values[$0] } }
        set {
            if let record = newValue {
                precondition(record.key == key, "an outbox record is filed under its own key")
                _ = insert(record, replacing: true)
            } else if let position = positions.removeValue(forKey: key) {
                // Never done by the runner (requests are not forgotten); kept correct, not fast.
                values.remove(at: position)
                for index in position..<values.count { positions[values[index].key] = index }
            }
        }
    }

    /// Changes the request with `key` in place; false when there is none.
    @discardableResult
    public mutating func update(_ key: String, _ change: (inout OutboxRecord) -> Void) -> Bool {
        guard let position = positions[key] else { return false }
        change(&values[position])
        return true
    }

    /// Adds `record` unless its key is already there (one hash lookup either way). Returns
    /// whether it was added.
    @discardableResult
    public mutating func insert(_ record: OutboxRecord) -> Bool {
        insert(record, replacing: false)
    }

    private mutating func insert(_ record: OutboxRecord, replacing: Bool) -> Bool {
        let next = values.count
        var existing = -1
        // One probe: the `default:` subscript finds the key's slot or makes it.
        func claim(_ position: inout Int) {
            if position < 0 { position = next } else { existing = position }
        }
        claim(&positions[record.key, default: -1])
        if existing < 0 {
            values.append(record)
            return true
        }
        if replacing { values[existing] = record }
        return false
    }

    public mutating func reserveCapacity(_ capacity: Int) {
        values.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
    }
}
