import Testing
import JSONBytes

private func text(_ writer: JSONWriter) -> String {
    String(decoding: writer.bytes, as: UTF8.self)
}

private func writeSample(_ writer: inout JSONWriter) {
    writer.beginObject()
    writer.key("event_id"); writer.string("evt_1")
    writer.key("amount"); writer.rawNumber("59.90")
    writer.key("count"); writer.int(-42)
    writer.key("big"); writer.uint(UInt64.max)
    writer.key("ok"); writer.bool(true)
    writer.key("no"); writer.bool(false)
    writer.key("none"); writer.null()
    writer.key("empty_object"); writer.beginObject(); writer.endObject()
    writer.key("empty_array"); writer.beginArray(); writer.endArray()
    writer.key("lines")
    writer.beginArray()
    writer.int(1)
    writer.beginObject(); writer.key("sku"); writer.string("RV-1"); writer.endObject()
    writer.beginArray(); writer.int(Int64.min); writer.endArray()
    writer.endArray()
    writer.endObject()
}

@Suite("JSONWriter")
struct WriterTests {
    @Test func compactOutput() {
        var writer = JSONWriter()
        writeSample(&writer)
        #expect(writer.isComplete)
        #expect(text(writer) == #"{"event_id":"evt_1","amount":59.90,"count":-42,"big":18446744073709551615,"ok":true,"no":false,"none":null,"empty_object":{},"empty_array":[],"lines":[1,{"sku":"RV-1"},[-9223372036854775808]]}"#)
    }

    @Test func prettyOutputForGoldenFiles() {
        var writer = JSONWriter(style: .pretty)
        writeSample(&writer)
        let expected = """
        {
          "event_id": "evt_1",
          "amount": 59.90,
          "count": -42,
          "big": 18446744073709551615,
          "ok": true,
          "no": false,
          "none": null,
          "empty_object": {},
          "empty_array": [],
          "lines": [
            1,
            {
              "sku": "RV-1"
            },
            [
              -9223372036854775808
            ]
          ]
        }
        """
        #expect(text(writer) == expected)
    }

    @Test func prettyAndCompactParseToTheSameValue() throws {
        var compact = JSONWriter()
        var pretty = JSONWriter(style: .pretty)
        writeSample(&compact)
        writeSample(&pretty)
        #expect(try JSONValue(parsing: compact.bytes) == JSONValue(parsing: pretty.bytes))
    }

    @Test func stringEscaping() throws {
        var writer = JSONWriter()
        let tricky = "q\"b\\s/\n\r\t\u{08}\u{0C}\u{00}\u{01}\u{1F}\u{7F}é€😀\u{2028}"
        writer.string(tricky)
        #expect(text(writer) == #""q\"b\\s/\n\r\t\b\f\u0000\u0001\u001f"# + "\u{7F}é€😀\u{2028}\"")
        #expect(try parse(text(writer)).root.stringValue == tricky)
    }

    @Test func integersOfEverySize() throws {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, 12_345, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
        var rng = SplitMix64(seed: 7)
        for _ in 0..<1000 { values.append(Int64(bitPattern: rng.next()) >> Int64(rng.int(0..<63))) }
        for value in values {
            var writer = JSONWriter()
            writer.int(value)
            #expect(text(writer) == String(value))
            #expect(try parse(text(writer)).root.int64Value == value)
        }
    }

    @Test func keysAreEscapedAndAcceptEveryForm() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("a\"b"); writer.null()
        writer.key("static" as StaticString); writer.null()
        writer.key(JSONKey("k")); writer.null()
        writer.endObject()
        #expect(text(writer) == #"{"a\"b":null,"static":null,"k":null}"#)
    }

    @Test func rawNumberKeepsText() {
        var writer = JSONWriter()
        writer.beginArray()
        for number in ["0", "-0", "29.95", "1e400", "123456789012345678901234567890.123456789", "1E-7"] {
            writer.rawNumber(number)
        }
        writer.rawNumber(utf8: Array("5.00".utf8)[...])
        writer.endArray()
        #expect(text(writer) == "[0,-0,29.95,1e400,123456789012345678901234567890.123456789,1E-7,5.00]")
    }

    @Test func jsonLinesOutput() throws {
        var writer = JSONWriter()
        for i in 0..<3 {
            writer.beginObject(); writer.key("i"); writer.int(i); writer.endObject()
            writer.newline()
        }
        #expect(text(writer) == "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n")
        #expect(Array(JSONLines(writer.bytes)).count == 3)
        writer.reset()
        #expect(writer.bytes.isEmpty)
        writer.null()
        #expect(text(writer) == "null")
    }

    @Test func copyingParsedNodesNormalisesEscapes() throws {
        let source = #"{ "a\u0062" : [ "x\/y" , 1.50 , {"k" : null} , [ ] , { } ], "t":true,"f":false }"#
        let root = try parse(source).root
        var compact = JSONWriter()
        compact.value(root)
        #expect(text(compact) == #"{"ab":["x/y",1.50,{"k":null},[],{}],"t":true,"f":false}"#)
        var pretty = JSONWriter(style: .pretty)
        pretty.value(root)
        #expect(text(pretty) == """
        {
          "ab": [
            "x/y",
            1.50,
            {
              "k": null
            },
            [],
            {}
          ],
          "t": true,
          "f": false
        }
        """)
        // A node inside an object or array can be copied on its own, or as a member value.
        var part = JSONWriter()
        part.beginObject()
        part.key("copy")
        part.value(try #require(root.member("ab")?[2]))
        part.endObject()
        #expect(text(part) == #"{"copy":{"k":null}}"#)
    }
}

@Suite("JSONValue")
struct ValueTests {
    @Test func buildsAnOrderedTree() throws {
        let value = try JSONValue(parsing: #"{"b":1,"a":[true,null,"x",2.50]}"#)
        let expected: JSONValue = ["b": 1, "a": [true, nil, "x", .number("2.50")]]
        #expect(value == expected)
        #expect(value["a"]?[3] == .number("2.50"))
        #expect(value["a"]?[4] == nil)
        #expect(value["zzz"] == nil)
        #expect(value[0] == nil)
        #expect(value.description == #"{"b":1,"a":[true,null,"x",2.50]}"#)
    }

    @Test func equalityIsExact() throws {
        #expect(JSONValue.number("1.0") != .number("1"))
        #expect(JSONValue.object([("a", 1), ("b", 2)]) != .object([("b", 2), ("a", 1)]))
        #expect(JSONValue.array([1, 2]) != .array([1]))
        #expect(JSONValue.string("1") != .number("1"))
        #expect(try JSONValue(parsing: "[1, 2]") == JSONValue(parsing: "[1,2]"))
    }

    @Test func serializesCompactAndPretty() throws {
        let value: JSONValue = ["amount": .number("29.95"), "lines": [], "meta": [:]]
        #expect(String(decoding: value.serialized(), as: UTF8.self) == #"{"amount":29.95,"lines":[],"meta":{}}"#)
        #expect(String(decoding: value.serialized(pretty: true), as: UTF8.self) == "{\n  \"amount\": 29.95,\n  \"lines\": [],\n  \"meta\": {}\n}")
    }

    @Test func keepsDuplicateKeysWhenAllowed() throws {
        let value = try JSONValue(parsing: Array(#"{"a":1,"a":2}"#.utf8), options: JSONParseOptions(allowDuplicateKeys: true))
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["a", "a"])
        #expect(value["a"] == 1)
    }

    @Test func parseErrorsAreTyped() {
        do {
            _ = try JSONValue(parsing: "[1,]")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .trailingCommaInArray)
        }
    }
}
