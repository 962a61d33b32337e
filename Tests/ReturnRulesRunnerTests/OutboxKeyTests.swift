import Checksums
import Testing
@testable import ReturnRulesRunner

/// The outbox index files a key of 32 lower-case hex digits as its 128 bits (read eight digits
/// at a time) and any other key as text: the bits must be the digits', and nothing else may
/// pass for hex.
@Suite("Outbox keys")
struct OutboxKeyTests {
    /// The digits' value a digit at a time (what the index did before).
    static func reference(_ key: String) -> (UInt64, UInt64)? {
        let bytes = Array(key.utf8)
        guard bytes.count == 32 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            let nibble: UInt64
            switch byte {
            case 0x30...0x39: nibble = UInt64(byte - 0x30)
            case 0x61...0x66: nibble = UInt64(byte - 0x61 + 10)
            default: return nil
            }
            if index < 16 { high = high << 4 | nibble } else { low = low << 4 | nibble }
        }
        return (high, low)
    }

    @Test func hexKeysReadAsTheirBits() throws {
        for n in 0..<2_000 {
            let key = SHA256.hash(Array("key \(n)".utf8)).hex(prefix: 32)
            let bits = try #require(OutboxIndex.hexKey(key))
            let expected = try #require(OutboxKeyTests.reference(key))
            #expect(bits.high == expected.0 && bits.low == expected.1, "\(key)")
            #expect(OutboxIndex.hexText(high: bits.high, low: bits.low) == key)
        }
        let edges = ["00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff", "0123456789abcdef0123456789abcdef",
                     "f0e1d2c3b4a5968778695a4b3c2d1e0f"]
        for key in edges {
            let bits = try #require(OutboxIndex.hexKey(key))
            #expect(OutboxIndex.hexText(high: bits.high, low: bits.low) == key)
        }
    }

    @Test func everyOtherByteInAnyPlaceIsNotHex() {
        let valid = Array("0123456789abcdef0123456789abcdef".utf8)
        for position in 0..<32 {
            for byte in UInt8(0)...UInt8(0x7F) where !(0x30...0x39).contains(byte) && !(0x61...0x66).contains(byte) {
                var bytes = valid
                bytes[position] = byte
                let key = String(decoding: bytes, as: UTF8.self)
                #expect(OutboxIndex.hexKey(key) == nil, "byte \(byte) at \(position)")
            }
            // A byte of a longer UTF-8 sequence: the key is then no longer 32 bytes, or not ASCII.
            var bytes = valid
            bytes[position] = 0xC3
            #expect(OutboxIndex.hexKey(String(decoding: bytes, as: UTF8.self)) == nil)
        }
        #expect(OutboxIndex.hexKey("0123456789abcdef0123456789abcde") == nil, "31 digits")
        #expect(OutboxIndex.hexKey("0123456789abcdef0123456789abcdef0") == nil, "33 digits")
        #expect(OutboxIndex.hexKey("0123456789ABCDEF0123456789abcdef") == nil, "upper case is text")
        #expect(OutboxIndex.hexKey("0123456789abcdé0123456789abcdef") == nil, "32 bytes, not all ASCII")
    }
}
