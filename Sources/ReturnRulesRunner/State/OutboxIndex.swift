/// The outbox's requests by idempotency key, kept in the order they were planned (the order of
/// their lines in outbox.jsonl).
///
/// Each request is one fixed-size `Entry` (80 bytes): its key as the 128 bits its 32 hex
/// digits spell, its return id and kind as numbers into tables of each distinct one, and its
/// ledger columns and acknowledgement (which most requests lack) in side arrays. Records of
/// strings and boxes with a dictionary of their keys took over twice the memory, and a
/// million of them were most of a restart. Entries sit in fixed-size chunks, so a snapshot (which holds the
/// index as it was) costs the runner a copy of the last chunk, not of every request; an
/// open-addressing table of positions finds a key by comparing all 128 bits (never a hash).
/// A key that is not 32 lower-case hex digits (none the planner makes) is kept as text.
public struct OutboxIndex: Sendable {
    static let chunkShift = 12
    static let chunkSize = 1 << chunkShift

    struct Entry: Sendable {
        /// The key's 128 bits, first digits high; for a key kept as text, its index in `textKeys`.
        var keyHigh: UInt64
        var keyLow: UInt64
        var sequence: UInt64
        var plannedAt: Int64
        var eventTime: Int64
        var offset: Int64
        var orderID: Int64
        var returnID: UInt32
        var length: Int32
        /// Position + 1 in `ledgers` and `acks`; 0: none.
        var ledger: UInt32
        var ack: UInt32
        var kind: UInt16
        var flags: UInt8

        static let textKey: UInt8 = 1
        static let hasEventTime: UInt8 = 2
        static let hasOrderID: UInt8 = 4
    }

    private var chunks: [[Entry]] = []
    /// Position + 1 of each entry with a hex key, by its low 64 bits; 0: empty.
    private var slots: [Int32] = []
    private var textKeys: [String] = []
    private var textKeyPositions: [String: Int] = [:]
    private(set) var returnIDs: [String] = []
    private var returnIDNumbers: [String: UInt32] = [:]
    /// The number `number(ofReturn:)` gave last.
    private var lastReturnNumber: UInt32?
    private(set) var kinds: [String] = []
    private var kindNumbers: [String: UInt16] = [:]
    private var ledgers = ChunkedArray<LedgerInfo>()
    private var acks = ChunkedArray<AckInfo>()
    /// How many requests there are.
    public private(set) var count = 0
    /// Whether the records' offsets rise in planning order (they always do when the runner
    /// adds them): the snapshot then writes them in outbox order without sorting.
    private(set) var inOffsetOrder = true
    private var lastOffset = Int64.min

    public init() {}

    public var isEmpty: Bool { count == 0 }

    /// Every request, in planning order.
    public var values: Values { Values(index: self) }

    /// The keys, in planning order.
    public var keys: LazyMapSequence<Values, String> { values.lazy.map(\.key) }

    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    /// `contains`, for an index held in a class (`StateStore.outboxContains`).
    static func contains(_ key: String, in index: inout OutboxIndex) -> Bool { index.position(of: key) != nil }

