import ReturnRulesLanguage

/// A set of texts probed with bytes, as a hand-written program keeps a SKU catalog: FNV-1a over
/// the bytes, open addressing, a byte comparison only on a hash match. No `String` per probe.
struct ByteCatalog {
    private let slots: [Int32]
    private let hashes: [UInt64]
    private let entries: [[UInt8]]
    private let mask: Int

    init(_ texts: [String]) {
        let unique = Array(Set(texts)).sorted().map { Array($0.utf8) }
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
        entries = unique
        mask = capacity - 1
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
