/// A runtime value of one event field or expression.
///
/// Money is held as minor units of the rule file's currency: the intake rejects (or sends to
/// review) events in any other currency before they reach the rules, so one Int64 is exact.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    /// An optional field with no value, or a required one the intake could not fill.
    case missing
    case bool(Bool)
    case number(ExactDecimal)
    /// Minor units of the program's currency.
    case money(Int64)
    case string(String)
    /// An enum value by its index among the enum's members.
    case member(Int32)

    public var isMissing: Bool { if case .missing = self { true } else { false } }

    public var description: String {
        switch self {
        case .missing: "none"
        case .bool(let value): value ? "yes" : "no"
        case .number(let value): value.description
        case .money(let units): "\(units) minor units"
        case .string(let text): "\"\(text)\""
        case .member(let index): "#\(index)"
        }
    }
}

/// The values of one event, laid out by the schema's slots.
///
/// The returns domain fills it from a payload through the mapping; the compiled rules read it
/// by slot, with no dictionary lookups on the hot path.
public struct EventRecord: Sendable {
    public var fields: [Value]
    /// One array of elements per collection slot.
    public var collections: [[ElementRecord]]

    public init(fieldCount: Int, collectionCount: Int) {
        fields = Array(repeating: .missing, count: fieldCount)
        collections = Array(repeating: [], count: collectionCount)
    }

    public init(fields: [Value], collections: [[ElementRecord]]) {
        self.fields = fields
        self.collections = collections
    }
}

/// One element of a collection (an item, a fee), laid out by its record's slots.
public struct ElementRecord: Sendable, Hashable {
    public var fields: [Value]

    public init(fieldCount: Int) { fields = Array(repeating: .missing, count: fieldCount) }
    public init(fields: [Value]) { self.fields = fields }
}

/// Why a rule could not be evaluated for an event: the planner turns it into a review item
/// naming the rule and the expression.
public struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var span: Span

    public init(_ message: String, at span: Span) {
        self.message = message
        self.span = span
    }

    public var description: String { message }
}
