import Testing
import JSONBytes

let sampleEvent = #"{"event_id":"evt_00000007","event_type":"return.status_changed","occurred_at":"2025-03-01T08:00:49Z","return_id":"ret_4421337","order_id":"wc_100231","return_type":"refund","status":"inspected","currency":"EUR","customer":{"id":"cus_004512","country":"ES"},"items":[{"line_id":"li_1","sku":"RV-1004","quantity":2,"unit_price":"29.95","inspection_grade":"A"},{"line_id":"li_2","sku":"RV-1005","quantity":1,"unit_price":"5.00","inspection_grade":null}]}"#

@Suite("Documents and nodes")
struct DocumentTests {
    @Test func navigatesAnEvent() throws {
        let document = try parse(sampleEvent)
        let root = document.root
        #expect(root.kind == .object)
        #expect(root.count == 10)
        #expect(root.member("status")?.stringValue == "inspected")
        #expect(root.member("status" as StaticString)?.equals("inspected") == true)
        #expect(root.member(JSONKey("currency"))?.equals(JSONKey("EUR")) == true)
        #expect(root["customer"]?["country"]?.stringValue == "ES")
        #expect(root.member("missing") == nil)
        let items = try #require(root.member("items"))
        #expect(items.kind == .array)
        #expect(items.count == 2)
        #expect(items.elements.map { $0.member("sku")?.stringValue } == ["RV-1004", "RV-1005"])
        #expect(items[1]?.member("inspection_grade")?.isNull == true)
        #expect(items[0]?.member("quantity")?.int64Value == 2)
        #expect(items[0]?.member("unit_price")?.stringValue == "29.95")
        #expect(items[2] == nil)
        #expect(items[-1] == nil)
        #expect(root.members.map { $0.key.stringValue ?? "" }.prefix(3) == ["event_id", "event_type", "occurred_at"])
    }

