import Testing
import ReturnRulesLanguage

/// `String(shortUTF8:)` must be `String(decoding:as: UTF8.self)` byte for byte, whatever the
/// bytes: short and long, ASCII and not, well-formed and not.
@Suite("Text: strings from short UTF-8")
struct ShortUTF8Tests {
    static let inputs: [[UInt8]] = [
        [],
        Array("a".utf8),
        Array("RET-000123".utf8),
        Array("fifteen-bytes-x".utf8),
        Array("sixteen-bytes-xx".utf8),
        Array("2026-11-28T10:00:00Z".utf8),
        Array("é".utf8),
        Array("camiseta-añil".utf8),
        Array("zapatilla-azul-€".utf8),
        [0],
        [0xFF],
        [0xC3],
        [0x61, 0xFF, 0x62],
        [0xE2, 0x82],
        [0xED, 0xA0, 0x80],
        Array(repeating: 0x80, count: 15),
    ]

    @Test(arguments: inputs)
    func matchesDecoding(_ bytes: [UInt8]) {
        let short = bytes.withUnsafeBufferPointer { String(shortUTF8: $0) }
        let decoded = String(decoding: bytes, as: UTF8.self)
        #expect(Array(short.utf8) == Array(decoded.utf8))
        #expect(short == decoded)
    }
}
