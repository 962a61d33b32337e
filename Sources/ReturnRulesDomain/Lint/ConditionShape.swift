import ReturnRulesLanguage

/// An abstract condition up to the numbering of its unknowns: `return.type == refund and ?0`
/// whichever unknown `?0` is. Two conditions of one shape evaluate to the same table over their
/// fields and unknowns, so a space evaluates each shape once: decision tables repeat the same
/// tests with different amounts, and each amount is an unknown of its own.
///
/// The abstraction writes the shape out as it walks the condition (`AbstractCondition.shape`):
/// what evaluation reads (operators, slots, constants), not names, spans or types, which the
/// interpreter does not consult for these nodes.
struct ConditionShape: Hashable {
    let tokens: [ShapeToken]
    let unknownCount: Int
    /// The depth the evaluation binds the item at, if any.
    let itemDepth: Int?
}

/// Numbers the distinct shapes of one decision space's conditions, so the space can look a
/// condition's evaluation up by an integer (and each shape's tokens are kept once).
final class ShapeTable {
    private var ids: [ConditionShape: Int] = [:]

    func id(of shape: ConditionShape) -> Int {
        if let found = ids[shape] { return found }
        ids[shape] = ids.count
        return ids.count - 1
    }
}

/// One node of an abstract condition, in prefix order.
enum ShapeToken: Hashable {
    case and, or, not
    case compare(ComparisonOperator)
    case membership(negated: Bool)
    case list(Int)
    /// Constants as evaluation sees them: an enum value by index, money by minor units.
    case member(Int)
    case money(Int64)
    case number(ExactDecimal)
    case bool(Bool)
    case text(String)
    case none
    case constantList([ConstantValue])
    case eventField(Int)
    /// A field of the item bound at depth 0.
    case itemField(Int)
    /// The condition's unknown at this place in its `atoms`.
    case unknown(Int)
}

extension ShapeToken {
    /// A constant's token: only what `ValueOperations.value(of:)` reads, so hashing an enum
    /// value or an amount hashes an integer, not its names.
    init(_ constant: ConstantValue) {
        switch constant {
        case .enumMember(_, let index, _): self = .member(index)
        case .money(let money): self = .money(money.minorUnits)
        case .number(let number): self = .number(number)
        case .bool(let flag): self = .bool(flag)
        case .string(let text): self = .text(text)
        case .none: self = .none
        case .list(let values): self = .constantList(values)
        }
    }
}
