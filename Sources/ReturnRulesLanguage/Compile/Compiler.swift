/// Lowers checked expressions into closures, once, so evaluating an event is a chain of direct
/// calls over slots: no name lookup, no type dispatch, no allocation, no reference counting
/// (values are plain data).
///
/// The compiled code does not throw: throwing closures pay on every call. An evaluation error
/// (arithmetic overflow, an absent value in arithmetic) is recorded in the frame and the code
/// yields `false` or `missing`; the caller checks `frame.failure`. Field tests are generic over
/// small test structs, so a guard like `return.status == accepted` is one closure with the slot
/// read and the comparison inlined.
typealias ValueCode = @Sendable (EvaluationFrame) -> Value
typealias ConditionCode = @Sendable (EvaluationFrame) -> Bool
/// Visits the elements of a collection (after its filters), binding each at `depth`; the
/// visitor returns false to stop.
typealias CollectionCode = @Sendable (EvaluationFrame, _ depth: Int, _ visit: (EvaluationFrame, Int) -> Bool) -> Void
/// A `match first` table: the index of the first rule whose condition holds, or −1.
typealias TableCode = @Sendable (EvaluationFrame) -> Int

struct Compiler {
    let operations: ValueOperations
    let enums: [String: [String]]
    let pool: ConstantPool

    init(program: CheckedProgram, pool: ConstantPool) {
        operations = ValueOperations(currency: program.currency, rounding: program.rounding)
        enums = program.enums
        self.pool = pool
    }

    func constant(_ value: ConstantValue) -> Value { operations.value(of: value, text: pool.text) }

    // MARK: - Tables

    /// A `match first` table as closures that each hold the next: calling a captured closure
    /// costs no reference counting, unlike loading one from an array. Long tables are chained
    /// in chunks so the call depth stays small.
    func firstMatchTable(_ conditions: [TypedExpr?]) -> TableCode {
        var indexed: [(Int, TypedExpr)] = []
        for (index, condition) in conditions.enumerated() { if let condition { indexed.append((index, condition)) } }
        let chunkSize = 32
        var chunks: [TableCode] = []
        var start = 0
        while start < indexed.count {
            chunks.append(chain(indexed[start..<min(start + chunkSize, indexed.count)]))
            start += chunkSize
        }
        if chunks.isEmpty { return { _ in -1 } }
        if chunks.count == 1 { return chunks[0] }
        let all = chunks
        return { frame in
            for chunk in all {
                let found = chunk(frame)
                if found >= 0 || frame.failure != nil { return found }
            }
            return -1
        }
    }

    private func chain(_ rules: ArraySlice<(Int, TypedExpr)>) -> TableCode {
        guard let (index, expr) = rules.first else { return { _ in -1 } }
        let condition = self.condition(expr)
        if rules.count == 1 { return { frame in condition(frame) ? index : -1 } }
        let rest = chain(rules.dropFirst())
        return { frame in
            if condition(frame) { return index }
            return frame.failure == nil ? rest(frame) : -1
        }
    }

    // MARK: - Conditions

    func condition(_ expr: TypedExpr) -> ConditionCode {
        let span = expr.span
        switch expr.kind {
        case .constant(.bool(let flag)):
            return { _ in flag }
        case .not(let operand):
            let inner = condition(operand)
            return { frame in !inner(frame) }
        case .and(let lhs, let rhs):
            let left = condition(lhs), right = condition(rhs)
            return { frame in left(frame) && right(frame) }
        case .or(let lhs, let rhs):
            let left = condition(lhs), right = condition(rhs)
            return { frame in left(frame) || right(frame) }
        case .compare(let op, let lhs, let rhs):
            if let fast = compareWithConstant(op, lhs, rhs) { return fast }
            if let fast = compareWithConstant(op.mirrored, rhs, lhs) { return fast }
            let left = value(lhs), right = value(rhs)
            let operations = operations
            return { frame in operations.compare(op, left(frame), right(frame), in: frame) }
        case .membership(let needle, let haystack, let negated):
            return membership(needle, haystack, negated: negated)
        case .aggregate(let function, let source, let body, let depth) where function == .any || function == .all:
            return quantifier(isAny: function == .any, source, body, depth)
        default:
            let code = value(expr)
            return { frame in
                switch code(frame) {
                case .bool(let flag): return flag
                case .missing: return false
                default:
                    frame.fail(EvaluationError("condition is not yes/no", at: span))
                    return false
                }
            }
        }
    }

