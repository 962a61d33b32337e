import JSONBytes
import ReturnRulesLanguage

/// Applies a checked rule file's payload mapping to one JSON event, producing the canonical
/// `EventRecord` the rules read.
///
/// Money never passes through Double: an amount is parsed from its JSON text (string or number
/// token) straight into minor units of the event's currency, and an amount with more decimals
/// than the currency has is an error, not a rounding. A required field that is missing, or a
/// value of the wrong kind, is an `IntakeError` naming the JSON path.
///
/// The hot path works on bytes: text is copied from the JSON token into the record's text store,
/// enum values and value tables are matched on the token's bytes, and nothing is allocated per
/// field (an `IntakeError` is built only when a field fails).
public struct PayloadMapper: Sendable {
    /// One mapped field, compiled. A class, so walking the targets copies a reference.
    final class Target: Sendable {
        let name: String
        let slot: Int
        let type: ValueType
        let required: Bool
        let table: ValueTable?
        let path: JSONPath
        let pathText: String
        /// For enum fields: each member's UTF-8 bytes, by member index.
        let members: [[UInt8]]
        let enumName: String

        init(name: String, slot: Int, type: ValueType, required: Bool, table: ValueTable?, path: JSONPath, pathText: String, enums: [String: [String]]) {
            self.name = name
            self.slot = slot
            self.type = type
            self.required = required
            self.table = table
            self.path = path
            self.pathText = pathText
            if case .enumeration(let enumName) = type {
                self.enumName = enumName
                members = (enums[enumName] ?? []).map { Array($0.utf8) }
            } else {
                enumName = ""
                members = []
            }
        }
    }

    final class CollectionTarget: Sendable {
        let name: String
        let slot: Int
        /// The path to the array (the mapping's path without its final `[*]`).
        let arrayPath: JSONPath
        let fields: [Target]

        init(name: String, slot: Int, arrayPath: JSONPath, fields: [Target]) {
            self.name = name
            self.slot = slot
            self.arrayPath = arrayPath
            self.fields = fields
        }
    }

    /// A value table compiled to lookups by JSON kind; text patterns are matched on bytes.
    struct ValueTable: Sendable {
        var strings: [(bytes: [UInt8], assignment: Assignment)] = []
        var numbers: [ExactDecimal: Assignment] = [:]
        var bools: [Bool: Assignment] = [:]
        var null: Assignment?
        var otherwise: Assignment?
    }

    /// A value a table assigns: plain data, or text copied into the event's text store.
    enum MappedValue: Sendable {
        case value(Value)
        case text([UInt8])
    }

    struct Assignment: Sendable {
        var value: MappedValue
        var also: [(slot: Int, value: MappedValue)]
    }

    let eventFields: [Target]
    let collections: [CollectionTarget]
    let eventFieldCount: Int
    /// Fields per element, per collection slot.
    let collectionFieldCounts: [Int]
    let enums: [String: [String]]
    let currencySlot: Int
    public let programCurrency: Currency

    public init(program: CheckedProgram, schema: LanguageSchema = ReturnSchema.schema) {
        enums = program.enums
        programCurrency = program.currency
        eventFieldCount = schema.eventFields.count
        var counts = [Int](repeating: 0, count: schema.collections.count)
        for collection in schema.collections.values { counts[collection.slot] = schema.records[collection.record]?.fields.count ?? 0 }
        collectionFieldCounts = counts
        let currencySlot = schema.eventFields["return.currency"]?.slot ?? -1
        self.currencySlot = currencySlot
        let enums = program.enums
        let operations = ValueOperations(currency: program.currency, rounding: program.rounding)
        func mapped(_ constant: ConstantValue) -> MappedValue {
            if case .string(let text) = constant { return .text(Array(text.utf8)) }
            return .value(operations.value(of: constant, text: { _ in .missing }))
        }
        func table(_ entry: CheckedMappingEntry) -> ValueTable? {
            guard !entry.cases.isEmpty else { return nil }
            var result = ValueTable()
            for valueCase in entry.cases {
                let assignment = Assignment(
                    value: mapped(valueCase.value),
                    also: valueCase.alsoSet.compactMap { also in
                        switch also.target {
                        case .eventField(_, let slot, _), .elementField(_, _, _, let slot, _): (slot, mapped(also.value))
                        case .collection: nil
                        }
                    }
                )
                if valueCase.isOtherwise { result.otherwise = assignment }
                for pattern in valueCase.patterns {
                    switch pattern {
                    case .string(let text): result.strings.append((Array(text.utf8), assignment))
                    case .number(let number): result.numbers[number] = assignment
                    case .bool(let flag): result.bools[flag] = assignment
                    case .null: result.null = assignment
                    }
                }
            }
            return result
        }
        var fields: [Target] = []
        var arrays: [String: (slot: Int, path: JSONPath)] = [:]
        var elementFields: [String: [Target]] = [:]
        for entry in program.mapping {
            guard let path = try? JSONPath(entry.path) else { continue }
            switch entry.target {
            case .eventField(let name, let slot, let type):
                let required = !(schema.eventFields[name]?.optional ?? true)
                fields.append(Target(name: name, slot: slot, type: type, required: required, table: table(entry), path: path, pathText: entry.path, enums: enums))
            case .collection(let name, let slot):
                arrays[name] = (slot, JSONPath(isAbsolute: path.isAbsolute, segments: Array(path.segments.dropLast())))
            case .elementField(let collection, _, let name, let slot, let type):
                let record = schema.collections[collection]!.record
                let required = !(schema.records[record]?.fields[name]?.optional ?? true)
                let elementName = schema.collections[collection]!.elementName
                elementFields[collection, default: []].append(Target(name: "\(elementName).\(name)", slot: slot, type: type, required: required,
                                                                     table: table(entry), path: path, pathText: entry.path, enums: enums))
            }
        }
        // The currency is read first: money fields need its decimals.
        fields.sort { ($0.slot == currencySlot ? 0 : 1, $0.slot) < ($1.slot == currencySlot ? 0 : 1, $1.slot) }
        eventFields = fields
        collections = arrays.map { name, array in
            CollectionTarget(name: name, slot: array.slot, arrayPath: array.path, fields: elementFields[name] ?? [])
        }.sorted { $0.slot < $1.slot }
    }

