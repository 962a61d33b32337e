/// A rule file after checking: every name resolved, every expression typed, includes merged.
///
/// A `CheckedProgram` exists only when checking found no errors, so the compiler and the
/// planner can rely on it: no unknown field, action or enum value, no type mismatch.
public struct CheckedProgram: Sendable {
    public var languageVersion: Int
    public var client: String
    public var currency: Currency
    public var rounding: RoundingMode
    /// Domain settings with their resolved values (defaults filled in), by name; block
    /// settings as `block.name`.
    public var settings: [String: SettingValue]
    /// Enum members by enum name, including the ones settings declared.
    public var enums: [String: [String]]
    public var constants: [String: CheckedConstant]
    public var mapping: [CheckedMappingEntry]
    public var aliases: [CheckedAlias]
    public var blocks: [CheckedBlock]
    public var sources: SourceMap
    /// SHA-256-free fingerprint input: the root file path; hashing is the caller's business.
    public var rootPath: String

    /// All rules in table order, with the index of their block.
    public var allRules: [(block: Int, rule: CheckedRule)] {
        blocks.enumerated().flatMap { index, block in block.rules.map { (index, $0) } }
    }
}

/// A setting's value after checking.
public enum SettingValue: Sendable, Hashable {
    case bool(Bool)
    case number(ExactDecimal)
    case money(Money)
    case string(String)
    case enumMember(enumName: String, member: String)
    case list([SettingValue])

    public var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }
    public var stringValue: String? {
        switch self {
        case .string(let value): value
        case .enumMember(_, let member): member
        default: nil
        }
    }
    public var listValue: [SettingValue] { if case .list(let values) = self { values } else { [self] } }
}

public struct CheckedConstant: Sendable {
    public var name: String
    public var value: TypedExpr
    public var span: Span
}

/// `target = "json path" { cases }`, resolved.
public struct CheckedMappingEntry: Sendable {
    public var target: MappingTarget
    public var path: String
    public var cases: [CheckedValueCase]
    public var span: Span
}

public enum MappingTarget: Sendable, Hashable, CustomStringConvertible {
    /// A field of the event: dotted name and slot.
    case eventField(name: String, slot: Int, type: ValueType)
    /// A collection of the event: its elements come from a JSON path ending in `[*]`.
    case collection(name: String, slot: Int)
    /// A field of a collection's element, relative to the element's JSON.
    case elementField(collection: String, collectionSlot: Int, name: String, slot: Int, type: ValueType)

    public var description: String {
        switch self {
        case .eventField(let name, _, _): name
        case .collection(let name, _): name
        case .elementField(let collection, _, let name, _, _): "\(collection).\(name)"
        }
    }

    public var type: ValueType {
        switch self {
        case .eventField(_, _, let type), .elementField(_, _, _, _, let type): type
        case .collection: .invalid
        }
    }
}

public struct CheckedValueCase: Sendable {
    /// Source values matched; empty for `otherwise`.
    public var patterns: [MappingPattern]
    public var isOtherwise: Bool
    public var value: ConstantValue
    public var alsoSet: [(target: MappingTarget, value: ConstantValue)]
    public var span: Span
}

/// A JSON value a value table matches: compared by JSON kind and exact text.
public enum MappingPattern: Sendable, Hashable {
    case string(String)
    case number(ExactDecimal)
    case bool(Bool)
    case null
}

public struct CheckedAlias: Sendable, Hashable {
    public var sourceKind: String
    public var source: ConstantValue
    public var targetKind: String
    public var target: ConstantValue
    public var span: Span
}

public enum HitPolicy: String, Sendable, Hashable, CaseIterable {
    /// The first rule whose condition holds fires; `otherwise` when none does.
    case first
    /// Every rule whose condition holds fires, in order; `otherwise` when none does.
    case all
}

/// One decision table.
public struct CheckedBlock: Sendable {
    public var subject: String
    public var events: [String]
    /// The element bound by a per-element trigger (`item`), if any.
    public var binds: ElementBinding?
    public var policy: HitPolicy
    public var rules: [CheckedRule]
    public var span: Span
    public var triggerSpan: Span
}

public struct CheckedRule: Sendable {
    public var name: String
    public var nameSpan: Span
    /// Nil for `otherwise`.
    public var condition: TypedExpr?
    public var actions: [CheckedAction]
    public var span: Span
    /// Codes suppressed on this rule with their written reasons (`@allow(RR0301, reason: …)`).
    public var allowed: [String: String]
    /// True when an `override rule` in another file replaced the included rule here.
    public var overridden: Bool
}

public struct CheckedAction: Sendable {
    public var name: String
    /// Arguments by parameter name, defaults not filled in (the domain knows its defaults).
    public var arguments: CheckedArguments
    public var span: Span
    public var nameSpan: Span
}

/// A literal value known at check time.
public enum ConstantValue: Sendable, Hashable, CustomStringConvertible {
    case bool(Bool)
    case number(ExactDecimal)
    case money(Money)
    case string(String)
    case enumMember(enumName: String, index: Int, name: String)
    case none
    case list([ConstantValue])

    public var description: String {
        switch self {
        case .bool(let value): value ? "yes" : "no"
        case .number(let value): value.description
        case .money(let value): value.description
        case .string(let value): "\"\(value)\""
        case .enumMember(_, _, let name): name
        case .none: "none"
        case .list(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

/// A typed expression. Field references are resolved to slots; constants are inlined.
public struct TypedExpr: Sendable {
    public var kind: TypedExprKind
    public var type: ValueType
    public var span: Span

    public init(_ kind: TypedExprKind, _ type: ValueType, span: Span) {
        self.kind = kind
        self.type = type
        self.span = span
    }
}

public indirect enum TypedExprKind: Sendable {
    case constant(ConstantValue)
    /// A field of the event, by slot; `name` is the dotted name for traces.
    case eventField(slot: Int, name: String)
    /// A collection of the event, by slot.
    case collection(slot: Int, name: String)
    /// The element bound at `depth` (0 = outermost: the trigger's element, then aggregates).
    case element(depth: Int, name: String)
    /// A field of the element bound at `depth`.
    case elementField(depth: Int, slot: Int, name: String)
    case not(TypedExpr)
    case negate(TypedExpr)
    case and(TypedExpr, TypedExpr)
    case or(TypedExpr, TypedExpr)
    case compare(ComparisonOperator, TypedExpr, TypedExpr)
    case arithmetic(ArithmeticOperator, TypedExpr, TypedExpr)
    /// `x in list`, `x not in list`.
    case membership(TypedExpr, TypedExpr, negated: Bool)
    /// `collection where predicate`; the predicate sees the element at `depth`.
    case filter(TypedExpr, predicate: TypedExpr, depth: Int)
    /// `count`, `sum`, `any`, `all`, `min`, `max` over a collection; `body` sees the element at `depth`.
    case aggregate(AggregateFunction, TypedExpr, body: TypedExpr?, depth: Int)
    case list([TypedExpr])
    /// A string with interpolations.
    case interpolation([InterpolationPart])
}

public enum InterpolationPart: Sendable {
    case text(String)
    case value(TypedExpr)
}

public enum ComparisonOperator: String, Sendable, Hashable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
}

public enum ArithmeticOperator: String, Sendable, Hashable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
}

public enum AggregateFunction: String, Sendable, Hashable, CaseIterable {
    case count, sum, any, all, min, max
}
