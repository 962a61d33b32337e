import JSONBytes
import ReturnRulesLanguage

/// A finding's example: one point of the finite domain, written as the fields that matter,
/// `type=refund status=accepted method=bank_transfer executed_by=reveni`, plus the unknown
/// conditions it depends on (`refund.amount > 400.00 EUR` is false), and optionally a payload
/// fragment that produces it through the file's mapping.
struct Witness {
    /// (label, value) in space order.
    var fields: [(label: String, name: String, value: String)]
    /// Unknown conditions and their values at the point.
    var unknowns: [(text: String, value: Bool)]

    init(point: Int, context: DecisionContext, relevant: Set<String>, atoms: [Int] = []) {
        let space = context.space
        var shown: [(String, String, String)] = []
        for (index, field) in space.fields.enumerated() {
            let always = field.name == "return.type" || field.name == "return.status" || (context.isItem && field.name == "item.grade")
            guard always || relevant.contains(field.name) else { continue }
            shown.append((field.label, field.name, field.valueNames[space.value(index, at: point)]))
        }
        fields = shown
        var values: [(String, Bool)] = []
        for atom in atoms.sorted() {
            if let value = space.atomValue(atom, at: point) { values.append((space.atoms.text(atom), value)) }
        }
        unknowns = values
    }

    init(fields: [(label: String, name: String, value: String)], unknowns: [(text: String, value: Bool)] = []) {
        self.fields = fields
        self.unknowns = unknowns
    }

    /// `type=refund status=accepted method=bank_transfer`.
    var cellText: String { fields.map { "\($0.label)=\($0.value)" }.joined(separator: " ") }

    /// The cell, then the unknowns: "… with `refund.amount > 400.00 EUR` false".
    var text: String {
        guard !unknowns.isEmpty else { return cellText }
        let conditions = unknowns.map { "`\($0.text)` \($0.value ? "true" : "false")" }.joined(separator: ", ")
        return cellText.isEmpty ? conditions : cellText + " with " + conditions
    }

    /// A payload fragment with these values, through the program's mapping; nil when a path is
    /// not a plain `$.a.b` path.
    func payload(mapping: [CheckedMappingEntry]) -> String? {
        var root = PayloadNode.object([])
        var itemFields: [(path: [String], value: JSONValue)] = []
        var itemsPath: [String]?
        for entry in mapping { if case .collection("items", _) = entry.target { itemsPath = PayloadNode.segments(entry.path) } }
        for field in fields {
            guard field.value != "none" else { continue }
            guard let entry = Witness.entry(for: field.name, in: mapping), let path = PayloadNode.segments(entry.path) else { continue }
            let value = Witness.sourceValue(field.value, entry: entry)
            if field.name.hasPrefix("item.") { itemFields.append((path, value)) } else { root.insert(path, value) }
        }
        if !itemFields.isEmpty, let itemsPath, let last = itemsPath.last, last.hasSuffix("[*]") {
            var element = PayloadNode.object([])
            for (path, value) in itemFields { element.insert(path, value) }
            root.insert(Array(itemsPath.dropLast()) + [String(last.dropLast(3))], array: element)
        }
        guard case .object(let members) = root, !members.isEmpty else { return nil }
        return String(decoding: root.json.serialized(pretty: false), as: UTF8.self)
    }

    static func entry(for name: String, in mapping: [CheckedMappingEntry]) -> CheckedMappingEntry? {
        if name.hasPrefix("item.") {
            let fieldName = String(name.dropFirst(5))
            return mapping.first { entry in
                if case .elementField(let collection, _, let field, _, _) = entry.target { return (collection == "items" || collection == "item") && field == fieldName }
                return false
            }
        }
        return mapping.first { entry in
            if case .eventField(let field, _, _) = entry.target { return field == name }
            return false
        }
    }

    /// The payload value that maps to a canonical value: the first source value a value table
    /// maps to it, else the canonical name itself.
    static func sourceValue(_ canonical: String, entry: CheckedMappingEntry) -> JSONValue {
        for valueCase in entry.cases where !valueCase.isOtherwise {
            let target: String? = switch valueCase.value {
            case .enumMember(_, _, let name): name
            case .bool(let flag): flag ? "yes" : "no"
            default: nil
            }
            guard target == canonical, let pattern = valueCase.patterns.first else { continue }
            switch pattern {
            case .string(let text): return .string(text)
            case .number(let number): return .number(number.description)
            case .bool(let flag): return .bool(flag)
            case .null: return .null
            }
        }
        switch canonical {
        case "yes": return .bool(true)
        case "no": return .bool(false)
        default: return .string(canonical)
        }
    }
}

/// A small ordered JSON tree for payload fragments.
indirect enum PayloadNode {
    case value(JSONValue)
    case object([(String, PayloadNode)])
    case array([PayloadNode])

    /// `$.data.return.status` → ["data", "return", "status"]; nil for paths with quotes or indices.
    static func segments(_ path: String) -> [String]? {
        var text = Substring(path)
        if text.hasPrefix("$.") { text = text.dropFirst(2) } else if text.hasPrefix("$") { return nil }
        let parts = text.split(separator: ".").map(String.init)
        for part in parts where part.isEmpty || part.contains("'") || part.contains("\"") || (part.contains("[") && !part.hasSuffix("[*]")) { return nil }
        return parts
    }

    mutating func insert(_ path: [String], _ leaf: JSONValue) { insert(path, node: .value(leaf)) }
    mutating func insert(_ path: [String], array element: PayloadNode) { insert(path, node: .array([element])) }

    mutating func insert(_ path: [String], node: PayloadNode) {
        guard let head = path.first, case .object(var members) = self else { return }
        if path.count == 1 {
            if let index = members.firstIndex(where: { $0.0 == head }) { members[index].1 = node } else { members.append((head, node)) }
        } else {
            var child = members.first(where: { $0.0 == head })?.1 ?? .object([])
            if case .object = child {} else { child = .object([]) }
            child.insert(Array(path.dropFirst()), node: node)
            if let index = members.firstIndex(where: { $0.0 == head }) { members[index].1 = child } else { members.append((head, child)) }
        }
        self = .object(members)
    }

    var json: JSONValue {
        switch self {
        case .value(let value): value
        case .object(let members): .object(members.map { (key: $0.0, value: $0.1.json) })
        case .array(let elements): .array(elements.map(\.json))
        }
    }
}