    /// Maps one parsed event into a new record.
    public func map(_ root: JSONNode) -> Result<EventRecord, IntakeError> {
        var record = EventRecord(fieldCount: eventFieldCount, collectionFieldCounts: collectionFieldCounts)
        if let error = map(root, into: &record) { return .failure(error) }
        return .success(record)
    }

    /// Maps one parsed event into `record`, reusing its storage (a stream maps every event into
    /// the same record). The currency of money fields is the event's own `return.currency` when
    /// it is an ISO 4217 code (the planner sends events in another currency than the rule file's
    /// to review), else the rule file's.
    public func map(_ root: JSONNode, into record: inout EventRecord) -> IntakeError? {
        record.reset(fieldCount: eventFieldCount, collectionFieldCounts: collectionFieldCounts)
        var currency = programCurrency
        for target in eventFields {
            if let failure = convert(root.lookup(target.path), target, currency: currency, into: &record, base: nil) {
                return failure.error(target, path: target.pathText)
            }
            if target.slot == currencySlot, case .text(let span) = record.fields[target.slot] {
                guard let found = Currency.iso4217(utf8: record.bytes(span)) else {
                    return IntakeError("`\(record.string(record.fields[target.slot]) ?? "")` is not an ISO 4217 currency code", at: target.pathText)
                }
                currency = found
            }
        }
        for collection in collections {
            record.beginCollection(collection.slot)
            guard let array = root.lookup(collection.arrayPath), !array.isNull else { continue }
            guard array.kind == .array else {
                return IntakeError("expected an array for `\(collection.name)`, found \(array.kind)", at: collection.arrayPath.description)
            }
            var position = 0
            for element in array.elements {
                let base = record.appendElement(to: collection.slot)
                let isObject = element.kind == .object
                for target in collection.fields {
                    if let failure = convert(isObject ? element.lookup(target.path) : nil, target, currency: currency, into: &record, base: base) {
                        return failure.error(target, path: "\(collection.arrayPath.description)[\(position)].\(target.pathText)")
                    }
                }
                position += 1
            }
        }
        return nil
    }

    /// Why a field could not be converted; turned into an `IntakeError` only on failure.
    enum Failure {
        case missing
        case null
        case mapsToNone
        case wrongKind(expected: String, found: String)
        case tooManyDecimals(found: Int, allowed: Int, text: String, currency: String)
        case badAmount(text: String, reason: String)
        case unknownMember(text: String, listed: String)

        func error(_ target: Target, path: String) -> IntakeError {
            switch self {
            case .missing: IntakeError("required field `\(target.name)` is missing", at: path)
            case .null: IntakeError("required field `\(target.name)` is null", at: path)
            case .mapsToNone: IntakeError("required field `\(target.name)` maps to none", at: path)
            case .wrongKind(let expected, let found): IntakeError("expected \(expected) for `\(target.name)`, found \(found)", at: path)
            case .tooManyDecimals(let found, let allowed, let text, let currency):
                IntakeError("amount \(text) has \(found) decimals; \(currency) has \(allowed)", at: path)
            case .badAmount(let text, let reason): IntakeError("expected an amount for `\(target.name)`, found \(text) (\(reason))", at: path)
            case .unknownMember(let text, let listed):
                IntakeError("unknown \(target.enumName) value \"\(text)\" for `\(target.name)` (\(listed)); map it in the rule file's `mapping` block", at: path)
            }
        }
    }

