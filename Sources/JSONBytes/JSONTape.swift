// The tape: a flat array of fixed-size node records, in document order.
//
// A container's record is followed by its descendants; its `next` field is the index one past
// the last of them, so skipping a whole subtree is one load. An object's children alternate
// key (a string record) and value. Nothing here allocates per node: the records live in one
// manually grown block that a `JSONParser` reuses from document to document.

/// One node of the tape (16 bytes).
///
/// - `start`/`length`: the token's bytes, relative to the start of the document. For a string
///   they cover the content between the quotes (escapes still in place); for a container they
///   cover everything from the opening to the closing bracket.
/// - `next`: index one past this node's subtree (`index + 1` for scalars).
/// - `info`: bits 0–2 the tape kind, bit 3 "string has escapes", bit 4 "number is an integer",
///   bits 8–31 the number of children of a container (members for an object), saturated.
@usableFromInline
struct TapeEntry: Sendable {
    @usableFromInline var start: UInt32
    @usableFromInline var length: UInt32
    @usableFromInline var next: UInt32
    @usableFromInline var info: UInt32

    @inlinable @inline(__always)
    init(start: UInt32, length: UInt32, next: UInt32, info: UInt32) {
        self.start = start
        self.length = length
        self.next = next
        self.info = info
    }

    @inlinable var tapeKind: UInt32 { info & 7 }
    @inlinable var hasEscapes: Bool { info & TapeEntry.escapesFlag != 0 }
    @inlinable var isInteger: Bool { info & TapeEntry.integerFlag != 0 }
    @inlinable var storedCount: UInt32 { info >> 8 }

    // Tape kinds. `true` and `false` are separate kinds so a boolean needs no payload.
    @usableFromInline static let object: UInt32 = 0
    @usableFromInline static let array: UInt32 = 1
    @usableFromInline static let string: UInt32 = 2
    @usableFromInline static let number: UInt32 = 3
    @usableFromInline static let falseValue: UInt32 = 4
    @usableFromInline static let trueValue: UInt32 = 5
    @usableFromInline static let null: UInt32 = 6

    @usableFromInline static let escapesFlag: UInt32 = 1 << 3
    @usableFromInline static let integerFlag: UInt32 = 1 << 4
    /// Counts at or above this are not stored; they are recomputed by walking the children.
    @usableFromInline static let countSaturated: UInt32 = 0x00FF_FFFF
}

/// Storage shared by a `JSONDocument` and the nodes taken from it: the document's bytes and
/// its tape.
///
/// It is mutated only while a parser owns the only reference (checked with
/// `isKnownUniquelyReferenced`), and never after a document has been handed out while another
/// reference exists, which is why sharing it across threads is safe.
///
/// Its stored properties opt out of dynamic exclusivity checks: they are written only by the
/// parser while it holds the only reference, so accesses can never overlap, and the checks
/// cost more than the member lookups they guard.
@usableFromInline
final class JSONTape: @unchecked Sendable {
    /// The document's bytes; tape offsets are relative to `bytes.startIndex`.
    @usableFromInline @exclusivity(unchecked) var bytes: ArraySlice<UInt8>
    /// Set instead of `bytes` while a document parsed in place from caller-owned memory is in
    /// scope (see `JSONParser.withDocument(parsing:_:)`): the start and length of that memory.
    @usableFromInline @exclusivity(unchecked) var external: UnsafePointer<UInt8>?
    @usableFromInline @exclusivity(unchecked) var externalCount: Int = 0
    @usableFromInline @exclusivity(unchecked) var entries: UnsafeMutablePointer<TapeEntry>
    @usableFromInline @exclusivity(unchecked) var count: Int
    @usableFromInline @exclusivity(unchecked) var capacity: Int
    /// Parser scratch: the stack of open containers, kept here so a reused tape reuses it too.
    @exclusivity(unchecked) var frames: UnsafeMutablePointer<ParseFrame>
    @exclusivity(unchecked) var frameCapacity: Int

    init(capacity: Int) {
        let capacity = max(capacity, 16)
        self.bytes = []
        self.entries = .allocate(capacity: capacity)
        self.count = 0
        self.capacity = capacity
        self.frameCapacity = 32
        self.frames = .allocate(capacity: 32)
    }

    deinit {
        entries.deallocate()
        frames.deallocate()
    }

    /// Doubles (at least) the record block, keeping the records written so far.
    func grow(minimumCapacity: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimumCapacity { newCapacity *= 2 }
        let newEntries = UnsafeMutablePointer<TapeEntry>.allocate(capacity: newCapacity)
        newEntries.moveInitialize(from: entries, count: count)
        entries.deallocate()
        entries = newEntries
        capacity = newCapacity
    }

    /// The document bytes at tape-relative `range`, as an owned slice (copied only for a
    /// document parsed in place from caller-owned memory).
    func slice(_ range: Range<Int>) -> ArraySlice<UInt8> {
        if let external {
            return Array(UnsafeBufferPointer(start: external + range.lowerBound, count: range.count))[...]
        }
        let base = bytes.startIndex
        return bytes[(base + range.lowerBound)..<(base + range.upperBound)]
    }

    /// All the document bytes, as `slice` does.
    var allBytes: ArraySlice<UInt8> {
        external == nil ? bytes : slice(0..<externalCount)
    }

    /// Grows the container stack; bounded by the parser's depth limit.
    func growFrames() {
        let newCapacity = frameCapacity * 2
        let newFrames = UnsafeMutablePointer<ParseFrame>.allocate(capacity: newCapacity)
        newFrames.moveInitialize(from: frames, count: frameCapacity)
        frames.deallocate()
        frames = newFrames
        frameCapacity = newCapacity
    }

    /// Runs `body` over the document bytes with tape-relative indexing.
    @inlinable @inline(__always)
    func withBytes<R>(_ body: (UnsafePointer<UInt8>) throws -> R) rethrows -> R {
        // One call site for `body`, so it inlines once. A parsed document is never empty, so
        // the placeholder for a nil base address is never read.
        try bytes.withUnsafeBufferPointer { buffer in
            try body(external ?? buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!)
        }
    }
}

/// One open container while parsing.
struct ParseFrame {
    var tapeIndex: Int
    var count: UInt32
    var isObject: Bool
    var keyFilter: UInt64
}
