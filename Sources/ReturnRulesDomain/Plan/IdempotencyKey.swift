import Checksums

/// Idempotency keys: a hash of what a write *is* (client, return, action kind, order line and
/// units), never of the event that asked for it, so the same return re-sent under a new event
/// id maps to the same key and an executor finds the write it already made.
public enum IdempotencyKey {
    /// 32 lower-case hex characters (128 bits of SHA-256).
    public static func make(client: String, returnID: String, kind: String, parts: [String]) -> String {
        var hasher = SHA256()
        // Length-prefixed fields, so ("ab", "c") and ("a", "bc") differ.
        for field in ["rr1", client, returnID, kind] + parts {
            let bytes = Array(field.utf8)
            hasher.update(Array(String(bytes.count).utf8) + [0x3A] + bytes)
        }
        return String(hasher.finalize().hex.prefix(32))
    }

    /// A WooCommerce coupon code derived from a key: lower case (WooCommerce lower-cases codes)
    /// and unique per key (WooCommerce rejects duplicates, which makes a retry safe).
    public static func couponCode(for key: String) -> String { "rr-" + key.prefix(12) }

    /// The marker put in order notes, which have no meta data, so an executor can find them.
    public static func noteMarker(for key: String) -> String { "[rr:\(key.prefix(16))]" }
}
