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

    /// What a condition evaluated to, and the sub-conditions that decided it.
    public struct Trace: Sendable {
        public var span: Span
        public var value: String
        /// For a failed comparison: the actual and the expected side.
        public var detail: String?
        public var children: [Trace]
    }

    public func evaluate(_ expr: TypedExpr, event: EventRecord, elements: [BoundElement]) throws(EvaluationError) -> Value {
        var scratch = elements
        return try value(expr, event, &scratch, trace: nil)
    }

    /// Evaluates a condition and records, for every `and`/`or`/`not`/comparison, what it was.
    public func explain(_ expr: TypedExpr, event: EventRecord, elements: [BoundElement]) -> (Result<Bool, EvaluationError>, Trace) {
        var scratch = elements
        var trace: Trace? = Trace(span: expr.span, value: "", detail: nil, children: [])
        do {
            let result = try valueTraced(expr, event, &scratch, &trace)
            if case .bool(let flag) = result { return (.success(flag), trace!) }
            return (.success(false), trace!)
        } catch {
            trace!.value = "error: \(error.message)"
            return (.failure(error), trace!)
        }
    }

    /// Indices of the elements an action's selection argument names.
    public func selection(_ expr: TypedExpr, event: EventRecord, elements: [BoundElement]) throws(EvaluationError) -> [Int] {
        var scratch = elements
        switch expr.kind {
        case .element(let depth, _): return [scratch[depth].index]
        default: return try collection(expr, event, &scratch).map(\.index)
        }
    }

    func collection(_ expr: TypedExpr, _ event: EventRecord, _ elements: inout [BoundElement]) throws(EvaluationError) -> [BoundElement] {
        switch expr.kind {
        case .collection(let slot, _):
            return event.collections[slot].enumerated().map { BoundElement(record: $0.element, index: $0.offset) }
        case .filter(let source, let predicate, let depth):
            var kept: [BoundElement] = []
            for element in try collection(source, event, &elements) {
                bind(&elements, depth, element)
                if case .bool(true) = try value(predicate, event, &elements, trace: nil) { kept.append(element) }
            }
            return kept
        default:
            throw EvaluationError("not a collection", at: expr.span)
        }
    }

    func values(_ expr: TypedExpr, _ event: EventRecord, _ elements: inout [BoundElement]) throws(EvaluationError) -> [Value] {
        switch expr.kind {
        case .list(let items):
            var result: [Value] = []
            for item in items { result.append(try value(item, event, &elements, trace: nil)) }
            return result
        case .constant(.list(let constants)):
            return constants.map { operations.value(of: $0) }
        default:
            throw EvaluationError("not a list", at: expr.span)
        }
    }

    func bind(_ elements: inout [BoundElement], _ depth: Int, _ element: BoundElement) {
        while elements.count <= depth { elements.append(.empty) }
        elements[depth] = element
    }

    func value(_ expr: TypedExpr, _ event: EventRecord, _ elements: inout [BoundElement], trace: Never?) throws(EvaluationError) -> Value {
        var none: Trace? = nil
        return try valueTraced(expr, event, &elements, &none)
    }

    func valueTraced(_ expr: TypedExpr, _ event: EventRecord, _ elements: inout [BoundElement], _ trace: inout Trace?) throws(EvaluationError) -> Value {
        let tracing = trace != nil
        func child(_ sub: TypedExpr, _ elements: inout [BoundElement]) throws(EvaluationError) -> (Value, Trace?) {
            guard tracing else { var none: Trace? = nil; return (try valueTraced(sub, event, &elements, &none), nil) }
            var childTrace: Trace? = Trace(span: sub.span, value: "", detail: nil, children: [])
            let result = try valueTraced(sub, event, &elements, &childTrace)
            return (result, childTrace)
        }
        func describe(_ value: Value, _ type: ValueType) -> String {
            if case .string(let text) = value { return "\"\(text)\"" }
            return operations.text(value, type: type, enums: enums)
        }
        let result: Value
        switch expr.kind {
        case .constant(let constant):
            result = operations.value(of: constant)
        case .eventField(let slot, _):
            result = event.fields[slot]
        case .elementField(let depth, let slot, _):
            result = elements[depth].record.fields[slot]
        case .element, .collection, .filter, .list:
            throw EvaluationError("a collection is not a single value", at: expr.span)
        case .not(let operand):
            let (inner, innerTrace) = try child(operand, &elements)
            if let innerTrace { trace?.children.append(innerTrace) }
            guard case .bool(let flag) = inner else { throw EvaluationError("`not` of a value that is not yes/no", at: expr.span) }
            result = .bool(!flag)
        case .and(let lhs, let rhs), .or(let lhs, let rhs):
            let isAnd: Bool
            if case .and = expr.kind { isAnd = true } else { isAnd = false }
            let (left, leftTrace) = try child(lhs, &elements)
            if let leftTrace { trace?.children.append(leftTrace) }
            if case .bool(let flag) = left, flag != isAnd {
                result = .bool(flag)
            } else {
                let (right, rightTrace) = try child(rhs, &elements)
                if let rightTrace { trace?.children.append(rightTrace) }
                guard case .bool(let flag) = right else { throw EvaluationError("condition is not yes/no", at: rhs.span) }
                result = .bool(flag)
            }
        case .compare(let op, let lhs, let rhs):
            let (left, _) = try child(lhs, &elements)
            let (right, _) = try child(rhs, &elements)
            let holds = operations.compare(op, left, right)
            result = .bool(holds)
            if tracing {
                trace?.detail = "\(describe(left, lhs.type)) \(op.rawValue) \(describe(right, rhs.type))"
            }
        case .membership(let needle, let haystack, let negated):
            let (value, _) = try child(needle, &elements)
            let list = try values(haystack, event, &elements)
            let found = list.contains { operations.equal($0, value) }
            result = .bool(found != negated)
            if tracing {
                let shown = list.prefix(8).map { describe($0, needle.type) }.joined(separator: ", ") + (list.count > 8 ? ", …" : "")
                trace?.detail = "\(describe(value, needle.type)) \(negated ? "not in" : "in") [\(shown)]"
            }
        case .arithmetic(let op, let lhs, let rhs):
            let (left, _) = try child(lhs, &elements)
            let (right, _) = try child(rhs, &elements)
            result = try operations.arithmetic(op, left, right, span: expr.span)
        case .negate(let operand):
            let (inner, _) = try child(operand, &elements)
            result = try operations.negate(inner, span: expr.span)
        case .aggregate(let function, let source, let body, let depth):
            result = try aggregate(function, source, body, depth, expr, event, &elements)
            if tracing { trace?.detail = "\(function.rawValue)(…) = \(describe(result, expr.type))" }
        case .interpolation(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .text(let piece): text += piece
                case .value(let sub):
                    let (value, _) = try child(sub, &elements)
                    text += operations.text(value, type: sub.type, enums: enums)
                }
            }
            result = .string(text)
        }
        if tracing { trace?.value = describe(result, expr.type) }
        return result
    }

    func aggregate(_ function: AggregateFunction, _ source: TypedExpr, _ body: TypedExpr?, _ depth: Int, _ expr: TypedExpr,
                   _ event: EventRecord, _ elements: inout [BoundElement]) throws(EvaluationError) -> Value {
        // A plain list of values (a constant list): no element binding.
        if case .list(let elementType) = source.type, case .record = elementType {} else {
            let list = try values(source, event, &elements)
            return try fold(function, list, type: expr.type, span: expr.span)
        }
        let members = try collection(source, event, &elements)
        if function == .count, body == nil { return .number(ExactDecimal(Int64(members.count))) }
        if function == .any, body == nil { return .bool(!members.isEmpty) }
        var results: [Value] = []
        results.reserveCapacity(members.count)
        for member in members {
            bind(&elements, depth, member)
            var none: Trace? = nil
            let value = try valueTraced(body!, event, &elements, &none)
            switch function {
            case .any: if case .bool(true) = value { return .bool(true) }
            case .all: if case .bool(true) = value {} else { return .bool(false) }
            default: results.append(value)
            }
        }
        switch function {
        case .any: return .bool(false)
        case .all: return .bool(true)
        case .count: return .number(ExactDecimal(Int64(results.filter { if case .bool(true) = $0 { true } else { false } }.count)))
        default: return try fold(function, results, type: expr.type, span: body!.span)
        }
    }

    func fold(_ function: AggregateFunction, _ list: [Value], type: ValueType, span: Span) throws(EvaluationError) -> Value {
        switch function {
        case .count: return .number(ExactDecimal(Int64(list.count)))
        case .any: return .bool(list.contains { if case .bool(true) = $0 { true } else { false } })
        case .all: return .bool(list.allSatisfy { if case .bool(true) = $0 { true } else { false } })
        case .sum:
            var total = operations.zero(of: type)
            for value in list {
                if value.isMissing { throw EvaluationError("`sum` met a value that is absent in this event", at: span) }
                total = try operations.add(total, value, span: span)
            }
            return total
        case .min, .max:
            var best: Value = .missing
            for value in list {
                if value.isMissing { throw EvaluationError("`\(function.rawValue)` met a value that is absent in this event", at: span) }
                if best.isMissing || operations.compare(function == .min ? .less : .greater, value, best) { best = value }
            }
            return best
        }
    }
}
