/// Writes JSON into a byte array, inserting commas (and, in pretty style, newlines and
/// indentation) itself. Members come out in the order they are written, so output is
/// deterministic. Misuse (a value in an object without a key, a mismatched end) is a
/// programming error and traps.
///
/// ```swift
/// var w = JSONWriter(style: .pretty)
/// w.beginObject()
/// w.key("amount"); w.rawNumber("29.95")
/// w.key("lines"); w.beginArray(); w.int(2); w.endArray()
/// w.endObject()
/// // {
/// //   "amount": 29.95,
/// //   "lines": [
/// //     2
/// //   ]
/// // }
/// ```
public struct JSONWriter: Sendable {
    /// Layout of the output.
    public enum Style: Sendable, Hashable {
        /// No whitespace at all.
        case compact
        /// Two-space indentation, one member or element per line, `"key": value`, and empty
        /// containers as `{}` / `[]`: for golden files that people diff.
        case pretty
    }

    /// The output so far.
    public var bytes: [UInt8] { output.array }
    private var output: JSONOutputBuffer
    /// The layout.
    public let style: Style
    /// Open containers, innermost last: true for an object.
    private var open = OpenContainers()
    /// The innermost open container is an object, kept apart so a key or value checks one flag.
    private var inObject = false
    /// The current container already holds a value (so the next one needs a comma).
    private var hasValue = false
    /// A key was just written; its value comes next.
    private var afterKey = false
    /// A top-level value is complete; another needs `newline()` first.
    private var topLevelDone = false

    /// Creates a writer whose buffer starts with room for `capacity` bytes.
    public init(style: Style = .compact, reservingCapacity capacity: Int = 256) {
        self.style = style
        self.output = JSONOutputBuffer(capacity: capacity)
    }

    /// Whether every container is closed and a value has been written.
    public var isComplete: Bool { open.isEmpty && topLevelDone }

    /// Ends the current top-level value with `\n`, after which another may follow (JSON Lines).
    public mutating func newline() {
        precondition(open.isEmpty && !afterKey, "JSONWriter: newline() inside a container")
        let out = reserve(1)
        out[0] = 0x0A
        advance(1)
        topLevelDone = false
    }

    /// Empties the buffer (keeping its capacity) and the state.
    /// Hands over the bytes written so far and goes on where it left off (inside the same
    /// containers), so a long document can be streamed out piece by piece.
    public mutating func takeBytes() -> [UInt8] {
        let taken = output.array
        makeUnique()
        output.count = 0
        return taken
    }

