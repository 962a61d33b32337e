// The strict RFC 8259 parser that fills a tape.
//
// It is iterative: open containers live on an explicit stack (bounded by the depth limit), so no
// input can overflow the thread's stack. All state is in one struct whose methods inline into
// the main loop, so it stays in registers. Errors carry only a kind and an offset; the public
// entry points locate them afterwards (see JSONErrorLocator.swift).

/// Limits and policies for parsing.
public struct JSONParseOptions: Sendable, Hashable {
    /// Deepest allowed nesting of arrays and objects; one more is a `nestingTooDeep` error.
    public var maxDepth: Int
    /// Whether an object may repeat a key. Off by default: an ambiguous money field is
    /// dangerous. When allowed, `JSONNode.member` finds the first occurrence.
    public var allowDuplicateKeys: Bool

    /// Creates options; the defaults are a depth of 256 and no duplicate keys.
    public init(maxDepth: Int = 256, allowDuplicateKeys: Bool = false) {
        self.maxDepth = maxDepth
        self.allowDuplicateKeys = allowDuplicateKeys
    }
}

/// A reusable parser. Parsing many documents through one parser reuses the tape's memory as
/// long as the previous document has been released (checked, never assumed), so a JSON Lines
/// loop allocates nothing per line.
///
/// ```swift
/// var parser = JSONParser()
/// for line in JSONLines(bytes) {
///     let event = try parser.parse(bytes[line.range])
///     …
/// }
/// ```
public struct JSONParser: Sendable {
    /// The options used for every document.
    public var options: JSONParseOptions
    @usableFromInline var tape: JSONTape

    /// Creates a parser.
    public init(options: JSONParseOptions = JSONParseOptions()) {
        self.options = options
        self.tape = JSONTape(capacity: 64)
    }

    /// Parses `bytes` in place (no copy: the document keeps a reference to the slice's storage).
    public mutating func parse(_ bytes: ArraySlice<UInt8>) throws(JSONSyntaxError) -> JSONDocument {
        if !isKnownUniquelyReferenced(&tape) {
            tape = JSONTape(capacity: tape.capacity)
        }
        try parseIntoTape(bytes, tape, options)
        return JSONDocument(tape: tape)
    }

    /// Lets go of the last document's bytes when nobody holds that document any more: its tape
    /// would otherwise keep the input's storage shared until the next parse (a line reader
    /// then copies its whole buffer when it refills it).
    public mutating func releaseInput() {
        if isKnownUniquelyReferenced(&tape) { tape.bytes = [] }
    }

    /// Parses a whole array (no copy).
    public mutating func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONDocument {
        try parse(bytes[...])
    }

    /// Parses caller-owned memory in place, without copying it, and passes the document to
    /// `body`. The document reads that memory directly, so it is valid only inside `body`:
    /// keeping it (or a node of it) afterwards is a programming error and traps, the way
    /// `withoutActuallyEscaping` does. Parse errors are thrown before `body` runs.
    public mutating func withDocument<R>(parsing buffer: UnsafeRawBufferPointer,
                                         _ body: (JSONDocument) throws -> R) throws -> R {
        if !isKnownUniquelyReferenced(&tape) {
            tape = JSONTape(capacity: tape.capacity)
        }
        return try buffer.withMemoryRebound(to: UInt8.self) { bytes in
            try parseIntoTape(external: bytes, tape, options)
            defer {
                // Drop the reference to the caller's memory, and make sure nothing kept it.
                tape.external = nil
                tape.externalCount = 0
                precondition(isKnownUniquelyReferenced(&tape), "JSONParser.withDocument: the document escaped its closure")
            }
            return try body(JSONDocument(tape: tape))
        }
    }
}

/// Parses caller-owned memory into `tape`, which then refers to that memory.
func parseIntoTape(external bytes: UnsafeBufferPointer<UInt8>, _ tape: JSONTape, _ options: JSONParseOptions) throws(JSONSyntaxError) {
    tape.bytes = []
    tape.count = 0
    guard bytes.count < Int(UInt32.max) else {
        throw JSONSyntaxError(kind: .documentTooLarge, byteOffset: 0, line: 1, column: 1, path: "$")
    }
    do {
        try TapeParser.run(bytes, tape, options)
    } catch {
        tape.count = 0
        throw JSONErrorLocator.locate(error, in: bytes)
    }
    tape.external = bytes.baseAddress
    tape.externalCount = bytes.count
}

