import ReturnRulesLanguage

/// One field of the finite domain: an enum or yes/no field of the event, or of the item an
/// `on item inspected` table is about, with every value it can take (`none` included when the
/// field is optional).
struct DomainField: Hashable {
    enum Place: Hashable {
        /// A field of the event, by slot.
        case event(Int)
        /// A field of an item, by slot (the trigger's item, or the element of a `where`).
        case item(Int)
    }

    /// `return.type`, `item.grade`.
    let name: String
    /// The short name a witness prints: `type`, `grade`.
    let label: String
    let place: Place
    let values: [Value]
    let valueNames: [String]

    var radix: Int { values.count }
}

/// The finite domain of one checked program: which fields are enumerated and their values.
///
/// Enumerated: every enum and yes/no field of the event (`return.type`, `refund.method`,
/// `restock.requested`, …) and of an item (`item.grade` with the header's grades,
/// `item.validation`, `item.outcome`). Everything else (amounts, SKUs, texts, counts) is
/// unknown to the lints: a condition on it is an *unknown* that may be true or false.
struct LintCatalog {
    let program: CheckedProgram
    let configuration: PlannerConfiguration
    let eventFieldCount: Int
    let itemFieldCount: Int
    /// Enumerated event fields by slot.
    let eventFields: [Int: DomainField]
    /// Enumerated item fields by slot; `item.grade` includes `none` here.
    let itemFields: [Int: DomainField]
    let grades: [String]
    let interpreter: Interpreter
    /// The names of `eventFields` and `itemFields` by slot (nil: not enumerated), for the
    /// abstraction's per-leaf test without copying a field.
    let eventFieldNames: [String?]
    let itemFieldNames: [String?]

    /// Witness labels, and the order fields appear in witnesses and spaces.
    static let labels: [(String, String)] = [
        ("return.type", "type"), ("return.status", "status"), ("return.mode", "mode"), ("refund.method", "method"),
        ("refund.executed_by", "executed_by"), ("refund.status", "refund_status"), ("exchange.created_by", "created_by"),
        ("return.previous_status", "previous_status"), ("restock.requested", "restock_requested"),
        ("item.grade", "grade"), ("item.validation", "validation"), ("item.outcome", "outcome"),
    ]

    static func label(for name: String) -> String { labels.first { $0.0 == name }?.1 ?? name }
    static func rank(of name: String) -> Int { labels.firstIndex { $0.0 == name } ?? labels.count }

    init(program: CheckedProgram) {
        self.program = program
        configuration = PlannerConfiguration(program: program)
        let schema = ReturnSchema.schema
        eventFieldCount = schema.eventFields.count
        itemFieldCount = schema.records["item"]!.fields.count
        grades = program.enums[ReturnSchema.grade] ?? []
        interpreter = Interpreter(program: program)
        func field(_ name: String, _ spec: FieldSpec, place: DomainField.Place) -> DomainField? {
            var values: [Value] = []
            var names: [String] = []
            switch spec.type {
            case .bool:
                values = [.bool(true), .bool(false)]
                names = ["yes", "no"]
            case .enumeration(let enumName):
                let members = program.enums[enumName] ?? []
                values = members.indices.map { .member(Int32($0)) }
                names = members
            default:
                return nil
            }
            if spec.optional {
                values.append(.missing)
                names.append("none")
            }
            return DomainField(name: name, label: LintCatalog.label(for: name), place: place, values: values, valueNames: names)
        }
        var events: [Int: DomainField] = [:]
        for (name, spec) in schema.eventFields {
            if let found = field(name, spec, place: .event(spec.slot)) { events[spec.slot] = found }
        }
        var items: [Int: DomainField] = [:]
        for (name, spec) in schema.records["item"]!.fields {
            if let found = field("item." + name, spec, place: .item(spec.slot)) { items[spec.slot] = found }
        }
        eventFields = events
        itemFields = items
        eventFieldNames = (0..<eventFieldCount).map { events[$0]?.name }
        itemFieldNames = (0..<itemFieldCount).map { items[$0]?.name }
    }

    /// The enumerated event field at a slot, by name.
    func eventFieldName(slot: Int) -> String? { slot >= 0 && slot < eventFieldNames.count ? eventFieldNames[slot] : nil }

    /// The enumerated item field at a slot, by name.
    func itemFieldName(slot: Int) -> String? { slot >= 0 && slot < itemFieldNames.count ? itemFieldNames[slot] : nil }

    func eventField(named name: String) -> DomainField? { eventFields[ReturnSchema.eventSlot(name)] }
    func itemField(named name: String) -> DomainField? { itemFields[ReturnSchema.itemSlot(name)] }

    /// A field restricted to some of its values (a status context fixes `return.status`).
    func restricted(_ field: DomainField, to names: [String]) -> DomainField {
        let kept = field.valueNames.indices.filter { names.contains(field.valueNames[$0]) }
        return DomainField(name: field.name, label: field.label, place: field.place,
                           values: kept.map { field.values[$0] }, valueNames: kept.map { field.valueNames[$0] })
    }
}
