/// The kind of a JSON value.
public enum JSONKind: Sendable, Hashable, CustomStringConvertible {
    /// `{…}`
    case object
    /// `[…]`
    case array
    /// `"…"`
    case string
    /// A number token, kept as text.
    case number
    /// `true` or `false`.
    case bool
    /// `null`.
    case null

    /// `object`, `array`, `string`, `number`, `bool` or `null`.
    public var description: String {
        switch self {
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .number: return "number"
        case .bool: return "bool"
        case .null: return "null"
        }
    }
}

/// A value inside a `JSONDocument`: a reference to the document plus a tape index. Cheap to
/// copy and to create; reading a member compares key bytes on the tape and never builds a
/// `String` unless you ask for one.
///
/// Object keys are nodes too (strings): `members` yields them, so a key can be compared with
/// `equals(_:)` without decoding it.
public struct JSONNode: Sendable {
    @usableFromInline let tape: JSONTape
    /// The node's index on its document's tape (document order; the root is 0).
    public let index: Int

    @inlinable
    init(tape: JSONTape, index: Int) {
        self.tape = tape
        self.index = index
    }

    @inlinable
    var entry: TapeEntry { tape.entries[index] }

    /// The document this node belongs to.
    public var document: JSONDocument { JSONDocument(tape: tape) }

    // MARK: - Kind and scalars

    /// What kind of value this is.
    @inlinable
    public var kind: JSONKind {
        switch entry.tapeKind {
        case TapeEntry.object: return .object
        case TapeEntry.array: return .array
        case TapeEntry.string: return .string
        case TapeEntry.number: return .number
        case TapeEntry.null: return .null
        default: return .bool
        }
    }

    /// Whether the value is `null`.
    @inlinable
    public var isNull: Bool { entry.tapeKind == TapeEntry.null }

    /// The value of `true` or `false`; nil for anything else.
    @inlinable
    public var bool: Bool? {
        switch entry.tapeKind {
        case TapeEntry.trueValue: return true
        case TapeEntry.falseValue: return false
        default: return nil
        }
    }

    /// Number of elements of an array or members of an object; 0 for anything else.
    public var count: Int {
        let entry = self.entry
        guard entry.tapeKind <= TapeEntry.array else { return 0 }
        if entry.storedCount < TapeEntry.countSaturated { return Int(entry.storedCount) }
        // Saturated: count by skipping subtrees.
        var n = 0
        var i = index + 1
        while i < Int(entry.next) {
            n += 1
            i = Int(tape.entries[i].next)
            if entry.tapeKind == TapeEntry.object { i = Int(tape.entries[i].next) }
        }
        return n
    }

    /// The token's byte range, relative to the document start. For a string it is the content
    /// between the quotes (escapes not resolved); for a container, bracket to bracket.
    public var byteRange: Range<Int> {
        let entry = self.entry
        return Int(entry.start)..<Int(entry.start + entry.length)
    }

    /// The token's bytes (see `byteRange`): a string's content without its quotes — which is
    /// its value when `hasEscapes` is false — a number's exact text, a container's whole text.
    public var rawBytes: ArraySlice<UInt8> {
        tape.slice(byteRange)
    }