    /// Like `takeBytes()`, without the array: `body` sees the bytes written so far, which are
    /// then dropped (the memory is kept for what comes next).
    public mutating func drain<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        makeUnique()
        defer { output.count = 0 }
        return try body(UnsafeBufferPointer(start: output.base, count: output.count))
    }

    /// Number of bytes written (and not yet taken).
    public var count: Int { output.count }

    public mutating func reset() {
        makeUnique()
        output.count = 0
        open = OpenContainers()
        inObject = false
        hasValue = false
        afterKey = false
        topLevelDone = false
    }

    // MARK: - Containers

    /// Starts an object.
    public mutating func beginObject() {
        token(asciiByte: UInt8(ascii: "{"))
        open.push(object: true)
        inObject = true
        hasValue = false
    }

    /// Ends the innermost object.
    public mutating func endObject() {
        precondition(inObject && !afterKey, "JSONWriter: endObject() without an open object, or after a key")
        end(UInt8(ascii: "}"))
    }

    /// Starts an array.
    public mutating func beginArray() {
        token(asciiByte: UInt8(ascii: "["))
        open.push(object: false)
        inObject = false
        hasValue = false
    }

    /// Ends the innermost array.
    public mutating func endArray() {
        precondition(!open.isEmpty && !inObject, "JSONWriter: endArray() without an open array")
        end(UInt8(ascii: "]"))
    }

    private mutating func end(_ bracket: UInt8) {
        inObject = open.pop()
        let depth = style == .pretty && hasValue ? open.depth : -1
        let out = reserve(2 + 2 * max(depth, 0))
        var n = 0
        if depth >= 0 { n = JSONWriter.writeNewlineAndIndent(out, depth: depth) }
        out[n] = bracket
        advance(n + 1)
        afterValue()
    }

    // MARK: - Keys

    /// Writes a member key; its value must come next. (Disfavoured, so that a literal key
    /// takes the `StaticString` overload and no `String` is involved.)
    @_disfavoredOverload
    public mutating func key(_ key: String) {
        var key = key
        key.withUTF8 { self.key(utf8: $0) }
    }

    /// Writes a member key.
    public mutating func key(_ key: StaticString) {
        let bytes = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        guard style == .compact, firstByteNeedingEscape(key.utf8Start, from: 0, count: bytes.count) == bytes.count else {
            self.key(utf8: bytes)
            return
        }
        // A plain literal (every key this package writes): `,"key":` in one go.
        precondition(inObject && !afterKey, "JSONWriter: key() outside an object, or twice")
        let comma = hasValue
        let out = reserve(bytes.count + 4)
        var n = 0
        if comma {
            out[0] = UInt8(ascii: ",")
            n = 1
        }
        out[n] = UInt8(ascii: "\"")
        copyBytes(out + n + 1, bytes.baseAddress!, bytes.count)
        n += bytes.count + 1
        out[n] = UInt8(ascii: "\"")
        out[n + 1] = UInt8(ascii: ":")
        advance(n + 2)
        hasValue = true
        afterKey = true
    }

    /// Writes a member key.
    @_disfavoredOverload
    public mutating func key(_ key: JSONKey) {
        key.utf8.withUnsafeBufferPointer { self.key(utf8: $0) }
    }

    /// Writes a member key given as UTF-8.
    public mutating func key(utf8 key: UnsafeBufferPointer<UInt8>) {
        precondition(inObject && !afterKey, "JSONWriter: key() outside an object, or twice")
        if style == .compact {
            // The common case without the layout arithmetic: `,"key":`.
            let comma = hasValue
            let out = reserve(6 * key.count + 4)
            var n = 0
            if comma {
                out[0] = UInt8(ascii: ",")
                n = 1
            }
            n += JSONWriter.writeEscaped(key, into: out + n)
            out[n] = UInt8(ascii: ":")
            advance(n + 1)
        } else {
            let separator = Separator(comma: hasValue, depth: open.depth)
            let out = reserve(separator.maximumCount + 6 * key.count + 5)
            var n = separator.write(out)
            n += JSONWriter.writeEscaped(key, into: out + n)
            out[n] = UInt8(ascii: ":")
            out[n + 1] = UInt8(ascii: " ")
            advance(n + 2)
        }
        hasValue = true
        afterKey = true
    }

    // MARK: - Scalars

    /// Writes a string, escaping `"`, `\`, and control characters (`\n`, `\t`, … or `\u00XX`);
    /// other characters, including non-ASCII, are written as their UTF-8. (Disfavoured, so
    /// that a literal takes the `StaticString` overload.)
    @_disfavoredOverload
    public mutating func string(_ value: String) {
        value.withContiguousUTF8 { string(utf8: $0) }
    }

    /// Writes a string literal (see `string(_: String)`).
    public mutating func string(_ value: StaticString) {
        string(utf8: UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
    }

    /// Writes a string given as UTF-8 (which must be valid UTF-8).
    public mutating func string(utf8 value: UnsafeBufferPointer<UInt8>) {
        checkValuePosition()
        let separator = self.separator()
        let out = reserve(separator.maximumCount + 6 * value.count + 2)
        let n = separator.write(out)
        advance(n + JSONWriter.writeEscaped(value, into: out + n))
        afterValue()
    }

    /// Writes a string given as UTF-8 (which must be valid UTF-8).
    public mutating func string(utf8 value: [UInt8]) {
        value.withUnsafeBufferPointer { string(utf8: $0) }
    }

    /// Writes number text exactly as given, e.g. `"29.95"`. Traps unless it is a JSON number.
    public mutating func rawNumber(_ text: String) {
        var text = text
        text.withUTF8 { rawNumber(utf8: $0) }
    }

    /// Writes number text given as bytes exactly (see `rawNumber(_:)`).
    public mutating func rawNumber(utf8 text: UnsafeBufferPointer<UInt8>) {
        precondition(isJSONNumber(text), "JSONWriter: rawNumber() needs JSON number text")
        token(text)
    }

    /// Writes number text given as bytes exactly (see `rawNumber(_:)`).
    public mutating func rawNumber(utf8 text: ArraySlice<UInt8>) {
        text.withUnsafeBufferPointer { rawNumber(utf8: $0) }
    }

    /// Writes an integer in decimal.
    public mutating func int(_ value: Int) {
        int(Int64(value))
    }

    /// Writes an integer in decimal.
    public mutating func int(_ value: Int64) {
        checkValuePosition()
        let separator = self.separator()
        let out = reserve(separator.maximumCount + 20)
        var n = separator.write(out)
        if value < 0 {
            out[n] = UInt8(ascii: "-")
            n += 1
        }
        advance(n + JSONWriter.writeDecimal(value.magnitude, into: out + n))
        afterValue()
    }

    /// Writes an unsigned integer in decimal.
    public mutating func uint(_ value: UInt64) {
        checkValuePosition()
        let separator = self.separator()
        let out = reserve(separator.maximumCount + 20)
        let n = separator.write(out)
        advance(n + JSONWriter.writeDecimal(value, into: out + n))
        afterValue()
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        let literal: StaticString = value ? "true" : "false"
        token(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Writes `null`.
    public mutating func null() {
        let literal: StaticString = "null"
        token(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    // MARK: - Composed values

    /// Writes the next value as compact JSON that `body` composes itself (see `CompactJSON`):
    /// one capacity check per piece and no bookkeeping per key, for a hot caller whose output
    /// has a fixed shape. Compact style only; `body` must write exactly one complete value.
    public mutating func compactValue<R>(_ body: (inout CompactJSON) throws -> R) rethrows -> R {
        precondition(style == .compact, "JSONWriter: compactValue() needs the compact style")
        checkValuePosition()
        makeUnique()
        if !afterKey && !open.isEmpty && hasValue {
            output.reserve(1)
            output.base[output.count] = UInt8(ascii: ",")
            output.count += 1
        }
        var composed = CompactJSON(output)
        defer { afterValue() }
        return try body(&composed)
    }

    // MARK: - Copying parsed values

    /// Writes a parsed value (and everything in it) in this writer's style. Numbers keep their
    /// text; strings without escapes are copied as they are, others are decoded and re-escaped.
    /// Walks the tape iteratively, so any depth the parser accepted is fine.
    public mutating func value(_ node: JSONNode) {
        let tape = node.tape
        let end = Int(tape.entries[node.index].next)
        // Open containers, innermost last: where each ends on the tape and, for an object,
        // the tape index of its next key.
        var frames: [CopyFrame] = []
        var i = node.index
        tape.withBytes { p in
            while i < end {
                while let last = frames.last, last.end == i {
                    frames.removeLast()
                    if last.isObject { endObject() } else { endArray() }
                }
                let entry = tape.entries[i]
                if let last = frames.last, last.isObject, last.nextKey == i {
                    writeKey(p, entry)
                    frames[frames.count - 1].nextKey = Int(tape.entries[i + 1].next)
                    i += 1
                    continue
                }
                switch entry.tapeKind {
                case TapeEntry.object:
                    beginObject()
                    frames.append(CopyFrame(end: Int(entry.next), isObject: true, nextKey: i + 1))
                case TapeEntry.array:
                    beginArray()
                    frames.append(CopyFrame(end: Int(entry.next), isObject: false, nextKey: 0))
                case TapeEntry.string:
                    writeString(p, entry)
                case TapeEntry.number:
                    token(UnsafeBufferPointer(start: p + Int(entry.start), count: Int(entry.length)))
                case TapeEntry.trueValue: bool(true)
                case TapeEntry.falseValue: bool(false)
                default: null()
                }
                i += 1
            }
            while let last = frames.popLast() {
                if last.isObject { endObject() } else { endArray() }
            }
        }
    }

    /// The stack of open containers as bits (1 for an object), innermost lowest: pushing and
    /// popping is a shift, not an array append. Levels beyond 64 spill into an array.
    private struct OpenContainers {
        var bits: UInt64 = 0
        var depth = 0
        var spilled: [Bool] = []

        var isEmpty: Bool { depth == 0 }

        @inline(__always)
        mutating func push(object: Bool) {
            if depth >= 64 { spilled.append(bits >> 63 == 1) }
            bits = bits << 1 | (object ? 1 : 0)
            depth += 1
        }

        /// Drops the innermost container; returns whether the one around it is an object.
        @inline(__always)
        mutating func pop() -> Bool {
            depth -= 1
            bits >>= 1
            if depth >= 64, spilled.removeLast() { bits |= 1 << 63 }
            return depth > 0 && bits & 1 == 1
        }
    }

    /// An open container while copying a node (a struct, not a tuple, so no runtime metadata
    /// lookup is needed for the array of them).
    private struct CopyFrame {
        var end: Int
        var isObject: Bool
        var nextKey: Int
    }

    private mutating func writeKey(_ p: UnsafePointer<UInt8>, _ entry: TapeEntry) {
        let content = UnsafeBufferPointer(start: p + Int(entry.start), count: Int(entry.length))
        if entry.hasEscapes {
            let decoded = unescapedBytes(p, start: Int(entry.start), end: Int(entry.start + entry.length))
            decoded.withUnsafeBufferPointer { key(utf8: $0) }
        } else {
            key(utf8: content)
        }
    }

    private mutating func writeString(_ p: UnsafePointer<UInt8>, _ entry: TapeEntry) {
        if entry.hasEscapes {
            let decoded = unescapedBytes(p, start: Int(entry.start), end: Int(entry.start + entry.length))
            decoded.withUnsafeBufferPointer { string(utf8: $0) }
        } else {
            string(utf8: UnsafeBufferPointer(start: p + Int(entry.start), count: Int(entry.length)))
        }
    }

    // MARK: - Plumbing
    //
    // Each token — separator, indentation and the value itself — is written straight into the
    // output after one uniqueness and capacity check for its largest possible size (`reserve`),
    // rather than one check per byte, then counted (`advance`).

    @inline(__always)
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&output) { output = output.copy() }
    }

    @inline(__always)
    private mutating func reserve(_ maximumCount: Int) -> UnsafeMutablePointer<UInt8> {
        makeUnique()
        output.reserve(maximumCount)
        return output.base + output.count
    }

    /// Counts `count` bytes written at the pointer `reserve` returned.
    @inline(__always)
    private mutating func advance(_ count: Int) {
        output.count += count
    }

    /// A value whose bytes need no escaping (numbers, literals) or a one-byte bracket.
    @inline(__always)
    private mutating func token(_ text: UnsafeBufferPointer<UInt8>) {
        checkValuePosition()
        let separator = self.separator()
        let out = reserve(separator.maximumCount + text.count)
        let n = separator.write(out)
        if let base = text.baseAddress { copyBytes(out + n, base, text.count) }
        advance(n + text.count)
        afterValue()
    }

    @inline(__always)
    private mutating func token(asciiByte: UInt8) {
        checkValuePosition()
        let separator = self.separator()
        let out = reserve(separator.maximumCount + 1)
        let n = separator.write(out)
        out[n] = asciiByte
        advance(n + 1)
        afterValue()
    }

    /// Checks that a value may go here, and consumes a pending key.
    @inline(__always)
    private mutating func checkValuePosition() {
        if afterKey { return }
        precondition(!inObject, "JSONWriter: a value inside an object needs a key first")
        if open.isEmpty {
            precondition(!topLevelDone, "JSONWriter: a second top-level value needs newline() first")
        }
    }

    /// What goes before the next key or value: a comma, and in pretty style a line break and
    /// indentation. Worked out before composing, so the composing closure needs no `self`.
    private struct Separator {
        var comma = false
        /// Indentation depth, or -1 for no line break.
        var depth = -1

        var maximumCount: Int { 1 + (depth >= 0 ? 1 + 2 * depth : 0) }

        @inline(__always)
        func write(_ out: UnsafeMutablePointer<UInt8>) -> Int {
            var n = 0
            if comma {
                out[0] = UInt8(ascii: ",")
                n = 1
            }
            if depth >= 0 { n += JSONWriter.writeNewlineAndIndent(out + n, depth: depth) }
            return n
        }
    }

    @inline(__always)
    private func separator() -> Separator {
        if afterKey || open.isEmpty { return Separator() }
        return Separator(comma: hasValue, depth: style == .pretty ? open.depth : -1)
    }

    @inline(__always)
    private static func writeNewlineAndIndent(_ out: UnsafeMutablePointer<UInt8>, depth: Int) -> Int {
        out[0] = 0x0A
        (out + 1).update(repeating: 0x20, count: 2 * depth)
        return 1 + 2 * depth
    }

    /// After any value: the container (or the top level) now holds one.
    @inline(__always)
    private mutating func afterValue() {
        afterKey = false
        hasValue = true
        if open.isEmpty { topLevelDone = true }
    }

    /// Decimal digits without going through `String`: written backwards, then moved forward.
    @inline(__always)
    static func writeDecimal(_ value: UInt64, into out: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 10 {
            out[0] = UInt8(truncatingIfNeeded: value) &+ 0x30
            return 1
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        return withUnsafeMutableBytes(of: &digits) { scratch in
            var i = 24
            var rest = value
            while rest > 0 {
                let (quotient, digit) = rest.quotientAndRemainder(dividingBy: 10)
                i -= 1
                scratch[i] = UInt8(truncatingIfNeeded: digit) &+ 0x30
                rest = quotient
            }
            let count = 24 - i
            UnsafeMutableRawPointer(out).copyMemory(from: scratch.baseAddress! + i, byteCount: count)
            return count
        }
    }

    /// `"…"` with the escapes JSON requires, written to `out` (at most `6 * count + 2` bytes);
    /// runs of plain bytes are found eight at a time and copied in one go.
    @inline(__always)
    static func writeEscaped(_ value: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = UInt8(ascii: "\"")
        var n = 1
        guard let p = value.baseAddress else {
            out[1] = UInt8(ascii: "\"")
            return 2
        }
        let count = value.count
        var runStart = 0
        var i = 0
        while true {
            i = firstByteNeedingEscape(p, from: i, count: count)
            if runStart < i {
                copyBytes(out + n, p + runStart, i - runStart)
                n += i - runStart
            }
            if i == count { break }
            n += JSONWriter.writeEscape(p[i], into: out + n)
            i += 1
            runStart = i
        }
        out[n] = UInt8(ascii: "\"")
        return n + 1
    }

    private static func writeEscape(_ b: UInt8, into out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = UInt8(ascii: "\\")
        switch b {
        case UInt8(ascii: "\""): out[1] = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): out[1] = UInt8(ascii: "\\")
        case 0x0A: out[1] = UInt8(ascii: "n")
        case 0x0D: out[1] = UInt8(ascii: "r")
        case 0x09: out[1] = UInt8(ascii: "t")
        case 0x08: out[1] = UInt8(ascii: "b")
        case 0x0C: out[1] = UInt8(ascii: "f")
        default:
            let hex: StaticString = "0123456789abcdef"
            out[1] = UInt8(ascii: "u")
            out[2] = UInt8(ascii: "0")
            out[3] = UInt8(ascii: "0")
            out[4] = hex.utf8Start[Int(b >> 4)]
            out[5] = hex.utf8Start[Int(b & 15)]
            return 6
        }
        return 2
    }
}

/// Index of the first byte at or after `from` that JSON requires escaping (a quote, a
/// backslash or a control byte), or `count`.
@inline(__always)
func firstByteNeedingEscape(_ p: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
    var i = from
    let raw = UnsafeRawPointer(p)
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    while i + 8 <= count {
        let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        // A flag per byte that is '"', '\\' or below 0x20 (bytes of 0x80 and above never are).
        let found = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- ones &* 0x20)) & ~word & highs
        if found != 0 { return i + found.trailingZeroBitCount >> 3 }
        i += 8
    }
    if i < count {
        // The last few bytes as one word padded with spaces (which never need escaping),
        // loaded four, two and one bytes at a time.
        let rest = count - i
        var word: UInt64 = 0
        var loaded = 0
        if rest & 4 != 0 {
            word = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
            loaded = 4
        }
        if rest & 2 != 0 {
            word |= UInt64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i + loaded, as: UInt16.self))) << (8 * loaded)
            loaded += 2
        }
        if rest & 1 != 0 {
            word |= UInt64(p[i + loaded]) << (8 * loaded)
            loaded += 1
        }
        word |= 0x2020_2020_2020_2020 << (8 * loaded)
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let found = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- ones &* 0x20)) & ~word & highs
        if found != 0 { return i + found.trailingZeroBitCount >> 3 }
    }
    return count
}

