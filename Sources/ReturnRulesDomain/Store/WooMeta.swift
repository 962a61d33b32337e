import JSONBytes
import ReturnRulesLanguage

/// One `meta_data` entry of an order, line item, refund, product or variation.
///
/// The value is kept verbatim: WooCommerce returns what was stored, so the same key can come
/// back as a string (`"801"`), a number (`801`) or, for PHP arrays, an object. The helpers
/// read the common scalar forms without caring which one was used.
public struct WooMeta: Sendable, Equatable {
    /// The meta row id; absent in request bodies and some trimmed exports.
    public var id: Int?
    /// The meta key, e.g. `reveni_return_id` or `_refunded_item_id`.
    public var key: String
    /// The value exactly as the JSON held it.
    public var value: JSONValue

    /// Creates an entry.
    public init(id: Int?, key: String, value: JSONValue) {
        self.id = id
        self.key = key
        self.value = value
    }

    /// The value as text: a string as is, a number as its exact JSON text (`801`, `12.50`);
    /// nil for booleans, null, arrays and objects.
    public var stringValue: String? {
        switch value {
        case .string(let text): return text
        case .number(let text): return text
        default: return nil
        }
    }

    /// The value as an integer, from a JSON integer (`801`) or a string of one (`"801"`);
    /// nil for anything else, including `"801.0"` and `""`.
    public var intValue: Int? {
        switch value {
        case .number(let text), .string(let text): return WooMeta.integer(text)
        default: return nil
        }
    }

    /// Strict decimal-integer text: optional `-`, then digits only (no `+`, spaces or fraction).
    static func integer(_ text: String) -> Int? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(text)
    }
}

extension Array where Element == WooMeta {
    /// The first entry with `key` (WooCommerce allows repeated keys; the first is what
    /// `get_meta($key, true)` returns).
    public func first(key: String) -> WooMeta? {
        first { $0.key == key }
    }

    /// Whether some entry has `key` and a scalar value whose text is `value` (so `"5123"` and
    /// `5123` both match `"5123"`).
    public func contains(key: String, value: String) -> Bool {
        contains { $0.key == key && $0.stringValue == value }
    }
}
