/// The static type of an expression, field, constant or action parameter.
///
/// There is no floating point anywhere: `number` is an exact decimal and `money` is an exact
/// amount in the rule file's currency (events in another currency never reach the rules).
public enum ValueType: Sendable, Hashable, CustomStringConvertible {
    case bool
    /// An exact decimal: quantities, counts, percentages written as `0.10`.
    case number
    /// An exact amount in the rule file's currency.
    case money
    case string
    /// A closed set of names, e.g. `return_status`, or one a setting declares, e.g. `grade`.
    case enumeration(String)
    /// One element of a collection, e.g. an `item`.
    case record(String)
    /// The only recursive case, so the only boxed one: other types are stored inline.
    indirect case list(ValueType)
    /// The type of `none` before it meets a field.
    case noneLiteral
    /// After an error: compatible with everything, so one mistake is reported once.
    case invalid

    public var description: String {
        switch self {
        case .bool: "yes/no"
        case .number: "number"
        case .money: "money"
        case .string: "text"
        case .enumeration(let name): name
        case .record(let name): name
        case .list(let element): "list of \(element.pluralDescription)"
        case .noneLiteral: "none"
        case .invalid: "invalid"
        }
    }

    var pluralDescription: String {
        switch self {
        case .bool: "yes/no values"
        case .number: "numbers"
        case .money: "amounts"
        case .string: "texts"
        case .enumeration(let name): "\(name) values"
        case .record(let name): name.hasSuffix("s") ? name : name + "s"
        case .list: "lists"
        case .noneLiteral: "nones"
        case .invalid: "invalid values"
        }
    }

    public var isInvalid: Bool {
        if case .invalid = self { return true }
        return false
    }

    public var elementType: ValueType? {
        if case .list(let element) = self { return element }
        return nil
    }
}
