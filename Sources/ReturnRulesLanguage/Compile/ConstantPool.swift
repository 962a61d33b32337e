/// The compiled program's string constants, in one byte store that every frame shares.
final class ConstantPool {
    private(set) var bytes: [UInt8] = []
    private var known: [String: Value] = [:]

    func text(_ string: String) -> Value {
        if let value = known[string] { return value }
        let offset = UInt32(bytes.count)
        bytes.append(contentsOf: string.utf8)
        let value = Value.text(TextSpan(store: .constants, offset: offset, length: UInt32(bytes.count) - offset))
        known[string] = value
        return value
    }
}

/// A set of constant texts (a SKU catalog) probed with bytes: one hash over the bytes, an open
/// addressing table, and a byte comparison only on a hash match.
struct TextSet: Sendable {
    private let slots: [Int32]
    private let hashes: [UInt64]
    private let entries: [[UInt8]]
    private let mask: Int

    init(_ texts: [String]) {
        var unique: [[UInt8]] = []
        var seen = Set<String>()
        for text in texts where seen.insert(text).inserted { unique.append(Array(text.utf8)) }
        var capacity = 8
        while capacity < unique.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        var hashes: [UInt64] = []
        for (index, entry) in unique.enumerated() {
            let hash = entry.withUnsafeBufferPointer { TextBytes.hash($0) }
            hashes.append(hash)
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(index)
        }
        self.slots = slots
        self.hashes = hashes
        self.entries = unique
        self.mask = capacity - 1
    }

    @inline(__always)
    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let hash = TextBytes.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return false }
            if hashes[index] == hash, entries[index].withUnsafeBufferPointer({ TextBytes.equal($0, bytes) }) { return true }
            slot = (slot + 1) & mask
        }
    }
}