    /// The request with this key. Setting a request adds it (or replaces the one with its key);
    /// setting nil removes it.
    public subscript(key: String) -> OutboxRecord? {
        get { position(of: key).map { record(at: $0) } }
        set {
            if let record = newValue {
                precondition(record.key == key, "an outbox record is filed under its own key")
                insert(record, replacing: true)
            } else if position(of: key) != nil {
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
        guard let position = position(of: key) else { return false }
        var record = record(at: position)
        change(&record)
        store(record, at: position)
        return true
    }

    /// Adds `record` unless its key is already there. Returns whether it was added.
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

    public mutating func reserveCapacity(_ capacity: Int) {
        chunks.reserveCapacity(capacity >> OutboxIndex.chunkShift + 1)
        if slots.count < capacity * 2 { rehash(to: OutboxIndex.tableSize(for: capacity)) }
    }

    // MARK: - Keys

    /// A key's 128 bits when it is 32 lower-case hex digits.
    static func hexKey(_ key: String) -> (high: UInt64, low: UInt64)? {
        var key = key
        return key.withUTF8 { utf8 -> (UInt64, UInt64)? in
            guard utf8.count == 32, let base = UnsafeRawPointer(utf8.baseAddress) else { return nil }
            // Eight digits at a time (every request's key is parsed two or three times as it
            // is planned): a loop of a byte at a time was about 600 instructions a key.
            guard let a = eightHexDigits(base, 0), let b = eightHexDigits(base, 8), let c = eightHexDigits(base, 16), let d = eightHexDigits(base, 24) else { return nil }
            return (a << 32 | b, c << 32 | d)
        }
    }

    /// The value of the eight hex digits at `base + offset` (the first one highest), or nil
    /// unless each is `0`–`9` or `a`–`f`.
    @inline(__always)
    static func eightHexDigits(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64? {
        let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        // Every byte below 0x80, so adding at most 0x50 to it carries into no other byte; a
        // byte's top bit then says whether it reached the bound.
        guard x & high == 0 else { return nil }
        let from0 = (x &+ ones &* 0x50) & high    // ≥ 0x30 "0"
        let past9 = (x &+ ones &* 0x46) & high    // ≥ 0x3A
        let fromA = (x &+ ones &* 0x1F) & high    // ≥ 0x61 "a"
        let pastF = (x &+ ones &* 0x19) & high    // ≥ 0x67
        guard (from0 & ~past9) | (fromA & ~pastF) == high else { return nil }
        // "0"–"9" → 0–9 (low four bits); "a"–"f" → 1–6 plus 9.
        var n = (x & (ones &* 0x0F)) &+ ((x >> 6) & ones) &* 9
        // The first digit was the lowest byte: swap, then pack the nibbles pairwise.
        n = n.byteSwapped
        n = (n | n >> 4) & 0x00FF_00FF_00FF_00FF
        n = (n | n >> 8) & 0x0000_FFFF_0000_FFFF
        return (n | n >> 16) & 0xFFFF_FFFF
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func hexText(high: UInt64, low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 32) { out in
            for index in 0..<16 {
                out[index] = hexDigits[Int(truncatingIfNeeded: high >> UInt64(60 - 4 * index)) & 0xF]
                out[16 + index] = hexDigits[Int(truncatingIfNeeded: low >> UInt64(60 - 4 * index)) & 0xF]
            }
            return 32
        }
    }

    func key(of entry: Entry) -> String {
        entry.flags & Entry.textKey != 0 ? textKeys[Int(entry.keyLow)] : OutboxIndex.hexText(high: entry.keyHigh, low: entry.keyLow)
    }

    func position(of key: String) -> Int? {
        guard let (high, low) = OutboxIndex.hexKey(key) else { return textKeyPositions[key] }
        return probe(high: high, low: low).found
    }

    /// Where the key is (`found`), else the empty slot it would take.
    private func probe(high: UInt64, low: UInt64) -> (found: Int?, slot: Int) {
        guard !slots.isEmpty else { return (nil, -1) }
        let mask = slots.count - 1
        // The keys are SHA-256 bits: their low bits are as good as any hash of them.
        var slot = Int(truncatingIfNeeded: low) & mask
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { return (nil, slot) }
            let entry = entry(at: stored - 1)
            if entry.keyLow == low, entry.keyHigh == high, entry.flags & Entry.textKey == 0 { return (stored - 1, slot) }
            slot = (slot + 1) & mask
        }
    }

    static func tableSize(for count: Int) -> Int {
        var size = 1024
        while size < count * 2 { size <<= 1 }
        return size
    }

    private mutating func rehash(to size: Int) {
        slots = [Int32](repeating: 0, count: size)
        let mask = size - 1
        for position in 0..<count {
            let entry = entry(at: position)
            guard entry.flags & Entry.textKey == 0 else { continue }
            var slot = Int(truncatingIfNeeded: entry.keyLow) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(position + 1)
        }
    }

    // MARK: - Entries

    @inline(__always)
    func entry(at position: Int) -> Entry { chunks[position >> OutboxIndex.chunkShift][position & (OutboxIndex.chunkSize - 1)] }

    func record(at position: Int) -> OutboxRecord {
        let entry = entry(at: position)
        return OutboxRecord(sequence: entry.sequence, key: key(of: entry), kind: kinds[Int(entry.kind)], returnID: returnIDs[Int(entry.returnID)],
                            orderID: entry.flags & Entry.hasOrderID != 0 ? Int(entry.orderID) : nil, plannedAt: entry.plannedAt,
                            eventTime: entry.flags & Entry.hasEventTime != 0 ? entry.eventTime : nil, offset: entry.offset, length: entry.length,
                            ledger: entry.ledger == 0 ? nil : ledgers[Int(entry.ledger) - 1], ack: entry.ack == 0 ? nil : acks[Int(entry.ack) - 1])
    }

    /// The copy of `returnID` this index keeps (filed if new): holds and reviews share it.
    mutating func shared(returnID: String) -> String { returnIDs[Int(number(ofReturn: returnID))] }

    mutating func number(ofReturn returnID: String) -> UInt32 {
        // An event's requests, holds and reviews all name its return: one lookup in a table
        // of every return ever seen (a cache miss or two) serves them all.
        if let last = lastReturnNumber, returnIDs[Int(last)] == returnID { return last }
        if let number = returnIDNumbers[returnID] {
            lastReturnNumber = number
            return number
        }
        let number = UInt32(returnIDs.count)
        returnIDs.append(returnID)
        returnIDNumbers[returnID] = number
        lastReturnNumber = number
        return number
    }

    mutating func number(ofKind kind: String) -> UInt16 {
        // A handful of kinds, each a short string: comparing with each beats hashing one (every
        // request is filed under its kind).
        if kinds.count <= 8 {
            for number in kinds.indices where kinds[number] == kind { return UInt16(number) }
        } else if let number = kindNumbers[kind] {
            return number
        }
        precondition(kinds.count < Int(UInt16.max), "fewer than 65,535 request kinds")
        let number = UInt16(kinds.count)
        kinds.append(kind)
        kindNumbers[kind] = number
        return number
    }

    /// The entry for `record`, its key aside (set by the caller); a ledger or acknowledgement
    /// replaces the one the entry at `existing` had, else is added.
    private mutating func entry(for record: OutboxRecord, replacing existing: Entry? = nil) -> Entry {
        var flags: UInt8 = 0
        if record.eventTime != nil { flags |= Entry.hasEventTime }
        if record.orderID != nil { flags |= Entry.hasOrderID }
        var entry = Entry(keyHigh: 0, keyLow: 0, sequence: record.sequence, plannedAt: record.plannedAt, eventTime: record.eventTime ?? 0,
                          offset: record.offset, orderID: Int64(record.orderID ?? 0), returnID: number(ofReturn: record.returnID),
                          length: record.length, ledger: 0, ack: 0, kind: number(ofKind: record.kind), flags: flags)
        if let ledger = record.ledger { entry.ledger = Self.store(ledger, in: &ledgers, slot: existing?.ledger ?? 0) }
        if let ack = record.ack { entry.ack = Self.store(ack, in: &acks, slot: existing?.ack ?? 0) }
        return entry
    }

    /// Puts `value` in its side array: over the entry's slot when it has one (slots count from
    /// 1; 0 is none), else at the end. Returns the slot.
    private static func store<Value>(_ value: Value, in array: inout ChunkedArray<Value>, slot: UInt32) -> UInt32 {
        guard slot == 0 else {
            array[Int(slot) - 1] = value
            return slot
        }
        array.append(value)
        return UInt32(array.count)
    }

    /// Replaces the request at `position` (same key).
    private mutating func store(_ record: OutboxRecord, at position: Int) {
        let old = entry(at: position)
        var entry = entry(for: record, replacing: old)
        entry.keyHigh = old.keyHigh
        entry.keyLow = old.keyLow
        entry.flags |= old.flags & Entry.textKey
        chunks[position >> OutboxIndex.chunkShift][position & (OutboxIndex.chunkSize - 1)] = entry
    }

    @discardableResult
    private mutating func insert(_ record: consuming OutboxRecord, replacing: Bool, awaitingLine: Bool = false) -> Int? {
        // The key's bits, read once: to look it up, then to file it.
        let bits = OutboxIndex.hexKey(record.key)
        if let existing = bits.map({ probe(high: $0.high, low: $0.low).found }) ?? textKeyPositions[record.key] {
            if replacing {
                store(record, at: existing)
                inOffsetOrder = false
            }
            return nil
        }
        if !awaitingLine {
            if record.offset < lastOffset { inOffsetOrder = false }
            lastOffset = record.offset
        }
        var entry = entry(for: record)
        if let (high, low) = bits {
            entry.keyHigh = high
            entry.keyLow = low
        } else {
            entry.keyLow = UInt64(textKeys.count)
            entry.flags |= Entry.textKey
            textKeys.append(record.key)
            textKeyPositions[record.key] = count
        }
        return append(entry)
    }

    /// Appends an entry whose key is not in the index, and files its key.
    mutating func append(_ entry: Entry) -> Int {
        let next = count
        if next & (OutboxIndex.chunkSize - 1) == 0 {
            var chunk: [Entry] = []
            chunk.reserveCapacity(OutboxIndex.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(entry)
        count += 1
        if entry.flags & Entry.textKey == 0 {
            if count * 2 > slots.count {
                rehash(to: OutboxIndex.tableSize(for: count))
            } else {
                let mask = slots.count - 1
                var slot = Int(truncatingIfNeeded: entry.keyLow) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(next + 1)
            }
        }
        return next
    }

    /// The requests in planning order, as a collection.
    public struct Values: RandomAccessCollection, Sendable {
        let index: OutboxIndex

        public var startIndex: Int { 0 }
        public var endIndex: Int { index.count }

        public subscript(position: Int) -> OutboxRecord {
            precondition(position >= 0 && position < index.count, "outbox position out of range")
            return index.record(at: position)
        }
    }
}

// MARK: - Snapshots

extension OutboxIndex {
    /// Snapshot payload version 4: the tables of return ids and kinds, then each entry in
    /// outbox order (keys as their 16 bytes), read back without looking up a string.
    func encode(into w: inout ByteWriter, spill: (inout ByteWriter) -> Void = { _ in }) {
        w.strings(kinds)
        w.strings(returnIDs)
        w.varint(count)
        var order = Array(0..<count)
        if !inOffsetOrder { order.sort { entry(at: $0).offset < entry(at: $1).offset } }
        for position in order {
            if position & 1023 == 0 { spill(&w) }
            let e = entry(at: position)
            let hasLedger: UInt8 = e.ledger != 0 ? 8 : 0
            let hasAck: UInt8 = e.ack != 0 ? 16 : 0
            w.u8(e.flags | hasLedger | hasAck)
            if e.flags & Entry.textKey != 0 {
                w.string(textKeys[Int(e.keyLow)])
            } else {
                w.u64(e.keyHigh)
                w.u64(e.keyLow)
            }
            w.varint(e.sequence)
            w.zigzag(e.plannedAt)
            if e.flags & Entry.hasEventTime != 0 { w.zigzag(e.eventTime) }
            w.zigzag(e.offset)
            w.varint(Int(e.length))
            if e.flags & Entry.hasOrderID != 0 { w.zigzag(e.orderID) }
            w.varint(Int(e.returnID))
            w.varint(Int(e.kind))
            if e.ledger != 0 { JournalCodec.encode(ledgers[Int(e.ledger) - 1], into: &w) }
            if e.ack != 0 { SnapshotCodec.encode(acks[Int(e.ack) - 1], into: &w) }
        }
    }

    static func decode(from r: inout ByteReader) throws(DecodeError) -> OutboxIndex {
        var index = OutboxIndex()
        index.kinds = try r.strings()
        guard index.kinds.count < Int(UInt16.max) else { throw DecodeError("too many request kinds") }
        for (number, kind) in index.kinds.enumerated() { index.kindNumbers[kind] = UInt16(number) }
        index.returnIDs = try r.strings()
        index.returnIDNumbers.reserveCapacity(index.returnIDs.count)
        for (number, id) in index.returnIDs.enumerated() { index.returnIDNumbers[id] = UInt32(number) }
        let count = try r.count()
        index.reserveCapacity(count)
        for _ in 0..<count {
            let flags = try r.u8()
            var e = Entry(keyHigh: 0, keyLow: 0, sequence: 0, plannedAt: 0, eventTime: 0, offset: 0, orderID: 0, returnID: 0, length: 0,
                          ledger: 0, ack: 0, kind: 0, flags: flags & 7)
            if flags & Entry.textKey != 0 {
                let key = try r.string()
                guard index.textKeyPositions[key] == nil else { throw DecodeError("outbox key \(key) twice") }
                e.keyLow = UInt64(index.textKeys.count)
                index.textKeys.append(key)
                index.textKeyPositions[key] = index.count
            } else {
                e.keyHigh = try r.u64()
                e.keyLow = try r.u64()
            }
            e.sequence = try r.varint()
            e.plannedAt = try r.zigzag()
            if flags & Entry.hasEventTime != 0 { e.eventTime = try r.zigzag() }
            e.offset = try r.zigzag()
            e.length = Int32(truncatingIfNeeded: try r.int())
            if flags & Entry.hasOrderID != 0 { e.orderID = try r.zigzag() }
            let returnID = try r.int()
            let kind = try r.int()
            guard returnID < index.returnIDs.count, kind < index.kinds.count else { throw DecodeError("outbox entry names no return id or kind") }
            e.returnID = UInt32(returnID)
            e.kind = UInt16(kind)
            if flags & 8 != 0 {
                index.ledgers.append(try JournalCodec.decodeLedger(&r))
                e.ledger = UInt32(index.ledgers.count)
            }
            if flags & 16 != 0 {
                index.acks.append(try SnapshotCodec.decodeAck(&r))
                e.ack = UInt32(index.acks.count)
            }
            if e.offset < index.lastOffset { index.inOffsetOrder = false }
            index.lastOffset = e.offset
            // The snapshot was written from an index (and its checksum holds): its keys are
            // distinct, so each takes the first free slot without comparing keys.
            _ = index.append(e)
        }
        return index
    }
}
