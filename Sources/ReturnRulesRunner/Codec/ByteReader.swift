import Checksums

/// A malformed encoding: a field runs past its record, or holds a value it cannot hold. Inside
/// a record whose checksum matched this means a bug or a foreign file, never a torn write.
public struct DecodeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads what `ByteWriter` wrote, with bounds checks on every field.
public struct ByteReader {
    let base: UnsafePointer<UInt8>
    public let count: Int
    public private(set) var position: Int

    /// Reads `buffer`; the buffer must outlive the reader.
    public init(_ buffer: UnsafeRawBufferPointer) {
        base = buffer.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(bitPattern: 1)!
        count = buffer.count
        position = 0
    }

    public var isAtEnd: Bool { position >= count }
    public var remaining: Int { count - position }

    @inline(__always)
    public mutating func u8() throws(DecodeError) -> UInt8 {
        guard position < count else { throw DecodeError("unexpected end of record at byte \(position)") }
        let value = base[position]
        position += 1
        return value
    }

    public mutating func bool() throws(DecodeError) -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        case let other: throw DecodeError("invalid boolean \(other) at byte \(position - 1)")
        }
    }

    public mutating func u32() throws(DecodeError) -> UInt32 {
        guard remaining >= 4 else { throw DecodeError("unexpected end of record at byte \(position)") }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(base[position + index]) << (8 * UInt32(index)) }
        position += 4
        return value
    }

    public mutating func u64() throws(DecodeError) -> UInt64 {
        guard remaining >= 8 else { throw DecodeError("unexpected end of record at byte \(position)") }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(base[position + index]) << (8 * UInt64(index)) }
        position += 8
        return value
    }

    @inline(__always)
    public mutating func varint() throws(DecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < count else { throw DecodeError("unexpected end of record in a number at byte \(position)") }
            let byte = base[position]
            position += 1
            if shift == 63, byte > 1 { throw DecodeError("number too large at byte \(position - 1)") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw DecodeError("number too long at byte \(position - 1)") }
        }
    }

    /// A count or length: bounded by what is left, so a damaged field cannot allocate wildly.
    public mutating func count(limit: Int? = nil) throws(DecodeError) -> Int {
        let value = try varint()
        guard value <= UInt64(limit ?? remaining) else { throw DecodeError("count \(value) larger than the record at byte \(position)") }
        return Int(value)
    }

    public mutating func int() throws(DecodeError) -> Int {
        let value = try varint()
        guard value <= UInt64(Int.max) else { throw DecodeError("number out of range at byte \(position)") }
        return Int(value)
    }

    public mutating func zigzag() throws(DecodeError) -> Int64 {
        let value = try varint()
        return Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    public mutating func zigzagInt() throws(DecodeError) -> Int { Int(try zigzag()) }

    public mutating func optionalInt() throws(DecodeError) -> Int? {
        try bool() ? try zigzagInt() : nil
    }

    public mutating func string() throws(DecodeError) -> String {
        let length = try count()
        let text = String(decoding: UnsafeBufferPointer(start: base + position, count: length), as: UTF8.self)
        position += length
        return text
    }

    public mutating func optionalString() throws(DecodeError) -> String? {
        try bool() ? try string() : nil
    }

    public mutating func blob() throws(DecodeError) -> [UInt8] {
        let length = try count()
        let bytes = Array(UnsafeBufferPointer(start: base + position, count: length))
        position += length
        return bytes
    }

    /// Skips a length-prefixed blob, returning its range in the buffer.
    public mutating func skipBlob() throws(DecodeError) -> Range<Int> {
        let length = try count()
        let start = position
        position += length
        return start..<position
    }

    public mutating func digest() throws(DecodeError) -> SHA256Digest {
        guard remaining >= 32 else { throw DecodeError("unexpected end of record in a digest at byte \(position)") }
        let digest = DigestBytes.make(base + position)
        position += 32
        return digest
    }

    public mutating func optionalDigest() throws(DecodeError) -> SHA256Digest? {
        try bool() ? try digest() : nil
    }

    public mutating func strings() throws(DecodeError) -> [String] {
        let n = try count()
        var values: [String] = []
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try string()) }
        return values
    }
}

/// Builds digests from 32 bytes without the generic initialiser (slow in debug builds, and
/// replay builds one per remembered event): the digest is four big-endian 64-bit words. The
/// fast path checks itself against the public initialiser once and is used only if they agree.
enum DigestBytes {
    static let fastPathAgrees: Bool = {
        let sample = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        guard MemoryLayout<SHA256Digest>.size == 32, let slow = SHA256Digest(bytes: sample) else { return false }
        return sample.withUnsafeBufferPointer { fast($0.baseAddress!) } == slow
    }()

    @inline(__always)
    static func word(_ p: UnsafePointer<UInt8>, _ at: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<8 { value = value << 8 | UInt64(p[at + index]) }
        return value
    }

    static func fast(_ p: UnsafePointer<UInt8>) -> SHA256Digest {
        unsafeBitCast((word(p, 0), word(p, 8), word(p, 16), word(p, 24)), to: SHA256Digest.self)
    }

    static func make(_ p: UnsafePointer<UInt8>) -> SHA256Digest {
        fastPathAgrees ? fast(p) : SHA256Digest(bytes: UnsafeBufferPointer(start: p, count: 32))!
    }
}