/// Parses `bytes` into `tape`, turning an internal error into a located `JSONSyntaxError`.
func parseIntoTape(_ bytes: ArraySlice<UInt8>, _ tape: JSONTape, _ options: JSONParseOptions) throws(JSONSyntaxError) {
    tape.bytes = bytes
    tape.external = nil
    tape.count = 0
    guard bytes.count < Int(UInt32.max) else {
        throw JSONSyntaxError(kind: .documentTooLarge, byteOffset: 0, line: 1, column: 1, path: "$")
    }
    let failure: RawSyntaxError? = bytes.withUnsafeBufferPointer { buffer -> RawSyntaxError? in
        do throws(RawSyntaxError) {
            try TapeParser.run(buffer, tape, options)
            return nil
        } catch {
            return error
        }
    }
    if let failure {
        tape.count = 0
        throw bytes.withUnsafeBufferPointer { JSONErrorLocator.locate(failure, in: $0) }
    }
}

@inline(__always)
func isJSONWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
}

@inline(__always)
func isDigit(_ byte: UInt8) -> Bool {
    byte &- UInt8(ascii: "0") < 10
}

/// The parse loop and its state.
struct TapeParser {
    let p: UnsafePointer<UInt8>
    let end: Int
    var pos = 0
    let tape: JSONTape
    var entries: UnsafeMutablePointer<TapeEntry>
    var count = 0
    var capacity: Int
    var frames: UnsafeMutablePointer<ParseFrame>
    var frameCapacity: Int
    /// Number of open containers; `current` is the innermost when it is above zero, and
    /// `frames[0..<depth-1]` hold the ones around it.
    var depth = 0
    var current = ParseFrame(tapeIndex: 0, count: 0, isObject: false, keyFilter: 0)
    let maxDepth: Int
    let checkDuplicates: Bool

    /// Objects with more keys than this are checked for duplicates once, by sorting, when they
    /// close; smaller ones are checked key by key through a 64-bit filter.
    static let eagerDuplicateLimit: UInt32 = 64