    /// `any(items, …)` / `all(items, …)`; over a plain collection the loop is inlined.
    func quantifier(isAny: Bool, _ source: TypedExpr, _ body: TypedExpr?, _ depth: Int) -> ConditionCode {
        if case .collection(let slot, _) = source.kind {
            guard let body else {
                return { frame in frame.ranges[slot].count > 0 }
            }
            let test = condition(body)
            return { frame in
                let range = frame.ranges[slot]
                var base = Int(range.start)
                let stride = Int(range.stride)
                for index in 0..<Int(range.count) {
                    frame.bind(depth, base: base, index: index)
                    if test(frame) == isAny { return isAny }
                    base += stride
                }
                return !isAny
            }
        }
        let visit = collection(source)
        guard let body else {
            return { frame in
                var found = false
                visit(frame, depth) { _, _ in found = true; return false }
                return found
            }
        }
        let test = condition(body)
        return { frame in
            var result = !isAny
            visit(frame, depth) { frame, _ in
                if test(frame) == isAny { result = isAny; return false }
                return true
            }
            return result
        }
    }

    /// `field <op> constant`: one closure with the slot read and the test inlined.
    func compareWithConstant(_ op: ComparisonOperator, _ lhs: TypedExpr, _ rhs: TypedExpr) -> ConditionCode? {
        guard case .constant(let constantValue) = rhs.kind, let access = FieldAccess(lhs) else { return nil }
        if case .string(let text) = constantValue {
            guard op == .equal || op == .notEqual else { return nil }
            return access.condition(TextEquals(bytes: Array(text.utf8), negated: op == .notEqual))
        }
        let expected = constant(constantValue)
        switch (op, expected) {
        case (.equal, .member(let member)):
            return access.condition(MemberIs(member: member, negated: false))
        case (.notEqual, .member(let member)):
            return access.condition(MemberIs(member: member, negated: true))
        case (_, .money(let amount)):
            return access.condition(MoneyCompare(op: op, amount: amount))
        case (.equal, .bool(let flag)):
            return access.condition(BoolIs(flag: flag))
        case (.equal, .missing):
            return access.condition(IsMissing(negated: false))
        case (.notEqual, .missing):
            return access.condition(IsMissing(negated: true))
        case (_, .number(let number)) where number.scale == 0:
            return access.condition(WholeCompare(op: op, number: number, operations: operations))
        default:
            return access.condition(GenericCompare(op: op, expected: expected, operations: operations))
        }
    }

    func membership(_ needle: TypedExpr, _ haystack: TypedExpr, negated: Bool) -> ConditionCode {
        let constants: [ConstantValue]?
        switch haystack.kind {
        case .constant(.list(let list)): constants = list
        case .list(let items):
            var all: [ConstantValue] = []
            for item in items { if case .constant(let constant) = item.kind { all.append(constant) } }
            constants = all.count == items.count ? all : nil
        default: constants = nil
        }
        if let constants {
            // Texts: a hash set probed with the field's bytes. Enum values: a bit mask.
            if constants.allSatisfy({ if case .string = $0 { true } else { false } }) {
                let test = TextIn(set: TextSet(constants.compactMap { if case .string(let text) = $0 { text } else { nil } }), negated: negated)
                if let access = FieldAccess(needle) { return access.condition(test) }
                let read = value(needle)
                return { frame in test.test(read(frame), frame) }
            }
            let values = constants.map { constant($0) }
            if values.allSatisfy({ if case .member(let m) = $0 { m < 64 } else { false } }) {
                var mask: UInt64 = 0
                for case .member(let m) in values { mask |= 1 << UInt64(m) }
                let test = MemberIn(bits: mask, negated: negated)
                if let access = FieldAccess(needle) { return access.condition(test) }
                let read = value(needle)
                return { frame in test.test(read(frame), frame) }
            }
            let read = value(needle)
            let operations = operations
            return { frame in
                let candidate = read(frame)
                return values.contains { operations.equal($0, candidate, in: frame) } != negated
            }
        }
        guard case .list(let items) = haystack.kind else {
            return { frame in frame.fail(EvaluationError("not a list", at: haystack.span)); return false }
        }
        let read = value(needle)
        let codes = items.map { value($0) }
        let operations = operations
        return { frame in
            let candidate = read(frame)
            for code in codes where operations.equal(code(frame), candidate, in: frame) { return !negated }
            return negated
        }
    }

