/// A tree-walking evaluator over the checked program: slower than the compiled rules, but it
/// can say why a condition failed. `explain` uses it, and the tests run it side by side with
/// the compiled rules on random events to prove they agree.
public struct Interpreter: Sendable {
    public let operations: ValueOperations
    public let enums: [String: [String]]

    public init(program: CheckedProgram) {
        operations = ValueOperations(currency: program.currency, rounding: program.rounding)
        enums = program.enums
    }

    init(operations: ValueOperations, enums: [String: [String]]) {
        self.operations = operations
        self.enums = enums
    }

    /// What a condition evaluated to, and the sub-conditions that decided it.
    public struct Trace: Sendable {
        public var span: Span
        public var value: String
        /// For a comparison, membership or aggregate: what was compared, with actual values.
        public var detail: String?
        public var children: [Trace]
    }

    /// An element of a collection: its base index in `EventRecord.elements` and its position.
    struct Member {
        var base: Int
        var index: Int
    }

    public func evaluate(_ expr: TypedExpr, frame: EvaluationFrame) throws(EvaluationError) -> Value {
        try plainValue(expr, frame)
    }

    /// Evaluates a condition and records, for every `and`/`or`/`not`/comparison, what it was.
    public func explain(_ expr: TypedExpr, frame: EvaluationFrame) -> (Result<Bool, EvaluationError>, Trace) {
        var trace: Trace? = Trace(span: expr.span, value: "", detail: nil, children: [])
        do {
            let result = try value(expr, frame, &trace)
            return (.success(try truth(result, expr.span)), trace!)
        } catch {
            trace!.value = "error: \(error.message)"
            return (.failure(error), trace!)
        }
    }

    /// Indices of the elements an action's selection argument names.
    public func selection(_ expr: TypedExpr, frame: EvaluationFrame) throws(EvaluationError) -> [Int] {
        if case .element(let depth, _) = expr.kind { return [frame.boundIndex(depth)] }
        return try collection(expr, frame).map(\.index)
    }

    func collection(_ expr: TypedExpr, _ frame: EvaluationFrame) throws(EvaluationError) -> [Member] {
        switch expr.kind {
        case .collection(let slot, _):
            return (0..<frame.count(of: slot)).map { Member(base: frame.base(of: slot, $0), index: $0) }
        case .filter(let source, let predicate, let depth):
            var kept: [Member] = []
            for member in try collection(source, frame) {
                frame.bind(depth, base: member.base, index: member.index)
                if case .bool(true) = try plainValue(predicate, frame) { kept.append(member) }
            }
            return kept
        default:
            throw EvaluationError("not a collection", at: expr.span)
        }
    }

    func values(_ expr: TypedExpr, _ frame: EvaluationFrame) throws(EvaluationError) -> [Value] {
        switch expr.kind {
        case .list(let items):
            var result: [Value] = []
            for item in items {
                result.append(try plainValue(item, frame))
            }
            return result
        case .constant(.list(let constants)):
            return constants.map { operations.value(of: $0, text: frame.scratchText) }
        default:
            throw EvaluationError("not a list", at: expr.span)
        }
    }

    func describe(_ value: Value, _ type: ValueType, _ frame: EvaluationFrame) -> String {
        if case .text = value { return "\"\(frame.string(value) ?? "")\"" }
        return operations.text(value, type: type, enums: enums, in: frame)
    }

