import Checksums

/// Idempotency keys: a hash of what a write *is* (client, return, action kind, order line and
/// units), never of the event that asked for it, so the same return re-sent under a new event
/// id maps to the same key and an executor finds the write it already made.
public enum IdempotencyKey {
    /// 32 lower-case hex characters (128 bits of SHA-256).
    public static func make(client: String, returnID: String, kind: String, parts: [String]) -> String {
        // The length-prefixed fields are laid out in one buffer and hashed in one call.
        var count = lengthPrefixed("rr1".utf8.count) + lengthPrefixed(client.utf8.count) + lengthPrefixed(returnID.utf8.count)
            + lengthPrefixed(kind.utf8.count)
        for part in parts { count += lengthPrefixed(part.utf8.count) }
        let digest = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
            var written = 0
            // Length-prefixed fields, so ("ab", "c") and ("a", "bc") differ: `<length>:<bytes>`.
            field("rr1", into: buffer, at: &written)
            field(client, into: buffer, at: &written)
            field(returnID, into: buffer, at: &written)
            field(kind, into: buffer, at: &written)
            for part in parts { field(part, into: buffer, at: &written) }
            return SHA256.hash(UnsafeRawBufferPointer(start: buffer.baseAddress, count: written))
        }
        return digest.hex(prefix: 32)
    }

    /// Bytes of a field of `length` bytes once prefixed: its decimal length, a colon, itself.
    private static func lengthPrefixed(_ length: Int) -> Int {
        var digits = 1
        var rest = length / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        return digits + 1 + length
    }

    private static func field(_ text: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at written: inout Int) {
        var text = text
        text.withUTF8 { bytes in
            let out = buffer.baseAddress!
            let count = bytes.count
            var position = written
            // The decimal length: one or two digits written directly (every field of a key but a
            // long part), more through the general loop.
            if count < 10 {
                out[position] = 0x30 &+ UInt8(truncatingIfNeeded: count)
                position += 1
            } else if count < 100 {
                out[position] = 0x30 &+ UInt8(truncatingIfNeeded: count / 10)
                out[position + 1] = 0x30 &+ UInt8(truncatingIfNeeded: count % 10)
                position += 2
            } else {
                let digits = lengthPrefixed(count) - 1 - count
                var rest = count
                for offset in stride(from: digits - 1, through: 0, by: -1) {
                    out[position + offset] = 0x30 &+ UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                }
                position += digits
            }
            out[position] = 0x3A
            position += 1
            if let base = bytes.baseAddress {
                UnsafeMutableRawPointer(out + position).copyMemory(from: base, byteCount: count)
            }
            written = position + count
        }
    }

    /// A WooCommerce coupon code derived from a key: lower case (WooCommerce lower-cases codes)
    /// and unique per key (WooCommerce rejects duplicates, which makes a retry safe).
    public static func couponCode(for key: String) -> String {
        framed(key, prefix: 12, opening: "rr-", closing: "") ?? "rr-" + key.prefix(12)
    }

    /// The marker put in order notes, which have no meta data, so an executor can find them.
    public static func noteMarker(for key: String) -> String {
        framed(key, prefix: 16, opening: "[rr:", closing: "]") ?? "[rr:\(key.prefix(16))]"
    }

    /// `opening`, the first `count` characters of `key`, `closing`, composed as bytes: taking a
    /// prefix of a `String` walks it character by character (about a thousand instructions for
    /// a marker). Nil unless every byte of `key` is printable ASCII (one byte, one character),
    /// which a key always is; the caller then takes the character path.
    private static func framed(_ key: String, prefix count: Int, opening: StaticString, closing: StaticString) -> String? {
        var key = key
        return key.withUTF8 { bytes -> String? in
            for byte in bytes where byte < 0x21 || byte > 0x7E { return nil }
            let taken = min(count, bytes.count)
            let total = opening.utf8CodeUnitCount + taken + closing.utf8CodeUnitCount
            return String(unsafeUninitializedCapacity: total) { out in
                var written = 0
                func copy(_ source: UnsafeBufferPointer<UInt8>) {
                    for byte in source {
                        out[written] = byte
                        written += 1
                    }
                }
                copy(UnsafeBufferPointer(start: opening.utf8Start, count: opening.utf8CodeUnitCount))
                copy(UnsafeBufferPointer(rebasing: bytes[0..<taken]))
                copy(UnsafeBufferPointer(start: closing.utf8Start, count: closing.utf8CodeUnitCount))
                return written
            }
        }
    }
}
