import Checksums

/// Appends the journal's binary encoding to a byte buffer: little-endian fixed-width integers,
/// LEB128 variable-length unsigned integers, zig-zag signed integers, and length-prefixed bytes
/// and strings. Compact and fast to read back, which is what restart time depends on.
public struct ByteWriter: Sendable {
    public var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }

    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    @inline(__always)
    public mutating func u8(_ value: UInt8) { bytes.append(value) }

    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func u32(_ value: UInt32) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
    }

    public mutating func u64(_ value: UInt64) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
    }

    /// LEB128: seven bits per byte, high bit set on all but the last.
    @inline(__always)
    public mutating func varint(_ value: UInt64) {
        if value < 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value))
            return
        }
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func varint(_ value: Int) {
        precondition(value >= 0, "varint of a negative value")
        varint(UInt64(value))
    }

    /// Zig-zag: small magnitudes of either sign stay short.
    public mutating func zigzag(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func zigzag(_ value: Int) { zigzag(Int64(value)) }

    public mutating func optionalInt(_ value: Int?) {
        if let value {
            u8(1)
            zigzag(value)
        } else {
            u8(0)
        }
    }

    public mutating func string(_ value: String) {
        // Native strings lend their UTF-8 in place; only others are copied first.
        let lent: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            varint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
        if lent != nil { return }
        var value = value
        value.withUTF8 { utf8 in
            varint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func optionalString(_ value: String?) {
        if let value {
            u8(1)
            string(value)
        } else {
            u8(0)
        }
    }

    public mutating func blob<C: Collection>(_ value: C) where C.Element == UInt8 {
        varint(value.count)
        bytes.append(contentsOf: value)
    }

    public mutating func raw<C: Collection>(_ value: C) where C.Element == UInt8 {
        bytes.append(contentsOf: value)
    }

    public mutating func digest(_ value: SHA256Digest) {
        value.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    public mutating func optionalDigest(_ value: SHA256Digest?) {
        if let value {
            u8(1)
            digest(value)
        } else {
            u8(0)
        }
    }

    public mutating func strings(_ values: [String]) {
        varint(values.count)
        for value in values { string(value) }
    }

    /// Overwrites four bytes at `offset` (little endian), for length fields written after the fact.
    public mutating func patchU32(_ value: UInt32, at offset: Int) {
        bytes[offset] = UInt8(truncatingIfNeeded: value)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[offset + 2] = UInt8(truncatingIfNeeded: value >> 16)
        bytes[offset + 3] = UInt8(truncatingIfNeeded: value >> 24)
    }
}
