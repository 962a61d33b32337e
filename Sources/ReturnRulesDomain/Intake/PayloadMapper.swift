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
/// The hot path works on bytes: every field of the root (and then of each collection element) is
/// found in one walk over its members (`JSONPathSet`), plain values are read by tape index with
/// no `JSONNode` made, text is copied from the JSON token into the record's text store, enum
/// values and value tables are matched on the token's bytes, and nothing is allocated per field
/// (an `IntakeError` is built only when a field fails).
public struct PayloadMapper: Sendable {
    /// One mapped field, compiled. A class, so walking the targets copies a reference.
    final class Target: Sendable {
        let name: String
        let slot: Int
        let type: ValueType
        /// `type` without its payload, so that converting a field copies nothing.
        let kind: Kind
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
            switch type {
            case .string: kind = .string
            case .number: kind = .number
            case .money: kind = .money
            case .bool: kind = .bool
            case .enumeration: kind = .enumeration
            default: kind = .other
            }
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

    /// What a field converts to.
    enum Kind: Sendable {
        case string, number, money, bool, enumeration, other
    }

    final class CollectionTarget: Sendable {
        let name: String
        let slot: Int
        /// The path to the array (the mapping's path without its final `[*]`).
        let arrayPath: JSONPath
        let fields: [Target]
        /// `fields` unretained (they hold them): read per element, a target taken from `fields`
        /// is retained and released.
        let fieldRefs: [Unmanaged<Target>]
        /// Where each field is found in one walk over an element (see `FieldFinder`).
        let finder: FieldFinder

        init(name: String, slot: Int, arrayPath: JSONPath, fields: [Target]) {
            self.name = name
            self.slot = slot
            self.arrayPath = arrayPath
            self.fields = fields
            fieldRefs = fields.map { Unmanaged.passUnretained($0) }
            // An absolute path inside an element reads from the document root: looked up alone.
            finder = FieldFinder(fields.map(\.path), resolvable: { !$0.isAbsolute && JSONPathSet.canHold($0) })
        }
    }

    /// Finds the nodes of many fields under one object: the paths made of keys in one walk over
    /// its members (`JSONPathSet`), any other path (an index, or read from the root) alone.
    struct FieldFinder: Sendable {
        let set: JSONPathSet
        /// Per field, its position in `set`, or nil when it is looked up alone.
        let positions: [Int?]
        let paths: [JSONPath]

        init(_ paths: [JSONPath], resolvable: (JSONPath) -> Bool) {
            var inSet: [JSONPath] = []
            positions = paths.map { path in
                guard resolvable(path) else { return nil }
                inSet.append(path)
                return inSet.count - 1
            }
            set = JSONPathSet(inSet)
            self.paths = paths
        }

        /// Finds the fields under `node` in one walk; `found` holds `set.count` results.
        func resolve(under node: JSONNode, into found: UnsafeMutableBufferPointer<Int>) {
            set.resolve(in: node, into: found)
        }

        /// The tape index of field `field`'s node under `node` (after `resolve(under: node,
        /// into: found)`), or -1 when there is none.
        @inline(__always)
        func index(_ field: Int, under node: JSONNode, found: UnsafeMutableBufferPointer<Int>) -> Int {
            guard let position = positions[field] else { return node.lookup(paths[field])?.index ?? -1 }
            return found[position]
        }
    }

    /// A value table compiled to lookups by JSON kind; text patterns are matched on bytes. A
    /// class, built once: reading a field's table then copies one reference, not its arrays.
    final class ValueTable: Sendable {
        let strings: [(bytes: [UInt8], assignment: Assignment)]
        let numbers: [ExactDecimal: Assignment]
        let bools: [Bool: Assignment]
        let null: Assignment?
        let otherwise: Assignment?

        init(strings: [(bytes: [UInt8], assignment: Assignment)], numbers: [ExactDecimal: Assignment], bools: [Bool: Assignment],
             null: Assignment?, otherwise: Assignment?) {
            self.strings = strings
            self.numbers = numbers
            self.bools = bools
            self.null = null
            self.otherwise = otherwise
        }

        /// The assignment of the first text pattern equal to `bytes` (a string without escapes),
        /// as `lookup` finds it; nil when none is (then `lookup` decides, with `otherwise`).
        func assignment(for bytes: UnsafeBufferPointer<UInt8>) -> Assignment? {
            for index in strings.indices where strings[index].bytes.withUnsafeBufferPointer({ TextBytes.equal($0, bytes) }) {
                return strings[index].assignment
            }
            return nil
        }
    }

    /// The document's bytes as copied into a record's text (at `offset`): a token's text is
    /// a span of them, no copy of its own.
    struct DocumentText {
        let start: UnsafePointer<UInt8>
        let offset: Int

