/// The non-blank lines of a JSON Lines buffer (a whole file in memory, or a chunk of one).
///
/// Lines end at `\n`; a `\r` before it is dropped, so `\r\n` files work. A last line without a
/// newline is still yielded (if it was cut short, parsing it fails with its line number).
/// Lines holding only spaces, tabs and `\r` are skipped but still counted. Ranges index the
/// buffer given, so `bytes[line.range]` parses in place:
///
/// ```swift
/// var parser = JSONParser()
/// for line in JSONLines(bytes) {
///     do { let event = try parser.parse(bytes[line.range]); … }
///     catch { report(error.relocated(toLine: line.number, lineStart: line.range.lowerBound)) }
/// }
/// ```
public struct JSONLines: Sequence, Sendable {
    /// One line: its 1-based number and the range of its bytes (terminator excluded).
    public struct Line: Sendable, Hashable {
        /// 1-based line number (counting blank lines).
        public var number: Int
        /// Indices into the buffer that was split, without `\n` or `\r\n`.
        public var range: Range<Int>

        /// Creates a line.
        public init(number: Int, range: Range<Int>) {
            self.number = number
            self.range = range
        }
    }

    /// The buffer being split.
    public let bytes: ArraySlice<UInt8>
    /// Number given to the buffer's first line.
    public let firstLineNumber: Int

    /// Splits `bytes`; its first line is numbered `firstLineNumber`.
    public init(_ bytes: ArraySlice<UInt8>, firstLineNumber: Int = 1) {
        self.bytes = bytes
        self.firstLineNumber = firstLineNumber
    }

    /// Splits a whole array.
    public init(_ bytes: [UInt8], firstLineNumber: Int = 1) {
        self.init(bytes[...], firstLineNumber: firstLineNumber)
    }

    /// Starts an iteration.
    public func makeIterator() -> Iterator {
        Iterator(bytes: bytes, lineNumber: firstLineNumber)
    }

    /// Finds one newline per step with `memchr`.
    public struct Iterator: IteratorProtocol, Sendable {
        let bytes: ArraySlice<UInt8>
        var position: Int
        var lineNumber: Int

        init(bytes: ArraySlice<UInt8>, lineNumber: Int) {
            self.bytes = bytes
            self.position = bytes.startIndex
            self.lineNumber = lineNumber
        }

        /// The next non-blank line.
        public mutating func next() -> Line? {
            let base = bytes.startIndex
            let limit = bytes.endIndex
            return bytes.withUnsafeBufferPointer { buffer -> Line? in
                guard let p = buffer.baseAddress else { return nil }
                // Work in buffer-relative offsets, report slice indices.
                var start = position - base
                let end = limit - base
                while start < end {
                    let newline = firstIndex(of: 0x0A, in: p, from: start, to: end)
                    let lineEnd = newline ?? end
                    var contentEnd = lineEnd
                    if contentEnd > start && p[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                    let number = lineNumber
                    lineNumber += 1
                    let lineStart = start
                    start = newline.map { $0 + 1 } ?? end
                    position = base + start
                    if !isBlank(p, from: lineStart, to: contentEnd) {
                        return Line(number: number, range: (base + lineStart)..<(base + contentEnd))
                    }
                }
                position = limit
                return nil
            }
        }
    }
}
