/// A parsed JSON text: the original bytes plus a flat tape of node records.
///
/// Parsing validates the whole input (RFC 8259, strict: see `JSONParseOptions` for the depth
/// limit and duplicate keys) and allocates no memory per node. Number tokens are never
/// converted to floating point: callers read their exact text. A document is an immutable
/// value; copies share storage, and it can be sent across threads.
///
/// ```swift
/// let doc = try JSONDocument(parsing: bytes)
/// let status = doc.root.member("status")?.stringValue
/// ```
public struct JSONDocument: Sendable {
    @usableFromInline let tape: JSONTape

    init(tape: JSONTape) {
        self.tape = tape
    }

    /// Parses a whole array without copying it.
    public init(parsing bytes: [UInt8], options: JSONParseOptions = JSONParseOptions()) throws(JSONSyntaxError) {
        try self.init(parsing: bytes[...], options: options)
    }

    /// Parses a slice of a larger buffer in place (a line of a JSON Lines file, say) without
    /// copying it. Byte offsets in the document and its errors are relative to the slice start.
    public init(parsing bytes: ArraySlice<UInt8>, options: JSONParseOptions = JSONParseOptions()) throws(JSONSyntaxError) {
        let tape = JSONTape(capacity: bytes.count / 8 + 8)
        try parseIntoTape(bytes, tape, options)
        self.tape = tape
    }

    /// Parses the UTF-8 of `text`.
    public init(parsing text: String, options: JSONParseOptions = JSONParseOptions()) throws(JSONSyntaxError) {
        try self.init(parsing: Array(text.utf8), options: options)
    }

    /// Parses bytes that the caller owns. The document must own its bytes, so they are copied
    /// once (a memcpy); to parse without any copy, pass an `ArraySlice` of an array you keep,
    /// or use `JSONParser.withDocument(parsing:_:)`.
    public init(copying buffer: UnsafeRawBufferPointer, options: JSONParseOptions = JSONParseOptions()) throws(JSONSyntaxError) {
        try self.init(parsing: [UInt8](buffer), options: options)
    }

    /// The top-level value.
    @inlinable
    public var root: JSONNode { JSONNode(tape: tape, index: 0) }

    /// The bytes the document was parsed from; offsets are relative to `bytes.startIndex`.
    public var bytes: ArraySlice<UInt8> { tape.allBytes }

    /// Number of tape records (values plus object keys).
    public var nodeCount: Int { tape.count }

    /// The node at `path` (relative paths start at the root too), or nil.
    @inlinable
    public func lookup(_ path: JSONPath) -> JSONNode? {
        root.lookup(path)
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset, for messages about a
    /// value that parsed but is wrong for the domain.
    public func location(ofByteOffset offset: Int) -> (line: Int, column: Int) {
        let count = tape.external == nil ? tape.bytes.count : tape.externalCount
        return tape.withBytes { JSONErrorLocator.lineAndColumn(of: offset, in: UnsafeBufferPointer(start: $0, count: count)) }
    }
}
