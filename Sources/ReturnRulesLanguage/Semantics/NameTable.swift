import JSONBytes

/// A read-only table from names to values, probed with a name's UTF-8 bytes, or with the two
/// halves of a dotted name (`refund` and `amount` for `refund.amount`) without joining them.
///
/// The checker resolves every name and field path of every rule against the schema: with
/// `[String: …]` each lookup hashed the name with SipHash (about 350 instructions) and a field
/// path first built its dotted string. Here a lookup is FNV-1a over the bytes and one byte
/// comparison. Equality is always decided on the bytes; the hash only picks the slot.
struct NameTable<Value: Sendable>: Sendable {
    /// The keys' bytes back to back; key `i` is `keyBytes[keyStarts[i]..<keyStarts[i + 1]]`.
    private var keyBytes: [UInt8] = []
    private var keyStarts: [Int] = [0]
    private var values: [Value] = []
    /// Open addressing, linear probing: an index into `values`, or -1 for an empty slot.
    private var slots: [Int32]
    private let mask: Int

    init(_ entries: some Sequence<(String, Value)>) {
        let entries = Array(entries)
        var capacity = 8
        while capacity < entries.count * 2 { capacity *= 2 }
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        for (name, value) in entries where self.value(name) == nil {
            let index = values.count
            keyBytes.append(contentsOf: name.utf8)
            keyStarts.append(keyBytes.count)
            values.append(value)
            var slot = NameTable.hash(Array(name.utf8)) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    var isEmpty: Bool { values.isEmpty }

    func value(_ name: String) -> Value? {
        name.withContiguousUTF8 { bytes in find(hash: NameTable.hash(bytes)) { key in TextBytes.equal(key, bytes) } }
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
                }
            }
        }
    }

    private func find(hash: Int, _ matches: (UnsafeBufferPointer<UInt8>) -> Bool) -> Value? {
        keyBytes.withUnsafeBufferPointer { all in
            var slot = hash & mask
            while true {
                let index = Int(slots[slot])
                if index < 0 { return nil }
                let key = UnsafeBufferPointer(rebasing: all[keyStarts[index]..<keyStarts[index + 1]])
                if matches(key) { return values[index] }
                slot = (slot + 1) & mask
            }
        }
    }

    // FNV-1a, 64-bit, fed in pieces so a dotted name hashes as its halves.
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

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash = start
        mix(bytes, into: &hash)
        return Int(truncatingIfNeeded: hash)
    }

    private static func hash(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { hash($0) }
    }
}
