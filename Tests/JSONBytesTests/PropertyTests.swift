import Testing
import JSONBytes

/// Generated documents: round trips through the writer, and random mutations that must never
/// crash the parser or put an error outside the input.
@Suite("Properties")
struct PropertyTests {
    @Test func roundTripThroughTheWriter() throws {
        var random = RandomJSON(seed: 0x5EED_0001)
        for _ in 0..<2_000 {
            let original = random.value()
            let spelled = random.spell(original)
            let document = try JSONDocument(parsing: spelled)
            let parsed = JSONValue(document.root)
            #expect(parsed == original)

            // parse(write(parse(x))) == parse(x), for both styles and both writers.
            var compact = JSONWriter()
            compact.value(document.root)
            var pretty = JSONWriter(style: .pretty)
            pretty.value(document.root)
            #expect(try JSONValue(parsing: compact.bytes) == parsed)
            #expect(try JSONValue(parsing: pretty.bytes) == parsed)
            #expect(parsed.serialized() == compact.bytes)
            #expect(parsed.serialized(pretty: true) == pretty.bytes)
            // Writing is idempotent.
            var again = JSONWriter()
            again.value(try JSONDocument(parsing: compact.bytes).root)
            #expect(again.bytes == compact.bytes)
        }
    }

    @Test func everyNodePathLeadsBackToItsNode() throws {
        var random = RandomJSON(seed: 0x5EED_0002)
        for _ in 0..<300 {
            let document = try JSONDocument(parsing: random.spell(random.value()))
            var stack = [document.root]
            while let node = stack.popLast() {
                #expect(document.lookup(node.path)?.index == node.index)
                stack.append(contentsOf: node.elements)
                stack.append(contentsOf: node.members.map(\.value))
            }
        }
    }

    @Test func mutationsNeverCrashAndErrorsStayInsideTheInput() throws {
        var random = RandomJSON(seed: 0x5EED_0003)
        var rng = SplitMix64(seed: 0xBAD_5EED)
        let seeds: [[UInt8]] = (0..<200).map { _ in random.spell(random.value(maxDepth: 4)) }
            + [Array(sampleEvent.utf8)]
        let tokens: [[UInt8]] = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\uD800", "0", "-", ".", "e",
                                 "true", "null", " ", "\n", "\u{00}", "é", "😀"].map { Array($0.utf8) }
            + [[0xFF], [0xC0], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]]
        var accepted = 0
        var rejected = 0
        for _ in 0..<25_000 {
            var bytes = rng.pick(seeds)
            for _ in 0..<rng.int(1..<4) { mutate(&bytes, &rng, tokens) }
            for options in [JSONParseOptions(), JSONParseOptions(maxDepth: 3, allowDuplicateKeys: true)] {
                do {
                    let document = try JSONDocument(parsing: bytes, options: options)
                    accepted += 1
                    // Whatever parses is valid: it survives a round trip unchanged.
                    var writer = JSONWriter()
                    writer.value(document.root)
                    let reparsed = try JSONDocument(parsing: writer.bytes, options: JSONParseOptions(maxDepth: 10_000, allowDuplicateKeys: true))
                    #expect(JSONValue(reparsed.root) == JSONValue(document.root))
                } catch {
                    rejected += 1
                    #expect(error.byteOffset >= 0 && error.byteOffset <= bytes.count)
                    #expect(error.line >= 1 && error.column >= 1)
                    #expect(error.path.hasPrefix("$"))
                }
            }
        }
        // Both outcomes must be well represented for the test to mean anything.
        #expect(accepted > 2_000)
        #expect(rejected > 20_000)
    }

    private func mutate(_ bytes: inout [UInt8], _ rng: inout SplitMix64, _ tokens: [[UInt8]]) {
        let position = bytes.isEmpty ? 0 : rng.int(0..<bytes.count)
        switch rng.int(0..<7) {
        case 0 where !bytes.isEmpty:  // delete a span
            bytes.removeSubrange(position..<min(bytes.count, position + rng.int(1..<4)))
        case 1:  // insert a token
            bytes.insert(contentsOf: rng.pick(tokens), at: position)
        case 2 where bytes.count > 1:  // swap two bytes
            bytes.swapAt(position, rng.int(0..<bytes.count))
        case 3 where !bytes.isEmpty:  // flip a bit
            bytes[position] ^= UInt8(1) << UInt8(rng.int(0..<8))
        case 4:  // truncate
            bytes.removeSubrange(position..<bytes.count)
        case 5 where !bytes.isEmpty:  // duplicate a span
            let end = min(bytes.count, position + rng.int(1..<12))
            bytes.insert(contentsOf: bytes[position..<end], at: rng.int(0..<(bytes.count + 1)))
        default:  // replace a byte with a random one
            if !bytes.isEmpty { bytes[position] = UInt8(truncatingIfNeeded: rng.next()) }
        }
    }

    @Test func parserAgreesWithAReferenceValidatorOnMutations() throws {
        // A deliberately simple recursive validator (fine for these shallow inputs), written
        // straight from the RFC grammar, as an independent second opinion on accept/reject.
        var random = RandomJSON(seed: 0x5EED_0004)
        var rng = SplitMix64(seed: 0x0DD5_EED5)
        let tokens: [[UInt8]] = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u00", "0", "-", "1", ".", "e", "+",
                                 "true", "nul", " ", "\t"].map { Array($0.utf8) } + [[0x80], [0xC3, 0xA9], [0x01]]
        for _ in 0..<10_000 {
            var bytes = random.spell(random.value(maxDepth: 3))
            for _ in 0..<rng.int(1..<3) { mutate(&bytes, &rng, tokens) }
            var reference = ReferenceValidator(bytes: bytes)
            let expected = reference.validate()
            let actual = syntaxError(bytes, options: JSONParseOptions(allowDuplicateKeys: true)) == nil
            #expect(actual == expected, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }
}

