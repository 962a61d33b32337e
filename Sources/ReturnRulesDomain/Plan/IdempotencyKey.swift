import Checksums

/// Idempotency keys: a hash of what a write *is* (client, return, action kind, order line and
/// units), never of the event that asked for it, so the same return re-sent under a new event
/// id maps to the same key and an executor finds the write it already made.
public enum IdempotencyKey {
    /// 32 lower-case hex characters (128 bits of SHA-256).
    public static func make(client: String, returnID: String, kind: String, parts: [String]) -> String {
        var hasher = SHA256()
        // Length-prefixed fields, so ("ab", "c") and ("a", "bc") differ: `<length>:<bytes>`.
        field("rr1", into: &hasher)
        field(client, into: &hasher)
        field(returnID, into: &hasher)
        field(kind, into: &hasher)
        for part in parts { field(part, into: &hasher) }
        return String(hasher.finalize().hex.prefix(32))
    }

    private static func field(_ text: String, into hasher: inout SHA256) {
        var text = text
        text.withUTF8 { bytes in
            // The decimal length and the colon, written without allocating.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { prefix in
                var digits = 0
                var rest = bytes.count
                repeat {
                    digits += 1
                    rest /= 10
                } while rest > 0
                rest = bytes.count
                for position in stride(from: digits - 1, through: 0, by: -1) {
                    prefix[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                prefix[digits] = 0x3A
                hasher.update(UnsafeRawBufferPointer(start: prefix.baseAddress, count: digits + 1))
            }
            hasher.update(UnsafeRawBufferPointer(bytes))
        }
    }

    /// A WooCommerce coupon code derived from a key: lower case (WooCommerce lower-cases codes)
    /// and unique per key (WooCommerce rejects duplicates, which makes a retry safe).
    public static func couponCode(for key: String) -> String { "rr-" + key.prefix(12) }

    /// The marker put in order notes, which have no meta data, so an executor can find them.
    public static func noteMarker(for key: String) -> String { "[rr:\(key.prefix(16))]" }
}