    // MARK: - Collections

    func collection(_ expr: TypedExpr) -> CollectionCode {
        switch expr.kind {
        case .collection(let slot, _):
            return { frame, depth, visit in
                let range = frame.ranges[slot]
                var base = Int(range.start)
                let stride = Int(range.stride)
                for index in 0..<Int(range.count) {
                    frame.bind(depth, base: base, index: index)
                    if !visit(frame, index) { return }
                    base += stride
                }
            }
        case .filter(let source, let predicate, let predicateDepth):
            let inner = collection(source)
            let test = condition(predicate)
            return { frame, depth, visit in
                inner(frame, predicateDepth) { frame, index in
                    guard test(frame) else { return frame.failure == nil }
                    if depth != predicateDepth { frame.bind(depth, base: frame.bases[predicateDepth], index: index) }
                    return visit(frame, index)
                }
            }
        default:
            return { frame, _, _ in frame.fail(EvaluationError("not a collection", at: expr.span)) }
        }
    }

    /// The element indices an action's selection argument names.
    func selection(_ expr: TypedExpr, depth: Int) -> @Sendable (EvaluationFrame) -> [Int] {
        if case .element(let elementDepth, _) = expr.kind {
            return { frame in [frame.boundIndex(elementDepth)] }
        }
        let visit = collection(expr)
        return { frame in
            var indices: [Int] = []
            visit(frame, depth) { _, index in indices.append(index); return true }
            return indices
        }
    }

    // MARK: - Values

    func value(_ expr: TypedExpr) -> ValueCode {
        let span = expr.span
        let operations = operations
        switch expr.kind {
        case .constant(let constantValue):
            let result = constant(constantValue)
            return { _ in result }
        case .eventField(let slot, _):
            return { frame in frame.fields[slot] }
        case .elementField(let depth, let slot, _):
            return { frame in frame.elements[frame.bases[depth] + slot] }
        case .not, .and, .or, .compare, .membership:
            let test = condition(expr)
            return { frame in .bool(test(frame)) }
        case .negate(let operand):
            let inner = value(operand)
            return { frame in
                do throws(EvaluationError) { return try operations.negate(inner(frame), span: span) } catch { frame.fail(error); return .missing }
            }
        case .arithmetic(let op, let lhs, let rhs):
            let left = value(lhs), right = value(rhs)
            if op == .add || op == .subtract, expr.type == .money {
                return { frame in
                    let a = left(frame), b = right(frame)
                    if case .money(let x) = a, case .money(let y) = b {
                        let (result, overflow) = op == .add ? x.addingReportingOverflow(y) : x.subtractingReportingOverflow(y)
                        if !overflow { return .money(result) }
                    }
                    do throws(EvaluationError) { return try operations.arithmetic(op, a, b, span: span) } catch { frame.fail(error); return .missing }
                }
            }
            if op == .multiply, expr.type == .money {
                // Amount × whole quantity: exact integer multiplication, no rounding involved.
                return { frame in
                    let a = left(frame), b = right(frame)
                    switch (a, b) {
                    case (.money(let units), .number(let factor)), (.number(let factor), .money(let units)):
                        if factor.scale == 0 {
                            let (product, overflow) = units.multipliedReportingOverflow(by: factor.significand)
                            if !overflow { return .money(product) }
                        }
                    default: break
                    }
                    do throws(EvaluationError) { return try operations.arithmetic(op, a, b, span: span) } catch { frame.fail(error); return .missing }
                }
            }
            return { frame in
                do throws(EvaluationError) { return try operations.arithmetic(op, left(frame), right(frame), span: span) } catch { frame.fail(error); return .missing }
            }
        case .aggregate(let function, let source, let body, let depth):
            return aggregate(function, source, body, depth, type: expr.type, span: span)
        case .interpolation(let parts):
            let pieces: [(String?, ValueCode?, ValueType)] = parts.map { part in
                switch part {
                case .text(let text): (text, nil, .string)
                case .value(let sub): (nil, value(sub), sub.type)
                }
            }
            let enums = enums
            return { frame in
                var text = ""
                for (literal, code, type) in pieces {
                    if let literal { text += literal } else if let code { text += operations.text(code(frame), type: type, enums: enums, in: frame) }
                }
                return frame.scratchText(text)
            }
        case .element, .collection, .filter, .list:
            return { frame in frame.fail(EvaluationError("a collection is not a single value", at: span)); return .missing }
        }
    }

