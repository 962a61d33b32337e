import ReturnRulesLanguage

/// Where a condition holds over a decision space: per point, whether it can be true and
/// whether it can be false ("depends" is both; an evaluation error is both too).
struct Truth {
    var canTrue: BitSet
    var canFalse: BitSet

    var mustTrue: BitSet { canTrue.subtracting(canFalse) }
    var mustFalse: BitSet { canFalse.subtracting(canTrue) }
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

    /// Evaluates a condition with the language's interpreter at every point.
    ///
    /// The condition is evaluated once per combination of the fields and unknowns it reads (not
    /// per point of the space), then spread over the space.
    func truth(of condition: AbstractCondition, catalog: LintCatalog, itemDepth: Int?) -> Truth {
        var canTrue = BitSet(count: pointCount)
        var canFalse = BitSet(count: pointCount)
        let local = condition.fields.compactMap { fieldIndex($0) }.sorted()
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
        var results = [UInt8](repeating: 0, count: localCells * unknownCount)
        // One frame for every condition of the space, written field by field: the record has a
        // slot per atom, so loading it whole per evaluation would make linting quadratic in the
        // number of rules. A condition reads only its own fields and atoms, which are written
        // below before it is evaluated, so values left by earlier conditions are never read.
        let (frame, itemBase) = scratchFrame(catalog: catalog)
        if itemDepth != nil { frame.bindTriggerElement(collection: ReturnSchema.itemsSlot, index: 0) }
        for localCell in 0..<localCells {
            for (position, index) in local.enumerated() {
                let value = fields[index].values[(localCell / localStrides[position]) % fields[index].radix]
                switch fields[index].place {
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
        // 2. Spread over the space.
        var localOfCell = [Int](repeating: 0, count: cellCount)
        if !local.isEmpty {
            for cell in 0..<cellCount {
                var index = 0
                for (position, field) in local.enumerated() {
                    index += ((cell / strides[field]) % fields[field].radix) * localStrides[position]
                }
                localOfCell[cell] = index
            }
        }
        // Points are visited in increasing order, so bits are packed into words as they come.
        var trueWords = [UInt64](repeating: 0, count: (pointCount + 63) / 64)
        var falseWords = trueWords
        if jointAtoms > 0 {
            let spaceUnknowns = 1 << jointAtoms
            var localBits = [Int](repeating: 0, count: spaceUnknowns)
            for bits in 0..<spaceUnknowns {
                var mapped = 0
                for (position, atom) in unknowns.enumerated() where (bits >> atom) & 1 == 1 { mapped |= 1 << position }
                localBits[bits] = mapped
            }
            results.withUnsafeBufferPointer { results in
                localBits.withUnsafeBufferPointer { localBits in
                    var point = 0
                    for cell in 0..<cellCount {
                        let base = localOfCell[cell] * unknownCount
                        for bits in 0..<spaceUnknowns {
                            let result = results[base + localBits[bits]]
                            let bit = UInt64(1) << UInt64(point & 63)
                            if result & 1 != 0 { trueWords[point >> 6] |= bit }
                            if result & 2 != 0 { falseWords[point >> 6] |= bit }
                            point += 1
                        }
                    }
                }
            }
        } else {
            var merged = [UInt8](repeating: 0, count: localCells)
            for localCell in 0..<localCells {
                var combined: UInt8 = 0
                for bits in 0..<unknownCount { combined |= results[localCell * unknownCount + bits] }
                merged[localCell] = combined
            }
            for cell in 0..<cellCount {
                let result = merged[localOfCell[cell]]
                let bit = UInt64(1) << UInt64(cell & 63)
                if result & 1 != 0 { trueWords[cell >> 6] |= bit }
                if result & 2 != 0 { falseWords[cell >> 6] |= bit }
            }
        }
        canTrue = BitSet(count: pointCount, words: trueWords)
        canFalse = BitSet(count: pointCount, words: falseWords)
        return Truth(canTrue: canTrue, canFalse: canFalse)
    }
}