    /// Calls `body` with the token's bytes (see `rawBytes`) without creating a slice.
    @inlinable
    public func withUnsafeRawBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let entry = self.entry
        return try tape.withBytes { p in
            try body(UnsafeBufferPointer(start: p + Int(entry.start), count: Int(entry.length)))
        }
    }

    /// Whether a string contains backslash escapes (so `rawBytes` is not its value).
    @inlinable
    public var hasEscapes: Bool { entry.hasEscapes }

    /// The decoded text of a string (escapes resolved); nil for anything else.
    public var stringValue: String? {
        let entry = self.entry
        guard entry.tapeKind == TapeEntry.string else { return nil }
        return tape.withBytes { p in
            decodedString(p, start: Int(entry.start), end: Int(entry.start + entry.length), hasEscapes: entry.hasEscapes)
        }
    }

    /// The decoded UTF-8 bytes of a string; nil for anything else.
    public var stringBytes: [UInt8]? {
        let entry = self.entry
        guard entry.tapeKind == TapeEntry.string else { return nil }
        if !entry.hasEscapes { return Array(rawBytes) }
        return tape.withBytes { p in unescapedBytes(p, start: Int(entry.start), end: Int(entry.start + entry.length)) }
    }

    /// The exact text of a number, e.g. `"29.95"`, `"-0"`, `"1e400"`; nil for anything else.
    public var numberText: String? {
        guard entry.tapeKind == TapeEntry.number else { return nil }
        return withUnsafeRawBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The exact text bytes of a number; nil for anything else.
    public var numberBytes: ArraySlice<UInt8>? {
        guard entry.tapeKind == TapeEntry.number else { return nil }
        return rawBytes
    }

    /// Whether this is a number written without fraction or exponent.
    @inlinable
    public var isInteger: Bool { entry.tapeKind == TapeEntry.number && entry.isInteger }

    /// The exact value of an integer number token that fits in `Int64`; nil for a fraction, an
    /// exponent, anything out of range, or a non-number. Never goes through `Double`.
    public var int64Value: Int64? {
        let entry = self.entry
        guard entry.tapeKind == TapeEntry.number && entry.isInteger else { return nil }
        return withUnsafeRawBytes { parseInt64(exactly: $0) }
    }

    /// `int64Value` as an `Int` (same range on 64-bit platforms).
    public var intValue: Int? {
        int64Value.flatMap { Int(exactly: $0) }
    }

    // MARK: - Comparing strings without allocating

    /// Whether this is a string whose decoded UTF-8 equals `bytes`.
    @inlinable
    public func equals(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let entry = self.entry
        guard entry.tapeKind == TapeEntry.string else { return false }
        if !entry.hasEscapes && Int(entry.length) != bytes.count { return false }
        return tape.withBytes { p in
            unescapedEquals(p, start: Int(entry.start), end: Int(entry.start + entry.length),
                            hasEscapes: entry.hasEscapes, bytes)
        }
    }

    /// Whether this is a string whose decoded UTF-8 equals `bytes`.
    @inlinable
    public func equals<Bytes: Sequence<UInt8>>(utf8 bytes: Bytes) -> Bool {
        if let result = bytes.withContiguousStorageIfAvailable({ equals(utf8: $0) }) { return result }
        return equals(utf8: Array(bytes))
    }

    /// Whether this is a string with the text `text`.
    public func equals(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { equals(utf8: $0) }
    }

    /// Whether this is a string with the text `text`.
    @inlinable
    public func equals(_ text: StaticString) -> Bool {
        text.withUTF8Buffer { equals(utf8: $0) }
    }

    /// Whether this is a string equal to `key`'s text.
    @inlinable
    public func equals(_ key: JSONKey) -> Bool {
        key.utf8.withUnsafeBufferPointer { equals(utf8: $0) }
    }

    // MARK: - Members and elements

    /// The value of the first member named `key` (decoded keys compared byte for byte), or nil
    /// if there is none or this is not an object.
    @inlinable
    public func member(_ key: JSONKey) -> JSONNode? {
        key.utf8.withUnsafeBufferPointer { member(utf8: $0) }
    }

    /// The value of the member named `key` (see `member(_: JSONKey)`).
    @inlinable
    public func member(_ key: StaticString) -> JSONNode? {
        key.withUTF8Buffer { member(utf8: $0) }
    }

    /// The value of the member named `key` (see `member(_: JSONKey)`).
    public func member(_ key: String) -> JSONNode? {
        var key = key
        return key.withUTF8 { member(utf8: $0) }
    }

    /// The value of the member whose decoded key is the UTF-8 `key`.
    @inlinable
    public func member(utf8 key: UnsafeBufferPointer<UInt8>) -> JSONNode? {
        tape.memberValueIndex(objectIndex: index, key: key).map { JSONNode(tape: tape, index: $0) }
    }

    /// `member(_:)`.
    public subscript(key: String) -> JSONNode? { member(key) }

    /// `element(at:)`.
    public subscript(index: Int) -> JSONNode? { element(at: index) }

    /// The array element at `position` (found by skipping earlier subtrees), or nil.
    @inlinable
    public func element(at position: Int) -> JSONNode? {
        tape.elementIndex(arrayIndex: index, position: position).map { JSONNode(tape: tape, index: $0) }
    }

    /// The elements of an array, in order; empty for anything else.
    @inlinable
    public var elements: Elements {
        let entry = self.entry
        guard entry.tapeKind == TapeEntry.array else { return Elements(tape: tape, start: 0, end: 0) }
        return Elements(tape: tape, start: index + 1, end: Int(entry.next))
    }

    /// The members of an object as (key, value) pairs, in document order; empty for anything
    /// else. Keys are string nodes.
    @inlinable
    public var members: Members {
        let entry = self.entry
        guard entry.tapeKind == TapeEntry.object else { return Members(tape: tape, start: 0, end: 0) }
        return Members(tape: tape, start: index + 1, end: Int(entry.next))
    }

    /// An array's elements.
    public struct Elements: Sequence, Sendable {
        @usableFromInline let tape: JSONTape
        @usableFromInline let start: Int
        @usableFromInline let end: Int

        @inlinable
        init(tape: JSONTape, start: Int, end: Int) {
            self.tape = tape
            self.start = start
            self.end = end
        }

        /// Starts an iteration.
        @inlinable
        public func makeIterator() -> Iterator { Iterator(tape: tape, position: start, end: end) }

        /// Steps from element to element by skipping subtrees.
        public struct Iterator: IteratorProtocol, Sendable {
            @usableFromInline let tape: JSONTape
            @usableFromInline var position: Int
            @usableFromInline let end: Int

            @inlinable
            init(tape: JSONTape, position: Int, end: Int) {
                self.tape = tape
                self.position = position
                self.end = end
            }

            /// The next element.
            @inlinable
            public mutating func next() -> JSONNode? {
                guard position < end else { return nil }
                let node = JSONNode(tape: tape, index: position)
                position = Int(tape.entries[position].next)
                return node
            }
        }
    }

    /// An object's members.
    public struct Members: Sequence, Sendable {
        @usableFromInline let tape: JSONTape
        @usableFromInline let start: Int
        @usableFromInline let end: Int

        @inlinable
        init(tape: JSONTape, start: Int, end: Int) {
            self.tape = tape
            self.start = start
            self.end = end
        }

        /// Starts an iteration.
        @inlinable
        public func makeIterator() -> Iterator { Iterator(tape: tape, position: start, end: end) }

        /// Steps from key to key by skipping values.
        public struct Iterator: IteratorProtocol, Sendable {
            @usableFromInline let tape: JSONTape
            @usableFromInline var position: Int
            @usableFromInline let end: Int

            @inlinable
            init(tape: JSONTape, position: Int, end: Int) {
                self.tape = tape
                self.position = position
                self.end = end
            }

            /// The next (key, value) pair.
            @inlinable
            public mutating func next() -> (key: JSONNode, value: JSONNode)? {
                guard position < end else { return nil }
                let key = JSONNode(tape: tape, index: position)
                let value = JSONNode(tape: tape, index: position + 1)
                position = Int(tape.entries[position + 1].next)
                return (key, value)
            }
        }
    }

    // MARK: - Paths

    /// The node at `path`, or nil if some step is missing or has the wrong kind. An absolute
    /// path (`$.a.b`) starts at the document root, a relative one (`a.b`) at this node. A path
    /// with a wildcard matches nothing here; use `matches(_:)` or `forEachMatch(_:_:)`.
    @inlinable
    public func lookup(_ path: JSONPath) -> JSONNode? {
        path.resolve(in: tape, from: path.isAbsolute ? 0 : index).map { JSONNode(tape: tape, index: $0) }
    }

    /// Calls `body` for every node that `path` matches, in document order; `[*]` steps into
    /// every element of an array or every member value of an object.
    public func forEachMatch(_ path: JSONPath, _ body: (JSONNode) throws -> Void) rethrows {
        try visitMatches(path.segments[...], from: path.isAbsolute ? 0 : index, body)
    }

    /// Every node that `path` matches (see `forEachMatch(_:_:)`).
    public func matches(_ path: JSONPath) -> [JSONNode] {
        var result: [JSONNode] = []
        forEachMatch(path) { result.append($0) }
        return result
    }

    private func visitMatches(_ segments: ArraySlice<JSONPath.Segment>, from position: Int,
                              _ body: (JSONNode) throws -> Void) rethrows {
        var position = position
        var rest = segments
        while let segment = rest.first {
            rest = rest.dropFirst()
            switch segment {
            case .key(let key):
                guard let next = key.utf8.withUnsafeBufferPointer({ tape.memberValueIndex(objectIndex: position, key: $0) }) else {
                    return
                }
                position = next
            case .index(let n):
                guard let next = tape.elementIndex(arrayIndex: position, position: n) else { return }
                position = next
            case .wildcard:
                let entry = tape.entries[position]
                let isObject = entry.tapeKind == TapeEntry.object
                guard isObject || entry.tapeKind == TapeEntry.array else { return }
                var child = position + 1
                while child < Int(entry.next) {
                    let value = isObject ? child + 1 : child
                    try visitMatches(rest, from: value, body)
                    child = Int(tape.entries[value].next)
                }
                return
            }
        }
        try body(JSONNode(tape: tape, index: position))
    }

    /// The absolute path from the document root to this node (for an object key, the path of
    /// its member). Found by descending the tape, so it costs a walk; meant for messages.
    public var path: JSONPath {
        var segments: [JSONPath.Segment] = []
        var position = 0
        descend: while position != index {
            let entry = tape.entries[position]
            var child = position + 1
            var n = 0
            if entry.tapeKind == TapeEntry.object {
                while child < Int(entry.next) {
                    let valueEnd = Int(tape.entries[child + 1].next)
                    if index >= child && index < valueEnd {
                        let key = JSONNode(tape: tape, index: child)
                        segments.append(.key(JSONKey(utf8: key.stringBytes ?? [])))
                        if index == child { break descend }
                        position = child + 1
                        continue descend
                    }
                    child = valueEnd
                }
            } else if entry.tapeKind == TapeEntry.array {
                while child < Int(entry.next) {
                    let childEnd = Int(tape.entries[child].next)
                    if index >= child && index < childEnd {
                        segments.append(.index(n))
                        position = child
                        continue descend
                    }
                    child = childEnd
                    n += 1
                }
            }
            break  // not reachable for a node of this document
        }
        return JSONPath(isAbsolute: true, segments: segments)
    }
}