    func aggregate(_ function: AggregateFunction, _ source: TypedExpr, _ body: TypedExpr?, _ depth: Int, type: ValueType, span: Span) -> ValueCode {
        let operations = operations
        if function == .any || function == .all {
            let test = quantifier(isAny: function == .any, source, body, depth)
            return { frame in .bool(test(frame)) }
        }
        // A plain list of values.
        if case .list(let element) = source.type, !isRecord(element) {
            let items: [ValueCode]
            switch source.kind {
            case .constant(.list(let constants)): items = constants.map { item in let v = constant(item); return { _ in v } }
            case .list(let list): items = list.map { value($0) }
            default: return { frame in frame.fail(EvaluationError("not a list", at: span)); return .missing }
            }
            let interpreter = Interpreter(operations: operations, enums: enums)
            return { frame in
                let values = items.map { $0(frame) }
                do throws(EvaluationError) { return try interpreter.fold(function, values, type: type, span: span, frame: frame) } catch { frame.fail(error); return .missing }
            }
        }
        let visit = collection(source)
        guard let body else {
            return { frame in
                var count: Int64 = 0
                visit(frame, depth) { _, _ in count += 1; return true }
                return .number(ExactDecimal(count))
            }
        }
        if function == .count {
            let test = condition(body)
            return { frame in
                var count: Int64 = 0
                visit(frame, depth) { frame, _ in if test(frame) { count += 1 }; return frame.failure == nil }
                return .number(ExactDecimal(count))
            }
        }
        let code = value(body)
        let bodySpan = body.span
        if function == .sum {
            let zero = operations.zero(of: type)
            return { frame in
                var total = zero
                visit(frame, depth) { frame, _ in
                    let item = code(frame)
                    switch (total, item) {
                    case (.money(let a), .money(let b)):
                        let (sum, overflow) = a.addingReportingOverflow(b)
                        if overflow { frame.fail(EvaluationError("arithmetic overflow", at: bodySpan)); return false }
                        total = .money(sum)
                    case (.number(let a), .number(let b)) where a.scale == 0 && b.scale == 0:
                        let (sum, overflow) = a.significand.addingReportingOverflow(b.significand)
                        if overflow { frame.fail(EvaluationError("arithmetic overflow", at: bodySpan)); return false }
                        total = .number(ExactDecimal(sum))
                    case (_, .missing):
                        frame.fail(EvaluationError("`sum` met a value that is absent in this event", at: bodySpan))
                        return false
                    default:
                        do throws(EvaluationError) { total = try operations.add(total, item, span: bodySpan) } catch { frame.fail(error); return false }
                    }
                    return frame.failure == nil
                }
                return frame.failure == nil ? total : .missing
            }
        }
        let isMin = function == .min
        return { frame in
            var best: Value = .missing
            visit(frame, depth) { frame, _ in
                let item = code(frame)
                if item.isMissing {
                    frame.fail(EvaluationError("`\(function.rawValue)` met a value that is absent in this event", at: bodySpan))
                    return false
                }
                if best.isMissing || operations.compare(isMin ? .less : .greater, item, best, in: frame) { best = item }
                return true
            }
            return best
        }
    }

    func isRecord(_ type: ValueType) -> Bool { if case .record = type { true } else { false } }
}

// MARK: - Field tests

/// A field read directly from its slot: the event's, or the element bound at a depth.
enum FieldAccess {
    case event(slot: Int)
    case element(depth: Int, slot: Int)

