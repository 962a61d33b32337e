import JSONBytes
import ReturnRulesLanguage

/// Why a store snapshot could not be loaded: the file (relative to the store directory), the
/// JSON path inside it and the problem, so a consultant can open the export and fix it.
///
/// `description` reads
/// `orders/5123.json: $.line_items[1].total: amount "80.001" has 3 decimals; EUR has 2`.
public struct StoreLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What sort of problem it is; tests and tools match on this, people read `message`.
    public enum Kind: Sendable, Hashable {
        /// A file or directory could not be read.
        case unreadable
        /// The file is not JSON.
        case syntax
        /// A required field is absent or null.
        case missingField
        /// A field holds the wrong JSON kind (a number where a string belongs, …).
        case wrongType
        /// A field has the right kind but a value that cannot be right (an amount with too many
        /// decimals, an unknown currency, a positive quantity on a refund line).
        case invalidValue
        /// Files that contradict each other or the layout (refunds for an order that is not
        /// there, a WooCommerce error body saved in place of an order).
        case inconsistent
    }

    /// What sort of problem it is.
    public var kind: Kind
    /// The file, relative to the store directory: `orders/5123.json`.
    public var file: String
    /// The JSON path of the offending value, e.g. `$.line_items[1].total`; nil when the problem
    /// is the file as a whole.
    public var jsonPath: String?
    /// The problem, in lower-case English.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, file: String, jsonPath: String?, message: String) {
        self.kind = kind
        self.file = file
        self.jsonPath = jsonPath
        self.message = message
    }

    /// `file: path: message`, or `file: message` when no path applies.
    public var description: String {
        if let jsonPath { return "\(file): \(jsonPath): \(message)" }
        return "\(file): \(message)"
    }

    /// A JSON syntax error, placed in its file.
    static func syntax(_ error: JSONSyntaxError, file: String) -> StoreLoadError {
        StoreLoadError(.syntax, file: file, jsonPath: error.path,
                       message: "JSON syntax error at line \(error.line) column \(error.column): \(error.message)")
    }

    /// `expected X, found Y` for a node of the wrong kind.
    static func wrongType(_ node: JSONNode, file: String, expected: String) -> StoreLoadError {
        StoreLoadError(.wrongType, file: file, jsonPath: node.path.description,
                       message: "expected \(expected), found \(describe(node))")
    }

    /// A short rendering of a value for messages: `string "yes"`, `number 1`, `an object`.
    static func describe(_ node: JSONNode) -> String {
        switch node.kind {
        case .string:
            var text = node.stringValue ?? ""
            if text.count > 40 { text = String(text.prefix(40)) + "…" }
            return "string \(quoted(text))"
        case .number: return "number \(node.numberText ?? "?")"
        case .bool: return node.bool == true ? "true" : "false"
        case .null: return "null"
        case .object: return "an object"
        case .array: return "an array"
        }
    }

    /// Text in JSON quotes, escaped, so odd characters stay visible.
    static func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
