import JSONBytes
import ReturnRulesLanguage

/// One JSON object of a WooCommerce REST response being read field by field. Every failure
/// names the file and the JSON path of the field, and money never passes through Double.
///
/// Conventions, applied the same way to every model:
/// - an absent field and a `null` field are the same (WooCommerce sends `null` for unset
///   values such as `stock_quantity` or `date_paid`);
/// - unknown fields are ignored (responses are large and grow with every release);
/// - amounts are read from their exact text, a string (`"24.20"`) or a number (`20`).
struct WooJSONObject {
    /// The object node.
    let node: JSONNode
    /// The file it came from, relative to the store directory.
    let file: String

    /// Wraps `node`, which must be an object; `what` names it in the error (`an order`).
    init(_ node: JSONNode, file: String, what: String) throws(StoreLoadError) {
        guard node.kind == .object else { throw StoreLoadError.wrongType(node, file: file, expected: what) }
        self.node = node
        self.file = file
    }

    // MARK: - Locating

    /// The path a member has or would have, for messages about absent fields.
    func path(_ key: String) -> String {
        node.path.appending(.key(JSONKey(key))).description
    }

    /// The member's value; nil when absent or null.
    func value(_ key: String) -> JSONNode? {
        guard let value = node.member(key), !value.isNull else { return nil }
        return value
    }

    /// The member's value; throws when absent or null.
    func required(_ key: String) throws(StoreLoadError) -> JSONNode {
        guard let value = node.member(key) else {
            throw StoreLoadError(.missingField, file: file, jsonPath: path(key), message: "required field is missing")
        }
        guard !value.isNull else {
            throw StoreLoadError(.missingField, file: file, jsonPath: path(key), message: "required field is null")
        }
        return value
    }

    /// A failure at `node` (a value of this object or below).
    func error(_ kind: StoreLoadError.Kind, at node: JSONNode, _ message: String) -> StoreLoadError {
        StoreLoadError(kind, file: file, jsonPath: node.path.description, message: message)
    }

    // MARK: - Scalars

    /// A required integer (ids, quantities).
    func int(_ key: String) throws(StoreLoadError) -> Int {
        try intValue(try required(key))
    }

    /// An optional integer; nil when absent or null.
    func optionalInt(_ key: String) throws(StoreLoadError) -> Int? {
        guard let value = value(key) else { return nil }
        return try intValue(value)
    }

    /// An integer with a default for absent or null.
    func int(_ key: String, default fallback: Int) throws(StoreLoadError) -> Int {
        try optionalInt(key) ?? fallback
    }

    /// A JSON integer; REST v3 never quotes ids or counts, so a string here is an error.
    func intValue(_ value: JSONNode) throws(StoreLoadError) -> Int {
        guard value.kind == .number else { throw StoreLoadError.wrongType(value, file: file, expected: "an integer") }
        guard let int = value.intValue else {
            throw error(.invalidValue, at: value, "expected a whole number, found \(value.numberText ?? "?")")
        }
        return int
    }

    /// A required string.
    func requiredString(_ key: String) throws(StoreLoadError) -> String {
        let value = try required(key)
        guard let text = value.stringValue else { throw StoreLoadError.wrongType(value, file: file, expected: "a string") }
        return text
    }

    /// A string with a default for absent or null.
    func string(_ key: String, default fallback: String = "") throws(StoreLoadError) -> String {
        guard let value = value(key) else { return fallback }
        guard let text = value.stringValue else { throw StoreLoadError.wrongType(value, file: file, expected: "a string") }
        return text
    }

    /// A boolean with a default for absent or null.
    func bool(_ key: String, default fallback: Bool) throws(StoreLoadError) -> Bool {
        guard let value = value(key) else { return fallback }
        guard let bool = value.bool else { throw StoreLoadError.wrongType(value, file: file, expected: "true or false") }
        return bool
    }

    /// An object member copied out as an owned tree (addresses); nil when absent or null.
    func objectTree(_ key: String) throws(StoreLoadError) -> JSONValue? {
        guard let value = value(key) else { return nil }
        guard value.kind == .object else { throw StoreLoadError.wrongType(value, file: file, expected: "an object") }
        return JSONValue(value)
    }

    /// The member copied out as an owned tree (meta values); `fallback` when absent.
    func json(_ key: String, default fallback: JSONValue) -> JSONValue {
        guard let value = node.member(key) else { return fallback }
        return JSONValue(value)
    }

    // MARK: - Money and decimals

    /// A required amount in `currency`.
    func money(_ key: String, currency: Currency) throws(StoreLoadError) -> Money {
        try moneyValue(try required(key), currency: currency)
    }

