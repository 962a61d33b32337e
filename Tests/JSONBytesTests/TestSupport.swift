// Helpers shared by the JSONBytes tests: a seeded PRNG and a generator of random valid
// documents written with varied whitespace and escapes.
import JSONBytes

/// SplitMix64: a fixed-seed generator, so every run sees the same inputs.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: Range<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    mutating func chance(_ percent: Int) -> Bool {
        int(0..<100) < percent
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[int(0..<items.count)]
    }
}

/// Random JSON values and random (but valid) spellings of them.
struct RandomJSON {
    var rng: SplitMix64

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
    }

    /// Characters that exercise escaping and UTF-8 of every length.
    static let alphabet: [Unicode.Scalar] = [
        "a", "b", "z", "A", "Q", "0", "9", " ", "_", "-", ".", "/", "\"", "\\", "\n", "\t", "\r",
        "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}", "é", "ß", "€", "中", "\u{FEFF}", "\u{FFFF}",
        "😀", "\u{10FFFF}", "\u{2028}",
    ]

    mutating func string(maxLength: Int = 8) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<rng.int(0..<(maxLength + 1)) { s.append(rng.pick(RandomJSON.alphabet)) }
        return String(s)
    }

    mutating func number() -> String {
        var text = rng.chance(30) ? "-" : ""
        if rng.chance(20) {
            text += "0"
        } else {
            text += String(rng.int(1..<10))
            for _ in 0..<rng.int(0..<(rng.chance(10) ? 25 : 6)) { text += String(rng.int(0..<10)) }
        }
        if rng.chance(30) {
            text += "."
            for _ in 0..<rng.int(1..<6) { text += String(rng.int(0..<10)) }
        }
        if rng.chance(15) {
            text += rng.pick(["e", "E"]) + rng.pick(["", "+", "-"]) + String(rng.int(0..<40))
        }
        return text
    }

    /// A random tree with unique keys per object.
    mutating func value(depth: Int = 0, maxDepth: Int = 5) -> JSONValue {
        let roll = rng.int(0..<(depth >= maxDepth ? 6 : 10))
        switch roll {
        case 0: return .null
        case 1: return .bool(rng.chance(50))
        case 2, 3: return .number(number())
        case 4, 5: return .string(string())
        case 6, 7:
            return .array((0..<rng.int(0..<5)).map { _ in value(depth: depth + 1, maxDepth: maxDepth) })
        default:
            var seen = Set<String>()
            var members: [(key: String, value: JSONValue)] = []
            for _ in 0..<rng.int(0..<5) {
                let key = string(maxLength: 5)
                guard seen.insert(key).inserted else { continue }
                members.append((key, value(depth: depth + 1, maxDepth: maxDepth)))
            }
            return .object(members)
        }
    }

    /// `value` as JSON text with random whitespace and random (valid) escapes.
    mutating func spell(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        spell(value, into: &out)
        return out
    }

    private mutating func whitespace(_ out: inout [UInt8]) {
        guard rng.chance(25) else { return }
        for _ in 0..<rng.int(1..<3) { out.append(rng.pick([0x20, 0x0A, 0x0D, 0x09])) }
    }

    private mutating func spell(_ value: JSONValue, into out: inout [UInt8]) {
        whitespace(&out)
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .number(let text): out += Array(text.utf8)
        case .string(let text): spellString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                spell(element, into: &out)
            }
            whitespace(&out)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                whitespace(&out)
                spellString(member.key, into: &out)
                whitespace(&out)
                out.append(UInt8(ascii: ":"))
                spell(member.value, into: &out)
            }
            whitespace(&out)
            out.append(UInt8(ascii: "}"))
        }
        whitespace(&out)
    }

    private mutating func spellString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let mustEscape = v < 0x20 || v == 0x22 || v == 0x5C
            if mustEscape || rng.chance(10) {
                switch (v, rng.chance(50)) {
                case (0x22, true): out += Array("\\\"".utf8)
                case (0x5C, true): out += Array("\\\\".utf8)
                case (0x0A, true): out += Array("\\n".utf8)
                case (0x2F, true): out += Array("\\/".utf8)
                default:
                    if v >= 0x10000 {
                        let u = v - 0x10000
                        out += Array(hexEscape(0xD800 + (u >> 10)).utf8)
                        out += Array(hexEscape(0xDC00 + (u & 0x3FF)).utf8)
                    } else {
                        out += Array(hexEscape(v).utf8)
                    }
                }
            } else {
                out += Array(String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func hexEscape(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: rng.chance(50))
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}

/// Parses or fails the test with the error's description.
func parse(_ text: String, options: JSONParseOptions = JSONParseOptions()) throws -> JSONDocument {
    try JSONDocument(parsing: text, options: options)
}

/// The syntax error for `bytes`, or nil if they parse.
func syntaxError(_ bytes: [UInt8], options: JSONParseOptions = JSONParseOptions()) -> JSONSyntaxError? {
    do {
        _ = try JSONDocument(parsing: bytes, options: options)
        return nil
    } catch {
        return error
    }
}

func syntaxError(_ text: String, options: JSONParseOptions = JSONParseOptions()) -> JSONSyntaxError? {
    syntaxError(Array(text.utf8), options: options)
}