    init?(_ expr: TypedExpr) {
        switch expr.kind {
        case .eventField(let slot, _): self = .event(slot: slot)
        case .elementField(let depth, let slot, _): self = .element(depth: depth, slot: slot)
        default: return nil
        }
    }

    /// A condition that reads the field and applies `test`, specialised for the test type.
    func condition<Test: FieldTest>(_ test: Test) -> ConditionCode {
        switch self {
        case .event(let slot):
            return { frame in test.test(frame.fields[slot], frame) }
        case .element(let depth, let slot):
            return { frame in test.test(frame.elements[frame.bases[depth] + slot], frame) }
        }
    }
}

/// A test of one field value against something known at compile time.
protocol FieldTest: Sendable {
    func test(_ value: Value, _ frame: EvaluationFrame) -> Bool
}

struct MemberIs: FieldTest {
    let member: Int32
    let negated: Bool
    @inline(__always) func test(_ value: Value, _ frame: EvaluationFrame) -> Bool {
        if case .member(let actual) = value { return (actual == member) != negated }
        return negated
    }
}

struct MemberIn: FieldTest {
    let bits: UInt64
    let negated: Bool
    @inline(__always) func test(_ value: Value, _ frame: EvaluationFrame) -> Bool {
        if case .member(let m) = value, m >= 0, m < 64 { return ((bits >> UInt64(m)) & 1 == 1) != negated }
        return negated
    }
}

struct MoneyCompare: FieldTest {
    let op: ComparisonOperator
    let amount: Int64
    @inline(__always) func test(_ value: Value, _ frame: EvaluationFrame) -> Bool {
        guard case .money(let actual) = value else { return op == .notEqual }
        switch op {
        case .equal: return actual == amount
        case .notEqual: return actual != amount
        case .less: return actual < amount
        case .lessEqual: return actual <= amount
        case .greater: return actual > amount
        case .greaterEqual: return actual >= amount
        }
    }
}

/// A number against a whole constant: integer comparison when the field is whole too.
struct WholeCompare: FieldTest {
    let op: ComparisonOperator
    let number: ExactDecimal
    let operations: ValueOperations
    @inline(__always) func test(_ value: Value, _ frame: EvaluationFrame) -> Bool {
        if case .number(let actual) = value, actual.scale == 0 {
            let a = actual.significand, b = number.significand
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            case .less: return a < b
            case .lessEqual: return a <= b
            case .greater: return a > b
            case .greaterEqual: return a >= b
            }
        }
        return operations.compare(op, value, .number(number), in: frame)
    }
}

struct TextEquals: FieldTest {
    let bytes: [UInt8]
    let negated: Bool
    @inline(__always) func test(_ value: Value, _ frame: EvaluationFrame) -> Bool {
        guard case .text(let span) = value else { return negated }
        guard Int(span.length) == bytes.count else { return negated }
        let same = frame.withBytes(span) { field in bytes.withUnsafeBufferPointer { TextBytes.equal(field, $0) } }
        return same != negated
    }
}

struct TextIn: FieldTest {
    let set: TextSet
    let negated: Bool
    @inline(__always) func test(_ value: Value, _ frame: EvaluationFrame) -> Bool {
        guard case .text(let span) = value else { return negated }
        return frame.withBytes(span) { set.contains($0) } != negated
    }
}

struct BoolIs: FieldTest {
    let flag: Bool
    @inline(__always) func test(_ value: Value, _ frame: EvaluationFrame) -> Bool {
        if case .bool(let actual) = value { return actual == flag }
        return false
    }
}

struct IsMissing: FieldTest {
    let negated: Bool
    @inline(__always) func test(_ value: Value, _ frame: EvaluationFrame) -> Bool { value.isMissing != negated }
}

struct GenericCompare: FieldTest {
    let op: ComparisonOperator
    let expected: Value
    let operations: ValueOperations
    @inline(__always) func test(_ value: Value, _ frame: EvaluationFrame) -> Bool { operations.compare(op, value, expected, in: frame) }
}

extension ComparisonOperator {
    /// The operator with its operands swapped: `a < b` is `b > a`.
    var mirrored: ComparisonOperator {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        }
    }
}