        init(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) {
            start = bytes.baseAddress!
            self.offset = offset
        }

        /// The text value of bytes inside the document.
        @inline(__always)
        func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Value {
            .text(TextSpan(store: .event, offset: UInt32(offset + (bytes.baseAddress! - start)), length: UInt32(bytes.count)))
        }
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

    /// What the mapping compiles to, behind one reference, so that copying a mapper (a planner
    /// hands it out by value) does not retain each of its arrays.
    final class Compiled: Sendable {
        let eventFields: [Target]
        /// `eventFields` unretained (it holds them), read per event (see `fieldRefs`).
        let eventFieldRefs: [Unmanaged<Target>]
        let collections: [CollectionTarget]
        /// The event fields, then the collections' arrays, found in one walk from the root.
        let rootFinder: FieldFinder
        /// Results of the root's walk plus one element's.
        let scratchCount: Int
        let eventFieldCount: Int
        /// Fields per element, per collection slot.
        let collectionFieldCounts: [Int]
        let enums: [String: [String]]
        let currencySlot: Int
        let programCurrency: Currency
        /// The ISO 4217 currency with the rule file's code, looked up once: events are almost
        /// always in it, and comparing three bytes is cheaper than searching the table.
        let programISOCurrency: Currency?

        init(eventFields: [Target], collections: [CollectionTarget], rootFinder: FieldFinder, scratchCount: Int, eventFieldCount: Int,
             collectionFieldCounts: [Int], enums: [String: [String]], currencySlot: Int, programCurrency: Currency) {
            programISOCurrency = Currency.iso4217(programCurrency.code)
            self.eventFields = eventFields
            eventFieldRefs = eventFields.map { Unmanaged.passUnretained($0) }
            self.collections = collections
            self.rootFinder = rootFinder
            self.scratchCount = scratchCount
            self.eventFieldCount = eventFieldCount
            self.collectionFieldCounts = collectionFieldCounts
            self.enums = enums
            self.currencySlot = currencySlot
            self.programCurrency = programCurrency
        }
    }

    let compiled: Compiled
    var eventFields: [Target] { compiled.eventFields }
    var collections: [CollectionTarget] { compiled.collections }
    var eventFieldCount: Int { compiled.eventFieldCount }
    var collectionFieldCounts: [Int] { compiled.collectionFieldCounts }
    var enums: [String: [String]] { compiled.enums }
    public var programCurrency: Currency { compiled.programCurrency }

    public init(program: CheckedProgram, schema: LanguageSchema = ReturnSchema.schema) {
        var counts = [Int](repeating: 0, count: schema.collections.count)
        for collection in schema.collections.values { counts[collection.slot] = schema.records[collection.record]?.fields.count ?? 0 }
        let currencySlot = schema.eventFields["return.currency"]?.slot ?? -1
        let enums = program.enums
        let operations = ValueOperations(currency: program.currency, rounding: program.rounding)
        func mapped(_ constant: ConstantValue) -> MappedValue {
            if case .string(let text) = constant { return .text(Array(text.utf8)) }
            return .value(operations.value(of: constant, text: { _ in .missing }))
        }
        func table(_ entry: CheckedMappingEntry) -> ValueTable? {
            guard !entry.cases.isEmpty else { return nil }
            var strings: [(bytes: [UInt8], assignment: Assignment)] = []
            var numbers: [ExactDecimal: Assignment] = [:]
            var bools: [Bool: Assignment] = [:]
            var null: Assignment?
            var otherwise: Assignment?
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
                if valueCase.isOtherwise { otherwise = assignment }
                for pattern in valueCase.patterns {
                    switch pattern {
                    case .string(let text): strings.append((Array(text.utf8), assignment))
                    case .number(let number): numbers[number] = assignment
                    case .bool(let flag): bools[flag] = assignment
                    case .null: null = assignment
                    }
                }
            }
            return ValueTable(strings: strings, numbers: numbers, bools: bools, null: null, otherwise: otherwise)
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
        let eventFields = fields
        let collections = arrays.map { name, array in
            CollectionTarget(name: name, slot: array.slot, arrayPath: array.path, fields: elementFields[name] ?? [])
        }.sorted { $0.slot < $1.slot }
        // Every root path is read from the root, absolute or not.
        let rootFinder = FieldFinder(eventFields.map(\.path) + collections.map(\.arrayPath), resolvable: JSONPathSet.canHold)
        compiled = Compiled(eventFields: eventFields, collections: collections, rootFinder: rootFinder,
                            scratchCount: rootFinder.set.count + (collections.map(\.finder.set.count).max() ?? 0) + 1,
                            eventFieldCount: schema.eventFields.count, collectionFieldCounts: counts, enums: enums,
                            currencySlot: currencySlot, programCurrency: program.currency)
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
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: compiled.scratchCount) { scratch in
            mapFields(root, into: &record, scratch: scratch)
        }
    }