/// Copies `count` bytes; short runs (most keys and values) without a call to `memmove`.
@inlinable @inline(__always)
func copyBytes(_ destination: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>, _ count: Int) {
    let to = UnsafeMutableRawPointer(destination)
    let from = UnsafeRawPointer(source)
    if count >= 8 && count <= 16 {
        // Two eight-byte moves that overlap in the middle.
        let head = from.loadUnaligned(as: UInt64.self)
        let tail = from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        to.storeBytes(of: head, as: UInt64.self)
        to.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
    } else if count >= 4 && count < 8 {
        let head = from.loadUnaligned(as: UInt32.self)
        let tail = from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        to.storeBytes(of: head, as: UInt32.self)
        to.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
    } else if count < 4 {
        for i in 0..<count { destination[i] = source[i] }
    } else {
        to.copyMemory(from: from, byteCount: count)
    }
}

/// Whether `text` is exactly one JSON number token.
func isJSONNumber(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = text.count
    var i = 0
    if i < n && text[i] == UInt8(ascii: "-") { i += 1 }
    guard i < n, isDigit(text[i]) else { return false }
    if text[i] == UInt8(ascii: "0") {
        i += 1
    } else {
        while i < n && isDigit(text[i]) { i += 1 }
    }
    if i < n && text[i] == UInt8(ascii: ".") {
        i += 1
        guard i < n, isDigit(text[i]) else { return false }
        while i < n && isDigit(text[i]) { i += 1 }
    }
    if i < n && (text[i] | 0x20) == UInt8(ascii: "e") {
        i += 1
        if i < n && (text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-")) { i += 1 }
        guard i < n, isDigit(text[i]) else { return false }
        while i < n && isDigit(text[i]) { i += 1 }
    }
    return i == n
}
