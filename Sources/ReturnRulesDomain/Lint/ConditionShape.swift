import ReturnRulesLanguage

/// An abstract condition up to the numbering of its unknowns: `return.type == refund and ?0`
/// whichever unknown `?0` is. Two conditions of one shape evaluate to the same table over their
/// fields and unknowns, so a space evaluates each shape once: decision tables repeat the same
/// tests with different amounts, and each amount is an unknown of its own.
///
/// Compared on what evaluation reads (kinds, operators, slots, constants, types), not on names
/// or spans.
struct ConditionShape: Hashable {
    let condition: AbstractCondition
    /// Event slots from here on are unknowns (`ConditionAbstraction.atomSlotBase`).
    let atomSlotBase: Int
    /// The depth the evaluation binds the item at, if any.
    let itemDepth: Int?

    static func == (lhs: ConditionShape, rhs: ConditionShape) -> Bool {
        lhs.atomSlotBase == rhs.atomSlotBase && lhs.itemDepth == rhs.itemDepth && lhs.condition.atoms.count == rhs.condition.atoms.count
            && lhs.same(lhs.condition.expr, rhs.condition.expr, other: rhs)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(condition.atoms.count)
        hash(condition.expr, into: &hasher)
    }

    /// The position of an unknown among the condition's own (its local number), or nil for a
    /// field of the event.
    private func unknownPosition(_ slot: Int) -> Int? {
        guard slot >= atomSlotBase else { return nil }
        return condition.atoms.firstIndex(of: slot - atomSlotBase) ?? -1
    }

    // One switch on `a`, then a pattern on `b`: switching on the pair copies both payloads.
    private func same(_ a: TypedExpr, _ b: TypedExpr, other: ConditionShape) -> Bool {
        guard a.type == b.type else { return false }
        switch a.kind {
        case .constant(let x):
            guard case .constant(let y) = b.kind else { return false }
            return x == y
        case .eventField(let x, _):
            guard case .eventField(let y, _) = b.kind else { return false }
            let (p, q) = (unknownPosition(x), other.unknownPosition(y))
            return p == nil && q == nil ? x == y : p == q
        case .collection(let x, _):
            guard case .collection(let y, _) = b.kind else { return false }
            return x == y
        case .element(let x, _):
            guard case .element(let y, _) = b.kind else { return false }
            return x == y
        case .elementField(let d1, let s1, _):
            guard case .elementField(let d2, let s2, _) = b.kind else { return false }
            return d1 == d2 && s1 == s2
        case .not(let x):
            guard case .not(let y) = b.kind else { return false }
            return same(x, y, other: other)
        case .negate(let x):
            guard case .negate(let y) = b.kind else { return false }
            return same(x, y, other: other)
        case .and(let l1, let r1):
            guard case .and(let l2, let r2) = b.kind else { return false }
            return same(l1, l2, other: other) && same(r1, r2, other: other)
        case .or(let l1, let r1):
            guard case .or(let l2, let r2) = b.kind else { return false }
            return same(l1, l2, other: other) && same(r1, r2, other: other)
        case .compare(let o1, let l1, let r1):
            guard case .compare(let o2, let l2, let r2) = b.kind else { return false }
            return o1 == o2 && same(l1, l2, other: other) && same(r1, r2, other: other)
        case .arithmetic(let o1, let l1, let r1):
            guard case .arithmetic(let o2, let l2, let r2) = b.kind else { return false }
            return o1 == o2 && same(l1, l2, other: other) && same(r1, r2, other: other)
        case .membership(let n1, let h1, let g1):
            guard case .membership(let n2, let h2, let g2) = b.kind else { return false }
            return g1 == g2 && same(n1, n2, other: other) && same(h1, h2, other: other)
        case .filter(let s1, let p1, let d1):
            guard case .filter(let s2, let p2, let d2) = b.kind else { return false }
            return d1 == d2 && same(s1, s2, other: other) && same(p1, p2, other: other)
        case .aggregate(let f1, let s1, let b1, let d1):
            guard case .aggregate(let f2, let s2, let b2, let d2) = b.kind, f1 == f2, d1 == d2, same(s1, s2, other: other) else { return false }
            switch (b1, b2) {
            case (nil, nil): return true
            case (let x?, let y?): return same(x, y, other: other)
            default: return false
            }
        case .list(let x):
            guard case .list(let y) = b.kind, x.count == y.count else { return false }
            for (p, q) in zip(x, y) where !same(p, q, other: other) { return false }
            return true
        case .interpolation(let x):
            guard case .interpolation(let y) = b.kind, x.count == y.count else { return false }
            for (p, q) in zip(x, y) {
                switch p {
                case .text(let s):
                    guard case .text(let t) = q, s == t else { return false }
                case .value(let s):
                    guard case .value(let t) = q, same(s, t, other: other) else { return false }
                }
            }
            return true
        }
    }

    private func hash(_ expr: TypedExpr, into hasher: inout Hasher) {
        switch expr.kind {
        case .constant(let value):
            hasher.combine(0)
            // A cheap part of the value; equality compares the rest.
            switch value {
            case .enumMember(_, let index, _): hasher.combine(index)
            case .money(let money): hasher.combine(money.minorUnits)
            case .bool(let flag): hasher.combine(flag)
            default: break
            }
        case .eventField(let slot, _):
            if let position = unknownPosition(slot) {
                hasher.combine(1)
                hasher.combine(position)
            } else {
                hasher.combine(2)
                hasher.combine(slot)
            }
        case .collection(let slot, _):
            hasher.combine(3)
            hasher.combine(slot)
        case .element(let depth, _):
            hasher.combine(4)
            hasher.combine(depth)
        case .elementField(let depth, let slot, _):
            hasher.combine(5)
            hasher.combine(depth)
            hasher.combine(slot)
        case .not(let operand):
            hasher.combine(6)
            hash(operand, into: &hasher)
        case .negate(let operand):
            hasher.combine(7)
            hash(operand, into: &hasher)
        case .and(let lhs, let rhs):
            hasher.combine(8)
            hash(lhs, into: &hasher)
            hash(rhs, into: &hasher)
        case .or(let lhs, let rhs):
            hasher.combine(9)
            hash(lhs, into: &hasher)
            hash(rhs, into: &hasher)
        case .compare(let op, let lhs, let rhs):
            hasher.combine(10)
            hasher.combine(op)
            hash(lhs, into: &hasher)
            hash(rhs, into: &hasher)
        case .arithmetic(let op, let lhs, let rhs):
            hasher.combine(11)
            hasher.combine(op)
            hash(lhs, into: &hasher)
            hash(rhs, into: &hasher)
        case .membership(let needle, let haystack, let negated):
            hasher.combine(12)
            hasher.combine(negated)
            hash(needle, into: &hasher)
            hash(haystack, into: &hasher)
        case .filter(let source, let predicate, let depth):
            hasher.combine(13)
            hasher.combine(depth)
            hash(source, into: &hasher)
            hash(predicate, into: &hasher)
        case .aggregate(let function, let source, let body, let depth):
            hasher.combine(14)
            hasher.combine(function)
            hasher.combine(depth)
            hash(source, into: &hasher)
            if let body { hash(body, into: &hasher) }
        case .list(let items):
            hasher.combine(15)
            hasher.combine(items.count)
            for item in items { hash(item, into: &hasher) }
        case .interpolation(let parts):
            hasher.combine(16)
            hasher.combine(parts.count)
        }
    }
}
