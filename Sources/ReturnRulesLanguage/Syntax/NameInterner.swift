#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Name expressions (`return`, `refund`, `instant`) built once per spelling and shared.
///
/// `.name` is an indirect enum case: a heap box holding the name's string. A rule file repeats
/// a few dozen names thousands of times (a 10,000-rule file has about 70,000), and copies of a
/// case share its box, so the parser hands out one box per spelling instead of allocating a
/// box and a string for every occurrence. Spellings are compared as bytes of the one file.
struct NameInterner {
    /// A spelling by its first occurrence in the file, and its shared expression.
    private var entries: [(start: Int, length: Int, kind: ExprKind)] = []
    /// Open addressing, linear probing: an index into `entries`, or -1 for an empty slot.
    private var slots = [Int32](repeating: -1, count: 256)

    /// Past this many spellings (a generated file of distinct names) new ones are not kept,
    /// so the table stays small; those names are built as before.
    static let capacity = 4096

    /// The shared `.name` for the bytes at `span` of `bytes`.
    mutating func name(at start: Int, length: Int, in bytes: [UInt8]) -> ExprKind {
        bytes.withUnsafeBufferPointer { buffer in
            let word = buffer.baseAddress! + start
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for offset in 0..<length {
                hash ^= UInt64(word[offset])
                hash &*= 0x0000_0100_0000_01B3
            }
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let index = Int(slots[slot])
                if index < 0 { break }
                let entry = entries[index]
                if entry.length == length, memcmp(buffer.baseAddress! + entry.start, word, length) == 0 { return entry.kind }
                slot = (slot + 1) & mask
            }
            let kind = ExprKind.name(String(decoding: UnsafeBufferPointer(start: word, count: length), as: UTF8.self))
            guard entries.count < NameInterner.capacity else { return kind }
            slots[slot] = Int32(entries.count)
            entries.append((start, length, kind))
            if entries.count * 2 > slots.count { grow(buffer) }
            return kind
        }
    }

    /// Doubles the slots and places every entry again.
    private mutating func grow(_ buffer: UnsafeBufferPointer<UInt8>) {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, entry) in entries.enumerated() {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for offset in entry.start..<(entry.start + entry.length) {
                hash ^= UInt64(buffer[offset])
                hash &*= 0x0000_0100_0000_01B3
            }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}
