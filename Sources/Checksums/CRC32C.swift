/// CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, initial value and final XOR
/// 0xFFFFFFFF — the checksum of iSCSI (RFC 3720), ext4, Btrfs and many log formats.
///
/// Software slicing-by-8: eight 256-entry tables, built once, consume eight bytes per step.
///
/// ```swift
/// CRC32C.checksum("123456789")   // 0xE3069283
/// var crc = CRC32C()
/// crc.update("1234"); crc.update("56789")
/// crc.finalize()                 // 0xE3069283
/// ```
public struct CRC32C: Sendable, Hashable {
    /// The running register: the complement of the checksum of the bytes so far.
    private var register: UInt32

    /// The reflected CRC-32C generator polynomial.
    public static let polynomial: UInt32 = 0x82F6_3B78

    /// Starts the checksum of the empty message.
    public init() {
        register = 0xFFFF_FFFF
    }

    /// Continues from a checksum already computed over a prefix: after
    /// `CRC32C(continuingFrom: CRC32C.checksum(a))`, updating with `b` gives the checksum of `a + b`.
    public init(continuingFrom checksum: UInt32) {
        register = ~checksum
    }

    /// Feeds bytes to the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        register = Self.tables.withUnsafeBufferPointer { tables in
            Self.advance(register, base, bytes.count, tables.baseAddress!)
        }
    }

    /// Feeds the bytes of an array to the checksum.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds the UTF-8 encoding of a string to the checksum.
    public mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Feeds any sequence of bytes. Contiguous collections are read in place; other sequences
    /// byte by byte.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done != nil { return }
        var crc = register
        Self.tables.withUnsafeBufferPointer { tables in
            let t0 = tables.baseAddress!
            for byte in bytes {
                crc = t0[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8)
            }
        }
        register = crc
    }

    /// The checksum of everything fed so far. Does not change `self`: more bytes may follow.
    public func finalize() -> UInt32 {
        ~register
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32C()
        crc.update(bytes)
        return crc.finalize()
    }

    /// The CRC-32C of the bytes of an array.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc = CRC32C()
        crc.update(bytes)
        return crc.finalize()
    }

    /// The CRC-32C of the UTF-8 encoding of `string`.
    public static func checksum(_ string: String) -> UInt32 {
        var crc = CRC32C()
        crc.update(string)
        return crc.finalize()
    }

    /// The CRC-32C of any sequence of bytes.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32C()
        crc.update(bytes)
        return crc.finalize()
    }

    // MARK: - Slicing-by-8

    /// Eight tables of 256 entries, flattened: entry `n` of table `k` is at `k * 256 + n`.
    /// Table 0 is the classic byte-at-a-time table; table `k` advances a byte through `k` more
    /// zero bytes.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var crc = UInt32(n)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1
            }
            tables[n] = crc
        }
        for k in 1..<8 {
            for n in 0..<256 {
                let previous = tables[(k - 1) * 256 + n]
                tables[k * 256 + n] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// Runs the register over `count` bytes at `base`.
    @inline(__always)
    private static func advance(
        _ start: UInt32, _ base: UnsafeRawPointer, _ count: Int, _ t: UnsafePointer<UInt32>
    ) -> UInt32 {
        var crc = start
        var p = base
        var remaining = count
        // Single bytes until p is 8-byte aligned, so the wide loads below are aligned.
        while remaining > 0 && UInt(bitPattern: p) & 7 != 0 {
            crc = t[Int(UInt8(truncatingIfNeeded: crc) ^ p.load(as: UInt8.self))] ^ (crc >> 8)
            p += 1
            remaining -= 1
        }
        while remaining >= 8 {
            let word = UInt64(littleEndian: p.load(as: UInt64.self))
            let one = UInt32(truncatingIfNeeded: word) ^ crc
            let two = UInt32(truncatingIfNeeded: word >> 32)
            crc = t[7 * 256 + Int(one & 0xFF)]
                ^ t[6 * 256 + Int((one >> 8) & 0xFF)]
                ^ t[5 * 256 + Int((one >> 16) & 0xFF)]
                ^ t[4 * 256 + Int(one >> 24)]
                ^ t[3 * 256 + Int(two & 0xFF)]
                ^ t[2 * 256 + Int((two >> 8) & 0xFF)]
                ^ t[1 * 256 + Int((two >> 16) & 0xFF)]
                ^ t[Int(two >> 24)]
            p += 8
            remaining -= 8
        }
        while remaining > 0 {
            crc = t[Int(UInt8(truncatingIfNeeded: crc) ^ p.load(as: UInt8.self))] ^ (crc >> 8)
            p += 1
            remaining -= 1
        }
        return crc
    }
}
