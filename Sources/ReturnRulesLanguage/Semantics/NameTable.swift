import JSONBytes

/// A table from names to values, probed with a name's UTF-8 bytes, or with the two halves of a
/// dotted name (`refund` and `amount` for `refund.amount`) without joining them.
///
/// The checker resolves every name and field path of every rule against the schema: with
/// `[String: …]` each lookup hashed the name with SipHash (about 350 instructions) and a field
/// path first built its dotted string. Here a lookup is FNV-1a over the bytes and one byte
/// comparison. Equality is always decided on the bytes; the hash only picks the slot. Entries
/// can be added (the parser's and the lints' interning tables), never removed; an entry's
/// index is its insertion order.
package struct NameTable<Value> {
    /// The keys' bytes back to back; key `i` is `keyBytes[keyStarts[i]..<keyStarts[i + 1]]`.
    private var keyBytes: [UInt8] = []
    private var keyStarts: [Int] = [0]
    private var values: [Value] = []
    /// Open addressing, linear probing: an index into `values`, or -1 for an empty slot.
    private var slots: [Int32]

    init(_ entries: some Sequence<(String, Value)>) {
        let entries = Array(entries)
        var capacity = 8
        while capacity < entries.count * 2 { capacity *= 2 }
        slots = Array(repeating: -1, count: capacity)
        for (name, value) in entries {
            var name = name
            name.withUTF8 { bytes in if index(of: bytes) == nil { _ = insert(bytes, value) } }
        }
    }

    /// An empty table with room for about `expected` keys before it grows.
    package init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity *= 2 }
        slots = Array(repeating: -1, count: capacity)
        keyStarts.reserveCapacity(expected + 1)
        values.reserveCapacity(expected)
    }

    package var isEmpty: Bool { values.isEmpty }
    package var count: Int { values.count }

    /// The value of the entry at `index` (its insertion order).
    package subscript(index: Int) -> Value { values[index] }

    func value(_ name: String) -> Value? {
        name.withContiguousUTF8 { bytes in index(of: bytes).map { values[$0] } }
    }

    /// The index of the entry whose key is `bytes`, if any.
    package func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        find(hash: Int(truncatingIfNeeded: TextBytes.hash(bytes))) { key in TextBytes.equal(key, bytes) }
    }

    /// Adds an entry for a key that is not in the table yet and returns its index; the slots
    /// double once they are half full.
    package mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Value) -> Int {
        let index = values.count
        keyBytes.append(contentsOf: bytes)
        keyStarts.append(keyBytes.count)
        values.append(value)
        if values.count * 2 > slots.count {
            slots = Array(repeating: -1, count: slots.count * 2)
            for entry in 0..<values.count { place(entry) }
        } else {
            place(index)
        }
        return index
    }

    /// The value of `head` + `separator` + `tail`, for example a field path's group and field.
    func value(_ head: String, _ separator: UInt8, _ tail: String) -> Value? {
        head.withContiguousUTF8 { first in
            tail.withContiguousUTF8 { second in
                var hash = NameTable.start
                NameTable.mix(first, into: &hash)
                NameTable.mix(separator, into: &hash)
                NameTable.mix(second, into: &hash)
                return find(hash: Int(truncatingIfNeeded: hash)) { key in
                    key.count == first.count + 1 + second.count && key[first.count] == separator
                        && TextBytes.equal(UnsafeBufferPointer(rebasing: key[..<first.count]), first)
                        && TextBytes.equal(UnsafeBufferPointer(rebasing: key[(first.count + 1)...]), second)
                }.map { values[$0] }
            }
        }
    }

    private func find(hash: Int, _ matches: (UnsafeBufferPointer<UInt8>) -> Bool) -> Int? {
        keyBytes.withUnsafeBufferPointer { all in
            let mask = slots.count - 1
            var slot = hash & mask
            while true {
                let index = Int(slots[slot])
                if index < 0 { return nil }
                if matches(UnsafeBufferPointer(rebasing: all[keyStarts[index]..<keyStarts[index + 1]])) { return index }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Puts entry `index` in the first free slot from its key's hash.
    private mutating func place(_ index: Int) {
        let hash = keyBytes.withUnsafeBufferPointer { all in
            TextBytes.hash(UnsafeBufferPointer(rebasing: all[keyStarts[index]..<keyStarts[index + 1]]))
        }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(index)
    }

    // FNV-1a, 64-bit (as `TextBytes.hash`), fed in pieces so a dotted name hashes as its halves.
    private static var start: UInt64 { 0xCBF2_9CE4_8422_2325 }

    @inline(__always)
    private static func mix(_ byte: UInt8, into hash: inout UInt64) {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }

    @inline(__always)
    private static func mix(_ bytes: UnsafeBufferPointer<UInt8>, into hash: inout UInt64) {
        for byte in bytes { mix(byte, into: &hash) }
    }
}

extension NameTable: Sendable where Value: Sendable {}
