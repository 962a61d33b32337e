import ReturnRulesLanguage

/// A small schema that exercises every feature of `LanguageSchema` without the returns domain,
/// so the language's tests do not change when the domain grows.
///
/// An online shop: an `order` with a few fields of every type, a collection `lines` of `line`
/// records, a per-line trigger, and two actions (`flag` with a positional and a labelled
/// parameter, `ship` with a selection, an amount and an enum).
///
///     order.total        money      required     line.sku       text    required
///     order.discount     money      optional     line.quantity  number  required
///     order.status       status     required     line.price     money   optional
///     order.previous     status     optional     line.grade     grade   optional (from `grades`)
///     order.note         text       optional     line.state     status  optional
///     order.priority     number     optional
///     order.express      yes/no     optional
///     customer.name      text       required
///     customer.vip       yes/no     required
public enum TestSchema {
    public static let schema: LanguageSchema = build()

    /// The header every test file needs: the language version and the three required settings.
    public static let header = """
    returnrules 1
    client "test-shop"
    currency EUR
    rounding half_up

    """

    /// The built-in mapping the schema uses by default, so test files need no `mapping` block.
    public static let mappingName = "test_v1"
    public static let mappingText = """
    returnrules 1
    mapping {
      order.total = "$.total"
      order.discount = "$.discount"
      order.status = "$.status"
      order.previous = "$.previous_status"
      order.note = "$.note"
      order.priority = "$.priority"
      order.express = "$.express"
      customer.name = "$.customer.name"
      customer.vip = "$.customer.vip"
      lines = "$.lines[*]"
      line.sku = "sku"
      line.quantity = "qty"
      line.price = "price"
      line.grade = "grade"
      line.state = "state"
    }
    """

    public static let statuses = ["open", "paid", "shipped", "cancelled"]

    /// Event field slots, in order.
    public static let eventFieldList: [(String, ValueType, Bool)] = [
        ("order.total", .money, false),
        ("order.discount", .money, true),
        ("order.status", .enumeration("status"), false),
        ("order.previous", .enumeration("status"), true),
        ("order.note", .string, true),
        ("order.priority", .number, true),
        ("order.express", .bool, true),
        ("customer.name", .string, false),
        ("customer.vip", .bool, false),
    ]

    /// `line` record slots, in order.
    public static let lineFieldList: [(String, ValueType, Bool)] = [
        ("sku", .string, false),
        ("quantity", .number, false),
        ("price", .money, true),
        ("grade", .enumeration("grade"), true),
        ("state", .enumeration("status"), true),
    ]

    public static let linesSlot = 0

    static func fields(_ list: [(String, ValueType, Bool)]) -> [String: FieldSpec] {
        var result: [String: FieldSpec] = [:]
        for (slot, (name, type, optional)) in list.enumerated() {
            result[name] = FieldSpec(type, optional: optional, slot: slot, summary: name)
        }
        return result
    }

    static func build() -> LanguageSchema {
        LanguageSchema(
            enums: [
                "status": statuses,
                "grade": [],
                "visibility": ["internal", "public"],
            ],
            eventFields: fields(eventFieldList),
            collections: [
                "lines": CollectionSpec(record: "line", elementName: "line", slot: linesSlot, summary: "the order's lines"),
            ],
            records: [
                "line": RecordSpec(fields: fields(lineFieldList)),
            ],
            triggers: [
                "order": TriggerSpec(events: ["created", "paid", "cancelled"], summary: "an order event"),
                "line": TriggerSpec(events: ["checked"], binds: ElementBinding(collection: "lines", name: "line"), summary: "once per line"),
            ],
            actions: [
                "flag": ActionSignature(parameters: [
                    ParameterSpec("queue", .value(.string), required: true, summary: "the queue"),
                    ParameterSpec("reason", .value(.string), required: true, summary: "why"),
                ], positionalCount: 1, summary: "flag the order for a person"),
                "ship": ActionSignature(parameters: [
                    ParameterSpec("lines", .selection(collection: "lines"), required: true, summary: "which lines"),
                    ParameterSpec("amount", .value(.money), summary: "a charge"),
                    ParameterSpec("count", .value(.number), summary: "a number"),
                    ParameterSpec("note", .value(.string), summary: "a note"),
                    ParameterSpec("visibility", .value(.enumeration("visibility")), summary: "who sees it"),
                ], positionalCount: 1, summary: "ship some lines"),
            ],
            settings: [
                "grades": SettingSpec(.string, isList: true, declaresEnum: "grade", summary: "the grades"),
                "good_grades": SettingSpec(.enumeration("grade"), isList: true, summary: "grades that ship"),
                "limit": SettingSpec(.money, summary: "a limit"),
                "notify": SettingSpec(.bool, summary: "send notifications"),
                "retries": SettingSpec(.number, summary: "how often"),
            ],
            settingBlocks: [
                "warehouse": [
                    "open_sundays": SettingSpec(.bool, summary: "opens on Sundays"),
                    "name": SettingSpec(.string, summary: "the warehouse"),
                ],
            ],
            aliasSources: ["sku": .string],
            aliasTargets: ["sku": .string, "product": .number],
            builtInMappings: [mappingName: mappingText],
            defaultMapping: mappingName
        )
    }
}