    static func run(_ buffer: UnsafeBufferPointer<UInt8>, _ tape: JSONTape, _ options: JSONParseOptions) throws(RawSyntaxError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            throw RawSyntaxError(kind: .unexpectedEndOfInput, offset: 0)
        }
        var parser = TapeParser(p: base, end: buffer.count, tape: tape, entries: tape.entries,
                                capacity: tape.capacity, frames: tape.frames,
                                frameCapacity: tape.frameCapacity, maxDepth: options.maxDepth,
                                checkDuplicates: !options.allowDuplicateKeys)
        try parser.parseDocument()
        tape.count = parser.count
    }

    // MARK: - Main loop

    mutating func parseDocument() throws(RawSyntaxError) {
        pos = skipWhitespace(0)
        value: while true {
            guard pos < end else { throw endOfInput() }
            let c = p[pos]
            switch c {
            case UInt8(ascii: "\""):
                try scanStringValue()
            case UInt8(ascii: "{"):
                try open(isObject: true)
                pos = skipWhitespace(pos)
                guard pos < end else { throw endOfInput() }
                if p[pos] == UInt8(ascii: "}") {
                    try close()
                } else {
                    try scanKeyAndColon()
                    continue value
                }
            case UInt8(ascii: "["):
                try open(isObject: false)
                pos = skipWhitespace(pos)
                guard pos < end else { throw endOfInput() }
                if p[pos] == UInt8(ascii: "]") {
                    try close()
                } else {
                    current.count = 1
                    continue value
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try scanNumber()
            case UInt8(ascii: "t"):
                try scanLiteral(word: 0x6575_7274, length: 4, kind: TapeEntry.trueValue, name: "true")
            case UInt8(ascii: "f"):
                try scanLiteral(word: 0x6573_6c61, length: 5, kind: TapeEntry.falseValue, name: "false")
            case UInt8(ascii: "n"):
                try scanLiteral(word: 0x6c6c_756e, length: 4, kind: TapeEntry.null, name: "null")
            default:
                throw failure(.expectedValue, at: pos)
            }

            // A value is complete: continue the container it is in, closing as many as end here.
            while true {
                pos = skipWhitespace(pos)
                if depth == 0 {
                    guard pos == end else { throw failure(.trailingCharacters, at: pos) }
                    return
                }
                guard pos < end else { throw endOfInput() }
                let c = p[pos]
                if current.isObject {
                    if c == UInt8(ascii: ",") {
                        pos = skipWhitespace(pos + 1)
                        guard pos < end else { throw endOfInput() }
                        if p[pos] == UInt8(ascii: "}") { throw failure(.trailingCommaInObject, at: pos) }
                        try scanKeyAndColon()
                        continue value
                    }
                    guard c == UInt8(ascii: "}") else { throw failure(.expectedCommaOrObjectEnd, at: pos) }
                    try close()
                } else {
                    if c == UInt8(ascii: ",") {
                        pos = skipWhitespace(pos + 1)
                        guard pos < end else { throw endOfInput() }
                        if p[pos] == UInt8(ascii: "]") { throw failure(.trailingCommaInArray, at: pos) }
                        current.count &+= 1
                        continue value
                    }
                    guard c == UInt8(ascii: "]") else { throw failure(.expectedCommaOrArrayEnd, at: pos) }
                    try close()
                }
            }
        }
    }

    // MARK: - Tape and stack

    @inline(__always)
    mutating func append(_ entry: TapeEntry) {
        if count == capacity { growTape() }
        entries[count] = entry
        count &+= 1
    }

    @inline(never)
    mutating func growTape() {
        tape.count = count
        tape.grow(minimumCapacity: count + 1)
        entries = tape.entries
        capacity = tape.capacity
    }

    /// `p[pos]` is `{` or `[`.
    @inline(__always)
    mutating func open(isObject: Bool) throws(RawSyntaxError) {
        guard depth < maxDepth else { throw RawSyntaxError(kind: .nestingTooDeep(limit: maxDepth), offset: pos) }
        if depth > 0 {
            if depth - 1 >= frameCapacity {
                tape.growFrames()
                frames = tape.frames
                frameCapacity = tape.frameCapacity
            }
            frames[depth - 1] = current
        }
        depth += 1
        current = ParseFrame(tapeIndex: count, count: 0, isObject: isObject, keyFilter: 0)
        append(TapeEntry(start: UInt32(truncatingIfNeeded: pos), length: 0, next: 0,
                         info: isObject ? TapeEntry.object : TapeEntry.array))
        pos += 1
    }

    /// `p[pos]` is the closing bracket of `current`.
    @inline(__always)
    mutating func close() throws(RawSyntaxError) {
        let entry = entries + current.tapeIndex
        entry.pointee.next = UInt32(truncatingIfNeeded: count)
        entry.pointee.length = UInt32(truncatingIfNeeded: pos + 1) &- entry.pointee.start
        entry.pointee.info |= min(current.count, TapeEntry.countSaturated) << 8
        if current.isObject && checkDuplicates && current.count > TapeParser.eagerDuplicateLimit {
            try checkDuplicatesBySorting(objectIndex: current.tapeIndex)
        }
        depth -= 1
        if depth > 0 { current = frames[depth - 1] }
        pos += 1
    }

    // MARK: - Tokens

    @inline(__always)
    func skipWhitespace(_ from: Int) -> Int {
        var i = from
        while i < end {
            let b = p[i]
            if b > 0x20 || !isJSONWhitespace(b) { break }
            i += 1
        }
        return i
    }

    @inline(__always)
    mutating func scanStringValue() throws(RawSyntaxError) {
        let contentStart = pos + 1
        let (closing, escapes) = try scanString(contentStart: contentStart)
        append(TapeEntry(start: UInt32(truncatingIfNeeded: contentStart),
                         length: UInt32(truncatingIfNeeded: closing - contentStart),
                         next: UInt32(truncatingIfNeeded: count + 1),
                         info: TapeEntry.string | (escapes ? TapeEntry.escapesFlag : 0)))
        pos = closing + 1
    }

    /// An object key at `pos`, the colon after it, and the whitespace up to the value.
    ///
    /// The usual key (no escape) is hashed for the duplicate filter from the bytes just
    /// scanned, and the usual colon (right after the quote) is taken without a whitespace loop.
    @inline(__always)
    mutating func scanKeyAndColon() throws(RawSyntaxError) {
        guard p[pos] == UInt8(ascii: "\"") else { throw failure(.expectedKey, at: pos) }
        let keyIndex = count
        let contentStart = pos &+ 1
        let (closing, escapes) = try scanString(contentStart: contentStart)
        append(TapeEntry(start: UInt32(truncatingIfNeeded: contentStart),
                         length: UInt32(truncatingIfNeeded: closing &- contentStart),
                         next: UInt32(truncatingIfNeeded: count &+ 1),
                         info: TapeEntry.string | (escapes ? TapeEntry.escapesFlag : 0)))
        current.count &+= 1
        if checkDuplicates && current.count <= TapeParser.eagerDuplicateLimit {
            let hash: UInt32
            if escapes {
                hash = keyHash(entries[keyIndex])
            } else if closing > contentStart {
                hash = mixKeyHash(length: UInt32(truncatingIfNeeded: closing &- contentStart), first: p[contentStart], last: p[closing &- 1])
            } else {
                hash = mixKeyHash(length: 0, first: 0, last: 0)
            }
            let bit: UInt64 = 1 &<< UInt64(hash & 63)
            if current.keyFilter & bit != 0 { try checkDuplicateKey(keyIndex: keyIndex) }
            current.keyFilter |= bit
        }
        var i = closing &+ 1
        if i < end && p[i] == UInt8(ascii: ":") {
            i &+= 1
        } else {
            i = skipWhitespace(i)
            guard i < end else { throw endOfInput() }
            guard p[i] == UInt8(ascii: ":") else { throw failure(.expectedColon, at: i) }
            i &+= 1
        }
        pos = skipWhitespace(i)
    }

    /// Scans string content from `contentStart`; returns the index of the closing quote and
    /// whether any escape occurred. Checks escapes, control characters and UTF-8 as it goes.
    ///
    /// Inline, only the usual string: ASCII without escapes, eight bytes at a time up to its
    /// quote. Anything else (an escape, a control byte, non-ASCII, the last bytes of the input)
    /// continues in `scanStringRest`, kept out of line so the parse loop stays small.
    @inline(__always)
    func scanString(contentStart: Int) throws(RawSyntaxError) -> (closing: Int, escapes: Bool) {
        var i = contentStart
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= end {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let special = TapeParser.specialByteMask(word)
            if special != 0 {
                i &+= special.trailingZeroBitCount &>> 3
                if p[i] == UInt8(ascii: "\"") { return (i, false) }
                break
            }
            i &+= 8
        }
        return try StringScanner(p: p, end: end).rest(from: i, contentStart: contentStart)
    }

    /// Bit 7 of each byte of the result is set for the first byte of `word` (in memory order)
    /// that is '"', '\\', below 0x20 or above 0x7F; later bytes may be flagged spuriously
    /// because of borrows, so only the lowest flag is meaningful.
    @inline(__always)
    static func specialByteMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteZero = (quote &- ones) & ~quote
        let backslashZero = (backslash &- ones) & ~backslash
        let control = (word &- ones &* 0x20) & ~word
        return (quoteZero | backslashZero | control | word) & highs
    }

    @inline(__always)
    mutating func scanNumber() throws(RawSyntaxError) {
        let start = pos
        var i = pos
        var integer = true
        if p[i] == UInt8(ascii: "-") {
            i += 1
            guard i < end else { throw endOfInput() }
            guard isDigit(p[i]) else { throw failure(.expectedDigitAfterMinus, at: i) }
        }
        if p[i] == UInt8(ascii: "0") {
            i += 1
            if i < end && isDigit(p[i]) { throw RawSyntaxError(kind: .leadingZero, offset: start) }
        } else {
            i += 1
            while i < end && isDigit(p[i]) { i += 1 }
        }
        if i < end && p[i] == UInt8(ascii: ".") {
            integer = false
            i += 1
            guard i < end else { throw endOfInput() }
            guard isDigit(p[i]) else { throw failure(.expectedDigitAfterDecimalPoint, at: i) }
            while i < end && isDigit(p[i]) { i += 1 }
        }
        if i < end && (p[i] | 0x20) == UInt8(ascii: "e") {
            integer = false
            i += 1
            guard i < end else { throw endOfInput() }
            if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
                i += 1
                guard i < end else { throw endOfInput() }
            }
            guard isDigit(p[i]) else { throw failure(.expectedDigitInExponent, at: i) }
            while i < end && isDigit(p[i]) { i += 1 }
        }
        append(TapeEntry(start: UInt32(truncatingIfNeeded: start), length: UInt32(truncatingIfNeeded: i - start),
                         next: UInt32(truncatingIfNeeded: count + 1),
                         info: TapeEntry.number | (integer ? TapeEntry.integerFlag : 0)))
        pos = i
    }

    /// `true`, `false` or `null` at `pos`. `word` is the literal's bytes after its first for
    /// `false` ("alse") and its first four otherwise, as a little-endian 32-bit load.
    @inline(__always)
    mutating func scanLiteral(word: UInt32, length: Int, kind: UInt32, name: StaticString) throws(RawSyntaxError) {
        if pos + length <= end {
            let loaded = UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(fromByteOffset: pos + length - 4, as: UInt32.self))
            if loaded == word {
                append(TapeEntry(start: UInt32(truncatingIfNeeded: pos), length: UInt32(length),
                                 next: UInt32(truncatingIfNeeded: count + 1), info: kind))
                pos += length
                return
            }
        }
        // Not the literal: a prefix of it cut by the end of input, or a wrong byte.
        var k = 0
        let expected = name.utf8Start
        while k < length {
            guard pos + k < end else { throw endOfInput() }
            guard p[pos + k] == expected[k] else {
                throw RawSyntaxError(kind: .invalidLiteral(expected: name.description), offset: pos)
            }
            k += 1
        }
        throw RawSyntaxError(kind: .invalidLiteral(expected: name.description), offset: pos)
    }

    // MARK: - Errors

    @inline(never)
    func endOfInput() -> RawSyntaxError {
        RawSyntaxError(kind: .unexpectedEndOfInput, offset: end)
    }

    /// An error at `offset`, unless the byte there is invalid UTF-8, which is reported as such.
    @inline(never)
    func failure(_ kind: JSONSyntaxError.Kind, at offset: Int) -> RawSyntaxError {
        if offset < end && p[offset] >= 0x80 && validUTF8SequenceLength(p, offset, end) == 0 {
            return RawSyntaxError(kind: classifyUTF8Error(p, offset, end).kind, offset: offset)
        }
        return RawSyntaxError(kind: kind, offset: offset)
    }

    // MARK: - Duplicate keys

    /// Checks the key just appended at `keyIndex` against the earlier keys of `current`; called
    /// only when the object's 64-bit filter says a key with the same hash has been seen (see
    /// `scanKeyAndColon`).
    @inline(never)
    func checkDuplicateKey(keyIndex: Int) throws(RawSyntaxError) {
        let key = entries[keyIndex]
        var j = current.tapeIndex + 1
        while j < keyIndex {
            if keysEqual(entries[j], key) { throw duplicateKeyError(key) }
            j = Int(entries[j + 1].next)
        }
    }

    /// A hash of the decoded key from its length and its first and last bytes.
    @inline(__always)
    func keyHash(_ key: TapeEntry) -> UInt32 {
        if key.hasEscapes {
            let decoded = unescapedBytes(p, start: Int(key.start), end: Int(key.start + key.length))
            return mixKeyHash(length: UInt32(decoded.count), first: decoded.first ?? 0, last: decoded.last ?? 0)
        }
        let length = key.length
        guard length > 0 else { return mixKeyHash(length: 0, first: 0, last: 0) }
        return mixKeyHash(length: length, first: p[Int(key.start)], last: p[Int(key.start + length - 1)])
    }

    @inline(__always)
    func mixKeyHash(length: UInt32, first: UInt8, last: UInt8) -> UInt32 {
        let h = (length &* 0x9E37_79B1) ^ (UInt32(first) &* 0x85EB_CA6B) ^ (UInt32(last) &* 0xC2B2_AE35)
        return (h ^ (h >> 15)) &* 0x2C1B_3C6D >> 26
    }

    func keysEqual(_ a: TapeEntry, _ b: TapeEntry) -> Bool {
        if !a.hasEscapes && !b.hasEscapes {
            return a.length == b.length
                && bytesEqual(p + Int(a.start), Int(a.length), UnsafeBufferPointer(start: p + Int(b.start), count: Int(b.length)))
        }
        return unescapedBytes(p, start: Int(a.start), end: Int(a.start + a.length))
            == unescapedBytes(p, start: Int(b.start), end: Int(b.start + b.length))
    }

    func duplicateKeyError(_ key: TapeEntry) -> RawSyntaxError {
        let text = decodedString(p, start: Int(key.start), end: Int(key.start + key.length), hasEscapes: key.hasEscapes)
        return RawSyntaxError(kind: .duplicateKey(text), offset: Int(key.start) - 1)
    }

    /// Duplicate check for a large object: sort its keys by decoded bytes and compare
    /// neighbours. Reports the earliest key that repeats an earlier one.
    mutating func checkDuplicatesBySorting(objectIndex: Int) throws(RawSyntaxError) {
        var keys: [(bytes: [UInt8], index: Int)] = []
        var j = objectIndex + 1
        let stop = Int(entries[objectIndex].next)
        while j < stop {
            let key = entries[j]
            keys.append((unescapedBytes(p, start: Int(key.start), end: Int(key.start + key.length)), j))
            j = Int(entries[j + 1].next)
        }
        keys.sort { a, b in
            if a.bytes != b.bytes { return a.bytes.lexicographicallyPrecedes(b.bytes) }
            return a.index < b.index
        }
        var earliest: Int? = nil
        for k in keys.indices.dropFirst() where keys[k].bytes == keys[k - 1].bytes {
            earliest = min(earliest ?? Int.max, keys[k].index)
        }
        if let earliest { throw duplicateKeyError(entries[earliest]) }
    }
}

