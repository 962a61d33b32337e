/// An owned, order-preserving JSON tree for small documents, fixtures and tests.
///
/// Numbers are kept as their exact text, and two values are equal only if they have the same
/// structure, the same member order, the same strings and the same number text (`1.0` is not
/// `1`). Building and comparing recurse, so keep to documents within the parser's default
/// depth limit; for large input use `JSONDocument` and `JSONNode`.
public enum JSONValue: Sendable, Equatable, CustomStringConvertible {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// The exact number text, e.g. `"29.95"`.
    case number(String)
    /// Decoded text.
    case string(String)
    /// Elements in order.
    case array([JSONValue])
    /// Members in document order; duplicate keys are kept if the parser allowed them.
    case object([(key: String, value: JSONValue)])

    /// Parses bytes into a tree.
    public init(parsing bytes: [UInt8], options: JSONParseOptions = JSONParseOptions()) throws(JSONSyntaxError) {
        self.init(try JSONDocument(parsing: bytes, options: options).root)
    }

    /// Parses text into a tree.
    public init(parsing text: String, options: JSONParseOptions = JSONParseOptions()) throws(JSONSyntaxError) {
        try self.init(parsing: Array(text.utf8), options: options)
    }

    /// Copies a parsed value out of its document.
    public init(_ node: JSONNode) {
        switch node.kind {
        case .null: self = .null
        case .bool: self = .bool(node.bool ?? false)
        case .number: self = .number(node.numberText ?? "0")
        case .string: self = .string(node.stringValue ?? "")
        case .array: self = .array(node.elements.map(JSONValue.init))
        case .object: self = .object(node.members.map { (key: $0.key.stringValue ?? "", value: JSONValue($0.value)) })
        }
    }

    /// The JSON text, compact or pretty (see `JSONWriter.Style`).
    public func serialized(pretty: Bool = false) -> [UInt8] {
        var writer = JSONWriter(style: pretty ? .pretty : .compact)
        write(to: &writer)
        return writer.bytes
    }

    /// Writes this value with `writer`.
    public func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .number(let text): writer.rawNumber(text)
        case .string(let text): writer.string(text)
        case .array(let elements):
            writer.beginArray()
            for element in elements { element.write(to: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for member in members {
                writer.key(member.key)
                member.value.write(to: &writer)
            }
            writer.endObject()
        }
    }

    /// Writes this value into compact JSON being composed (the same bytes as `write(to:)` with
    /// a compact writer).
    public func write(to json: inout CompactJSON) {
        switch self {
        case .null: json.null()
        case .bool(let value): json.bool(value)
        case .number(let text): json.rawNumber(text)
        case .string(let text): json.string(text)
        case .array(let elements):
            json.raw("[")
            for index in elements.indices {
                if index > 0 { json.raw(",") }
                elements[index].write(to: &json)
            }
            json.raw("]")
        case .object(let members):
            json.raw("{")
            for index in members.indices {
                json.key(members[index].key, comma: index > 0)
                members[index].value.write(to: &json)
            }
            json.raw("}")
        }
    }

    /// Compact JSON text.
    public var description: String {
        String(decoding: serialized(), as: UTF8.self)
    }

    /// The value of the first member named `key`; nil if absent or not an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The element at `index`; nil if out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// Equal structure, member order, strings, and number text.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
    /// A boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer number (its decimal text).
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    /// A string (not a number: write `.number("29.95")` for number text).
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object, members in the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { (key: $0.0, value: $0.1) })
    }
}
