import ReturnRulesLanguage

/// Conditions on fields the lints do not enumerate (`refund.amount > 400.00 EUR`,
/// `any(items, …)`), each an *unknown* that may be true or false. Identified by canonical text,
/// so the same condition written in two rules (or through a constant) is one unknown.
///
/// A large table has an unknown per rule (each with its own amount), so the text is written
/// into a reused buffer and looked up by its bytes (FNV-1a, then a byte comparison); only a new
/// unknown becomes a `String`.
final class AtomTable {
    /// Each unknown's text by its bytes; an unknown's id is its index.
    private var table: NameTable<String>
    private var rendered: [UInt8] = []

    var count: Int { table.count }
    /// The text of the unknown `id`.
    func text(_ id: Int) -> String { table[id] }
    /// Every unknown's text, by id.
    var texts: [String] { (0..<table.count).map(text) }

    convenience init() { self.init(expected: 8) }

    /// A table sized for about `expected` unknowns (a context has about one per rule), so it
    /// does not rehash as it fills.
    init(expected: Int) {
        table = NameTable(expected: expected)
    }

    /// The unknown that is `condition`'s text, and that text.
    func atom(_ condition: TypedExpr) -> (id: Int, text: String) {
        rendered.removeAll(keepingCapacity: true)
        TypedExprText.write(condition, into: &rendered)
        return atom(rendered)
    }

    /// The unknown with the text `text` (UTF-8), and that text as a string.
    func atom(_ text: [UInt8]) -> (id: Int, text: String) {
        text.withUnsafeBufferPointer { bytes in
            if let id = table.index(of: bytes) { return (id, table[id]) }
            let string = String(decoding: bytes, as: UTF8.self)
            return (table.insert(bytes, string), string)
        }
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
    /// The condition's shape in its abstraction's `ShapeTable`: equal ids, equal evaluation.
    var shape: Int
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
    /// Where the conditions' shapes are numbered; one table per decision space.
    var shapes = ShapeTable()

    var atomSlotBase: Int { catalog.eventFieldCount }

    func abstract(_ condition: TypedExpr) -> AbstractCondition {
        var collected = Collected(shape: shapes.takeBuffer())
        let expr = walk(condition, &collected)
        let shape = shapes.id(tokens: collected.shape, unknownCount: collected.atoms.count, itemDepth: itemDepth)
        shapes.returnBuffer(collected.shape)
        return AbstractCondition(expr: expr, fields: collected.fields, atoms: collected.atoms, shape: shape)
    }

    /// What the walk gathers besides the rewritten expression.
    private struct Collected {
        var fields: [String] = []
        var atoms: [Int] = []
        /// The shape's tokens, in the shape table's reused buffer.
        var shape: [ShapeToken]

        mutating func addField(_ name: String) {
            if fields.isEmpty { fields.reserveCapacity(4) } else if fields.contains(name) { return }
            fields.append(name)
        }
    }

    private func walk(_ expr: TypedExpr, _ collected: inout Collected) -> TypedExpr {
        switch expr.kind {
        case .and(let lhs, let rhs):
            collected.shape.append(.and)
            return TypedExpr(.and(walk(lhs, &collected), walk(rhs, &collected)), .bool, span: expr.span)
        case .or(let lhs, let rhs):
            collected.shape.append(.or)
            return TypedExpr(.or(walk(lhs, &collected), walk(rhs, &collected)), .bool, span: expr.span)
        case .not(let operand):
            collected.shape.append(.not)
            return TypedExpr(.not(walk(operand, &collected)), .bool, span: expr.span)
        case .constant(.bool(let value)):
            collected.shape.append(.bool(value))
            return expr
        default:
            let canonical = ConditionAbstraction.canonical(expr, catalog: catalog)
            if case .not(let inner) = canonical.kind {
                collected.shape.append(.not)
                return TypedExpr(.not(leaf(inner, &collected)), .bool, span: expr.span)
            }
            return leaf(canonical, &collected)
        }
    }

    private func leaf(_ expr: TypedExpr, _ collected: inout Collected) -> TypedExpr {
        var test = expr
        switch expr.kind {
        case .eventField, .elementField:
            if expr.type == .bool {
                test = TypedExpr(.compare(.equal, expr, TypedExpr(.constant(.bool(true)), .bool, span: expr.span)), .bool, span: expr.span)
            }
        default: break
        }
        let shapeMark = collected.shape.count
        let fieldsMark = collected.fields.count
        if enumerable(test, &collected) {
            // The evaluation binds the item at depth 0, whatever depth the condition uses.
            if let itemDepth, itemDepth != 0 { return ConditionAbstraction.rebind(test, from: itemDepth) }
            return test
        }
        collected.shape.removeSubrange(shapeMark...)
        collected.fields.removeSubrange(fieldsMark...)
        let (id, text) = atoms.atom(test)
        let position = collected.atoms.firstIndex(of: id) ?? collected.atoms.count
        if position == collected.atoms.count { collected.atoms.append(id) }
        collected.shape.append(.unknown(position))
        return TypedExpr(.eventField(slot: atomSlotBase + id, name: text), .bool, span: expr.span)
    }

    /// Whether a field is kept unknown; most spaces exclude none, so skip hashing the name then.
    private func isExcluded(_ name: String) -> Bool { !excluded.isEmpty && excluded.contains(name) }

    /// True when `expr` reads only constants and enumerated fields; adds the fields to `fields`
    /// (each once) and writes the expression out into `shape` (the caller drops both if not).
    private func enumerable(_ expr: TypedExpr, _ collected: inout Collected) -> Bool {
        switch expr.kind {
        case .constant(let value):
            collected.shape.append(ShapeToken(value))
            return true
        case .eventField(let slot, _):
            guard enumerateEventFields, let name = catalog.eventFieldName(slot: slot), !isExcluded(name) else { return false }
            collected.addField(name)
            collected.shape.append(.eventField(slot))
            return true
        case .elementField(let depth, let slot, _):
            guard depth == itemDepth, let name = catalog.itemFieldName(slot: slot), !isExcluded(name) else { return false }
            collected.addField(name)
            // Evaluated with the item bound at depth 0, whatever the depth here.
            collected.shape.append(.itemField(slot))
            return true
        case .not(let operand):
            collected.shape.append(.not)
            return enumerable(operand, &collected)
        case .and(let lhs, let rhs):
            collected.shape.append(.and)
            return enumerable(lhs, &collected) && enumerable(rhs, &collected)
        case .or(let lhs, let rhs):
            collected.shape.append(.or)
            return enumerable(lhs, &collected) && enumerable(rhs, &collected)
        case .compare(let op, let lhs, let rhs):
            collected.shape.append(.compare(op))
            return enumerable(lhs, &collected) && enumerable(rhs, &collected)
        case .membership(let lhs, let rhs, let negated):
            collected.shape.append(.membership(negated: negated))
            return enumerable(lhs, &collected) && enumerable(rhs, &collected)
        case .list(let items):
            collected.shape.append(.list(items.count))
            for item in items where !enumerable(item, &collected) { return false }
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