    /// The value of an expression without a trace: the path `evaluate`, filters and aggregates
    /// take, and the linter's inner loop. It must agree with `value` case for case.
    func plainValue(_ expr: TypedExpr, _ frame: EvaluationFrame) throws(EvaluationError) -> Value {
        switch expr.kind {
        case .constant(let constant):
            return operations.value(of: constant, in: frame)
        case .eventField(let slot, _):
            return frame.field(slot)
        case .elementField(let depth, let slot, _):
            return frame.elementField(depth, slot)
        case .element, .collection, .filter, .list:
            throw EvaluationError("a collection is not a single value", at: expr.span)
        case .not(let operand):
            return .bool(!(try truth(try plainValue(operand, frame), operand.span)))
        case .and(let lhs, let rhs):
            guard try truth(try plainValue(lhs, frame), lhs.span) else { return .bool(false) }
            return .bool(try truth(try plainValue(rhs, frame), rhs.span))
        case .or(let lhs, let rhs):
            if try truth(try plainValue(lhs, frame), lhs.span) { return .bool(true) }
            return .bool(try truth(try plainValue(rhs, frame), rhs.span))
        case .compare(let op, let lhs, let rhs):
            let left = try plainValue(lhs, frame)
            let right = try plainValue(rhs, frame)
            return .bool(operations.compare(op, left, right, in: frame))
        case .membership(let needle, let haystack, let negated):
            let candidate = try plainValue(needle, frame)
            let list = try values(haystack, frame)
            let found = list.contains { operations.equal($0, candidate, in: frame) }
            return .bool(found != negated)
        case .arithmetic(let op, let lhs, let rhs):
            let left = try plainValue(lhs, frame)
            let right = try plainValue(rhs, frame)
            return try operations.arithmetic(op, left, right, span: expr.span)
        case .negate(let operand):
            return try operations.negate(try plainValue(operand, frame), span: expr.span)
        case .aggregate(let function, let source, let body, let depth):
            return try aggregate(function, source, body, depth, expr, frame)
        case .interpolation(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .text(let piece): text += piece
                case .value(let sub):
                    let inner = try plainValue(sub, frame)
                    text += operations.text(inner, type: sub.type, enums: enums, in: frame)
                }
            }
            return frame.scratchText(text)
        }
    }

    func value(_ expr: TypedExpr, _ frame: EvaluationFrame, _ trace: inout Trace?) throws(EvaluationError) -> Value {
        guard trace != nil else { return try plainValue(expr, frame) }
        // Only `explain` gets here: every node below is traced.
        let tracing = true
        func child(_ sub: TypedExpr) throws(EvaluationError) -> (Value, Trace?) {
            var childTrace: Trace? = Trace(span: sub.span, value: "", detail: nil, children: [])
            let result = try value(sub, frame, &childTrace)
            return (result, childTrace)
        }
        let result: Value
        switch expr.kind {
        case .constant(let constant):
            result = operations.value(of: constant, text: frame.scratchText)
        case .eventField(let slot, _):
            result = frame.field(slot)
        case .elementField(let depth, let slot, _):
            result = frame.elementField(depth, slot)
        case .element, .collection, .filter, .list:
            throw EvaluationError("a collection is not a single value", at: expr.span)
        case .not(let operand):
            let (inner, innerTrace) = try child(operand)
            if let innerTrace { trace?.children.append(innerTrace) }
            result = .bool(!(try truth(inner, operand.span)))
        case .and(let lhs, let rhs), .or(let lhs, let rhs):
            let isAnd: Bool
            if case .and = expr.kind { isAnd = true } else { isAnd = false }
            let (left, leftTrace) = try child(lhs)
            if let leftTrace { trace?.children.append(leftTrace) }
            let leftTruth = try truth(left, lhs.span)
            if leftTruth != isAnd {
                result = .bool(leftTruth)
            } else {
                let (right, rightTrace) = try child(rhs)
                if let rightTrace { trace?.children.append(rightTrace) }
                result = .bool(try truth(right, rhs.span))
            }
        case .compare(let op, let lhs, let rhs):
            let (left, _) = try child(lhs)
            let (right, _) = try child(rhs)
            result = .bool(operations.compare(op, left, right, in: frame))
            if tracing { trace?.detail = "\(describe(left, lhs.type, frame)) \(op.rawValue) \(describe(right, rhs.type, frame))" }
        case .membership(let needle, let haystack, let negated):
            let (candidate, _) = try child(needle)
            let list = try values(haystack, frame)
            let found = list.contains { operations.equal($0, candidate, in: frame) }
            result = .bool(found != negated)
            if tracing {
                let shown = list.prefix(8).map { describe($0, needle.type, frame) }.joined(separator: ", ") + (list.count > 8 ? ", …" : "")
                trace?.detail = "\(describe(candidate, needle.type, frame)) \(negated ? "not in" : "in") [\(shown)]"
            }
        case .arithmetic(let op, let lhs, let rhs):
            let (left, _) = try child(lhs)
            let (right, _) = try child(rhs)
            result = try operations.arithmetic(op, left, right, span: expr.span)
        case .negate(let operand):
            let (inner, _) = try child(operand)
            result = try operations.negate(inner, span: expr.span)
        case .aggregate(let function, let source, let body, let depth):
            result = try aggregate(function, source, body, depth, expr, frame)
            if tracing { trace?.detail = "\(function.rawValue)(…) = \(describe(result, expr.type, frame))" }
        case .interpolation(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .text(let piece): text += piece
                case .value(let sub):
                    let (inner, _) = try child(sub)
                    text += operations.text(inner, type: sub.type, enums: enums, in: frame)
                }
            }
            result = frame.scratchText(text)
        }
        if tracing { trace?.value = describe(result, expr.type, frame) }
        return result
    }

    /// A condition's truth: an absent yes/no field counts as no, as in the compiled rules.
    func truth(_ value: Value, _ span: Span) throws(EvaluationError) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .missing: return false
        default: throw EvaluationError("condition is not yes/no", at: span)
        }
    }

    func aggregate(_ function: AggregateFunction, _ source: TypedExpr, _ body: TypedExpr?, _ depth: Int, _ expr: TypedExpr,
                   _ frame: EvaluationFrame) throws(EvaluationError) -> Value {
        // A plain list of values (a constant list): no element binding.
        if case .list(let elementType) = source.type, case .record = elementType {} else {
            return try fold(function, try values(source, frame), type: expr.type, span: expr.span, frame: frame)
        }
        let members = try collection(source, frame)
        if function == .count, body == nil { return .number(ExactDecimal(Int64(members.count))) }
        if function == .any, body == nil { return .bool(!members.isEmpty) }
        var results: [Value] = []
        results.reserveCapacity(members.count)
        for member in members {
            frame.bind(depth, base: member.base, index: member.index)
            let item = try plainValue(body!, frame)
            switch function {
            case .any: if case .bool(true) = item { return .bool(true) }
            case .all: if case .bool(true) = item {} else { return .bool(false) }
            default: results.append(item)
            }
        }
        switch function {
        case .any: return .bool(false)
        case .all: return .bool(true)
        case .count: return .number(ExactDecimal(Int64(results.filter { if case .bool(true) = $0 { true } else { false } }.count)))
        default: return try fold(function, results, type: expr.type, span: body!.span, frame: frame)
        }
    }

    func fold(_ function: AggregateFunction, _ list: [Value], type: ValueType, span: Span, frame: EvaluationFrame) throws(EvaluationError) -> Value {
        switch function {
        case .count: return .number(ExactDecimal(Int64(list.count)))
        case .any: return .bool(list.contains { if case .bool(true) = $0 { true } else { false } })
        case .all: return .bool(list.allSatisfy { if case .bool(true) = $0 { true } else { false } })
        case .sum:
            var total = operations.zero(of: type)
            for item in list {
                if item.isMissing { throw EvaluationError("`sum` met a value that is absent in this event", at: span) }
                total = try operations.add(total, item, span: span)
            }
            return total
        case .min, .max:
            var best: Value = .missing
            for item in list {
                if item.isMissing { throw EvaluationError("`\(function.rawValue)` met a value that is absent in this event", at: span) }
                if best.isMissing || operations.compare(function == .min ? .less : .greater, item, best, in: frame) { best = item }
            }
            return best
        }
    }
}
