/// Reads of a parsed document by tape index, with no reference counting: for a hot loop that
/// visits many nodes of one document (a payload mapping reads two dozen per event, and every
/// `JSONNode` it makes retains and releases the document). Valid only inside
/// `JSONNode.withTapeView`; a node for anything else is `JSONNode.node(atTapeIndex:)`.
public struct JSONTapeView {
    @usableFromInline let entries: UnsafeMutablePointer<TapeEntry>
    @usableFromInline let bytes: UnsafePointer<UInt8>

    @inlinable
    init(entries: UnsafeMutablePointer<TapeEntry>, bytes: UnsafePointer<UInt8>) {
        self.entries = entries
        self.bytes = bytes
    }

    /// The kind of the node at `index`.
    @inlinable
    public func kind(_ index: Int) -> JSONKind {
        switch entries[index].tapeKind {
        case TapeEntry.object: return .object
        case TapeEntry.array: return .array
        case TapeEntry.string: return .string
        case TapeEntry.number: return .number
        case TapeEntry.null: return .null
        default: return .bool
        }
    }

    /// `true` or `false` at `index`; nil for anything else.
    @inlinable
    public func bool(_ index: Int) -> Bool? {
        switch entries[index].tapeKind {
        case TapeEntry.trueValue: return true
        case TapeEntry.falseValue: return false
        default: return nil
        }
    }

    /// Whether the string at `index` has backslash escapes (so its raw bytes are not its value).
    @inlinable
    public func hasEscapes(_ index: Int) -> Bool { entries[index].hasEscapes }

    /// The token's bytes at `index`, as `JSONNode.withUnsafeRawBytes` gives them.
    @inlinable
    public func rawBytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let entry = entries[index]
        return UnsafeBufferPointer(start: bytes + Int(entry.start), count: Int(entry.length))
    }

    /// The index of an array's first element, and the index after its last (for
    /// `next(after:)` steps); an empty range for anything but an array.
    @inlinable
    public func elements(of index: Int) -> (first: Int, end: Int) {
        let entry = entries[index]
        guard entry.tapeKind == TapeEntry.array else { return (0, 0) }
        return (index + 1, Int(entry.next))
    }

    /// The index of the sibling after the node at `index` (past its whole subtree).
    @inlinable
    public func next(after index: Int) -> Int { Int(entries[index].next) }
}

extension JSONNode {
    /// Calls `body` with a view of this node's document; `index` is this node's tape index.
    @inlinable
    public func withTapeView<R>(_ body: (JSONTapeView) throws -> R) rethrows -> R {
        try tape.withBytes { p in try body(JSONTapeView(entries: tape.entries, bytes: p)) }
    }
}