/// The general string scan (escapes, control bytes, UTF-8, the end of input), out of the parse
/// loop's way: see `TapeParser.scanString`.
struct StringScanner {
    let p: UnsafePointer<UInt8>
    let end: Int

    /// `TapeParser.scanString` from `from` on, byte by byte where needed. A method of this
    /// small value, so the call passes two registers rather than a copy of the parser.
    @inline(never)
    func rest(from: Int, contentStart: Int) throws(RawSyntaxError) -> (closing: Int, escapes: Bool) {
        var i = from
        var escapes = false
        let raw = UnsafeRawPointer(p)
        while true {
            // Eight bytes at a time until one of them is '"', '\\', a control byte or non-ASCII.
            while i + 8 <= end {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let special = TapeParser.specialByteMask(word)
                if special != 0 {
                    i += special.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            guard i < end else { throw RawSyntaxError(kind: .unterminatedString, offset: contentStart - 1) }
            let b = p[i]
            if b == UInt8(ascii: "\"") { return (i, escapes) }
            if b == UInt8(ascii: "\\") {
                escapes = true
                i = try scanEscape(at: i, quote: contentStart - 1)
            } else if b < 0x20 {
                throw RawSyntaxError(kind: .controlCharacterInString(b), offset: i)
            } else if b >= 0x80 {
                let length = validUTF8SequenceLength(p, i, end)
                if length == 0 {
                    let (kind, cutByEnd) = classifyUTF8Error(p, i, end)
                    if cutByEnd { throw RawSyntaxError(kind: .unterminatedString, offset: contentStart - 1) }
                    throw RawSyntaxError(kind: kind, offset: i)
                }
                i += length
            } else {
                i += 1
            }
        }
    }

    /// `p[i]` is a backslash; returns the index after the escape.
    @inline(__always)
    func scanEscape(at i: Int, quote: Int) throws(RawSyntaxError) -> Int {
        guard i + 1 < end else { throw RawSyntaxError(kind: .unterminatedString, offset: quote) }
        switch p[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return i + 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: i + 2, escapeStart: i, quote: quote)
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw RawSyntaxError(kind: .unpairedSurrogate(UInt16(unit)), offset: i)
            }
            guard unit >= 0xD800 && unit <= 0xDBFF else { return i + 6 }
            // A high surrogate must be followed at once by an escaped low surrogate.
            guard i + 7 < end, p[i + 6] == UInt8(ascii: "\\"), p[i + 7] == UInt8(ascii: "u") else {
                if i + 6 >= end || (i + 7 >= end && p[i + 6] == UInt8(ascii: "\\")) {
                    throw RawSyntaxError(kind: .unterminatedString, offset: quote)
                }
                throw RawSyntaxError(kind: .unpairedSurrogate(UInt16(unit)), offset: i)
            }
            let low = try hex4(at: i + 8, escapeStart: i + 6, quote: quote)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                throw RawSyntaxError(kind: .unpairedSurrogate(UInt16(unit)), offset: i)
            }
            return i + 12
        default:
            let escaped = p[i + 1]
            if escaped >= 0x80 && validUTF8SequenceLength(p, i + 1, end) == 0 {
                throw RawSyntaxError(kind: classifyUTF8Error(p, i + 1, end).kind, offset: i + 1)
            }
            throw RawSyntaxError(kind: .invalidEscape(escaped), offset: i)
        }
    }

    @inline(__always)
    func hex4(at i: Int, escapeStart: Int, quote: Int) throws(RawSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            guard i + k < end else { throw RawSyntaxError(kind: .unterminatedString, offset: quote) }
            let digit = hexDigitValue(p[i + k])
            guard digit != 0xFF else { throw RawSyntaxError(kind: .invalidUnicodeEscape, offset: escapeStart) }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
