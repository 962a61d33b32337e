import ReturnRulesLanguage

/// Where a condition holds over a decision space: per point, whether it can be true and
/// whether it can be false ("depends" is both; an evaluation error is both too).
struct Truth {
    var canTrue: BitSet
    var canFalse: BitSet

    var mustTrue: BitSet { canTrue.subtracting(canFalse) }
    var mustFalse: BitSet { canFalse.subtracting(canTrue) }

    /// `mustTrue.isFull`, without building `mustTrue`.
    var isAlwaysTrue: Bool { canTrue.isFull && canFalse.isEmpty }
}

/// A finite product of enumerated fields, optionally times the values of the unknowns.
///
/// A *cell* gives every field a value; a *point* is a cell plus a value for each of the first
/// `jointAtoms` unknowns (`point = cell << jointAtoms | unknownBits`). When the space would be
/// too large to enumerate the unknowns jointly, `jointAtoms` is 0 and each condition's own
/// unknowns are quantified per cell: "can be true" means for some value of them.
final class DecisionSpace {
    let fields: [DomainField]
    let strides: [Int]
    let cellCount: Int
    let atoms: AtomTable
    let jointAtoms: Int
    var pointCount: Int { cellCount << jointAtoms }

    /// Enumerating the unknowns jointly is exact; above this many points they are quantified per condition.
    static let jointPointLimit = 1 << 13

    private let indexByName: [String: Int]

