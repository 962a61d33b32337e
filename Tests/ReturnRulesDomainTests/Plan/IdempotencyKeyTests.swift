import Checksums
import Testing
import ReturnRulesDomain

/// Idempotency keys are persisted (in WooCommerce meta, coupon codes and note markers), so their
/// layout must never drift: SHA-256 of length-prefixed fields, `<length>:<bytes>`, the first 32
/// hex digits. The expected keys here are built from that description, not from the code.
@Suite("Plan: idempotency keys")
struct IdempotencyKeyTests {
    static func expected(_ fields: [String]) -> String {
        let layout = fields.map { "\($0.utf8.count):\($0)" }.joined()
        return SHA256.hash(layout).hex(prefix: 32)
    }

    @Test(arguments: [
        ("acme", "ret_1", "refund", ["line 12", "units 1"]),
        // Lengths of one, two and three digits, and an empty part.
        ("a", String(repeating: "r", count: 32), "restock", [String(repeating: "x", count: 150), ""]),
        ("moda-lucía", "92eb5ffee6ae2fec3ad71c777531578f", "note", ["accepted"]),
    ])
    func aKeyIsTheHashOfItsLengthPrefixedFields(client: String, returnID: String, kind: String, parts: [String]) {
        let key = IdempotencyKey.make(client: client, returnID: returnID, kind: kind, parts: parts)
        #expect(key == Self.expected(["rr1", client, returnID, kind] + parts))
        #expect(key.utf8.count == 32)
    }

    @Test func couponCodesAndNoteMarkersTakeTheKeysPrefix() {
        let key = IdempotencyKey.make(client: "acme", returnID: "ret_1", kind: "credit", parts: [])
        #expect(IdempotencyKey.couponCode(for: key) == "rr-" + key.prefix(12))
        #expect(IdempotencyKey.noteMarker(for: key) == "[rr:" + key.prefix(16) + "]")
        // Shorter than the prefix, and not plain ASCII (the character path): the same rule.
        #expect(IdempotencyKey.couponCode(for: "abc") == "rr-abc")
        #expect(IdempotencyKey.noteMarker(for: "clé à 16 caractères, plus") == "[rr:clé à 16 caractè]")
    }
}
