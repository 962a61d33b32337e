import Checksums
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    // FIPS 180-2 Appendix B and the NIST example values.
    @Test("FIPS 180-2 / NIST examples", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func nistVectors(message: String, expected: String) {
        #expect(SHA256.hash(message).hex == expected)
        #expect(SHA256.hash(Array(message.utf8)).hex == expected)
        #expect(SHA256.hash(message.utf8).hex == expected)
    }

    @Test("hex prefix")
    func hexPrefix() {
        let digest = SHA256.hash("abc")
        for count in [0, 1, 15, 16, 17, 32, 48, 63, 64] {
            #expect(digest.hex(prefix: count) == String(digest.hex.prefix(count)))
        }
    }

    @Test("one million 'a'")
    func millionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hash(million).hex == expected)
        // Same message fed in uneven pieces, including pieces that are not a block multiple.
        var hasher = SHA256()
        var offset = 0
        var step = 1
        while offset < million.count {
            let end = min(offset + step, million.count)
            hasher.update(million[offset..<end])
            offset = end
            step = step * 3 % 1_021 + 1
        }
        #expect(hasher.finalize().hex == expected)
    }

    // Lengths around the padding boundaries (55/56 bytes need one or two final blocks).
    // Expected values computed with an independent implementation (Python hashlib).
    @Test("padding boundaries", arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
        (128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"),
    ])
    func paddingBoundaries(length: Int, expected: String) {
        #expect(SHA256.hash(String(repeating: "a", count: length)).hex == expected)
    }

    static let twoHundred: [UInt8] = (0..<200).map { UInt8(($0 * 7 + 3) % 256) }

    @Test("incremental update split at every offset equals one-shot")
    func splitAtEveryOffset() {
        let input = Self.twoHundred
        let expected = SHA256.hash(input)
        #expect(expected.hex == "2c7e18c942ef065b526a2d4e5546283749cd3ddfb51d8fc71f42717363685f46")
        for split in 0...input.count {
            var hasher = SHA256()
            hasher.update(Array(input[..<split]))
            hasher.update(Array(input[split...]))
            #expect(hasher.finalize() == expected, "split at \(split)")
        }
        for first in stride(from: 0, through: input.count, by: 7) {
            for second in stride(from: first, through: input.count, by: 13) {
                var hasher = SHA256()
                input.withUnsafeBytes { raw in
                    hasher.update(UnsafeRawBufferPointer(rebasing: raw[..<first]))
                    hasher.update(UnsafeRawBufferPointer(rebasing: raw[first..<second]))
                    hasher.update(UnsafeRawBufferPointer(rebasing: raw[second...]))
                }
                #expect(hasher.finalize() == expected, "splits at \(first), \(second)")
            }
        }
        var byteAtATime = SHA256()
        for byte in input { byteAtATime.update([byte]) }
        #expect(byteAtATime.finalize() == expected)
    }

    @Test("non-contiguous sequences go through the chunked path")
    func nonContiguousSequence() {
        let lazyBytes = (0..<10_000).lazy.map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(SHA256.hash(lazyBytes) == SHA256.hash(Array(lazyBytes)))
    }

    @Test("finalize does not consume: a prefix digest, then more bytes")
    func finalizeIsNonDestructive() {
        var hasher = SHA256()
        hasher.update("ab")
        #expect(hasher.finalize() == SHA256.hash("ab"))
        hasher.update("c")
        #expect(hasher.finalize() == SHA256.hash("abc"))
        let fork = hasher
        hasher.update("d")
        #expect(fork.finalize() == SHA256.hash("abc"))
        #expect(hasher.finalize() == SHA256.hash("abcd"))
    }

    @Test("digest: hex round trip, bytes, prefix64, ordering")
    func digestAccessors() throws {
        let digest = SHA256.hash("abc")
        let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(digest.description == hex)
        #expect(SHA256Digest(hex: hex) == digest)
        #expect(SHA256Digest(hex: hex.uppercased()) == digest)
        #expect(SHA256Digest(hex: String(hex.dropLast())) == nil)
        #expect(SHA256Digest(hex: hex + "0") == nil)
        #expect(SHA256Digest(hex: "g" + hex.dropFirst()) == nil)
        #expect(digest.prefix64 == 0xba78_16bf_8f01_cfea)
        #expect(digest.bytes.count == 32)
        #expect(digest.bytes.first == 0xba && digest.bytes.last == 0xad)
        #expect(SHA256Digest(bytes: digest.bytes) == digest)
        #expect(SHA256Digest(bytes: [1, 2, 3]) == nil)
        // Read in place from a buffer (the compact-return path), and through a sequence that
        // has no contiguous storage: the same digest.
        digest.bytes.withUnsafeBufferPointer { buffer in
            #expect(SHA256Digest(bytes: buffer) == digest)
            #expect(SHA256Digest(bytes: UnsafeBufferPointer(rebasing: buffer[0..<31])) == nil)
        }
        #expect(SHA256Digest(bytes: digest.bytes.lazy.map { $0 }) == digest)
        digest.withUnsafeBytes { raw in
            #expect(Array(raw) == digest.bytes)
        }
        let digests = ["a", "b", "c", "d", "e"].map { SHA256.hash($0) }
        #expect(digests.sorted().map(\.hex) == digests.map(\.hex).sorted())
        #expect(Set(digests + digests).count == 5)
    }
}
