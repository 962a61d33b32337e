// Resolving escapes in string content that the parser has already validated (so every escape
// here is well formed and every \u surrogate is paired). Strings without escapes never come
// here: their bytes are their value.

/// Value of an ASCII hex digit, or 0xFF.
@inline(__always)
func hexDigitValue(_ byte: UInt8) -> UInt8 {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
    default: return 0xFF
    }
}

/// The four hex digits at `p[i..<i+4]` (validated input only).
@inline(__always)
func readHex4(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 {
    (UInt32(hexDigitValue(p[i])) << 12) | (UInt32(hexDigitValue(p[i + 1])) << 8)
        | (UInt32(hexDigitValue(p[i + 2])) << 4) | UInt32(hexDigitValue(p[i + 3]))
}

/// Yields the decoded UTF-8 bytes of validated string content one at a time, so decoded text
/// can be compared with other bytes without allocating.
struct UnescapingIterator: IteratorProtocol {
    let p: UnsafePointer<UInt8>
    var i: Int
    let end: Int
    /// Bytes of an escaped code point still to be yielded, lowest byte first.
    var pending: UInt32 = 0
    var pendingCount = 0

    init(_ p: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.p = p
        self.i = start
        self.end = end
    }

    mutating func next() -> UInt8? {
        if pendingCount > 0 {
            let byte = UInt8(truncatingIfNeeded: pending)
            pending >>= 8
            pendingCount -= 1
            return byte
        }
        guard i < end else { return nil }
        let byte = p[i]
        if byte != UInt8(ascii: "\\") {
            i += 1
            return byte
        }
        let escaped = p[i + 1]
        i += 2
        switch escaped {
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"):
            var scalar = readHex4(p, i)
            i += 4
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                let low = readHex4(p, i + 2)
                i += 6
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            return emit(scalar)
        default: return escaped  // \" \\ \/
        }
    }

    /// Returns the first UTF-8 byte of `scalar` and queues the rest.
    private mutating func emit(_ scalar: UInt32) -> UInt8 {
        if scalar < 0x80 { return UInt8(scalar) }
        if scalar < 0x800 {
            pending = 0x80 | (scalar & 0x3F)
            pendingCount = 1
            return UInt8(0xC0 | (scalar >> 6))
        }
        if scalar < 0x10000 {
            pending = (0x80 | ((scalar >> 6) & 0x3F)) | ((0x80 | (scalar & 0x3F)) << 8)
            pendingCount = 2
            return UInt8(0xE0 | (scalar >> 12))
        }
        pending = (0x80 | ((scalar >> 12) & 0x3F)) | ((0x80 | ((scalar >> 6) & 0x3F)) << 8)
            | ((0x80 | (scalar & 0x3F)) << 16)
        pendingCount = 3
        return UInt8(0xF0 | (scalar >> 18))
    }
}

/// The decoded bytes of validated string content `p[start..<end]`.
func unescapedBytes(_ p: UnsafePointer<UInt8>, start: Int, end: Int) -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(end - start)
    var iterator = UnescapingIterator(p, start: start, end: end)
    while let byte = iterator.next() { result.append(byte) }
    return result
}

/// The decoded text of validated string content.
func decodedString(_ p: UnsafePointer<UInt8>, start: Int, end: Int, hasEscapes: Bool) -> String {
    if !hasEscapes {
        return String(decoding: UnsafeBufferPointer(start: p + start, count: end - start), as: UTF8.self)
    }
    return String(decoding: unescapedBytes(p, start: start, end: end), as: UTF8.self)
}

/// Whether the decoded content `p[start..<end]` equals `other` byte for byte.
@inlinable @inline(__always)
func unescapedEquals(_ p: UnsafePointer<UInt8>, start: Int, end: Int, hasEscapes: Bool,
                     _ other: UnsafeBufferPointer<UInt8>) -> Bool {
    if !hasEscapes {
        return bytesEqual(p + start, end - start, other)
    }
    return escapedEquals(p, start: start, end: end, other)
}

/// `unescapedEquals` for content with escapes: decodes as it compares, without allocating.
@usableFromInline
func escapedEquals(_ p: UnsafePointer<UInt8>, start: Int, end: Int, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
    var iterator = UnescapingIterator(p, start: start, end: end)
    for byte in other {
        guard iterator.next() == byte else { return false }
    }
    return iterator.next() == nil
}

/// Byte-wise equality of `a[0..<count]` and `b`, eight bytes at a time; a shorter rest (most
/// keys are shorter than eight bytes) as two overlapping loads instead of a byte loop.
@inlinable @inline(__always)
func bytesEqual(_ a: UnsafePointer<UInt8>, _ count: Int, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard count == b.count else { return false }
    guard let bp = b.baseAddress else { return true }
    let ra = UnsafeRawPointer(a)
    let rb = UnsafeRawPointer(bp)
    if count >= 8 {
        var i = 0
        while i + 8 <= count {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        // The last eight bytes, overlapping what was compared.
        return i == count || ra.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == rb.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }
    if count >= 4 {
        return ra.loadUnaligned(as: UInt32.self) == rb.loadUnaligned(as: UInt32.self)
            && ra.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self) == rb.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
    }
    if count >= 2 {
        return ra.loadUnaligned(as: UInt16.self) == rb.loadUnaligned(as: UInt16.self)
            && ra.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self) == rb.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self)
    }
    return count == 0 || a[0] == bp[0]
}
