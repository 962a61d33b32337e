import JSONBytes
import ReturnRulesLanguage

/// Applies a checked rule file's payload mapping to one JSON event, producing the canonical
/// `EventRecord` the rules read.
///
/// Money never passes through Double: an amount is parsed from its JSON text (string or number
/// token) straight into minor units of the event's currency, and an amount with more decimals
/// than the currency has is an error, not a rounding. A required field that is missing, or a
/// value of the wrong kind, is an `IntakeError` naming the JSON path.
public struct PayloadMapper: Sendable {
    struct Target: Sendable {
        var name: String
        var slot: Int
        var type: ValueType
        var required: Bool
        var table: ValueTable?
        var path: JSONPath
        var pathText: String
    }

    struct CollectionTarget: Sendable {
        var name: String
        var slot: Int
        /// The path to the array (the mapping's path without its final `[*]`).
        var arrayPath: JSONPath
        var pathText: String
        var fieldCount: Int
        var fields: [Target]
        var required: Bool
    }

    /// A value table compiled to lookups by JSON kind.
    struct ValueTable: Sendable {
        var strings: [String: Assignment] = [:]
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
        currencySlot = schema.eventFields["return.currency"]?.slot ?? -1
        var fields: [Target] = []
        var collectionTargets: [String: CollectionTarget] = [:]
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
                    case .string(let text): result.strings[text] = assignment
                    case .number(let number): result.numbers[number] = assignment
                    case .bool(let flag): result.bools[flag] = assignment
                    case .null: result.null = assignment
                    }
                }
            }
            return result
        }
        for entry in program.mapping {
            guard let path = try? JSONPath(entry.path) else { continue }
            switch entry.target {
            case .eventField(let name, let slot, let type):
                let required = !(schema.eventFields[name]?.optional ?? true)
                fields.append(Target(name: name, slot: slot, type: type, required: required, table: table(entry), path: path, pathText: entry.path))
            case .collection(let name, let slot):
                let arrayPath = JSONPath(isAbsolute: path.isAbsolute, segments: Array(path.segments.dropLast()))
                let record = schema.collections[name]!.record
                var target = collectionTargets[name] ?? CollectionTarget(name: name, slot: slot, arrayPath: arrayPath, pathText: entry.path,
                                                                         fieldCount: schema.records[record]!.fields.count, fields: [], required: false)
                target.arrayPath = arrayPath
                target.pathText = entry.path
                collectionTargets[name] = target
            case .elementField(let collection, let collectionSlot, let name, let slot, let type):
                let record = schema.collections[collection]!.record
                let required = !(schema.records[record]?.fields[name]?.optional ?? true)
                let elementName = schema.collections[collection]!.elementName
                var target = collectionTargets[collection] ?? CollectionTarget(name: collection, slot: collectionSlot, arrayPath: JSONPath(isAbsolute: true, segments: []),
                                                                               pathText: "", fieldCount: schema.records[record]!.fields.count, fields: [], required: false)
                target.fields.append(Target(name: "\(elementName).\(name)", slot: slot, type: type, required: required, table: table(entry), path: path, pathText: entry.path))
                collectionTargets[collection] = target
            }
        }
        // The currency is read first: money fields need its decimals.
        fields.sort { ($0.slot == currencySlotOf(schema) ? 0 : 1, $0.slot) < ($1.slot == currencySlotOf(schema) ? 0 : 1, $1.slot) }
        eventFields = fields
        collections = collectionTargets.values.filter { !$0.pathText.isEmpty }.sorted { $0.slot < $1.slot }
    }

    /// Maps one parsed event. The currency of money fields is the event's own `return.currency`
    /// when it is an ISO 4217 code (the planner sends events in another currency than the rule
    /// file's to review), else the rule file's.
    public func map(_ root: JSONNode) -> Result<EventRecord, IntakeError> {
        var record = EventRecord(fieldCount: eventFieldCount, collectionFieldCounts: collectionFieldCounts)
        record.text.reserveCapacity(256)
        var currency = programCurrency
        for target in eventFields {
            let node = root.lookup(target.path)
            switch convert(node, target, currency: currency, into: &record, base: nil, at: target.pathText) {
            case .failure(let error): return .failure(error)
            case .success: break
            }
            if target.slot == currencySlot, case .text(let span) = record.fields[target.slot] {
                guard let found = Currency.iso4217(utf8: record.bytes(span)) else {
                    return .failure(IntakeError("`\(record.string(record.fields[target.slot]) ?? "")` is not an ISO 4217 currency code", at: target.pathText))
                }
                currency = found
            }
        }
        for collection in collections {
            record.beginCollection(collection.slot)
            guard let array = root.lookup(collection.arrayPath) else { continue }
            if array.isNull { continue }
            guard array.kind == .array else {
                return .failure(IntakeError("expected an array for `\(collection.name)`, found \(array.kind)", at: collection.arrayPath.description))
            }
            var position = 0
            for element in array.elements {
                let base = record.appendElement(to: collection.slot)
                for target in collection.fields {
                    let node = element.kind == .object ? element.lookup(target.path) : nil
                    let result = convert(node, target, currency: currency, into: &record, base: base,
                                         at: target.pathText) // the full path is rebuilt only on error
                    if case .failure(var error) = result {
                        error.jsonPath = "\(collection.arrayPath.description)[\(position)].\(target.pathText)"
                        return .failure(error)
                    }
                }
                position += 1
            }
        }
        return .success(record)
    }

    /// Converts one JSON value into its slot (and the slots its value table also sets): an
    /// event field when `base` is nil, else a field of the element starting at `base`.
    func convert(_ node: JSONNode?, _ target: Target, currency: Currency, into record: inout EventRecord, base: Int?, at path: String) -> Result<Void, IntakeError> {
        func store(_ slot: Int, _ value: Value) {
            if let base { record.elements[base + slot] = value } else { record.fields[slot] = value }
        }
        func assign(_ slot: Int, _ value: MappedValue) {
            switch value {
            case .value(let plain): store(slot, plain)
            case .text(let bytes): store(slot, record.appendText(bytes))
            }
        }
        if let table = target.table, let node {
            if let assignment = lookup(table, node) {
                assign(target.slot, assignment.value)
                for also in assignment.also { assign(also.slot, also.value) }
                if case .value(.missing) = assignment.value, target.required {
                    return .failure(IntakeError("required field `\(target.name)` maps to none", at: path))
                }
                return .success(())
            }
        }
        guard let node, !node.isNull else {
            if target.required {
                return .failure(IntakeError("required field `\(target.name)` is \(node == nil ? "missing" : "null")", at: path))
            }
            store(target.slot, .missing)
            return .success(())
        }
        switch target.type {
        case .string:
            if node.kind == .string {
                if node.hasEscapes, let bytes = node.stringBytes {
                    store(target.slot, record.appendText(bytes))
                } else {
                    let raw = node.rawBytes
                    // No escapes: the token's bytes (without quotes) are the text.
                    store(target.slot, record.appendText(raw))
                }
                return .success(())
            }
            if let number = node.numberBytes { store(target.slot, record.appendText(number)); return .success(()) }
            return .failure(IntakeError("expected text for `\(target.name)`, found \(node.kind)", at: path))
        case .number:
            let bytes: ArraySlice<UInt8>?
            if let number = node.numberBytes { bytes = number }
            else if let text = node.stringBytes { bytes = text[...] }
            else { bytes = nil }
            guard let bytes, case .success(let value) = ExactDecimal.parse(bytes) else {
                return .failure(IntakeError("expected a number for `\(target.name)`, found \(describe(node))", at: path))
            }
            store(target.slot, .number(value))
            return .success(())
        case .money:
            let result: Result<Money, MoneyParseError>
            if let number = node.numberBytes {
                result = Money.parse(number, currency: currency)
            } else if node.kind == .string, !node.hasEscapes {
                result = Money.parse(node.rawBytes, currency: currency)
            } else if let text = node.stringBytes {
                result = Money.parse(text, currency: currency)
            } else {
                return .failure(IntakeError("expected an amount for `\(target.name)`, found \(node.kind)", at: path))
            }
            switch result {
            case .success(let money):
                store(target.slot, .money(money.minorUnits))
                return .success(())
            case .failure(.tooManyDecimals(let found, let allowed)):
                return .failure(IntakeError("amount \(describe(node)) has \(found) decimals; \(currency.code) has \(allowed)", at: path))
            case .failure(let error):
                return .failure(IntakeError("expected an amount for `\(target.name)`, found \(describe(node)) (\(error))", at: path))
            }
        case .bool:
            guard let flag = node.bool else {
                return .failure(IntakeError("expected true or false for `\(target.name)`, found \(describe(node))", at: path))
            }
            store(target.slot, .bool(flag))
            return .success(())
        case .enumeration(let enumName):
            let members = enums[enumName] ?? []
            guard node.kind == .string else {
                return .failure(IntakeError("expected a \(enumName) value for `\(target.name)`, found \(describe(node))", at: path))
            }
            for (index, member) in members.enumerated() where node.equals(member) {
                store(target.slot, .member(Int32(index)))
                return .success(())
            }
            let text = node.stringValue ?? ""
            let listed = members.isEmpty ? "none are declared" : "expected one of \(members.joined(separator: ", "))"
            return .failure(IntakeError("unknown \(enumName) value \"\(text)\" for `\(target.name)` (\(listed)); map it in the rule file's `mapping` block", at: path))
        default:
            return .failure(IntakeError("`\(target.name)` cannot be mapped", at: path))
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
        case .string: if let text = node.stringValue, let found = table.strings[text] { return found }
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

private func currencySlotOf(_ schema: LanguageSchema) -> Int { schema.eventFields["return.currency"]?.slot ?? -1 }
