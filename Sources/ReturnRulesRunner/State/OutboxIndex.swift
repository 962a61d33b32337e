/// The outbox's requests by idempotency key, kept in the order they were planned (the order of
/// their lines in outbox.jsonl).
///
/// Records sit in fixed-size chunks and a hash table maps a key to its position. A dictionary
/// of the records themselves sized its table (a third or more of it empty) by the record and
/// moved every record when it grew; with a million requests that was half a gigabyte, and the
/// snapshot had to sort the records back into outbox order. Chunks also keep a snapshot cheap:
/// the snapshot thread holds the state as it was, and the runner's next request copies (on
/// write) only the last chunk, not every request planned so far.
public struct OutboxIndex: Sendable {
    static let chunkShift = 12
    static let chunkSize = 1 << chunkShift

    private var chunks: [[OutboxRecord]] = []
    private var positions: [String: Int] = [:]
    /// How many requests there are.
    public private(set) var count = 0
    /// Whether the records' offsets rise in planning order (they always do when the runner
    /// adds them): the snapshot then writes them in outbox order without sorting.
    private(set) var inOffsetOrder = true
    private var lastOffset = Int64.min

    public init() {}

    public var isEmpty: Bool { count == 0 }

    /// Every request, in planning order.
    public var values: Values { Values(chunks: chunks, count: count) }

    /// The keys, in planning order.
    public var keys: LazyMapSequence<Values, String> { values.lazy.map(\.key) }

    public func contains(_ key: String) -> Bool { positions[key] != nil }

    /// The request with this key. Setting a request adds it (or replaces the one with its key);
    /// setting nil removes it.
    public subscript(key: String) -> OutboxRecord? {
        get { positions[key].map { values[$0] } }
        set {
            if let record = newValue {
                precondition(record.key == key, "an outbox record is filed under its own key")
                insert(record, replacing: true)
            } else if positions[key] != nil {
                // Never done by the runner (requests are not forgotten); kept correct, not fast.
                let kept = values.filter { $0.key != key }
                self = OutboxIndex()
                for record in kept { insert(record) }
            }
        }
    }

    /// Changes the request with `key` in place; false when there is none.
    @discardableResult
    public mutating func update(_ key: String, _ change: (inout OutboxRecord) -> Void) -> Bool {
        guard let position = positions[key] else { return false }
        change(&chunks[position >> OutboxIndex.chunkShift][position & (OutboxIndex.chunkSize - 1)])
        return true
    }

    /// Adds `record` unless its key is already there (one hash lookup either way). Returns
    /// whether it was added.
    @discardableResult
    public mutating func insert(_ record: consuming OutboxRecord) -> Bool {
        insert(record, replacing: false) != nil
    }

    /// Adds a record whose line is not written yet: its offset and length come later
    /// (`setLine`). Returns its position, or nil when its key is already there.
    mutating func insertAwaitingLine(_ record: consuming OutboxRecord) -> Int? {
        insert(record, replacing: false, awaitingLine: true)
    }

    /// Sets where the line of the request at `position` sits in outbox.jsonl.
    mutating func setLine(at position: Int, offset: Int64, length: Int32) {
        if offset < lastOffset { inOffsetOrder = false }
        lastOffset = offset
        let chunk = position >> OutboxIndex.chunkShift
        let slot = position & (OutboxIndex.chunkSize - 1)
        chunks[chunk][slot].offset = offset
        chunks[chunk][slot].length = length
    }

    @discardableResult
    private mutating func insert(_ record: consuming OutboxRecord, replacing: Bool, awaitingLine: Bool = false) -> Int? {
        let next = count
        var existing = -1
        // One probe: the `default:` subscript finds the key's slot or makes it.
        func claim(_ position: inout Int) {
            if position < 0 { position = next } else { existing = position }
        }
        claim(&positions[record.key, default: -1])
        if existing >= 0 {
            if replacing {
                chunks[existing >> OutboxIndex.chunkShift][existing & (OutboxIndex.chunkSize - 1)] = record
                inOffsetOrder = false
            }
            return nil
        }
        if !awaitingLine {
            if record.offset < lastOffset { inOffsetOrder = false }
            lastOffset = record.offset
        }
        if next & (OutboxIndex.chunkSize - 1) == 0 {
            var chunk: [OutboxRecord] = []
            chunk.reserveCapacity(OutboxIndex.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(record)
        count += 1
        return next
    }

    public mutating func reserveCapacity(_ capacity: Int) {
        chunks.reserveCapacity(capacity >> OutboxIndex.chunkShift + 1)
        positions.reserveCapacity(capacity)
    }

    /// The requests in planning order, as a collection.
    public struct Values: RandomAccessCollection, Sendable {
        let chunks: [[OutboxRecord]]
        let total: Int

        init(chunks: [[OutboxRecord]], count: Int) {
            self.chunks = chunks
            total = count
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { total }

        public subscript(position: Int) -> OutboxRecord {
            precondition(position >= 0 && position < total, "outbox position out of range")
            return chunks[position >> OutboxIndex.chunkShift][position & (OutboxIndex.chunkSize - 1)]
        }
    }
}
