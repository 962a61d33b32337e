import Testing
import JSONBytes

@Suite("JSON paths")
struct PathTests {
    let document: JSONDocument

    init() throws {
        document = try JSONDocument(parsing: #"""
        {"data":{"return":{"status":"received","items":[
          {"sku":"RV-1","quantity":1,"validation":{"grade":"A"}},
          {"sku":"RV-2","quantity":3,"validation":{"grade":"B"}}
        ]}},"name with spaces":{"x\"y":5},"a-b":7,"":{"":8}}
        """#)
    }

    @Test func absolutePathsFindNodes() throws {
        #expect(document.lookup(try JSONPath("$.data.return.status"))?.stringValue == "received")
        #expect(document.lookup(try JSONPath("$.data.return.items[1].quantity"))?.int64Value == 3)
        #expect(document.lookup(try JSONPath(#"$["name with spaces"]["x\"y"]"#))?.int64Value == 5)
        #expect(document.lookup(try JSONPath("$.a-b"))?.int64Value == 7)
        #expect(document.lookup(try JSONPath(#"$[""][""]"#))?.int64Value == 8)
        #expect(document.lookup(try JSONPath("$"))?.kind == .object)
    }

    @Test func missingStepsAndWrongKindsGiveNil() throws {
        #expect(document.lookup(try JSONPath("$.data.nope")) == nil)
        #expect(document.lookup(try JSONPath("$.data.return.items[2]")) == nil)
        #expect(document.lookup(try JSONPath("$.data[0]")) == nil)
        #expect(document.lookup(try JSONPath("$.data.return.status.x")) == nil)
        #expect(document.lookup(try JSONPath("$.data.return.items[*].sku")) == nil)
    }

    @Test func relativePathsApplyToANode() throws {
        let item = try #require(document.lookup(try JSONPath("$.data.return.items[0]")))
        #expect(item.lookup(try JSONPath("validation.grade"))?.stringValue == "A")
        #expect(item.lookup(try JSONPath("@.sku"))?.stringValue == "RV-1")
        #expect(item.lookup(try JSONPath("@"))?.index == item.index)
        let items = try #require(document.lookup(try JSONPath("$.data.return.items")))
        #expect(items.lookup(try JSONPath("[1].sku"))?.stringValue == "RV-2")
        // Absolute paths ignore the node they are applied to.
        #expect(item.lookup(try JSONPath("$.data.return.status"))?.stringValue == "received")
    }

    @Test func wildcardsExpandWhenIterating() throws {
        let skus = document.root.matches(try JSONPath("$.data.return.items[*].sku")).compactMap(\.stringValue)
        #expect(skus == ["RV-1", "RV-2"])
        let grades = document.root.matches(try JSONPath("$.data.return.items.*.validation.grade")).compactMap(\.stringValue)
        #expect(grades == ["A", "B"])
        let values = document.root.matches(try JSONPath("$.data.return[*]"))
        #expect(values.map(\.kind) == [.string, .array])
        var count = 0
        document.root.forEachMatch(try JSONPath("$.data.return.items[*].nope")) { _ in count += 1 }
        #expect(count == 0)
        #expect(try JSONPath("$.a[*]").hasWildcard)
        #expect(try !JSONPath("$.a[0]").hasWildcard)
    }

    @Test func descriptionIsCanonical() throws {
        let cases: [(String, String)] = [
            ("$.data.return.items[*].sku", "$.data.return.items[*].sku"),
            ("$.items[0].quantity", "$.items[0].quantity"),
            (#"$["status"]"#, "$.status"),
            (#"$["name with spaces"]"#, #"$["name with spaces"]"#),
            ("$.a-b", #"$["a-b"]"#),
            ("$.*", "$[*]"),
            ("validation.grade", "validation.grade"),
            ("@.validation", "validation"),
            ("[0].sku", "[0].sku"),
            ("@", "@"),
            ("$", "$"),
            (#"$["\u00e9\n"]"#, #"$["é\n"]"#),
            ("$._x1", "$._x1"),
        ]
        for (text, canonical) in cases {
            let path = try JSONPath(text)
            #expect(path.description == canonical, "\(text)")
            #expect(try JSONPath(canonical) == path, "\(text)")
        }
    }

    @Test func badPathTextReportsAnOffset() {
        let cases: [(String, Int, String)] = [
            ("", 0, "empty path"),
            ("$.", 2, "expected a name after '.'"),
            ("$.a[", 4, "expected a quoted key, an index or '*' after '['"),
            ("$.a[1", 5, "expected ']'"),
            ("$.a[01]", 4, "index has a leading zero"),
            ("$.a[-1]", 4, "expected a quoted key, an index or '*' after '['"),
            (#"$["abc]"#, 2, "unterminated quoted key"),
            (#"$["a\q"]"#, 4, #"invalid quoted key: invalid escape '\q'"#),
            ("$a", 1, "expected '.' or '['"),
            ("$.a b", 3, "expected '.' or '['"),
            ("#a", 0, "expected '$', a name or '['"),
            ("$[99999999999999999999999]", 2, "index too large"),
        ]
        for (text, offset, message) in cases {
            do {
                _ = try JSONPath(text)
                Issue.record("expected \(text) to fail")
            } catch {
                #expect(error.offset == offset, "\(text)")
                #expect(error.message == message, "\(text)")
            }
        }
        #expect(throws: JSONPathError.self) { try JSONPath("$.a[") }
    }
}
