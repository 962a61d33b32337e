/// What a domain hands the checker: the canonical event's fields, its enums, the triggers, the
/// actions with their signatures, and the settings a header may have.
///
/// The language library interprets none of it; the returns domain builds one for Reveni and
/// WooCommerce. Field and collection positions (`slot`) are the layout of `EventRecord`.
public struct LanguageSchema: Sendable {
    /// Closed enumerations by name, members in order. Enums declared by a setting (grades) start
    /// empty here and are filled from the rule file.
    public var enums: [String: [String]]
    /// Fields of the event itself by dotted name (`refund.amount`), with their slot.
    public var eventFields: [String: FieldSpec]
    /// Collections of the event by dotted name (`items`, `exchange.new_items`).
    public var collections: [String: CollectionSpec]
    /// Element record types by name (`item`), with their fields.
    public var records: [String: RecordSpec]
    /// Trigger subjects (`return`, `item`).
    public var triggers: [String: TriggerSpec]
    /// Actions by name.
    public var actions: [String: ActionSignature]
    /// Top-level settings by name, besides the language's own (`client`, `currency`, `rounding`).
    public var settings: [String: SettingSpec]
    /// Settings blocks (`reveni { … }`) by name.
    public var settingBlocks: [String: [String: SettingSpec]]
    /// Alias kinds: what an alias may map from and to.
    public var aliasSources: [String: ValueType]
    public var aliasTargets: [String: ValueType]
    /// Built-in payload mappings by name, written in the language's own mapping syntax; the
    /// setting `payload_format` picks one as the base the file's `mapping` block refines.
    public var builtInMappings: [String: String]
    public var defaultMapping: String?
    /// The domain's own diagnostic codes (lints), so `@allow(…)` can name them.
    public var domainCodes: [DiagnosticCode]

    public init(
        enums: [String: [String]] = [:],
        eventFields: [String: FieldSpec] = [:],
        collections: [String: CollectionSpec] = [:],
        records: [String: RecordSpec] = [:],
        triggers: [String: TriggerSpec] = [:],
        actions: [String: ActionSignature] = [:],
        settings: [String: SettingSpec] = [:],
        settingBlocks: [String: [String: SettingSpec]] = [:],
        aliasSources: [String: ValueType] = [:],
        aliasTargets: [String: ValueType] = [:],
        builtInMappings: [String: String] = [:],
        defaultMapping: String? = nil,
        domainCodes: [DiagnosticCode] = []
    ) {
        self.enums = enums
        self.eventFields = eventFields
        self.collections = collections
        self.records = records
        self.triggers = triggers
        self.actions = actions
        self.settings = settings
        self.settingBlocks = settingBlocks
        self.aliasSources = aliasSources
        self.aliasTargets = aliasTargets
        self.builtInMappings = builtInMappings
        self.defaultMapping = defaultMapping
        self.domainCodes = domainCodes
    }

    /// Every name that can start a field path: `return`, `refund`, `items`, …
    public var rootNames: Set<String> {
        var names = Set<String>()
        for key in eventFields.keys { names.insert(String(key.split(separator: ".").first!)) }
        for key in collections.keys { names.insert(String(key.split(separator: ".").first!)) }
        return names
    }
}

/// One field of the event or of an element record.
public struct FieldSpec: Sendable, Hashable {
    public var type: ValueType
    /// Absent values are normal (a grade before inspection). A required field that is missing
    /// from a payload is an intake error, so rules never see it absent.
    public var optional: Bool
    /// Position in `EventRecord.fields` or `ElementRecord.fields`.
    public var slot: Int
    /// One line for `--help`-style listings and hover text.
    public var summary: String

    public init(_ type: ValueType, optional: Bool = false, slot: Int, summary: String = "") {
        self.type = type
        self.optional = optional
        self.slot = slot
        self.summary = summary
    }
}

/// A list of records in the event, e.g. `items` of record `item`.
public struct CollectionSpec: Sendable, Hashable {
    public var record: String
    /// The name an element is bound to inside `where`, `sum`, `any`, …: `item` for `items`.
    public var elementName: String
    /// Position in `EventRecord.collections`.
    public var slot: Int
    public var summary: String

    public init(record: String, elementName: String, slot: Int, summary: String = "") {
        self.record = record
        self.elementName = elementName
        self.slot = slot
        self.summary = summary
    }
}

public struct RecordSpec: Sendable, Hashable {
    public var fields: [String: FieldSpec]
    public init(fields: [String: FieldSpec]) { self.fields = fields }
}

/// `on return accepted …` or `on item inspected …`.
public struct TriggerSpec: Sendable, Hashable {
    /// The events this subject has (`accepted`, `inspected`, …).
    public var events: [String]
    /// For per-element triggers: the collection iterated and the name its element is bound to.
    public var binds: ElementBinding?
    public var summary: String

    public init(events: [String], binds: ElementBinding? = nil, summary: String = "") {
        self.events = events
        self.binds = binds
        self.summary = summary
    }
}

/// A per-element trigger's element: `item` over `items`.
public struct ElementBinding: Sendable, Hashable {
    public var collection: String
    public var name: String

    public init(collection: String, name: String) {
        self.collection = collection
        self.name = name
    }
}

/// The parameters an action takes. Positional parameters come first, in order; any parameter
/// may also be given by label.
public struct ActionSignature: Sendable, Hashable {
    public var parameters: [ParameterSpec]
    /// How many leading parameters may be given without a label.
    public var positionalCount: Int
    public var summary: String

    public init(parameters: [ParameterSpec], positionalCount: Int, summary: String = "") {
        self.parameters = parameters
        self.positionalCount = positionalCount
        self.summary = summary
    }

    public func parameter(named name: String) -> ParameterSpec? { parameters.first { $0.name == name } }
}

public struct ParameterSpec: Sendable, Hashable {
    public var name: String
    public var type: ParameterType
    public var required: Bool
    public var summary: String

    public init(_ name: String, _ type: ParameterType, required: Bool = false, summary: String = "") {
        self.name = name
        self.type = type
        self.required = required
        self.summary = summary
    }
}

/// What an action parameter accepts.
public enum ParameterType: Sendable, Hashable {
    case value(ValueType)
    /// Some elements of a collection: the collection itself, a `where` filter of it, or (inside a
    /// per-element trigger) the bound element.
    case selection(collection: String)

    public var description: String {
        switch self {
        case .value(let type): type.description
        case .selection(let collection): "\(collection) (all, filtered with `where`, or one)"
        }
    }
}

/// One header setting's shape.
public struct SettingSpec: Sendable, Hashable {
    public var type: ValueType
    /// A list setting takes `a, b, c`.
    public var isList: Bool
    public var required: Bool
    /// When set, the setting's values become the members of this enum (`grades` → `grade`).
    public var declaresEnum: String?
    /// Printed in help and used when the setting is absent.
    public var defaultText: String?
    public var summary: String

    public init(_ type: ValueType, isList: Bool = false, required: Bool = false, declaresEnum: String? = nil, defaultText: String? = nil, summary: String = "") {
        self.type = type
        self.isList = isList
        self.required = required
        self.declaresEnum = declaresEnum
        self.defaultText = defaultText
        self.summary = summary
    }
}