    /// `map(_:into:)` with scratch memory for the walks: the root's results first, then one
    /// element's at a time.
    private func mapFields(_ root: JSONNode, into record: inout EventRecord, scratch: UnsafeMutableBufferPointer<Int>) -> IntakeError? {
        let compiled = self.compiled
        let eventFields = compiled.eventFields
        let collections = compiled.collections
        let currencySlot = compiled.currencySlot
        // One walk over the root finds every field; they are converted in the same order as a
        // lookup per field did, so the first error is the same.
        let rootFound = UnsafeMutableBufferPointer(rebasing: scratch[0..<compiled.rootFinder.set.count])
        let elementFound = UnsafeMutableBufferPointer(rebasing: scratch[compiled.rootFinder.set.count...])
        compiled.rootFinder.resolve(under: root, into: rootFound)
        // Nodes by tape index: a `JSONNode` per field would retain and release the document.
        return root.withTapeView { view -> IntakeError? in
            // The whole document goes into the record's text once, and plain text values are
            // spans of it: one copy per event instead of one per text field.
            let document = DocumentText(view.rawBytes(0), at: record.text.count)
            record.text.append(contentsOf: view.rawBytes(0))
            var currency = programCurrency
            let eventFieldRefs = compiled.eventFieldRefs
            for field in eventFields.indices {
                let error = eventFieldRefs[field]._withUnsafeGuaranteedRef { target -> IntakeError? in
                    let index = compiled.rootFinder.index(field, under: root, found: rootFound)
                    if let failure = convert(index, in: view, document, of: root, target, currency: currency, into: &record, base: nil) {
                        return failure.error(target, path: target.pathText)
                    }
                    if target.slot == currencySlot, case .text(let span) = record.fields[target.slot] {
                        let code = record.bytes(span)
                        let known = compiled.programISOCurrency.flatMap { $0.hasCode(utf8: code) ? $0 : nil }
                        guard let found = known ?? Currency.iso4217(utf8: code) else {
                            return IntakeError("`\(record.string(record.fields[target.slot]) ?? "")` is not an ISO 4217 currency code", at: target.pathText)
                        }
                        currency = found
                    }
                    return nil
                }
                if let error { return error }
            }
            for index in collections.indices {
                let collection = collections[index]
                record.beginCollection(collection.slot)
                let arrayIndex = compiled.rootFinder.index(eventFields.count + index, under: root, found: rootFound)
                guard arrayIndex >= 0, view.kind(arrayIndex) != .null else { continue }
                guard view.kind(arrayIndex) == .array else {
                    return IntakeError("expected an array for `\(collection.name)`, found \(view.kind(arrayIndex))", at: collection.arrayPath.description)
                }
                var position = 0
                let elements = view.elements(of: arrayIndex)
                // Every element's slots appended at once, all missing: what `appendElement` does
                // per element (about 240 instructions each), as one copy from a ready buffer.
                var elementCount = 0
                var counted = elements.first
                while counted < elements.end {
                    elementCount += 1
                    counted = view.next(after: counted)
                }
                let stride = Int(record.ranges[collection.slot].stride)
                var base = record.elements.count
                PayloadMapper.missingValues.withUnsafeBufferPointer { missing in
                    var left = stride * elementCount
                    while left > 0 {
                        let chunk = min(left, missing.count)
                        record.elements.append(contentsOf: UnsafeBufferPointer(rebasing: missing[..<chunk]))
                        left -= chunk
                    }
                }
                record.ranges[collection.slot].count = Int32(elementCount)
                var elementIndex = elements.first
                while elementIndex < elements.end {
                    let isObject = view.kind(elementIndex) == .object
                    let element = root.node(atTapeIndex: elementIndex)
                    if isObject { collection.finder.resolve(under: element, into: elementFound) }
                    for field in collection.fields.indices {
                        let error = collection.fieldRefs[field]._withUnsafeGuaranteedRef { target -> IntakeError? in
                            let index = isObject ? collection.finder.index(field, under: element, found: elementFound) : -1
                            if let failure = convert(index, in: view, document, of: root, target, currency: currency, into: &record, base: base) {
                                return failure.error(target, path: "\(collection.arrayPath.description)[\(position)].\(target.pathText)")
                            }
                            return nil
                        }
                        if let error { return error }
                    }
                    position += 1
                    base += stride
                    elementIndex = view.next(after: elementIndex)
                }
            }
            return nil
        }
    }