    /// Converts one JSON value into its slot (and the slots its value table also sets): an
    /// event field when `base` is nil, else a field of the element starting at `base`.
    func convert(_ node: JSONNode?, _ target: Target, currency: Currency, into record: inout EventRecord, base: Int?) -> Failure? {
        @inline(__always) func store(_ slot: Int, _ value: Value) {
            if let base { record.elements[base + slot] = value } else { record.fields[slot] = value }
        }
        func assign(_ slot: Int, _ value: MappedValue) {
            switch value {
            case .value(let plain): store(slot, plain)
            case .text(let bytes): store(slot, bytes.withUnsafeBufferPointer { record.appendText($0) })
            }
        }
        if let table = target.table, let node, let assignment = lookup(table, node) {
            assign(target.slot, assignment.value)
            for also in assignment.also { assign(also.slot, also.value) }
            if case .value(.missing) = assignment.value, target.required { return .mapsToNone }
            return nil
        }
        guard let node, !node.isNull else {
            if target.required { return node == nil ? .missing : .null }
            store(target.slot, .missing)
            return nil
        }
        switch target.type {
        case .string:
            switch node.kind {
            case .string:
                if node.hasEscapes {
                    store(target.slot, (node.stringBytes ?? []).withUnsafeBufferPointer { record.appendText($0) })
                } else {
                    // No escapes: the token's bytes (without quotes) are the text.
                    store(target.slot, node.withUnsafeRawBytes { record.appendText($0) })
                }
                return nil
            case .number:
                store(target.slot, node.withUnsafeRawBytes { record.appendText($0) })
                return nil
            default:
                return .wrongKind(expected: "text", found: "\(node.kind)")
            }
        case .number:
            let parsed: Result<ExactDecimal, ExactDecimalParseError>
            switch node.kind {
            case .number, .string where !node.hasEscapes: parsed = node.withUnsafeRawBytes { ExactDecimal.parse($0) }
            default: return .wrongKind(expected: "a number", found: describe(node))
            }
            guard case .success(let value) = parsed else { return .wrongKind(expected: "a number", found: describe(node)) }
            store(target.slot, .number(value))
            return nil
        case .money:
            let result: Result<Money, MoneyParseError>
            switch node.kind {
            case .number, .string where !node.hasEscapes: result = node.withUnsafeRawBytes { Money.parse($0, currency: currency) }
            case .string: result = Money.parse(node.stringBytes ?? [], currency: currency)
            default: return .wrongKind(expected: "an amount", found: "\(node.kind)")
            }
            switch result {
            case .success(let money):
                store(target.slot, .money(money.minorUnits))
                return nil
            case .failure(.tooManyDecimals(let found, let allowed)):
                return .tooManyDecimals(found: found, allowed: allowed, text: describe(node), currency: currency.code)
            case .failure(let error):
                return .badAmount(text: describe(node), reason: "\(error)")
            }
        case .bool:
            guard let flag = node.bool else { return .wrongKind(expected: "true or false", found: describe(node)) }
            store(target.slot, .bool(flag))
            return nil
        case .enumeration:
            guard node.kind == .string else { return .wrongKind(expected: "a \(target.enumName) value", found: describe(node)) }
            if !node.hasEscapes {
                let index = node.withUnsafeRawBytes { bytes in
                    target.members.firstIndex { member in member.withUnsafeBufferPointer { TextBytes.equal($0, bytes) } }
                }
                if let index {
                    store(target.slot, .member(Int32(index)))
                    return nil
                }
            } else if let text = node.stringValue, let index = (enums[target.enumName] ?? []).firstIndex(of: text) {
                store(target.slot, .member(Int32(index)))
                return nil
            }
            let members = enums[target.enumName] ?? []
            let listed = members.isEmpty ? "none are declared" : "expected one of \(members.joined(separator: ", "))"
            return .unknownMember(text: node.stringValue ?? "", listed: listed)
        default:
            return .wrongKind(expected: "a mappable value", found: "\(node.kind)")
        }
    }

    /// The JSON path a field of one collection element comes from, for messages.
    public func jsonPath(collection: String, index: Int, field: String) -> String {
        guard let target = collections.first(where: { $0.name == collection }) else { return "\(collection)[\(index)].\(field)" }
        let relative = target.fields.first { $0.name.hasSuffix(".\(field)") }?.pathText ?? field
        return "\(target.arrayPath.description)[\(index)].\(relative)"
    }

    func lookup(_ table: ValueTable, _ node: JSONNode) -> Assignment? {
        switch node.kind {
        case .string:
            if node.hasEscapes {
                let bytes = node.stringBytes ?? []
                for entry in table.strings where entry.bytes == bytes { return entry.assignment }
            } else {
                let found = node.withUnsafeRawBytes { raw in
                    table.strings.first { entry in entry.bytes.withUnsafeBufferPointer { TextBytes.equal($0, raw) } }
                }
                if let found { return found.assignment }
            }
        case .number:
            if let bytes = node.numberBytes, case .success(let number) = ExactDecimal.parse(bytes), let found = table.numbers[number] { return found }
        case .bool: if let flag = node.bool, let found = table.bools[flag] { return found }
        case .null: if let found = table.null { return found }
        default: break
        }
        return node.isNull ? nil : table.otherwise
    }

    func describe(_ node: JSONNode) -> String {
        switch node.kind {
        case .string: return "\"\(node.stringValue ?? "")\""
        case .number: return node.numberText ?? "a number"
        default: return "\(node.kind)"
        }
    }
}
