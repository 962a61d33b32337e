import Testing
import JSONBytes

/// `JSONPathSet` finds in one walk exactly what `lookup` finds path by path.
@Suite("JSON path sets")
struct PathSetTests {
    /// The tape index of each path's node, as one walk finds them.
    func resolve(_ paths: [JSONPath], under node: JSONNode) -> [Int] {
        let set = JSONPathSet(paths)
        var found = [Int](repeating: -2, count: paths.count)
        found.withUnsafeMutableBufferPointer { set.resolve(in: node, into: $0) }
        return found
    }

    func lookedUp(_ paths: [JSONPath], under node: JSONNode) -> [Int] {
        paths.map { node.lookup($0)?.index ?? -1 }
    }

    @Test func findsWhatLookupFinds() throws {
        let document = try JSONDocument(parsing: #"""
        {"id":"evt_1","customer":{"id":"cus_1","address":{"country":"ES"}},"items":[{"sku":"A"}],
         "n\u0061me":"escaped key","plain":null,"list":[1,2],"deep":{"a":{"b":{"c":3}}}}
        """#)
        let paths = try ["$.id", "customer.id", "$.customer.address.country", "$.customer", "$.name", "$.plain", "$.list",
                         "$.deep.a.b.c", "$.deep.a", "$.missing", "$.customer.missing", "$.list.x", "$.id.x", #"$["n\u0061me"]"#]
            .map { try JSONPath($0) }
        #expect(paths.allSatisfy(JSONPathSet.canHold))
        #expect(resolve(paths, under: document.root) == lookedUp(paths, under: document.root))
        #expect(resolve(paths, under: document.root)[4] >= 0, "a key written with an escape still matches")
    }

    @Test func relativeToAnElement() throws {
        let document = try JSONDocument(parsing: #"{"items":[{"sku":"A","v":{"g":"B"}},{"v":7},3]}"#)
        let paths = try ["sku", "v.g", "v"].map { try JSONPath($0) }
        for element in try #require(document.root.member("items")).elements {
            #expect(resolve(paths, under: element) == lookedUp(paths, under: element))
        }
    }

    @Test func aRepeatedKeyCountsOnceAsInALookup() throws {
        let options = JSONParseOptions(allowDuplicateKeys: true)
        let document = try JSONDocument(parsing: #"{"a":{"x":1},"a":{"y":2},"b":1,"b":2}"#, options: options)
        let paths = try ["a.x", "a.y", "b"].map { try JSONPath($0) }
        let found = resolve(paths, under: document.root)
        #expect(found == lookedUp(paths, under: document.root))
        #expect(found[1] == -1, "the second `a` is not searched")
    }

    @Test func moreThanSixtyFourKeysUnderOneObject() throws {
        let options = JSONParseOptions(allowDuplicateKeys: true)
        let members = (0..<80).map { "\"k\($0)\":\($0)" } + ["\"k70\":-1"]
        let document = try JSONDocument(parsing: "{" + members.joined(separator: ",") + "}", options: options)
        let paths = try (0..<80).map { try JSONPath("$.k\($0)") }
        let found = resolve(paths, under: document.root)
        #expect(found == lookedUp(paths, under: document.root))
        #expect(document.root.node(atTapeIndex: found[70]).int64Value == 70)
    }

    @Test func randomDocuments() throws {
        var random = RandomJSON(seed: 7)
        for _ in 0..<300 {
            let value = random.value(maxDepth: 3)
            let document = try JSONDocument(parsing: random.spell(value))
            // Paths from the keys actually present, plus some that are not.
            var paths: [JSONPath] = []
            func collect(_ node: JSONNode, _ prefix: [JSONPath.Segment]) {
                for (key, child) in node.members {
                    let path = prefix + [.key(JSONKey(utf8: key.stringBytes ?? []))]
                    paths.append(JSONPath(isAbsolute: true, segments: path))
                    if paths.count < 40 { collect(child, path) }
                }
            }
            collect(document.root, [])
            paths.append(JSONPath(isAbsolute: true, segments: [.key("absent")]))
            #expect(resolve(paths, under: document.root) == lookedUp(paths, under: document.root))
        }
    }

    @Test func tapeViewReadsWhatNodesRead() throws {
        let document = try JSONDocument(parsing: #"{"s":"a\nb","n":-1.50,"t":true,"f":false,"z":null,"a":[1,{"x":2}],"o":{}}"#)
        document.root.withTapeView { view in
            for (_, value) in document.root.members {
                #expect(view.kind(value.index) == value.kind)
                #expect(view.bool(value.index) == value.bool)
                #expect(view.hasEscapes(value.index) == value.hasEscapes)
                #expect(Array(view.rawBytes(value.index)) == Array(value.rawBytes))
                #expect(view.next(after: value.index) > value.index)
            }
            let array = try! #require(document.root.member("a"))
            let range = view.elements(of: array.index)
            var indices: [Int] = []
            var index = range.first
            while index < range.end {
                indices.append(index)
                index = view.next(after: index)
            }
            #expect(indices == array.elements.map(\.index))
            #expect(view.elements(of: document.root.index) == (0, 0) || view.elements(of: document.root.index).first == 0)
        }
    }
}
