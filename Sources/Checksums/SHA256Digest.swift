/// A 32-byte SHA-256 digest.
///
/// Stored as four big-endian 64-bit words, so equality, hashing and ordering are cheap.
/// Ordering (`<`) is the lexicographic order of the 32 bytes, which is also the order of ``hex``.
public struct SHA256Digest: Sendable, Hashable, Comparable, CustomStringConvertible {
    // Bytes 0–7, 8–15, 16–23 and 24–31, each read big-endian.
    let word0: UInt64
    let word1: UInt64
    let word2: UInt64
    let word3: UInt64

    init(word0: UInt64, word1: UInt64, word2: UInt64, word3: UInt64) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
        self.word3 = word3
    }

    /// Makes a digest from exactly 32 bytes; `nil` for any other count.
    public init?(bytes: some Collection<UInt8>) {
        if let inPlace = bytes.withContiguousStorageIfAvailable({ SHA256Digest(bytes: $0) }) {
            guard let inPlace else { return nil }
            self = inPlace
            return
        }
        guard bytes.count == 32 else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() {
            words[index / 8] = words[index / 8] << 8 | UInt64(byte)
        }
        self.init(word0: words[0], word1: words[1], word2: words[2], word3: words[3])
    }

    /// Makes a digest from exactly 32 bytes read in place; `nil` for any other count. Four
    /// loads, where the generic initialiser (unspecialised outside this module) took a couple
    /// of microseconds: every compact return read back has a digest per recent event.
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 32, let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        self.init(word0: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                  word1: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                  word2: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                  word3: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
    }

    /// Parses 64 hexadecimal digits (upper or lower case, nothing else); `nil` otherwise.
    public init?(hex: String) {
        var words: [UInt64] = [0, 0, 0, 0]
        var count = 0
        for unit in hex.utf8 {
            guard count < 64 else { return nil }
            let nibble: UInt8
            switch unit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = unit &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = unit &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = unit &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            words[count / 16] = words[count / 16] << 4 | UInt64(nibble)
            count += 1
        }
        guard count == 64 else { return nil }
        self.init(word0: words[0], word1: words[1], word2: words[2], word3: words[3])
    }

    /// The 32 digest bytes in order.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(32)
        for word in [word0, word1, word2, word3] {
            for shift in stride(from: 56, through: 0, by: -8) {
                result.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return result
    }

    /// The digest as 64 lower-case hexadecimal digits.
    public var hex: String {
        String(unsafeUninitializedCapacity: 64) { out in
            Self.writeHex(word0, into: out, at: 0)
            Self.writeHex(word1, into: out, at: 16)
            Self.writeHex(word2, into: out, at: 32)
            Self.writeHex(word3, into: out, at: 48)
            return 64
        }
    }

    /// The first `count` (0…64) lower-case hexadecimal digits of ``hex``, without building
    /// all 64.
    public func hex(prefix count: Int) -> String {
        precondition(count >= 0 && count <= 64, "SHA256Digest.hex(prefix:): count must be 0…64")
        return String(unsafeUninitializedCapacity: 64) { out in
            Self.writeHex(word0, into: out, at: 0)
            if count > 16 { Self.writeHex(word1, into: out, at: 16) }
            if count > 32 { Self.writeHex(word2, into: out, at: 32) }
            if count > 48 { Self.writeHex(word3, into: out, at: 48) }
            return count
        }
    }

    @inline(__always)
    private static func writeHex(_ word: UInt64, into out: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        var rest = word
        for index in stride(from: start + 15, through: start, by: -1) {
            let nibble = UInt8(truncatingIfNeeded: rest & 0xF)
            out[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
            rest >>= 4
        }
    }

    /// The first 8 bytes read as a big-endian integer: a well-mixed key for hash tables and
    /// shard selection.
    public var prefix64: UInt64 { word0 }

    /// Calls `body` with the 32 digest bytes.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let stored = (word0.bigEndian, word1.bigEndian, word2.bigEndian, word3.bigEndian)
        return try Swift.withUnsafeBytes(of: stored) { try body($0) }
    }

    /// Same as ``hex``.
    public var description: String { hex }

    /// Lexicographic order of the digest bytes.
    public static func < (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool {
        (lhs.word0, lhs.word1, lhs.word2, lhs.word3) < (rhs.word0, rhs.word1, rhs.word2, rhs.word3)
    }
}
