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
///
/// Most conditions of a large table have a shape seen before, so a lookup takes the tokens as
/// the abstraction wrote them into a buffer it reuses (`takeBuffer`, `returnBuffer`), and only a
/// new shape copies them: a dictionary keyed by `ConditionShape` needed a fresh array (about
/// 400 bytes) per condition just to ask.
final class ShapeTable {
    private var shapes: [ConditionShape] = []
    /// A hash of the shape to the newest id with that hash; `earlier` chains to the others.
    private var newest: [Int: Int] = [:]
    private var earlier: [Int] = []
    private var buffer: [ShapeToken] = []

    func id(of shape: ConditionShape) -> Int {
        id(tokens: shape.tokens, unknownCount: shape.unknownCount, itemDepth: shape.itemDepth)
    }

    func id(tokens: [ShapeToken], unknownCount: Int, itemDepth: Int?) -> Int {
        var hasher = Hasher()
        hasher.combine(tokens)
        hasher.combine(unknownCount)
        hasher.combine(itemDepth)
        let hash = hasher.finalize()
        var candidate = newest[hash] ?? -1
        while candidate >= 0 {
            let shape = shapes[candidate]
            if shape.unknownCount == unknownCount, shape.itemDepth == itemDepth, shape.tokens == tokens { return candidate }
            candidate = earlier[candidate]
        }
        let id = shapes.count
        shapes.append(ConditionShape(tokens: tokens, unknownCount: unknownCount, itemDepth: itemDepth))
        earlier.append(newest[hash] ?? -1)
        newest[hash] = id
        return id
    }

    /// An empty token buffer with the capacity of the ones before; hand it back when done.
    func takeBuffer() -> [ShapeToken] {
        var taken: [ShapeToken] = []
        swap(&taken, &buffer)
        if taken.capacity == 0 { taken.reserveCapacity(16) }
        return taken
    }

    func returnBuffer(_ tokens: consuming [ShapeToken]) {
        buffer = tokens
        buffer.removeAll(keepingCapacity: true)
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
