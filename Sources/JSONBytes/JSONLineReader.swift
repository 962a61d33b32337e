// Streaming JSON Lines: read large blocks, hand out complete lines in place.
//
// The buffer holds at most one partial line plus one block. When a block is used up, the
// partial line at its end (if any) moves to the front and the next block is read after it, so
// each byte is moved at most once and scanned for '\n' once: no quadratic copying on long lines.
// A line longer than the buffer doubles it, so memory is bounded by the longest line (times
// two) or the block size, whichever is larger — never by the file size.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads a stream (a file descriptor, a `FileHandle`, or any read function) and yields its
/// non-blank lines with 1-based numbers, handling `\n` and `\r\n` like `JSONLines`.
///
/// ```swift
/// var reader = JSONLineReader(fileDescriptor: fd)
/// var parser = JSONParser()
/// while let line = try reader.next() {
///     let event = try parser.parse(line.bytes)
///     …
/// }
/// ```
/// A yielded `bytes` slice shares the reader's buffer. Keeping it (or a document parsed from
/// it) past the following `next()` is safe but makes the reader copy its buffer once.
public struct JSONLineReader {
    /// One line of the stream.
    public struct Line: Sendable {
        /// 1-based line number (counting blank lines).
        public var number: Int
        /// Offset of the line's first byte from the start of the stream.
        public var byteOffset: Int
        /// The line without its `\n` or `\r\n`.
        public var bytes: ArraySlice<UInt8>
    }

    /// A failed `read(2)`.
    public struct ReadError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The `errno` value.
        public var code: Int32
        /// `read failed: errno 9`.
        public var description: String { "read failed: errno \(code)" }
    }

    private let read: (UnsafeMutableRawBufferPointer) throws -> Int
    private let blockSize: Int
    private var buffer: [UInt8]
    /// Start of the first line not yet yielded.
    private var lineStart = 0
    /// Where the '\n' search resumes (bytes before it, from lineStart, hold no '\n').
    private var scanFrom = 0
    /// End of the bytes read so far.
    private var dataEnd = 0
    /// Stream offset of `buffer[0]`.
    private var bufferOffset = 0
    private var lineNumber = 1
    private var atEndOfStream = false

    /// Reads with `read`, which fills a prefix of the buffer it is given and returns how many
    /// bytes it wrote (0 at the end of the stream). `blockSize` is the read size, and the
    /// buffer's starting size.
    public init(blockSize: Int = 1 << 20, read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.blockSize = max(blockSize, 1)
        self.read = read
        self.buffer = [UInt8](repeating: 0, count: self.blockSize)
    }

    /// Reads from an open file descriptor (not closed by the reader).
    public init(fileDescriptor: Int32, blockSize: Int = 1 << 20) {
        self.init(blockSize: blockSize) { destination in try readRetrying(fileDescriptor, into: destination) }
    }

    /// Reads from a file handle's descriptor. The reader keeps the handle alive for as long as
    /// it exists: a handle closes its descriptor when it is freed, so a caller that kept only
    /// the reader would otherwise read a closed (or reused) descriptor.
    public init(fileHandle: FileHandle, blockSize: Int = 1 << 20) {
        let fileDescriptor = fileHandle.fileDescriptor
        self.init(blockSize: blockSize) { destination in
            try withExtendedLifetime(fileHandle) { try readRetrying(fileDescriptor, into: destination) }
        }
    }

    /// Reads the bytes of an in-memory buffer, `blockSize` at a time (for tests and pipes
    /// already drained).
    public init(bytes: [UInt8], blockSize: Int = 1 << 20) {
        var offset = 0
        self.init(blockSize: blockSize) { destination in
            let n = min(destination.count, bytes.count - offset)
            if n > 0 {
                bytes.withUnsafeBytes { source in
                    destination.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: n)
                }
            }
            offset += n
            return n
        }
    }

    /// The buffer's current size (for checking that memory stays bounded).
    public var bufferCapacity: Int { buffer.count }

    /// The next non-blank line, or nil at the end of the stream.
    public mutating func next() throws -> Line? {
        while true {
            let found = buffer.withUnsafeBufferPointer { b in
                firstIndex(of: 0x0A, in: b.baseAddress!, from: scanFrom, to: dataEnd)
            }
            if let newline = found {
                if let line = takeLine(endingAt: newline, next: newline + 1) { return line }
                continue
            }
            scanFrom = dataEnd
            if atEndOfStream {
                guard lineStart < dataEnd else { return nil }
                if let line = takeLine(endingAt: dataEnd, next: dataEnd) { return line }
                continue
            }
            try refill()
        }
    }

    /// Calls `body` for every remaining line.
    public mutating func forEachLine(_ body: (Line) throws -> Void) throws {
        while let line = try next() { try body(line) }
    }

    /// Consumes the line `buffer[lineStart..<end]`; nil if it is blank.
    private mutating func takeLine(endingAt end: Int, next: Int) -> Line? {
        let start = lineStart
        var contentEnd = end
        if contentEnd > start && buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        let number = lineNumber
        lineNumber += 1
        lineStart = next
        scanFrom = next
        let blank = buffer.withUnsafeBufferPointer { isBlank($0.baseAddress!, from: start, to: contentEnd) }
        if blank { return nil }
        return Line(number: number, byteOffset: bufferOffset + start, bytes: buffer[start..<contentEnd])
    }

    /// Moves the partial line to the front, grows the buffer if the line fills it, and reads.
    private mutating func refill() throws {
        if lineStart > 0 {
            let keep = dataEnd - lineStart
            let from = lineStart
            buffer.withUnsafeMutableBytes { raw in
                let base = raw.baseAddress!
                base.copyMemory(from: base + from, byteCount: keep)
            }
            bufferOffset += lineStart
            scanFrom -= lineStart
            dataEnd = keep
            lineStart = 0
        }
        if dataEnd == buffer.count {
            buffer.append(contentsOf: repeatElement(0, count: max(buffer.count, blockSize)))
        }
        let count = min(buffer.count - dataEnd, max(blockSize, 1))
        let start = dataEnd
        let n = try buffer.withUnsafeMutableBytes { raw in
            try read(UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + count)]))
        }
        if n == 0 {
            atEndOfStream = true
        } else {
            dataEnd += n
        }
    }
}

/// `read(2)` into `destination`, again after EINTR.
private func readRetrying(_ fd: Int32, into destination: UnsafeMutableRawBufferPointer) throws -> Int {
    while true {
        let n = systemRead(fd, destination.baseAddress, destination.count)
        if n >= 0 { return n }
        if errno == EINTR { continue }
        throw JSONLineReader.ReadError(code: errno)
    }
}

/// `read(2)` under a name that does not clash with the reader's stored `read` closure.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #elseif canImport(Musl)
    return Musl.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}