    /// Missing values to append elements from (see `mapFields`).
    static let missingValues = [Value](repeating: .missing, count: 256)

    /// `convert` for the node at tape `index` (-1 for none): the common cases — plain text,
    /// numbers, amounts, booleans and enum members written without escapes — straight from the
    /// token's bytes; anything else (a value table, escapes, a null, a wrong kind, an error)
    /// through the `JSONNode` path, so every message stays the same.
    @inline(__always)
    func convert(_ index: Int, in view: JSONTapeView, _ document: DocumentText, of root: JSONNode, _ target: Target, currency: Currency,
                 into record: inout EventRecord, base: Int?) -> Failure? {
        if index >= 0 {
            if let table = target.table {
                // A value table keyed by plain text (the usual one): matched on the token's bytes.
                if view.kind(index) == .string, !view.hasEscapes(index), let assignment = table.assignment(for: view.rawBytes(index)) {
                    return assign(assignment, target, into: &record, base: base)
                }
            } else if let value = plainValue(index, in: view, document, target, currency: currency) {
                if let base { record.elements[base + target.slot] = value } else { record.fields[target.slot] = value }
                return nil
            } else if view.kind(index) == .null {
                // A null without a value table, decided as the `JSONNode` path decides it.
                if target.required { return .null }
                if let base { record.elements[base + target.slot] = .missing } else { record.fields[target.slot] = .missing }
                return nil
            }
        }
        return convert(index < 0 ? nil : root.node(atTapeIndex: index), target, currency: currency, into: &record, base: base)
    }

    /// The value of an unescaped token for `target`, or nil when the `JSONNode` path must decide.
    @inline(__always)
    func plainValue(_ index: Int, in view: JSONTapeView, _ document: DocumentText, _ target: Target, currency: Currency) -> Value? {
        let kind = view.kind(index)
        switch target.kind {
        case .string:
            guard kind == .number || (kind == .string && !view.hasEscapes(index)) else { return nil }
            return document.text(view.rawBytes(index))
        case .number:
            guard kind == .number || (kind == .string && !view.hasEscapes(index)),
                  case .success(let value) = ExactDecimal.parse(view.rawBytes(index)) else { return nil }
            return .number(value)
        case .money:
            guard kind == .number || (kind == .string && !view.hasEscapes(index)),
                  case .success(let money) = Money.parse(view.rawBytes(index), currency: currency) else { return nil }
            return .money(money.minorUnits)
        case .bool:
            return view.bool(index).map { .bool($0) }
        case .enumeration:
            guard kind == .string && !view.hasEscapes(index) else { return nil }
            let bytes = view.rawBytes(index)
            guard let member = target.members.firstIndex(where: { member in member.withUnsafeBufferPointer { TextBytes.equal($0, bytes) } }) else {
                return nil
            }
            return .member(Int32(member))
        case .other:
            return nil
        }
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
        if let table = target.table, let node, let assignment = lookup(table, node) {
            return assign(assignment, target, into: &record, base: base)
        }
        guard let node, !node.isNull else {
            if target.required { return node == nil ? .missing : .null }
            store(target.slot, .missing)
            return nil
        }
        switch target.kind {
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
            case .number: parsed = node.withUnsafeRawBytes { ExactDecimal.parse($0) }
            case .string where !node.hasEscapes: parsed = node.withUnsafeRawBytes { ExactDecimal.parse($0) }
            default: return .wrongKind(expected: "a number", found: describe(node))
            }
            guard case .success(let value) = parsed else { return .wrongKind(expected: "a number", found: describe(node)) }
            store(target.slot, .number(value))
            return nil
        case .money:
            let result: Result<Money, MoneyParseError>
            switch node.kind {
            case .number: result = node.withUnsafeRawBytes { Money.parse($0, currency: currency) }
            case .string where !node.hasEscapes: result = node.withUnsafeRawBytes { Money.parse($0, currency: currency) }
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
        case .other:
            return .wrongKind(expected: "a mappable value", found: "\(node.kind)")
        }
    }

    /// Stores what a value table assigns: the field's value and the others it also sets.
    func assign(_ assignment: Assignment, _ target: Target, into record: inout EventRecord, base: Int?) -> Failure? {
        func assign(_ slot: Int, _ value: MappedValue) {
            let stored: Value
            switch value {
            case .value(let plain): stored = plain
            case .text(let bytes): stored = bytes.withUnsafeBufferPointer { record.appendText($0) }
            }
            if let base { record.elements[base + slot] = stored } else { record.fields[slot] = stored }
        }
        assign(target.slot, assignment.value)
        for also in assignment.also { assign(also.slot, also.value) }
        if case .value(.missing) = assignment.value, target.required { return .mapsToNone }
        return nil
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
