/// Lowers checked expressions into closures, once, so evaluating an event is a chain of direct
/// calls over slots: no name lookup, no type dispatch, no allocation. Common shapes get their
/// own closures (an enum field compared with a constant, a text field tested against a
/// constant set) because they make up most of real guards.
typealias ValueCode = @Sendable (EvaluationFrame) throws(EvaluationError) -> Value
typealias ConditionCode = @Sendable (EvaluationFrame) throws(EvaluationError) -> Bool
/// Visits the elements of a collection (after its filters); the visitor returns false to stop.
typealias CollectionCode = @Sendable (EvaluationFrame, _ depth: Int, _ visit: (EvaluationFrame, Int) throws(EvaluationError) -> Bool) throws(EvaluationError) -> Void

struct Compiler {
    let operations: ValueOperations
    let enums: [String: [String]]

    init(program: CheckedProgram) {
        operations = ValueOperations(currency: program.currency, rounding: program.rounding)
        enums = program.enums
    }

    // MARK: - Conditions

    func condition(_ expr: TypedExpr) -> ConditionCode {
        let span = expr.span
        switch expr.kind {
        case .constant(.bool(let flag)):
            return { _ in flag }
        case .not(let operand):
            let inner = condition(operand)
            return { frame throws(EvaluationError) in try !inner(frame) }
        case .and(let lhs, let rhs):
            let left = condition(lhs), right = condition(rhs)
            return { frame throws(EvaluationError) in
                if try !left(frame) { return false }
                return try right(frame)
            }
        case .or(let lhs, let rhs):
            let left = condition(lhs), right = condition(rhs)
            return { frame throws(EvaluationError) in
                if try left(frame) { return true }
                return try right(frame)
            }
        case .compare(let op, let lhs, let rhs):
            if let fast = compareWithConstant(op, lhs, rhs) { return fast }
            if let fast = compareWithConstant(op.mirrored, rhs, lhs) { return fast }
            let left = value(lhs), right = value(rhs)
            let operations = operations
            return { frame throws(EvaluationError) in operations.compare(op, try left(frame), try right(frame)) }
        case .membership(let needle, let haystack, let negated):
            return membership(needle, haystack, negated: negated)
        case .aggregate(let function, let source, let body, let depth) where function == .any || function == .all:
            let visit = collection(source)
            guard let body else {
                return { frame throws(EvaluationError) in
                    var found = false
                    try visit(frame, depth) { _, _ throws(EvaluationError) in found = true; return false }
                    return found
                }
            }
            let test = condition(body)
            let isAny = function == .any
            return { frame throws(EvaluationError) in
                var result = !isAny
                try visit(frame, depth) { frame, _ throws(EvaluationError) in
                    let holds = try test(frame)
                    if holds == isAny { result = isAny; return false }
                    return true
                }
                return result
            }
        default:
            let code = value(expr)
            return { frame throws(EvaluationError) in
                switch try code(frame) {
                case .bool(let flag): return flag
                case .missing: return false
                default: throw EvaluationError("condition is not yes/no", at: span)
                }
            }
        }
    }

    /// `field == constant` and friends without building `Value`s for the constant side.
    func compareWithConstant(_ op: ComparisonOperator, _ lhs: TypedExpr, _ rhs: TypedExpr) -> ConditionCode? {
        guard case .constant(let constant) = rhs.kind, let read = fieldReader(lhs) else { return nil }
        let expected = operations.value(of: constant)
        switch (op, expected) {
        case (.equal, .member(let member)):
            return { frame in if case .member(let actual) = read(frame) { return actual == member }; return false }
        case (.notEqual, .member(let member)):
            return { frame in if case .member(let actual) = read(frame) { return actual != member }; return true }
        case (.equal, .money(let amount)):
            return { frame in if case .money(let actual) = read(frame) { return actual == amount }; return false }
        case (.greater, .money(let amount)):
            return { frame in if case .money(let actual) = read(frame) { return actual > amount }; return false }
        case (.greaterEqual, .money(let amount)):
            return { frame in if case .money(let actual) = read(frame) { return actual >= amount }; return false }
        case (.less, .money(let amount)):
            return { frame in if case .money(let actual) = read(frame) { return actual < amount }; return false }
        case (.lessEqual, .money(let amount)):
            return { frame in if case .money(let actual) = read(frame) { return actual <= amount }; return false }
        case (.equal, .string(let text)):
            return { frame in if case .string(let actual) = read(frame) { return actual == text }; return false }
        case (.equal, .bool(let flag)):
            return { frame in if case .bool(let actual) = read(frame) { return actual == flag }; return false }
        case (.equal, .missing):
            return { frame in read(frame).isMissing }
        case (.notEqual, .missing):
            return { frame in !read(frame).isMissing }
        default:
            let operations = operations
            return { frame in operations.compare(op, read(frame), expected) }
        }
    }

