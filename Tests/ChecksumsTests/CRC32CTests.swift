import Checksums
import Testing

@Suite("CRC-32C")
struct CRC32CTests {
    /// Bit-at-a-time reference, sharing nothing with the table-driven implementation.
    static func reference(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = (crc >> 1) ^ (0x82F6_3B78 & (0 &- (crc & 1)))
            }
        }
        return ~crc
    }

    @Test("check value \"123456789\" and the empty message")
    func checkValue() {
        #expect(CRC32C.checksum("123456789") == 0xE306_9283)
        #expect(CRC32C.checksum("") == 0)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    // RFC 3720 (iSCSI) Appendix B.4. The RFC prints the CRC bytes in wire order, that is the
    // little-endian bytes of the value below (e.g. "aa 36 91 8a" for 0x8A9136AA).
    @Test("RFC 3720 B.4 vectors", arguments: [
        ([UInt8](repeating: 0x00, count: 32), UInt32(0x8A91_36AA)),
        ([UInt8](repeating: 0xFF, count: 32), UInt32(0x62A8_AB43)),
        ((0..<32).map { UInt8($0) }, UInt32(0x46DD_794E)),
        ((0..<32).reversed().map { UInt8($0) }, UInt32(0x113F_DB5C)),
        (
            // The iSCSI SCSI Read (10) command PDU; the RFC lists its CRC as "d9 96 3a 56".
            [
                0x01, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
                0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            ] as [UInt8],
            UInt32(0x563A_96D9).byteSwapped
        ),
    ])
    func rfc3720(bytes: [UInt8], expected: UInt32) {
        #expect(CRC32C.checksum(bytes) == expected)
        #expect(Self.reference(bytes) == expected)
    }

    static let twoHundred: [UInt8] = (0..<200).map { UInt8(($0 * 131 + 17) % 256) }

    @Test("incremental update split at every offset equals one-shot")
    func splitAtEveryOffset() {
        let input = Self.twoHundred
        let expected = CRC32C.checksum(input)
        #expect(expected == Self.reference(input))
        for split in 0...input.count {
            var crc = CRC32C()
            crc.update(Array(input[..<split]))
            crc.update(Array(input[split...]))
            #expect(crc.finalize() == expected, "split at \(split)")

            var continued = CRC32C(continuingFrom: CRC32C.checksum(Array(input[..<split])))
            continued.update(input[split...])
            #expect(continued.finalize() == expected, "continued at \(split)")
        }
        var byteAtATime = CRC32C()
        for byte in input { byteAtATime.update([byte]) }
        #expect(byteAtATime.finalize() == expected)
    }

    @Test("every start alignment and length against the bitwise reference")
    func alignmentsAndLengths() {
        let input: [UInt8] = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        input.withUnsafeBytes { raw in
            for start in 0..<16 {
                for length in 0...(raw.count - start) where length < 40 || length % 17 == 0 {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                    #expect(CRC32C.checksum(slice) == Self.reference(slice), "start \(start) length \(length)")
                }
            }
        }
    }

    @Test("non-contiguous sequences and strings")
    func sequencesAndStrings() {
        let lazyBytes = (0..<5_000).lazy.map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(CRC32C.checksum(lazyBytes) == CRC32C.checksum(Array(lazyBytes)))
        #expect(CRC32C.checksum("héllo wörld") == Self.reference("héllo wörld".utf8))
    }
}