extension JSONTape {
    /// Tape index of the value of the first member of the object at `objectIndex` whose decoded
    /// key equals `key`. Inlinable so that callers in other modules can drop the reference
    /// counting around the nodes they create.
    @inlinable
    func memberValueIndex(objectIndex: Int, key: UnsafeBufferPointer<UInt8>) -> Int? {
        withBytes { p in JSONTape.findMember(entries, p, objectIndex, key) }
    }

    /// The member search over raw pointers. Lengths are compared before bytes, so most keys are
    /// rejected by one integer comparison; keys with escapes are decoded while comparing.
    @inlinable @inline(__always)
    static func findMember(_ entries: UnsafeMutablePointer<TapeEntry>, _ p: UnsafePointer<UInt8>,
                           _ objectIndex: Int, _ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let object = entries[objectIndex]
        guard object.tapeKind == TapeEntry.object else { return nil }
        let end = Int(object.next)
        let keyLength = UInt32(truncatingIfNeeded: key.count)
        var i = objectIndex + 1
        while i < end {
            let candidate = entries[i]
            if candidate.info & TapeEntry.escapesFlag == 0 {
                if candidate.length == keyLength && bytesEqual(p + Int(candidate.start), key.count, key) {
                    return i + 1
                }
            } else if escapedEquals(p, start: Int(candidate.start), end: Int(candidate.start + candidate.length), key) {
                return i + 1
            }
            i = Int(entries[i + 1].next)
        }
        return nil
    }

    /// Tape index of element `position` of the array at `arrayIndex`.
    @inlinable
    func elementIndex(arrayIndex: Int, position: Int) -> Int? {
        let array = entries[arrayIndex]
        guard array.tapeKind == TapeEntry.array, position >= 0 else { return nil }
        let end = Int(array.next)
        var i = arrayIndex + 1
        var n = 0
        while i < end {
            if n == position { return i }
            i = Int(entries[i].next)
            n += 1
        }
        return nil
    }
}

/// The exact value of JSON integer text (validated grammar: optional '-', digits), or nil if it
/// does not fit in `Int64`.
func parseInt64(exactly text: UnsafeBufferPointer<UInt8>) -> Int64? {
    var i = 0
    let negative = text.first == UInt8(ascii: "-")
    if negative { i = 1 }
    guard i < text.count, text.count - i <= 19 else { return nil }
    var magnitude: UInt64 = 0
    while i < text.count {
        let digit = text[i] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        magnitude = magnitude * 10 + UInt64(digit)  // ≤ 19 digits cannot overflow UInt64
        i += 1
    }
    if negative {
        if magnitude <= UInt64(Int64.max) { return -Int64(magnitude) }
        if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
        return nil
    }
    return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
}