/// RFC 8259 by recursive descent, bytes in, Bool out. Duplicate keys are not checked.
struct ReferenceValidator {
    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func validate() -> Bool {
        ws()
        guard value() else { return false }
        ws()
        return i == bytes.count
    }

    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    mutating func ws() {
        while let b = peek, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 }
    }

    mutating func eat(_ text: String) -> Bool {
        let t = Array(text.utf8)
        guard i + t.count <= bytes.count, Array(bytes[i..<(i + t.count)]) == t else { return false }
        i += t.count
        return true
    }

    mutating func value() -> Bool {
        switch peek {
        case UInt8(ascii: "{")?:
            i += 1; ws()
            if eat("}") { return true }
            while true {
                guard peek == UInt8(ascii: "\""), string() else { return false }
                ws()
                guard eat(":") else { return false }
                ws()
                guard value() else { return false }
                ws()
                if eat("}") { return true }
                guard eat(",") else { return false }
                ws()
            }
        case UInt8(ascii: "[")?:
            i += 1; ws()
            if eat("]") { return true }
            while true {
                guard value() else { return false }
                ws()
                if eat("]") { return true }
                guard eat(",") else { return false }
                ws()
            }
        case UInt8(ascii: "\"")?: return string()
        case UInt8(ascii: "t")?: return eat("true")
        case UInt8(ascii: "f")?: return eat("false")
        case UInt8(ascii: "n")?: return eat("null")
        default: return number()
        }
    }

    mutating func digits() -> Bool {
        let start = i
        while let b = peek, b >= 0x30 && b <= 0x39 { i += 1 }
        return i > start
    }

    mutating func number() -> Bool {
        _ = eat("-")
        if eat("0") {
            // no more integer digits allowed
        } else if let b = peek, b >= 0x31 && b <= 0x39 {
            _ = digits()
        } else {
            return false
        }
        if eat(".") { guard digits() else { return false } }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            i += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
            guard digits() else { return false }
        }
        return true
    }

    mutating func hex4() -> UInt32? {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16),
              bytes[i..<(i + 4)].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) })
        else { return nil }
        i += 4
        return v
    }

    mutating func string() -> Bool {
        i += 1
        var content: [UInt8] = []
        while true {
            guard let b = peek else { return false }
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { return false }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard let e = peek else { return false }
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    continue
                case UInt8(ascii: "u"):
                    guard let u = hex4() else { return false }
                    if u >= 0xDC00 && u <= 0xDFFF { return false }
                    if u >= 0xD800 && u <= 0xDBFF {
                        guard eat("\\u"), let low = hex4(), low >= 0xDC00 && low <= 0xDFFF else { return false }
                    }
                    continue
                default:
                    return false
                }
            }
            content.append(b)
            i += 1
        }
        i += 1
        // Foundation-free UTF-8 check: the standard library's decoder rejects exactly the
        // ill-formed sequences.
        var decoder = UTF8()
        var iterator = content.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
