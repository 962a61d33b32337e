import Checksums
import Testing

/// The multi-buffer SHA-256 must give exactly the scalar digests, whatever the mix of lengths
/// sharing the lanes.
@Suite("SHA-256 in SIMD lanes")
struct SHA256LanesTests {
    /// SplitMix64 with a fixed seed (ChecksumsTests does not link the shared test support).
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    // FIPS 180-2 Appendix B and the NIST examples, hashed together in one batch.
    static let nist: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        // Padding boundaries (one or two final blocks), from Python hashlib.
        (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (String(repeating: "a", count: 119), "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (String(repeating: "a", count: 128), "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"),
    ]

    @Test func nistVectorsInOneBatch() {
        let digests = SHA256Lanes.hash(Self.nist.map { Array($0.0.utf8) })
        for (index, vector) in Self.nist.enumerated() {
            #expect(digests[index].hex == vector.1, "message \(index)")
        }
    }

    @Test func oneMillionAAmongShortMessages() {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let digests = SHA256Lanes.hash([Array("abc".utf8), million, [], Array("abc".utf8)])
        #expect(digests[1].hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(digests[0] == digests[3])
        #expect(digests[2].hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// Every batch size from empty to several rounds of lanes, with random lengths (mostly
    /// short, some long) and random bytes: each digest equals the scalar one.
    @Test(arguments: [1 as UInt64, 2, 3, 42])
    func matchesScalarOnRandomBatches(seed: UInt64) {
        var random = Seeded(state: seed)
        for batchSize in 0...(SHA256Lanes.laneCount * 4 + 3) {
            let messages: [[UInt8]] = (0..<batchSize).map { _ in
                let length = random.next() % 8 == 0 ? Int(random.next() % 2_000) : Int(random.next() % 200)
                return (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
            let digests = SHA256Lanes.hash(messages)
            #expect(digests.count == messages.count)
            for (index, message) in messages.enumerated() {
                #expect(digests[index] == SHA256.hash(message), "seed \(seed), batch \(batchSize), message \(index), \(message.count) bytes")
            }
        }
    }

    /// Every length from 0 to 300 (all tail shapes), in one batch.
    @Test func everyLengthUpTo300() {
        let messages: [[UInt8]] = (0...300).map { length in (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ length) } }
        let digests = SHA256Lanes.hash(messages)
        for (index, message) in messages.enumerated() {
            #expect(digests[index] == SHA256.hash(message), "length \(index)")
        }
    }
}
