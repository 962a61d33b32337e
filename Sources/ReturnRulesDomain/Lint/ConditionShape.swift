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
    private var hashes: [UInt64] = []
    /// Open addressing, linear probing: a shape's id, or -1 for an empty slot.
    private var slots = [Int32](repeating: -1, count: 64)
    private var buffer: [ShapeToken] = []

    func id(of shape: ConditionShape) -> Int {
        id(tokens: shape.tokens, unknownCount: shape.unknownCount, itemDepth: shape.itemDepth)
    }

    func id(tokens: [ShapeToken], unknownCount: Int, itemDepth: Int?) -> Int {
        // Each token folded in as one integer: `Hasher` over the enum cost about as much as the
        // rest of the abstraction of a condition.
        var hash = ShapeTable.mix(0x243F_6A88_85A3_08D3, UInt64(truncatingIfNeeded: unknownCount))
        hash = ShapeTable.mix(hash, itemDepth.map { UInt64(truncatingIfNeeded: $0) } ?? .max)
        for token in tokens { hash = ShapeTable.mix(hash, token.code) }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = Int(slots[slot])
            if id < 0 { break }
            if hashes[id] == hash {
                let shape = shapes[id]
                if shape.unknownCount == unknownCount, shape.itemDepth == itemDepth, shape.tokens == tokens { return id }
            }
            slot = (slot + 1) & mask
        }
        let id = shapes.count
        shapes.append(ConditionShape(tokens: tokens, unknownCount: unknownCount, itemDepth: itemDepth))
        hashes.append(hash)
        slots[slot] = Int32(id)
        if shapes.count * 2 > slots.count { grow() }
        return id
    }

    private func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
        }
    }

    @inline(__always)
    private static func mix(_ hash: UInt64, _ value: UInt64) -> UInt64 {
        var mixed = (hash ^ value) &* 0x9E37_79B9_7F4A_7C15
        mixed ^= mixed >> 29
        return mixed
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
    /// The token as one integer for `ShapeTable`'s hash: the case in the top byte, the payload
    /// below (payloads that do not fit are hashed). Equal tokens give equal codes; unequal ones
    /// rarely collide, and the table compares the tokens on a match anyway.
    var code: UInt64 {
        switch self {
        case .and: 1 << 56
        case .or: 2 << 56
        case .not: 3 << 56
        case .compare(let op):
            4 << 56 | (op == .equal ? 0 : op == .notEqual ? 1 : op == .less ? 2 : op == .lessEqual ? 3 : op == .greater ? 4 : 5)
        case .membership(let negated): 5 << 56 | (negated ? 1 : 0)
        case .list(let count): 6 << 56 ^ UInt64(truncatingIfNeeded: count)
        case .member(let index): 7 << 56 ^ UInt64(truncatingIfNeeded: index)
        case .money(let minorUnits): 8 << 56 ^ UInt64(bitPattern: minorUnits)
        case .number(let number): 9 << 56 ^ UInt64(bitPattern: Int64(number.hashValue))
        case .bool(let flag): 10 << 56 | (flag ? 1 : 0)
        case .text(let text): 11 << 56 ^ UInt64(bitPattern: Int64(text.hashValue))
        case .none: 12 << 56
        case .constantList(let values): 13 << 56 ^ UInt64(bitPattern: Int64(values.hashValue))
        case .eventField(let slot): 14 << 56 ^ UInt64(truncatingIfNeeded: slot)
        case .itemField(let slot): 15 << 56 ^ UInt64(truncatingIfNeeded: slot)
        case .unknown(let position): 16 << 56 ^ UInt64(truncatingIfNeeded: position)
        }
    }

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