    /// A direct slot read for event and element fields.
    func fieldReader(_ expr: TypedExpr) -> (@Sendable (EvaluationFrame) -> Value)? {
        switch expr.kind {
        case .eventField(let slot, _): return { frame in frame.event.fields[slot] }
        case .elementField(let depth, let slot, _): return { frame in frame.elements[depth].record.fields[slot] }
        default: return nil
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
        let read = value(needle)
        if let constants {
            let operations = self.operations
            let values = constants.map { operations.value(of: $0) }
            // Enum values: a bit mask. Texts: a hash set. Anything else: a linear scan.
            if values.allSatisfy({ if case .member(let m) = $0 { m < 64 } else { false } }) {
                var mask: UInt64 = 0
                for case .member(let m) in values { mask |= 1 << UInt64(m) }
                let bits = mask
                return { frame throws(EvaluationError) in
                    if case .member(let m) = try read(frame), m >= 0, m < 64 { return (bits >> UInt64(m)) & 1 == 1 ? !negated : negated }
                    return negated
                }
            }
            if values.allSatisfy({ if case .string = $0 { true } else { false } }) {
                let set = Set(values.compactMap { if case .string(let text) = $0 { text } else { nil } })
                return { frame throws(EvaluationError) in
                    if case .string(let text) = try read(frame) { return set.contains(text) != negated }
                    return negated
                }
            }
            return { frame throws(EvaluationError) in
                let candidate = try read(frame)
                return values.contains { operations.equal($0, candidate) } != negated
            }
        }
        guard case .list(let items) = haystack.kind else {
            return { _ throws(EvaluationError) in throw EvaluationError("not a list", at: haystack.span) }
        }
        let codes = items.map { value($0) }
        let operations = operations
        return { frame throws(EvaluationError) in
            let candidate = try read(frame)
            for code in codes where operations.equal(try code(frame), candidate) { return !negated }
            return negated
        }
    }

    // MARK: - Collections

    func collection(_ expr: TypedExpr) -> CollectionCode {
        switch expr.kind {
        case .collection(let slot, _):
            return { frame, depth, visit throws(EvaluationError) in
                let elements = frame.event.collections[slot]
                for index in elements.indices {
                    frame.bind(depth, elements[index], index)
                    if try !visit(frame, index) { return }
                }
            }
        case .filter(let source, let predicate, let predicateDepth):
            let inner = collection(source)
            let test = condition(predicate)
            return { frame, depth, visit throws(EvaluationError) in
                try inner(frame, predicateDepth) { frame, index throws(EvaluationError) in
                    guard try test(frame) else { return true }
                    if depth != predicateDepth { frame.bind(depth, frame.elements[predicateDepth].record, index) }
                    return try visit(frame, index)
                }
            }
        default:
            return { _, _, _ throws(EvaluationError) in throw EvaluationError("not a collection", at: expr.span) }
        }
    }

    /// The element indices an action's selection argument names.
    func selection(_ expr: TypedExpr, depth: Int) -> @Sendable (EvaluationFrame) throws(EvaluationError) -> [Int] {
        if case .element(let elementDepth, _) = expr.kind {
            return { frame in [frame.elements[elementDepth].index] }
        }
        let visit = collection(expr)
        return { frame throws(EvaluationError) in
            var indices: [Int] = []
            try visit(frame, depth) { _, index in indices.append(index); return true }
            return indices
        }
    }

    // MARK: - Values

    func value(_ expr: TypedExpr) -> ValueCode {
        let span = expr.span
        let operations = operations
        switch expr.kind {
        case .constant(let constant):
            let result = operations.value(of: constant)
            return { _ in result }
        case .eventField(let slot, _):
            return { frame in frame.event.fields[slot] }
        case .elementField(let depth, let slot, _):
            return { frame in frame.elements[depth].record.fields[slot] }
        case .not, .and, .or, .compare, .membership:
            let test = condition(expr)
            return { frame throws(EvaluationError) in .bool(try test(frame)) }
        case .negate(let operand):
            let inner = value(operand)
            return { frame throws(EvaluationError) in try operations.negate(try inner(frame), span: span) }
        case .arithmetic(let op, let lhs, let rhs):
            let left = value(lhs), right = value(rhs)
            if op == .add || op == .subtract, expr.type == .money {
                return { frame throws(EvaluationError) in
                    guard case .money(let a) = try left(frame), case .money(let b) = try right(frame) else {
                        return try operations.arithmetic(op, try left(frame), try right(frame), span: span)
                    }
                    let (result, overflow) = op == .add ? a.addingReportingOverflow(b) : a.subtractingReportingOverflow(b)
                    if overflow { throw EvaluationError("arithmetic overflow", at: span) }
                    return .money(result)
                }
            }
            return { frame throws(EvaluationError) in try operations.arithmetic(op, try left(frame), try right(frame), span: span) }
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
            return { frame throws(EvaluationError) in
                var text = ""
                for (literal, code, type) in pieces {
                    if let literal { text += literal } else if let code { text += operations.text(try code(frame), type: type, enums: enums) }
                }
                return .string(text)
            }
        case .element, .collection, .filter, .list:
            return { _ throws(EvaluationError) in throw EvaluationError("a collection is not a single value", at: span) }
        }
    }

    func aggregate(_ function: AggregateFunction, _ source: TypedExpr, _ body: TypedExpr?, _ depth: Int, type: ValueType, span: Span) -> ValueCode {
        let operations = operations
        if function == .any || function == .all {
            let test = condition(TypedExpr(.aggregate(function, source, body: body, depth: depth), .bool, span: span))
            return { frame throws(EvaluationError) in .bool(try test(frame)) }
        }
        // A plain list of values.
        if case .list(let element) = source.type, !isRecord(element) {
            let items: [ValueCode]
            switch source.kind {
            case .constant(.list(let constants)): items = constants.map { constant in let v = operations.value(of: constant); return { _ in v } }
            case .list(let list): items = list.map { value($0) }
            default: return { _ throws(EvaluationError) in throw EvaluationError("not a list", at: span) }
            }
            let interpreter = Interpreter(operations: operations, enums: enums)
            return { frame throws(EvaluationError) in
                var values: [Value] = []
                for item in items { values.append(try item(frame)) }
                return try interpreter.fold(function, values, type: type, span: span)
            }
        }
        let visit = collection(source)
        guard let body else {
            return { frame throws(EvaluationError) in
                var count: Int64 = 0
                try visit(frame, depth) { _, _ in count += 1; return true }
                return .number(ExactDecimal(count))
            }
        }
        if function == .count {
            let test = condition(body)
            return { frame throws(EvaluationError) in
                var count: Int64 = 0
                try visit(frame, depth) { frame, _ throws(EvaluationError) in if try test(frame) { count += 1 }; return true }
                return .number(ExactDecimal(count))
            }
        }
        let code = value(body)
        let bodySpan = body.span
        if function == .sum {
            let zero = operations.zero(of: type)
            return { frame throws(EvaluationError) in
                var total = zero
                try visit(frame, depth) { frame, _ throws(EvaluationError) in
                    let item = try code(frame)
                    switch (total, item) {
                    case (.money(let a), .money(let b)):
                        let (sum, overflow) = a.addingReportingOverflow(b)
                        if overflow { throw EvaluationError("arithmetic overflow", at: bodySpan) }
                        total = .money(sum)
                    case (_, .missing):
                        throw EvaluationError("`sum` met a value that is absent in this event", at: bodySpan)
                    default:
                        total = try operations.add(total, item, span: bodySpan)
                    }
                    return true
                }
                return total
            }
        }
        let isMin = function == .min
        return { frame throws(EvaluationError) in
            var best: Value = .missing
            try visit(frame, depth) { frame, _ throws(EvaluationError) in
                let item = try code(frame)
                if item.isMissing { throw EvaluationError("`\(function.rawValue)` met a value that is absent in this event", at: bodySpan) }
                if best.isMissing || operations.compare(isMin ? .less : .greater, item, best) { best = item }
                return true
            }
            return best
        }
    }

    func isRecord(_ type: ValueType) -> Bool { if case .record = type { true } else { false } }
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

extension Interpreter {
    init(operations: ValueOperations, enums: [String: [String]]) {
        self.operations = operations
        self.enums = enums
    }
}
