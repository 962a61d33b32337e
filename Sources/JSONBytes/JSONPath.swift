/// A compiled path into a JSON document, parsed once from text such as
/// `$.data.return.items[*].sku`, `$.items[0].quantity`, `$["name with spaces"]`, or the relative
/// `validation.grade` / `[0].sku`.
///
/// Segments: `.name` (ASCII letters, digits, `_`, `-`, or any non-ASCII character),
/// `["any key"]` (JSON string syntax, escapes allowed), `[N]` (a non-negative index), and
/// `[*]` or `.*` (every element or member value; only `matches`/`forEachMatch` expand it).
/// Keys are stored as pre-encoded `JSONKey`s, so lookups compare bytes only.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Segment: Sendable, Hashable {
        /// An object member by decoded key.
        case key(JSONKey)
        /// An array element by position (0-based).
        case index(Int)
        /// Every element of an array or every member value of an object.
        case wildcard
    }

    /// Whether the path starts with `$` (resolved from the document root) rather than at the
    /// node it is applied to.
    public let isAbsolute: Bool
    /// The steps, in order.
    public let segments: [Segment]
    /// `segments` compiled for lookup: trivial records over one buffer of key bytes, so a
    /// lookup touches no reference counts per step.
    @usableFromInline let steps: [Step]
    @usableFromInline let keyBytes: [UInt8]

    /// A compiled segment: a key (`keyLength >= 0`, bytes at `keyStart` in `keyBytes`), an
    /// index (`keyLength == -1`), or a wildcard (`keyLength == -2`).
    @usableFromInline
    struct Step: Sendable {
        @usableFromInline let keyStart: Int
        @usableFromInline let keyLength: Int
        @usableFromInline let index: Int
    }

    /// Creates a path from parts.
    public init(isAbsolute: Bool, segments: [Segment]) {
        self.isAbsolute = isAbsolute
        self.segments = segments
        var steps: [Step] = []
        var keyBytes: [UInt8] = []
        steps.reserveCapacity(segments.count)
        for segment in segments {
            switch segment {
            case .key(let key):
                steps.append(Step(keyStart: keyBytes.count, keyLength: key.utf8.count, index: 0))
                keyBytes.append(contentsOf: key.utf8)
            case .index(let n):
                steps.append(Step(keyStart: 0, keyLength: -1, index: n))
            case .wildcard:
                steps.append(Step(keyStart: 0, keyLength: -2, index: 0))
            }
        }
        self.steps = steps
        self.keyBytes = keyBytes
    }

    /// Same absoluteness and segments.
    public static func == (lhs: JSONPath, rhs: JSONPath) -> Bool {
        lhs.isAbsolute == rhs.isAbsolute && lhs.segments == rhs.segments
    }

    /// Hashes absoluteness and segments.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(isAbsolute)
        hasher.combine(segments)
    }

    /// Tape index reached by following the path from `start`, or nil (also for a wildcard).
    @inlinable
    func resolve(in tape: JSONTape, from start: Int) -> Int? {
        steps.withUnsafeBufferPointer { steps in
            keyBytes.withUnsafeBufferPointer { keys in
                tape.withBytes { p -> Int? in
                    var position = start
                    for step in steps {
                        if step.keyLength >= 0 {
                            let key = UnsafeBufferPointer(rebasing: keys[step.keyStart..<(step.keyStart + step.keyLength)])
                            guard let next = JSONTape.findMember(tape.entries, p, position, key) else { return nil }
                            position = next
                        } else if step.keyLength == -1 {
                            guard let next = tape.elementIndex(arrayIndex: position, position: step.index) else { return nil }
                            position = next
                        } else {
                            return nil
                        }
                    }
                    return position
                }
            }
        }
    }

    /// Parses path text. `$` alone is the root; `@` alone (or `@.a`) is the node itself.
    public init(_ text: String) throws(JSONPathError) {
        let bytes = Array(text.utf8)
        var parser = PathParser(text: text, bytes: bytes)
        let (isAbsolute, segments) = try parser.parse()
        self.init(isAbsolute: isAbsolute, segments: segments)
    }

    /// Whether any segment is a wildcard.
    public var hasWildcard: Bool {
        segments.contains { if case .wildcard = $0 { return true } else { return false } }
    }

    /// This path with one more segment.
    public func appending(_ segment: Segment) -> JSONPath {
        JSONPath(isAbsolute: isAbsolute, segments: segments + [segment])
    }

    /// Canonical text: `$` (or nothing, for a relative path) followed by `.name` for keys that
    /// are ASCII identifiers, `["…"]` (JSON-escaped) for other keys, `[N]` and `[*]`. A relative
    /// path starts with its first name bare (`validation.grade`); an empty relative path is `@`.
    public var description: String {
        var out: [UInt8] = isAbsolute ? [UInt8(ascii: "$")] : []
        for (position, segment) in segments.enumerated() {
            switch segment {
            case .key(let key):
                if JSONPath.isIdentifier(key.utf8) {
                    if position > 0 || isAbsolute { out.append(UInt8(ascii: ".")) }
                    out.append(contentsOf: key.utf8)
                } else {
                    out.append(UInt8(ascii: "["))
                    var writer = JSONWriter()
                    writer.string(utf8: key.utf8)
                    out.append(contentsOf: writer.bytes)
                    out.append(UInt8(ascii: "]"))
                }
            case .index(let n):
                out.append(contentsOf: "[\(n)]".utf8)
            case .wildcard:
                out.append(contentsOf: "[*]".utf8)
            }
        }
        if out.isEmpty { return "@" }
        return String(decoding: out, as: UTF8.self)
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`: keys printed in dot form.
    static func isIdentifier(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// Characters allowed in a `.name` segment.
    static func isNameByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte >= 0x80
    }
}

/// Why path text did not parse, and where.
public struct JSONPathError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path text.
    public var text: String
    /// Byte offset in `text` of the problem.
    public var offset: Int
    /// A short lower-case message.
    public var message: String

    /// Creates an error.
    public init(text: String, offset: Int, message: String) {
        self.text = text
        self.offset = offset
        self.message = message
    }

    /// `invalid path "$.a[": expected ']' at offset 4`.
    public var description: String {
        "invalid path \(quotedForMessage(text)): \(message) at offset \(offset)"
    }
}

private struct PathParser {
    let text: String
    let bytes: [UInt8]
    var i = 0

    init(text: String, bytes: [UInt8]) {
        self.text = text
        self.bytes = bytes
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONPathError {
        JSONPathError(text: text, offset: offset ?? i, message: message)
    }

    mutating func parse() throws(JSONPathError) -> (Bool, [JSONPath.Segment]) {
        guard !bytes.isEmpty else { throw error("empty path") }
        var segments: [JSONPath.Segment] = []
        var isAbsolute = false
        switch bytes[0] {
        case UInt8(ascii: "$"):
            isAbsolute = true
            i = 1
        case UInt8(ascii: "@"):
            i = 1
        case UInt8(ascii: "["):
            break
        case let b where JSONPath.isNameByte(b):
            segments.append(.key(JSONKey(utf8: name())))
        default:
            throw error("expected '$', a name or '['")
        }
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "."):
                i += 1
                if i < bytes.count && bytes[i] == UInt8(ascii: "*") {
                    i += 1
                    segments.append(.wildcard)
                } else if i < bytes.count && JSONPath.isNameByte(bytes[i]) {
                    segments.append(.key(JSONKey(utf8: name())))
                } else {
                    throw error("expected a name after '.'")
                }
            case UInt8(ascii: "["):
                i += 1
                segments.append(try bracket())
            default:
                throw error("expected '.' or '['")
            }
        }
        return (isAbsolute, segments)
    }

    mutating func name() -> [UInt8] {
        let start = i
        while i < bytes.count && JSONPath.isNameByte(bytes[i]) { i += 1 }
        return Array(bytes[start..<i])
    }

    /// After `[`: `"key"]`, `N]` or `*]`.
    mutating func bracket() throws(JSONPathError) -> JSONPath.Segment {
        guard i < bytes.count else { throw error("expected a quoted key, an index or '*' after '['") }
        let segment: JSONPath.Segment
        switch bytes[i] {
        case UInt8(ascii: "*"):
            i += 1
            segment = .wildcard
        case UInt8(ascii: "\""):
            // Find the closing quote, then let the JSON parser validate and decode the string.
            let start = i
            var j = i + 1
            while j < bytes.count && bytes[j] != UInt8(ascii: "\"") {
                j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard j < bytes.count else { throw error("unterminated quoted key", at: start) }
            let quoted = bytes[start...j]
            do {
                let document = try JSONDocument(parsing: quoted)
                segment = .key(JSONKey(utf8: document.root.stringBytes ?? []))
            } catch {
                throw self.error("invalid quoted key: \(error.message)", at: start + error.byteOffset)
            }
            i = j + 1
        case let b where isDigit(b):
            let start = i
            var value = 0
            while i < bytes.count && isDigit(bytes[i]) {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int(bytes[i] - UInt8(ascii: "0")))
                guard !o1 && !o2 else { throw error("index too large", at: start) }
                value = sum
                i += 1
            }
            if bytes[start] == UInt8(ascii: "0") && i - start > 1 { throw error("index has a leading zero", at: start) }
            segment = .index(value)
        default:
            throw error("expected a quoted key, an index or '*' after '['")
        }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "]") else { throw error("expected ']'") }
        i += 1
        return segment
    }
}