    @Test func kindsAndScalars() throws {
        let root = try parse(#"[null,true,false,"s",-1.5,{},[]]"#).root
        #expect(root.elements.map(\.kind) == [.null, .bool, .bool, .string, .number, .object, .array])
        #expect(root[0]?.isNull == true)
        #expect(root[1]?.bool == true)
        #expect(root[2]?.bool == false)
        #expect(root[3]?.bool == nil)
        #expect(root[3]?.stringValue == "s")
        #expect(root[4]?.stringValue == nil)
        #expect(root[4]?.numberText == "-1.5")
        #expect(root[3]?.numberText == nil)
        #expect(root[5]?.count == 0)
        #expect(root[6]?.count == 0)
        #expect(root[3]?.count == 0)
        #expect(root[5]?.member("a") == nil)
        #expect(root.member("a") == nil)
        #expect(root[6]?.elements.map(\.index) == [])
        #expect(root[5]?.members.map(\.key.index) == [])
    }

    @Test func stringsKeepRawBytesAndDecodeEscapes() throws {
        let root = try parse(#"{"plain":"abc","esc":"a\"b\\c\/d\n\u00e9\uD83D\uDE00","k\u0065y":1}"#).root
        let plain = try #require(root.member("plain"))
        #expect(!plain.hasEscapes)
        #expect(Array(plain.rawBytes) == Array("abc".utf8))
        let escaped = try #require(root.member("esc"))
        #expect(escaped.hasEscapes)
        #expect(escaped.stringValue == "a\"b\\c/d\né😀")
        #expect(escaped.equals("a\"b\\c/d\né😀"))
        #expect(!escaped.equals("a\"b\\c/d\né"))
        #expect(!escaped.equals("a\"b\\c/d\né😀x"))
        #expect(escaped.equals(utf8: Array("a\"b\\c/d\né😀".utf8)))
        #expect(String(decoding: escaped.rawBytes, as: UTF8.self) == #"a\"b\\c\/d\n\u00e9\uD83D\uDE00"#)
        // Keys are decoded before comparison too.
        #expect(root.member("key")?.int64Value == 1)
        #expect(root.member(JSONKey("key"))?.int64Value == 1)
        #expect(!plain.equals("ab"))
        #expect(root.member("plain")?.equals("abc" as StaticString) == true)
        #expect(try parse("1").root.equals("1") == false)
    }

    @Test func byteRangesAreRelativeToTheDocument() throws {
        let buffer = Array(#"garbage{"a":[10,"xy"]}trailing"#.utf8)
        let document = try JSONDocument(parsing: buffer[7..<22])
        let array = try #require(document.root.member("a"))
        #expect(document.root.byteRange == 0..<15)
        #expect(array.byteRange == 5..<14)
        #expect(array[0]?.byteRange == 6..<8)
        #expect(array[1]?.byteRange == 10..<12)
        #expect(String(decoding: array.rawBytes, as: UTF8.self) == #"[10,"xy"]"#)
        #expect(array[1]?.withUnsafeRawBytes { Array($0) } == Array("xy".utf8))
        #expect(document.location(ofByteOffset: 10) == (1, 11))
    }

    @Test func parsesFromEveryEntryPoint() throws {
        let text = #"{"a":[1,2]}"#
        let bytes = Array(text.utf8)
        #expect(try JSONDocument(parsing: bytes).root.member("a")?.count == 2)
        #expect(try JSONDocument(parsing: text).root.member("a")?.count == 2)
        let copied = try bytes.withUnsafeBytes { try JSONDocument(copying: $0) }
        #expect(copied.root.member("a")?.count == 2)
        var parser = JSONParser()
        #expect(try parser.parse(bytes).root.member("a")?.count == 2)
        #expect(try parser.parse(bytes[...]).nodeCount == 5)
    }

    @Test func parsesCallerOwnedMemoryInPlace() throws {
        let text = Array(#"{"a":[1,"x\u0041"],"n":-2.50}"#.utf8)
        var parser = JSONParser()
        for _ in 0..<3 {
            let summary = try text.withUnsafeBytes { raw in
                try parser.withDocument(parsing: raw) { document -> String in
                    let a = document.root.member("a")
                    #expect(String(decoding: document.bytes, as: UTF8.self) == String(decoding: text, as: UTF8.self))
                    #expect(Array(a?[1]?.rawBytes ?? []) == Array(#"x\u0041"#.utf8))
                    #expect(document.location(ofByteOffset: 5) == (1, 6))
                    return "\(a?[0]?.int64Value ?? 0) \(a?[1]?.stringValue ?? "") \(document.root.member("n")?.numberText ?? "")"
                }
            }
            #expect(summary == "1 xA -2.50")
        }
        // Errors are thrown before the closure runs, located as usual.
        var ran = false
        do {
            try Array("[1,]".utf8).withUnsafeBytes { raw in
                try parser.withDocument(parsing: raw) { _ in ran = true }
            }
            Issue.record("expected an error")
        } catch let error as JSONSyntaxError {
            #expect(error.kind == .trailingCommaInArray)
            #expect(error.byteOffset == 3)
        }
        #expect(!ran)
        // The parser goes back to ordinary documents afterwards.
        #expect(try parser.parse(Array("[7]".utf8)).root[0]?.int64Value == 7)
    }

    @Test func reusedParserNeverDisturbsALiveDocument() throws {
        var parser = JSONParser()
        let first = try parser.parse(Array(#"{"n":1}"#.utf8))
        let second = try parser.parse(Array(#"{"n":2,"m":[3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}"#.utf8))
        #expect(first.root.member("n")?.int64Value == 1)
        #expect(second.root.member("n")?.int64Value == 2)
        // A failed parse leaves the parser usable and earlier documents intact.
        #expect(throws: JSONSyntaxError.self) { _ = try parser.parse(Array("[1,".utf8)) }
        #expect(second.root.member("m")?.count == 18)
        for n in 0..<100 {
            let document = try parser.parse(Array(#"{"n":\#(n)}"#.utf8))
            #expect(document.root.member("n")?.int64Value == Int64(n))
        }
    }

    @Test func manyNodesGrowTheTape() throws {
        let text = "[" + (0..<10_000).map { #"{"i":\#($0),"s":"v\#($0)"}"# }.joined(separator: ",") + "]"
        let document = try parse(text)
        #expect(document.root.count == 10_000)
        #expect(document.nodeCount == 1 + 10_000 * 5)
        #expect(document.root[9_999]?.member("s")?.stringValue == "v9999")
        var sum: Int64 = 0
        for element in document.root.elements { sum += element.member("i")?.int64Value ?? 0 }
        #expect(sum == 49_995_000)
    }

    @Test func nodePathsPointBackToTheNode() throws {
        let document = try parse(#"{"a":{"b c":[0,{"d":true}]},"e":1}"#)
        let d = try #require(document.root.member("a")?.member("b c")?[1]?.member("d"))
        #expect(d.path.description == #"$.a["b c"][1].d"#)
        #expect(document.lookup(d.path)?.index == d.index)
        #expect(document.root.path.description == "$")
        let (key, _) = try #require(document.root.members.first { $0.key.equals("e") })
        #expect(key.path.description == "$.e")
    }

    @Test func documentsAreSendable() async throws {
        let document = try parse(sampleEvent)
        let status = await Task.detached { document.root.member("status")?.stringValue }.value
        #expect(status == "inspected")
    }
}

@Suite("Exact numbers")
struct NumberTests {
    @Test func numberTextIsKeptExactly() throws {
        for text in ["123456789012345678901234567890.123456789", "-0", "1e400", "0.1", "29.95", "-1.50",
                     "1E+2", "1e-400", "5.00", "100"] {
            let root = try parse("[\(text)]").root
            #expect(root[0]?.numberText == text)
            #expect(root[0].map { Array($0.numberBytes ?? []) } == Array(text.utf8))
            #expect(JSONValue(root[0]!) == .number(text))
        }
    }

    @Test func int64ValueIsExactOrNil() throws {
        let cases: [(String, Int64?)] = [
            ("0", 0), ("-0", 0), ("42", 42), ("-42", -42),
            ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min),
            ("9223372036854775808", nil), ("-9223372036854775809", nil),
            ("99999999999999999999", nil), ("12345678901234567890123", nil),
            ("1.0", nil), ("1e2", nil), ("2.5", nil),
        ]
        for (text, expected) in cases {
            let node = try parse(text).root
            #expect(node.int64Value == expected, "\(text)")
            #expect(node.isInteger == !(text.contains(".") || text.contains("e")))
        }
        #expect(try parse(#""42""#).root.int64Value == nil)
        #expect(try parse("7").root.intValue == 7)
    }

    @Test func numbersSurviveTheWriterUnchanged() throws {
        let text = #"{"a":123456789012345678901234567890.123456789,"b":-0,"c":1e400,"d":1E-7}"#
        var writer = JSONWriter()
        writer.value(try parse(text).root)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == text)
    }
}
