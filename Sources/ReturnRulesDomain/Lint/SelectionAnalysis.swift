import ReturnRulesLanguage

/// Which items an action's selection (`items`, `items where …`, `item`) can include, as cells
/// of the item space: grade (with `none`: not inspected yet) × validation × outcome.
struct Selection {
    enum Kind { case all, filtered, element }
    let kind: Kind
    /// Item cells the selection may include (all cells for `item`: the point decides).
    let cells: BitSet
    /// Whether the selection's own condition tests the item's grade.
    let testsGrade: Bool
}

/// The item space and the analysis of selections over it.
final class ItemSpace {
    let catalog: LintCatalog
    let fields: [DomainField]
    let space: DecisionSpace
    private var cache: [String: Selection] = [:]

    init(catalog: LintCatalog) {
        self.catalog = catalog
        fields = ["grade", "validation", "outcome"].compactMap { catalog.itemField(named: $0) }
        space = DecisionSpace(fields: fields, atoms: AtomTable(), enumerateUnknowns: false)
    }

    var cellCount: Int { space.cellCount }

    /// The item cell with these values (by name); nil when a value is not in the space.
    func cell(grade: String, validation: String, outcome: String) -> Int? {
        var index = 0
        for (position, (field, name)) in zip(fields, [grade, validation, outcome]).enumerated() {
            guard let value = field.valueNames.firstIndex(of: name) else { return nil }
            index += value * space.strides[position]
        }
        return index
    }

    func value(_ name: String, ofCell cell: Int) -> String {
        guard let index = space.fieldIndex("item." + name) else { return "none" }
        return fields[index].valueNames[space.value(index, at: cell)]
    }

    /// Cells whose field has one of these values.
    func cells(where name: String, in values: Set<String>) -> BitSet { space.points(where: "item." + name, in: values) }

    func analyse(_ expr: TypedExpr) -> Selection {
        let key = TypedExprText.text(expr)
        if let found = cache[key] { return found }
        let result = compute(expr)
        cache[key] = result
        return result
    }

    private func compute(_ expr: TypedExpr) -> Selection {
        switch expr.kind {
        case .element:
            return Selection(kind: .element, cells: BitSet(count: cellCount, filled: true), testsGrade: false)
        case .filter(let source, let predicate, let depth):
            let inner = compute(source)
            let atoms = AtomTable()
            let abstraction = ConditionAbstraction(catalog: catalog, itemDepth: depth, enumerateEventFields: false, atoms: atoms)
            let condition = abstraction.abstract(predicate)
            let local = DecisionSpace(fields: fields, atoms: atoms, enumerateUnknowns: false)
            let truth = local.truth(of: condition, catalog: catalog, itemDepth: depth)
            return Selection(kind: .filtered, cells: truth.canTrue.intersection(inner.cells),
                             testsGrade: inner.testsGrade || condition.fields.contains("item.grade"))
        default:
            return Selection(kind: .all, cells: BitSet(count: cellCount, filled: true), testsGrade: false)
        }
    }
}
