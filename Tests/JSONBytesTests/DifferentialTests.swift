import Foundation
import Testing
import JSONBytes

/// Foundation's JSONSerialization as an oracle: on valid documents its tree must equal ours;
/// on invalid ones both must reject, apart from the leniencies listed in `foundationLeniency`.
@Suite("Differential against JSONSerialization")
struct DifferentialTests {
    @Test func validDocumentsMatch() throws {
        var random = RandomJSON(seed: 0xD1FF_0001)
        for _ in 0..<3_000 {
            let bytes = random.spell(random.value())
            let ours = try JSONValue(parsing: bytes)
            let theirs = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            #expect(matches(ours, theirs), "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test func invalidDocumentsAreRejectedByBoth() throws {
        var random = RandomJSON(seed: 0xD1FF_0002)
        var rng = SplitMix64(seed: 0xD1FF_0003)
        var checked = 0
        for _ in 0..<3_000 {
            var bytes = random.spell(random.value(maxDepth: 3))
            breakDocument(&bytes, &rng)
            guard let error = syntaxError(bytes) else { continue }
            checked += 1
            let foundationAccepts = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            if foundationAccepts {
                #expect(foundationLeniency(error, bytes), "Foundation accepted \(String(decoding: bytes, as: UTF8.self)): \(error)")
            }
        }
        #expect(checked > 2_500)
    }

    @Test func foundationLeniencyIsWhatWeDocumented() throws {
        // Each of these is rejected here and accepted by JSONSerialization (Swift 6.3, Linux).
        let lenient: [[UInt8]] = [
            Array(#"{"a":1,"a":2}"#.utf8), Array("[1,]".utf8), Array(#"{"a":1,}"#.utf8),
            [0xEF, 0xBB, 0xBF] + Array("[1]".utf8), [0x31, 0x00],
        ]
        for bytes in lenient {
            let error = try #require(syntaxError(bytes))
            #expect(foundationLeniency(error, bytes))
            #expect((try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil)
        }
    }

    /// Inputs JSONSerialization accepts although RFC 8259 (or this reader's policy) rejects them,
    /// as observed on swift-corelibs-foundation with Swift 6.3:
    /// - duplicate keys (Foundation keeps the last one; rejecting them is our policy);
    /// - a trailing comma in an array or object (`[1,]`, `{"a":1,}`);
    /// - a UTF-8 byte order mark before the value;
    /// - a NUL byte right after a top-level number (`1\0`).
    func foundationLeniency(_ error: JSONSyntaxError, _ bytes: [UInt8]) -> Bool {
        switch error.kind {
        case .duplicateKey, .trailingCommaInArray, .trailingCommaInObject:
            return true
        case .expectedValue:
            return bytes.starts(with: [0xEF, 0xBB, 0xBF])
        case .trailingCharacters:
            return bytes[error.byteOffset] == 0x00
        default:
            return false
        }
    }

    /// Damages a valid document in a way that is always invalid JSON.
    func breakDocument(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
        let breakers: [[UInt8]] = [
            Array(",]".utf8), Array("[1,]".utf8), Array("{\"a\":1,}".utf8), Array("01".utf8), Array("'x'".utf8),
            Array("\"\\x\"".utf8), Array("NaN".utf8), Array("[1 2]".utf8), Array("\"\u{01}\"".utf8),
            Array("\"\\uD800\"".utf8), [0x22, 0xFF, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
            Array("tru".utf8), Array("{\"a\" 1}".utf8), Array("1.".utf8), Array("-".utf8), Array("[".utf8),
        ]
        switch rng.int(0..<3) {
        case 0:
            // Wrap in an array next to a broken element.
            bytes = Array("[".utf8) + bytes + Array(",".utf8) + rng.pick(breakers) + Array("]".utf8)
        case 1:
            // Duplicate key or a bad member inside an object.
            bytes = Array("{\"k\":".utf8) + bytes + Array(",".utf8) + (rng.chance(30) ? Array("\"k\":0".utf8) : Array("\"z\":".utf8) + rng.pick(breakers)) + Array("}".utf8)
        default:
            // Truncate, never at the very end.
            bytes = Array(bytes.prefix(rng.int(0..<max(bytes.count, 1)))) + (rng.chance(50) ? [] : rng.pick(breakers))
            if (try? JSONValue(parsing: bytes)) != nil { bytes += Array("}".utf8) }
        }
    }

    /// Structural equality between our tree and Foundation's, numbers by decimal value.
    func matches(_ ours: JSONValue, _ theirs: Any) -> Bool {
        switch ours {
        case .null:
            return theirs is NSNull
        case .bool(let b):
            guard let n = theirs as? NSNumber, isBoolean(n) else { return false }
            return n.boolValue == b
        case .number(let text):
            guard let n = theirs as? NSNumber, !isBoolean(n) else { return false }
            return numbersMatch(text, n)
        case .string(let s):
            return (theirs as? String).map(withoutBOM) == withoutBOM(s)
        case .array(let elements):
            guard let array = theirs as? [Any], array.count == elements.count else { return false }
            return zip(elements, array).allSatisfy { matches($0, $1) }
        case .object(let members):
            guard let dictionary = theirs as? [String: Any] else { return false }
            // Keys that differ only by a U+FEFF that Foundation drops collide there: skip.
            if Set(members.map { withoutBOM($0.key) }).count != members.count { return true }
            guard dictionary.count == members.count else { return false }
            let byKey = Dictionary(dictionary.map { (withoutBOM($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
            return members.allSatisfy { member in byKey[withoutBOM(member.key)].map { matches(member.value, $0) } ?? false }
        }
    }

    /// JSONSerialization drops a U+FEFF that starts a string or follows an escape (it decodes
    /// each run of raw bytes as if it might begin with a byte order mark); we keep it, as the
    /// RFC requires. Strings are compared without it.
    func withoutBOM(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != "\u{FEFF}" }))
    }

    /// JSONSerialization gives booleans as a private NSNumber subclass.
    func isBoolean(_ n: NSNumber) -> Bool {
        String(describing: type(of: n)) == "__NSCFBoolean"
    }

    /// Foundation keeps integers exactly and other numbers as Double (or Decimal); compare
    /// with the text's decimal value, or with its nearest Double when Foundation went there.
    func numbersMatch(_ text: String, _ n: NSNumber) -> Bool {
        if let decimal = n as? NSDecimalNumber, let ours = Decimal(string: text) {
            return decimal.decimalValue == ours
        }
        if let exact = Int64(text), String(cString: n.objCType) != "d" {
            return n.int64Value == exact
        }
        guard let ours = Double(text) else { return false }
        return n.doubleValue == ours || Decimal(string: text) == n.decimalValue
    }
}
