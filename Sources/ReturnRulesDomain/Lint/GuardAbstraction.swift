import ReturnRulesLanguage

/// Conditions on fields the lints do not enumerate (`refund.amount > 400.00 EUR`,
/// `any(items, …)`), each an *unknown* that may be true or false. Identified by canonical text,
/// so the same condition written in two rules (or through a constant) is one unknown.
final class AtomTable {
    private(set) var texts: [String] = []
    private var index: [String: Int] = [:]

    var count: Int { texts.count }

    init() {}

    /// A table sized for about `expected` unknowns (a context has about one per rule), so it
    /// does not rehash as it fills.
    init(expected: Int) {
        texts.reserveCapacity(expected)
        index.reserveCapacity(expected)
    }

    func atom(_ text: String) -> Int {
        if let found = index[text] { return found }
        index[text] = texts.count
        texts.append(text)
        return texts.count - 1
    }
}

/// A condition rewritten for the finite domain: enumerated fields are kept, every other
/// condition is replaced by an unknown read from a slot past the event's own fields, so the
/// language's interpreter evaluates it unchanged for each cell and each value of the unknowns.
struct AbstractCondition {
    var expr: TypedExpr
    /// Enumerated fields the condition reads, by name, each once (a condition reads a few: a
    /// list is cheaper to build than a set, and callers only test and merge it).
    var fields: [String]
    /// Unknowns it reads, by id in the space's `AtomTable`.
    var atoms: [Int]
}

/// Rewrites conditions against a catalog.
///
/// Rewrites that keep the meaning exactly (the interpreter's semantics, ValueOperations): `a !=
/// b` is `not (a == b)`; `x not in l` is `not (x in l)`; `a <= b` is `not (a > b)` when neither
/// side can be absent; a constant on the left is mirrored to the right; a bare yes/no field used
/// as a condition is `field == yes` (an absent value is false, as in the compiled rules).
struct ConditionAbstraction {
    let catalog: LintCatalog
    /// The binding depth whose item fields are enumerated (0 in `on item inspected`), if any.
    let itemDepth: Int?
    /// Whether event fields are enumerated (false inside a `where` of an action's selection).
    let enumerateEventFields: Bool
    /// Fields treated as unknown even though they are enumerable (to keep a space small).
    var excluded: Set<String> = []
    let atoms: AtomTable

    var atomSlotBase: Int { catalog.eventFieldCount }

    func abstract(_ condition: TypedExpr) -> AbstractCondition {
        var fields: [String] = []
        var used: [Int] = []
        let expr = walk(condition, &fields, &used)
        return AbstractCondition(expr: expr, fields: fields, atoms: used)
    }

    private func walk(_ expr: TypedExpr, _ fields: inout [String], _ used: inout [Int]) -> TypedExpr {
        switch expr.kind {
        case .and(let lhs, let rhs):
            return TypedExpr(.and(walk(lhs, &fields, &used), walk(rhs, &fields, &used)), .bool, span: expr.span)
        case .or(let lhs, let rhs):
            return TypedExpr(.or(walk(lhs, &fields, &used), walk(rhs, &fields, &used)), .bool, span: expr.span)
        case .not(let operand):
            return TypedExpr(.not(walk(operand, &fields, &used)), .bool, span: expr.span)
        case .constant(.bool):
            return expr
        default:
            let canonical = ConditionAbstraction.canonical(expr, catalog: catalog)
            if case .not(let inner) = canonical.kind {
                return TypedExpr(.not(leaf(inner, &fields, &used)), .bool, span: expr.span)
            }
            return leaf(canonical, &fields, &used)
        }
    }

    private func leaf(_ expr: TypedExpr, _ fields: inout [String], _ used: inout [Int]) -> TypedExpr {
        var test = expr
        switch expr.kind {
        case .eventField, .elementField:
            if expr.type == .bool {
                test = TypedExpr(.compare(.equal, expr, TypedExpr(.constant(.bool(true)), .bool, span: expr.span)), .bool, span: expr.span)
            }
        default: break
        }
        // A small array, not a set: a leaf reads one or two fields.
        var read: [String] = []
        if enumerable(test, &read) {
            for name in read where !fields.contains(name) { fields.append(name) }
            // The evaluation binds the item at depth 0, whatever depth the condition uses.
            if let itemDepth, itemDepth != 0 { return ConditionAbstraction.rebind(test, from: itemDepth) }
            return test
        }
        let text = TypedExprText.text(test)
        let id = atoms.atom(text)
        if !used.contains(id) { used.append(id) }
        return TypedExpr(.eventField(slot: atomSlotBase + id, name: text), .bool, span: expr.span)
    }