    /// An amount with a default for absent or null (trimmed exports leave out zero totals).
    func money(_ key: String, currency: Currency, default fallback: Money) throws(StoreLoadError) -> Money {
        guard let value = value(key) else { return fallback }
        return try moneyValue(value, currency: currency)
    }

    /// An exact amount from a string or number token; more decimals than the currency has is an
    /// error, never a rounding (the 2-decimal REST totals are exact by contract).
    func moneyValue(_ value: JSONNode, currency: Currency) throws(StoreLoadError) -> Money {
        let bytes: [UInt8]
        switch value.kind {
        case .string: bytes = value.stringBytes ?? []
        case .number: bytes = Array(value.numberBytes ?? [])
        default: throw StoreLoadError.wrongType(value, file: file, expected: "an amount (a string such as \"24.20\")")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        switch Money.parse(bytes, currency: currency) {
        case .success(let money):
            return money
        case .failure(.tooManyDecimals(let found, let allowed)):
            throw error(.invalidValue, at: value,
                        "amount \(StoreLoadError.quoted(text)) has \(found) decimals; \(currency.code) has \(allowed)")
        case .failure(.overflow), .failure(.tooManyDigits):
            throw error(.invalidValue, at: value, "amount \(StoreLoadError.quoted(text)) is too large")
        case .failure(.notANumber):
            throw error(.invalidValue, at: value, "expected an amount, found \(StoreLoadError.quoted(text))")
        }
    }

    /// An exact decimal (tax totals with 4–6 decimals, unit prices); nil when absent, null or
    /// the empty string, which WooCommerce uses for "no value" (`"subtotal": ""`).
    func decimal(_ key: String) throws(StoreLoadError) -> ExactDecimal? {
        guard let value = value(key) else { return nil }
        return try decimalValue(value)
    }

    /// See `decimal(_:)`.
    func decimalValue(_ value: JSONNode) throws(StoreLoadError) -> ExactDecimal? {
        let bytes: [UInt8]
        switch value.kind {
        case .string: bytes = value.stringBytes ?? []
        case .number: bytes = Array(value.numberBytes ?? [])
        default: throw StoreLoadError.wrongType(value, file: file, expected: "a decimal number")
        }
        if bytes.isEmpty { return nil }
        switch ExactDecimal.parse(bytes) {
        case .success(let decimal):
            return decimal
        case .failure(let failure):
            let text = StoreLoadError.quoted(String(decoding: bytes, as: UTF8.self))
            switch failure {
            case .empty, .invalidSyntax: throw error(.invalidValue, at: value, "expected a decimal number, found \(text)")
            case .overflow, .tooManyDigits: throw error(.invalidValue, at: value, "decimal \(text) cannot be held exactly")
            }
        }
    }

    // MARK: - Collections

    /// The objects of an array member (`line_items`, `taxes`, …); empty when absent or null.
    func objects(_ key: String, what: String) throws(StoreLoadError) -> [WooJSONObject] {
        guard let value = value(key) else { return [] }
        guard value.kind == .array else { throw StoreLoadError.wrongType(value, file: file, expected: "an array") }
        var result: [WooJSONObject] = []
        for element in value.elements {
            result.append(try WooJSONObject(element, file: file, what: what))
        }
        return result
    }

    /// The integers of an array member (a product's `variations`); empty when absent or null.
    func ints(_ key: String) throws(StoreLoadError) -> [Int] {
        guard let value = value(key) else { return [] }
        guard value.kind == .array else { throw StoreLoadError.wrongType(value, file: file, expected: "an array of ids") }
        var result: [Int] = []
        for element in value.elements { result.append(try intValue(element)) }
        return result
    }

    /// `meta_data`, kept whole.
    func metaData() throws(StoreLoadError) -> [WooMeta] {
        var result: [WooMeta] = []
        for entry in try objects("meta_data", what: "a meta entry (an object)") {
            result.append(WooMeta(id: try entry.optionalInt("id"), key: try entry.requiredString("key"),
                                  value: entry.json("value", default: .null)))
        }
        return result
    }

    /// A line's `taxes[]` as written: `[{id, total, subtotal}]` with exact decimals.
    func taxes(_ key: String = "taxes") throws(StoreLoadError) -> [WooLineTax] {
        var result: [WooLineTax] = []
        for tax in try objects(key, what: "a tax entry (an object)") {
            result.append(WooLineTax(rateID: try tax.int("id"), total: try tax.decimal("total"),
                                     subtotal: try tax.decimal("subtotal")))
        }
        return result
    }
}
