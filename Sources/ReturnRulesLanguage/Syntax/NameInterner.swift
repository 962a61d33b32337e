/// Name expressions (`return`, `refund`, `instant`) built once per spelling and shared.
///
/// `.name` is an indirect enum case: a heap box holding the name's string. A rule file repeats
/// a few dozen names thousands of times (a 10,000-rule file has about 70,000), and copies of a
/// case share its box, so the parser hands out one box per spelling instead of allocating a
/// box and a string for every occurrence.
struct NameInterner {
    private var names = NameTable<ExprKind>(expected: 128)

    /// Past this many spellings (a generated file of distinct names) new ones are not kept,
    /// so the table stays small; those names are built as before.
    static let capacity = 4096

    /// The shared `.name` for the `length` bytes at `start` of `bytes`.
    mutating func name(at start: Int, length: Int, in bytes: [UInt8]) -> ExprKind {
        bytes.withUnsafeBufferPointer { buffer in
            let word = UnsafeBufferPointer(rebasing: buffer[start..<(start + length)])
            if let index = names.index(of: word) { return names[index] }
            let kind = ExprKind.name(String(decoding: word, as: UTF8.self))
            if names.count < NameInterner.capacity { _ = names.insert(word, kind) }
            return kind
        }
    }
}