    /// Whether a field is kept unknown; most spaces exclude none, so skip hashing the name then.
    private func isExcluded(_ name: String) -> Bool { !excluded.isEmpty && excluded.contains(name) }

    /// True when `expr` reads only constants and enumerated fields; collects the fields.
    private func enumerable(_ expr: TypedExpr, _ read: inout [String]) -> Bool {
        switch expr.kind {
        case .constant:
            return true
        case .eventField(let slot, _):
            guard enumerateEventFields, let name = catalog.eventFieldName(slot: slot), !isExcluded(name) else { return false }
            read.append(name)
            return true
        case .elementField(let depth, let slot, _):
            guard depth == itemDepth, let name = catalog.itemFieldName(slot: slot), !isExcluded(name) else { return false }
            read.append(name)
            return true
        case .not(let operand):
            return enumerable(operand, &read)
        case .and(let lhs, let rhs), .or(let lhs, let rhs), .compare(_, let lhs, let rhs), .membership(let lhs, let rhs, _):
            return enumerable(lhs, &read) && enumerable(rhs, &read)
        case .list(let items):
            for item in items where !enumerable(item, &read) { return false }
            return true
        default:
            return false
        }
    }

    /// Moves element references from `depth` to depth 0 (only in conditions that read nothing else).
    static func rebind(_ expr: TypedExpr, from depth: Int) -> TypedExpr {
        func go(_ expr: TypedExpr) -> TypedExpr {
            let kind: TypedExprKind
            switch expr.kind {
            case .elementField(let found, let slot, let name) where found == depth: kind = .elementField(depth: 0, slot: slot, name: name)
            case .not(let operand): kind = .not(go(operand))
            case .and(let lhs, let rhs): kind = .and(go(lhs), go(rhs))
            case .or(let lhs, let rhs): kind = .or(go(lhs), go(rhs))
            case .compare(let op, let lhs, let rhs): kind = .compare(op, go(lhs), go(rhs))
            case .membership(let needle, let haystack, let negated): kind = .membership(go(needle), go(haystack), negated: negated)
            case .list(let items): kind = .list(items.map(go))
            default: return expr
            }
            return TypedExpr(kind, expr.type, span: expr.span)
        }
        return go(expr)
    }

    // MARK: - Meaning-preserving rewrites

    static func canonical(_ expr: TypedExpr, catalog: LintCatalog) -> TypedExpr {
        let span = expr.span
        switch expr.kind {
        case .compare(let op, let lhs, let rhs):
            if isConstant(lhs), !isConstant(rhs) {
                return canonical(TypedExpr(.compare(mirrored(op), rhs, lhs), .bool, span: span), catalog: catalog)
            }
            switch op {
            case .notEqual:
                return TypedExpr(.not(TypedExpr(.compare(.equal, lhs, rhs), .bool, span: span)), .bool, span: span)
            case .lessEqual where !canBeAbsent(lhs, catalog) && !canBeAbsent(rhs, catalog):
                return TypedExpr(.not(TypedExpr(.compare(.greater, lhs, rhs), .bool, span: span)), .bool, span: span)
            case .greaterEqual where !canBeAbsent(lhs, catalog) && !canBeAbsent(rhs, catalog):
                return TypedExpr(.not(TypedExpr(.compare(.less, lhs, rhs), .bool, span: span)), .bool, span: span)
            default:
                return expr
            }
        case .membership(let needle, let haystack, true):
            return TypedExpr(.not(TypedExpr(.membership(needle, haystack, negated: false), .bool, span: span)), .bool, span: span)
        default:
            return expr
        }
    }

    static func isConstant(_ expr: TypedExpr) -> Bool {
        if case .constant = expr.kind { return true }
        return false
    }

    static func mirrored(_ op: ComparisonOperator) -> ComparisonOperator {
        switch op {
        case .equal, .notEqual: op
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        }
    }

    /// Whether a value can be absent (`none`), which makes `<=` differ from `not >`.
    static func canBeAbsent(_ expr: TypedExpr, _ catalog: LintCatalog) -> Bool {
        let schema = ReturnSchema.schema
        switch expr.kind {
        case .constant(.none): return true
        case .constant: return false
        case .eventField(let slot, _):
            return schema.eventFields.values.first { $0.slot == slot }?.optional ?? true
        case .elementField(_, let slot, let name):
            let record = name.split(separator: ".").first.map(String.init) ?? "item"
            return schema.records[record]?.fields.values.first { $0.slot == slot }?.optional ?? true
        case .arithmetic(_, let lhs, let rhs): return canBeAbsent(lhs, catalog) || canBeAbsent(rhs, catalog)
        case .negate(let operand): return canBeAbsent(operand, catalog)
        case .aggregate(let function, _, _, _): return !(function == .count || function == .any || function == .all)
        default: return true
        }
    }
}
