import Testing
import JSONBytes

/// The writer's shortcuts (literal keys, word-at-a-time escaping of short strings, draining
/// without an array) write what the general path writes.
@Suite("JSONWriter fast paths")
struct WriterFastPathTests {
    /// A byte that needs escaping at every position of strings 0…20 bytes long.
    @Test func escapesAreFoundAtEveryPositionOfShortStrings() throws {
        for length in 0...20 {
            for position in 0..<max(length, 1) {
                for special in ["\"", "\\", "\n", "\u{01}", "é"] {
                    var scalars = Array(repeating: "a", count: length)
                    if length > 0 { scalars[position] = special }
                    let text = scalars.joined()
                    var writer = JSONWriter()
                    writer.string(text)
                    #expect(try JSONValue(parsing: writer.bytes) == .string(text), "\(length) \(position) \(special.debugDescription)")
                }
            }
        }
    }

    @Test func literalKeysAndValuesMatchStringOnes() {
        var literal = JSONWriter()
        literal.beginObject()
        literal.key("kind"); literal.string("refund")
        literal.key("a\"b"); literal.string("x\ty")
        literal.endObject()
        var dynamic = JSONWriter()
        let names = ["kind", "refund", "a\"b", "x\ty"]
        dynamic.beginObject()
        dynamic.key(names[0]); dynamic.string(names[1])
        dynamic.key(names[2]); dynamic.string(names[3])
        dynamic.endObject()
        #expect(literal.bytes == dynamic.bytes)
        #expect(String(decoding: literal.bytes, as: UTF8.self) == #"{"kind":"refund","a\"b":"x\ty"}"#)
    }

    @Test func drainHandsOverWhatTakeBytesWould() {
        var drained: [UInt8] = []
        var writer = JSONWriter()
        writer.beginArray()
        writer.int(1)
        writer.drain { drained += $0 }
        #expect(writer.count == 0)
        writer.int(2)
        writer.endArray()
        writer.drain { drained += $0 }
        #expect(String(decoding: drained, as: UTF8.self) == "[1,2]")
    }

    @Test func deepNestingBeyondSixtyFourLevels() throws {
        var writer = JSONWriter()
        for level in 0..<150 {
            if level % 2 == 0 {
                writer.beginObject()
                writer.key("k")
            } else {
                writer.beginArray()
            }
        }
        writer.null()
        for level in (0..<150).reversed() {
            if level % 2 == 0 { writer.endObject() } else { writer.endArray() }
        }
        #expect(writer.isComplete)
        _ = try JSONValue(parsing: writer.bytes, options: JSONParseOptions(maxDepth: 200))
    }
}