    init(fields: [DomainField], atoms: AtomTable, enumerateUnknowns: Bool = true) {
        self.fields = fields
        indexByName = Dictionary(fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        var strides = Array(repeating: 1, count: fields.count)
        var product = 1
        for index in fields.indices.reversed() {
            strides[index] = product
            product *= max(fields[index].radix, 1)
        }
        if fields.contains(where: { $0.radix == 0 }) { product = 0 }
        self.strides = strides
        cellCount = product
        self.atoms = atoms
        jointAtoms = enumerateUnknowns && atoms.count <= 16 && (product << atoms.count) <= DecisionSpace.jointPointLimit ? atoms.count : 0
    }

    func fieldIndex(_ name: String) -> Int? { indexByName[name] }

    private var scratch: (frame: EvaluationFrame, itemBase: Int)?

    /// An event with one item and a slot per atom, loaded into a frame once per space.
    private func scratchFrame(catalog: LintCatalog) -> (EvaluationFrame, Int) {
        if let scratch { return scratch }
        let schema = ReturnSchema.schema
        var collectionFieldCounts = Array(repeating: 0, count: schema.collections.count)
        for collection in schema.collections.values { collectionFieldCounts[collection.slot] = schema.records[collection.record]?.fields.count ?? 0 }
        var event = EventRecord(fieldCount: catalog.eventFieldCount + atoms.count, collectionFieldCounts: collectionFieldCounts)
        event.beginCollection(ReturnSchema.itemsSlot)
        let itemBase = event.appendElement(to: ReturnSchema.itemsSlot)
        let made = (frame: EvaluationFrame(event: event, depth: 8), itemBase: itemBase)
        scratch = made
        return made
    }

    /// The points of a cell.
    @inline(__always) func points(ofCell cell: Int) -> Range<Int> { (cell << jointAtoms)..<((cell + 1) << jointAtoms) }

    /// Points of the cells a predicate (on a cell's first point) accepts, within `within`.
    func points(within: BitSet, where predicate: (Int) -> Bool) -> BitSet {
        var result = BitSet(count: pointCount)
        for cell in 0..<cellCount {
            let range = points(ofCell: cell)
            if within.intersects(range), predicate(range.lowerBound) { result.insert(range) }
        }
        return result.intersection(within)
    }

    @inline(__always) func cell(of point: Int) -> Int { point >> jointAtoms }

    /// The value index of field `index` at a point.
    @inline(__always) func value(_ index: Int, at point: Int) -> Int {
        (cell(of: point) / strides[index]) % fields[index].radix
    }

    func valueName(_ name: String, at point: Int) -> String? {
        fieldIndex(name).map { fields[$0].valueNames[value($0, at: point)] }
    }

    /// The value of unknown `atom` at a point, when the unknowns are enumerated jointly.
    func atomValue(_ atom: Int, at point: Int) -> Bool? {
        guard atom < jointAtoms else { return nil }
        return (point >> atom) & 1 == 1
    }

    /// Points whose field `name` has one of `values` (all points when the field is not here).
    func points(where name: String, in values: Set<String>) -> BitSet {
        guard let index = fieldIndex(name) else { return BitSet(count: pointCount, filled: true) }
        let accepted = fields[index].valueNames.map { values.contains($0) }
        var result = BitSet(count: pointCount)
        for cell in 0..<cellCount where accepted[(cell / strides[index]) % fields[index].radix] { result.insert(points(ofCell: cell)) }
        return result
    }

    /// Evaluates an expression that reads only this space's fields, at one point.
    func evaluate(_ expr: TypedExpr, at point: Int, catalog: LintCatalog, itemDepth: Int?) -> Value? {
        let schema = ReturnSchema.schema
        var collectionFieldCounts = Array(repeating: 0, count: schema.collections.count)
        for collection in schema.collections.values { collectionFieldCounts[collection.slot] = schema.records[collection.record]?.fields.count ?? 0 }
        var event = EventRecord(fieldCount: catalog.eventFieldCount + atoms.count, collectionFieldCounts: collectionFieldCounts)
        event.beginCollection(ReturnSchema.itemsSlot)
        let itemBase = event.appendElement(to: ReturnSchema.itemsSlot)
        for (index, field) in fields.enumerated() {
            let value = field.values[self.value(index, at: point)]
            switch field.place {
            case .event(let slot): event.fields[slot] = value
            case .item(let slot): event.elements[itemBase + slot] = value
            }
        }
        let frame = EvaluationFrame(event: event, depth: 8)
        if itemDepth != nil { frame.bindTriggerElement(collection: ReturnSchema.itemsSlot, index: 0) }
        return try? catalog.interpreter.evaluate(expr, frame: frame)
    }

    /// Per field, per value index: the points where the field has that value. Built on first
    /// use; a condition's truth is then a few word-wide `and`s per combination of its fields.
    private lazy var valuePoints: [[BitSet]] = fields.indices.map { index in
        var sets = Array(repeating: BitSet(count: pointCount), count: fields[index].radix)
        for cell in 0..<cellCount { sets[value(index, at: cell << jointAtoms)].insert(points(ofCell: cell)) }
        return sets
    }

    /// Per jointly enumerated unknown: the points where it is true.
    private lazy var atomPoints: [BitSet] = (0..<jointAtoms).map { atom in
        var set = BitSet(count: pointCount)
        for point in 0..<pointCount where (point >> atom) & 1 == 1 { set[point] = true }
        return set
    }

    /// Evaluation results of the condition being spread, kept between calls to spare an allocation each.
    private var resultScratch: [UInt8] = []
    /// Conditions already evaluated here, by shape: their truth when the unknowns are not in
    /// the space (it then depends on the shape alone), else their evaluation table.
    /// Indexed by `AbstractCondition.shape`: every condition a space sees comes from one
    /// abstraction, so from one `ShapeTable`.
    private var truthByShape: [Truth?] = []
    private var resultsByShape: [[UInt8]?] = []

    /// Evaluates a condition with the language's interpreter at every point.
    ///
    /// The condition is evaluated once per combination of the fields and unknowns it reads (not
    /// per point of the space), then spread over the space.
    func truth(of condition: AbstractCondition, catalog: LintCatalog, itemDepth: Int?) -> Truth {
        let shape = condition.shape
        if shape >= truthByShape.count {
            truthByShape.append(contentsOf: repeatElement(nil, count: shape + 1 - truthByShape.count))
            resultsByShape.append(contentsOf: repeatElement(nil, count: shape + 1 - resultsByShape.count))
        }
        if jointAtoms == 0, let known = truthByShape[shape] { return known }
        var local: [Int] = []
        for name in condition.fields { if let index = fieldIndex(name) { local.append(index) } }
        local.sort()
        let unknowns = condition.atoms
        guard unknowns.count <= 16 else {
            return Truth(canTrue: BitSet(count: pointCount, filled: true), canFalse: BitSet(count: pointCount, filled: true))
        }
        var localStrides = Array(repeating: 1, count: local.count)
        var localCells = 1
        for position in local.indices.reversed() {
            localStrides[position] = localCells
            localCells *= fields[local[position]].radix
        }
        let unknownCount = 1 << unknowns.count
        // 1. Evaluate per local combination: bit 0 true, bit 1 false.
        let evaluated = jointAtoms > 0 ? resultsByShape[shape] : nil
        var results = evaluated ?? resultScratch
        if evaluated == nil {
            resultScratch = []
            results.removeAll(keepingCapacity: true)
            results.append(contentsOf: repeatElement(0, count: localCells * unknownCount))
            evaluate(condition, local: local, localStrides: localStrides, localCells: localCells, into: &results,
                     catalog: catalog, itemDepth: itemDepth)
        }
        // 2. Spread over the space: the points of a combination are the intersection of its
        // fields' value sets (and, when the unknowns are enumerated jointly, of its unknowns').
        let valuePoints = self.valuePoints
        let atomPoints = jointAtoms > 0 ? self.atomPoints : []
        var canTrue = BitSet(count: pointCount)
        var canFalse = BitSet(count: pointCount)
        var combination = BitSet(count: pointCount)
        var withUnknowns = BitSet(count: pointCount)
        for localCell in 0..<localCells {
            combination.fill()
            for (position, index) in local.enumerated() {
                combination.formIntersection(valuePoints[index][(localCell / localStrides[position]) % fields[index].radix])
            }
            if jointAtoms > 0 {
                for bits in 0..<unknownCount {
                    let result = results[localCell * unknownCount + bits]
                    withUnknowns.assign(combination)
                    for (position, atom) in unknowns.enumerated() {
                        if (bits >> position) & 1 == 1 {
                            withUnknowns.formIntersection(atomPoints[atom])
                        } else {
                            withUnknowns.subtract(atomPoints[atom])
                        }
                    }
                    if result & 1 != 0 { canTrue.formUnion(withUnknowns) }
                    if result & 2 != 0 { canFalse.formUnion(withUnknowns) }
                }
            } else {
                // The unknowns are not in the space: "can be true" means for some value of them.
                var combined: UInt8 = 0
                for bits in 0..<unknownCount { combined |= results[localCell * unknownCount + bits] }
                if combined & 1 != 0 { canTrue.formUnion(combination) }
                if combined & 2 != 0 { canFalse.formUnion(combination) }
            }
        }
        let truth = Truth(canTrue: canTrue, canFalse: canFalse)
        if jointAtoms == 0 {
            truthByShape[shape] = truth
            resultScratch = results
        } else if evaluated == nil {
            resultsByShape[shape] = results
        }
        return truth
    }

    /// Evaluates a condition with the interpreter for every combination of the values of its
    /// fields (`local`) and of its unknowns: bit 0 of a result is "true", bit 1 "false" (both
    /// for an evaluation error).
    private func evaluate(_ condition: AbstractCondition, local: [Int], localStrides: [Int], localCells: Int, into results: inout [UInt8],
                          catalog: LintCatalog, itemDepth: Int?) {
        let unknowns = condition.atoms
        let unknownCount = 1 << unknowns.count
        // One frame for every condition of the space, written field by field: the record has a
        // slot per atom, so loading it whole per evaluation would make linting quadratic in the
        // number of rules. A condition reads only its own fields and atoms, which are written
        // below before it is evaluated, so values left by earlier conditions are never read.
        let (frame, itemBase) = scratchFrame(catalog: catalog)
        if itemDepth != nil { frame.bindTriggerElement(collection: ReturnSchema.itemsSlot, index: 0) }
        // Copied out once: reading a field of `fields` in the loop copies the whole field.
        let localValues = local.map { fields[$0].values }
        let localPlaces = local.map { fields[$0].place }
        for localCell in 0..<localCells {
            for position in local.indices {
                let values = localValues[position]
                let value = values[(localCell / localStrides[position]) % values.count]
                switch localPlaces[position] {
                case .event(let slot): frame.setField(slot, value)
                case .item(let slot): frame.setElementValue(itemBase + slot, value)
                }
            }
            for bits in 0..<unknownCount {
                for (position, atom) in unknowns.enumerated() {
                    frame.setField(catalog.eventFieldCount + atom, .bool((bits >> position) & 1 == 1))
                }
                frame.beginEvaluation()
                let result: UInt8
                do {
                    switch try catalog.interpreter.evaluate(condition.expr, frame: frame) {
                    case .bool(true): result = 1
                    case .bool(false), .missing: result = 2
                    default: result = 3
                    }
                } catch {
                    result = 3
                }
                results[localCell * unknownCount + bits] = result
            }
        }
    }
}
