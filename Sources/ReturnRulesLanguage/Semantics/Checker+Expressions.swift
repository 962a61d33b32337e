/// Typing expressions. Enum values are contextual: in `return.status == accepted` the name
/// `accepted` is looked up among `return_status` values because the other side is one.
extension Checker {
    static let functionNames = AggregateFunction.allCases.map(\.rawValue)

    mutating func check(_ expr: Expr, in scope: Scope, expecting: ValueType? = nil) -> TypedExpr {
        switch expr.kind {
        case .invalid:
            return TypedExpr(.constant(.none), .invalid, span: expr.span)
        case .number(let text):
            guard let value = ExactDecimal(text) else {
                diagnostics.report(.arithmeticError, "number `\(text)` does not fit in 18 significant digits", at: expr.span)
                return TypedExpr(.constant(.none), .invalid, span: expr.span)
            }
            return TypedExpr(.constant(.number(value)), .number, span: expr.span)
        case .money:
            guard let value = constantValue(expr) else { return TypedExpr(.constant(.none), .invalid, span: expr.span) }
            return TypedExpr(.constant(value), .money, span: expr.span)
        case .bool(let value, _):
            return TypedExpr(.constant(.bool(value)), .bool, span: expr.span)
        case .none:
            return TypedExpr(.constant(.none), .noneLiteral, span: expr.span)
        case .string(let literal):
            return checkString(literal, in: scope, expecting: expecting, span: expr.span)
        case .group(let inner):
            return check(inner, in: scope, expecting: expecting)
        case .name(let name):
            return checkName(name, span: expr.span, in: scope, expecting: expecting)
        case .member:
            return checkMember(expr, in: scope)
        case .unary(.not, let operand):
            let typed = check(operand, in: scope, expecting: .bool)
            requireBool(typed, "`not` applies to a condition")
            return TypedExpr(.not(typed), .bool, span: expr.span)
        case .unary(.negate, let operand):
            let typed = check(operand, in: scope, expecting: expecting)
            switch typed.type {
            case .number, .money, .invalid: break
            default: diagnostics.report(.typeMismatch, "`-` applies to numbers and amounts, not to \(Checker.article(typed.type.description))", at: expr.span)
            }
            return TypedExpr(.negate(typed), typed.type, span: expr.span)
        case .binary(let op, let lhs, let rhs):
            return checkBinary(op, lhs, rhs, span: expr.span, in: scope)
        case .filter(let collection, let predicate):
            let (typedCollection, binding) = checkCollection(collection, in: scope, function: "where")
            guard let binding else { return TypedExpr(.constant(.none), .invalid, span: expr.span) }
            let inner = scope.pushing(binding)
            let typedPredicate = check(predicate, in: inner, expecting: .bool)
            requireBool(typedPredicate, "the condition after `where` must be yes or no")
            return TypedExpr(.filter(typedCollection, predicate: typedPredicate, depth: inner.bindings.count - 1), typedCollection.type, span: expr.span)
        case .call(let function, let arguments):
            return checkCall(function, arguments, span: expr.span, in: scope)
        case .list(let elements):
            var typed: [TypedExpr] = []
            // The expected element type types bare enum names; it is not an element of the list,
            // so `[1.00 EUR]` where numbers were expected is a list of amounts, not a mixed list.
            let hint = expecting?.elementType
            var elementType: ValueType?
            for element in elements {
                let checked = check(element, in: scope, expecting: elementType ?? hint)
                if let known = elementType, !known.isInvalid, !checked.type.isInvalid, !Checker.sameType(known, checked.type) {
                    diagnostics.report(.typeMismatch, "list mixes \(known.pluralDescription) and \(checked.type.pluralDescription)", at: element.span)
                } else if elementType == nil || elementType!.isInvalid {
                    elementType = checked.type
                }
                typed.append(checked)
            }
            return TypedExpr(.list(typed), .list(elementType ?? hint ?? .invalid), span: expr.span)
        }
    }

    static func sameType(_ a: ValueType, _ b: ValueType) -> Bool {
        if a.isInvalid || b.isInvalid { return true }
        return a == b
    }

    /// The message is built only when it is reported: `and`/`or` ask for every operand.
    mutating func requireBool(_ typed: TypedExpr, _ message: @autoclosure () -> String) {
        switch typed.type {
        case .bool, .invalid: return
        default: diagnostics.report(.typeMismatch, "\(message()); this is \(Checker.article(typed.type.description))", at: typed.span)
        }
    }

    // MARK: - Names and fields

    /// True when a bare name is not a binding, constant, collection or field group, i.e. it can
    /// only be an enum value, which needs the other side of a comparison to say which enum.
    func isContextualName(_ expr: Expr, in scope: Scope) -> Bool {
        var inner = expr
        while case .group(let wrapped) = inner.kind { inner = wrapped }
        if case .string = inner.kind { return true }
        if case .list(let elements) = inner.kind { return !elements.isEmpty && elements.allSatisfy { isContextualName($0, in: scope) } }
        guard case .name(let name) = inner.kind else { return false }
        return scope.depth(of: name) == nil && constants[name] == nil && schema.collections[name] == nil && !rootNames.contains(name)
            && schema.settings[name] == nil
    }

    mutating func checkName(_ name: String, span: Span, in scope: Scope, expecting: ValueType?) -> TypedExpr {
        if let depth = scope.depth(of: name) {
            return TypedExpr(.element(depth: depth, name: name), .record(scope.bindings[depth].record), span: span)
        }
        if !constants.isEmpty, let constant = constants[name] {
            usedConstants.insert(name)
            return TypedExpr(constant.value.kind, constant.value.type, span: span)
        }
        if case .enumeration(let enumName) = expecting, let member = enumMemberIndex.value(enumName, Checker.enumMemberSeparator, name) {
            return TypedExpr(member, .enumeration(enumName), span: span)
        }
        if let spec = schema.settings[name], let (constant, type) = settingConstant(name, spec: spec) {
            return TypedExpr(.constant(constant), type, span: span)
        }
        if let collection = schema.collections[name] {
            if scope.constantOnly { return notConstant(name, span: span, scope: scope) }
            return TypedExpr(.collection(slot: collection.slot, name: name), .list(.record(collection.record)), span: span)
        }
        if rootNames.contains(name) {
            if scope.constantOnly { return notConstant(name, span: span, scope: scope) }
            let fields = schema.eventFields.keys.filter { $0.hasPrefix(name + ".") }.sorted()
            diagnostics.report(.unknownField, "`\(name)` is a group of fields, not a value", at: span,
                               help: "pick a field: \(fields.prefix(6).map { "`\($0)`" }.joined(separator: ", "))")
            return TypedExpr(.constant(.none), .invalid, span: span)
        }
        if case .enumeration(let enumName) = expecting {
            let members = enums[enumName] ?? []
            diagnostics.report(.unknownEnumValue, "`\(name)` is not \(Checker.article(enumName)) value", at: span,
                               help: Suggestions.help(for: name, in: members) ?? "the \(enumName) values are \(members.map { "`\($0)`" }.joined(separator: ", "))")
            return TypedExpr(.constant(.none), .invalid, span: span)
        }
        if let (collectionName, _) = schema.collections.first(where: { $0.value.elementName == name }) {
            diagnostics.report(.fieldOutOfScope, "`\(name)` is not bound \(scope.place)", at: span,
                               help: "`\(name)` names one element of `\(collectionName)`: use it inside `on \(name) …` triggers, or in `where`, `sum`, `any`, `all`, `count`")
            return TypedExpr(.constant(.none), .invalid, span: span)
        }
        // Unknown: suggest among everything a name could be here.
        var candidates = scope.bindings.map(\.name) + Array(constants.keys)
        if !scope.constantOnly { candidates += Array(schema.collections.keys) + Array(rootNames) }
        var help = Suggestions.help(for: name, in: candidates)
        if help == nil, let (enumName, _) = enums.first(where: { $0.value.contains(name) }) {
            help = "`\(name)` is a \(enumName) value; compare a field with it, e.g. `\(exampleField(for: enumName)) == \(name)`"
        }
        diagnostics.report(.unknownName, "unknown name `\(name)`", at: span, help: help)
        return TypedExpr(.constant(.none), .invalid, span: span)
    }

    /// A header setting used in an expression (`item.grade in restock_grades`): its value as a
    /// constant, or its default when the header leaves it out.
    func settingConstant(_ name: String, spec: SettingSpec) -> (ConstantValue, ValueType)? {
        let elementType: ValueType = spec.declaresEnum.map { .enumeration($0) } ?? spec.type
        func convert(_ value: SettingValue) -> ConstantValue? {
            switch (value, elementType) {
            case (.string(let text), .enumeration(let enumName)), (.enumMember(_, let text), .enumeration(let enumName)):
                guard let index = enums[enumName]?.firstIndex(of: text) else { return nil }
                return .enumMember(enumName: enumName, index: index, name: text)
            case (.string(let text), _): return .string(text)
            case (.bool(let flag), _): return .bool(flag)
            case (.number(let number), _): return .number(number)
            case (.money(let money), _): return .money(money)
            case (.enumMember(_, let text), _): return .string(text)
            case (.list, _): return nil
            }
        }
        guard let value = settings[name] else {
            return spec.isList ? (.list([]), .list(elementType)) : nil
        }
        if spec.isList { return (.list(value.listValue.compactMap(convert)), .list(elementType)) }
        return convert(value).map { ($0, elementType) }
    }

    func exampleField(for enumName: String) -> String {
        if let field = schema.eventFields.sorted(by: { $0.key < $1.key }).first(where: { $0.value.type == .enumeration(enumName) }) { return field.key }
        for (collectionName, collection) in schema.collections.sorted(by: { $0.key < $1.key }) {
            if let field = schema.records[collection.record]?.fields.sorted(by: { $0.key < $1.key }).first(where: { $0.value.type == .enumeration(enumName) }) {
                _ = collectionName
                return "\(collection.elementName).\(field.key)"
            }
        }
        return "field"
    }

    mutating func notConstant(_ name: String, span: Span, scope: Scope) -> TypedExpr {
        diagnostics.report(.notConstant, "`\(name)` is a field of the event; \(scope.place) only literals and other constants can be used", at: span,
                           help: "use the field in a rule's condition instead")
        return TypedExpr(.constant(.none), .invalid, span: span)
    }

    /// `a.b.c` as names, or nil when the chain does not start with a plain name.
    func namePath(_ expr: Expr) -> [Identifier]? {
        switch expr.kind {
        case .name(let name): return [Identifier(name, span: expr.span)]
        case .member(let base, let member):
            guard var path = namePath(base) else { return nil }
            path.append(member)
            return path
        default: return nil
        }
    }

    mutating func checkMember(_ expr: Expr, in scope: Scope) -> TypedExpr {
        // The common `group.field` of an event field, resolved without building the path.
        if case .member(let base, let member) = expr.kind, case .name(let head) = base.kind, scope.depth(of: head) == nil,
           constants.isEmpty || constants[head] == nil {
            if let field = eventFieldPaths.value(head, UInt8(ascii: "."), member.name), !scope.constantOnly {
                return TypedExpr(field.kind, field.spec.type, span: expr.span)
            }
        }
        guard let path = namePath(expr) else {
            diagnostics.report(.unknownField, "only fields have `.` members", at: expr.span)
            return TypedExpr(.constant(.none), .invalid, span: expr.span)
        }
        let head = path[0].name
        // Built once; `rest` is the part after `head.`.
        let dotted = path.count == 2 ? head + "." + path[1].name : path.map(\.name).joined(separator: ".")
        let rest = path.count == 2 ? path[1].name : path.dropFirst().map(\.name).joined(separator: ".")
        if let depth = scope.depth(of: head) {
            let record = scope.bindings[depth].record
            let fields = schema.records[record]?.fields ?? [:]
            guard let field = fields[rest] else {
                diagnostics.report(.unknownField, "`\(head)` has no field `\(rest)`", at: path.last!.span,
                                   help: Suggestions.help(for: rest, in: fields.keys)
                                       ?? "the fields of `\(head)` are \(fields.keys.sorted().map { "`\($0)`" }.joined(separator: ", "))")
                return TypedExpr(.constant(.none), .invalid, span: expr.span)
            }
            return TypedExpr(.elementField(depth: depth, slot: field.slot, name: dotted), field.type, span: expr.span)
        }
        if constants[head] != nil {
            diagnostics.report(.unknownField, "constant `\(head)` has no fields", at: path[1].span)
            return TypedExpr(.constant(.none), .invalid, span: expr.span)
        }
        if let field = schema.eventFields[dotted] {
            if scope.constantOnly { return notConstant(dotted, span: expr.span, scope: scope) }
            return TypedExpr(.eventField(slot: field.slot, name: dotted), field.type, span: expr.span)
        }
        if let collection = schema.collections[dotted] {
            if scope.constantOnly { return notConstant(dotted, span: expr.span, scope: scope) }
            return TypedExpr(.collection(slot: collection.slot, name: dotted), .list(.record(collection.record)), span: expr.span)
        }
        if rootNames.contains(head) {
            let candidates = Array(schema.eventFields.keys) + Array(schema.collections.keys)
            let element = schema.collections.values.first { $0.elementName == head }
            var help = Suggestions.help(for: dotted, in: candidates)
            if help == nil, let element { help = "`\(element.elementName)` is bound inside `where`, `sum`, `any`, … over its collection" }
            diagnostics.report(.unknownField, "unknown field `\(dotted)`", at: path.dropFirst().first!.span.through(path.last!.span),
                               help: help ?? "the fields of `\(head)` are \(candidates.filter { $0.hasPrefix(head + ".") }.sorted().map { "`\($0)`" }.joined(separator: ", "))")
            return TypedExpr(.constant(.none), .invalid, span: expr.span)
        }
        if let collection = schema.collections.values.first(where: { $0.elementName == head }) {
            diagnostics.report(.fieldOutOfScope, "`\(head)` is not bound \(scope.place)", at: path[0].span,
                               help: "`\(head)` names one element of `\(schema.collections.first { $0.value == collection }!.key)`: use it inside `on item inspected`, or in `where`, `sum`, `any`, `all`, `count`")
            return TypedExpr(.constant(.none), .invalid, span: expr.span)
        }
        let candidates = scope.bindings.map(\.name) + Array(rootNames)
        diagnostics.report(.unknownName, "unknown name `\(head)`", at: path[0].span, help: Suggestions.help(for: head, in: candidates))
        return TypedExpr(.constant(.none), .invalid, span: expr.span)
    }

    // MARK: - Strings

    mutating func checkString(_ literal: StringLiteral, in scope: Scope, expecting: ValueType?, span: Span) -> TypedExpr {
        if let text = literal.constantText {
            if case .enumeration(let enumName) = expecting {
                let members = enums[enumName] ?? []
                if let index = members.firstIndex(of: text) {
                    return TypedExpr(.constant(.enumMember(enumName: enumName, index: index, name: text)), .enumeration(enumName), span: span)
                }
                diagnostics.report(.unknownEnumValue, "\"\(text)\" is not \(Checker.article(enumName)) value", at: span,
                                   help: Suggestions.help(for: text, in: members) ?? "the \(enumName) values are \(members.map { "`\($0)`" }.joined(separator: ", "))")
                return TypedExpr(.constant(.none), .invalid, span: span)
            }
            return TypedExpr(.constant(.string(text)), .string, span: span)
        }
        var parts: [InterpolationPart] = []
        parts.reserveCapacity(literal.parts.count)
        for part in literal.parts {
            switch part {
            case .text(let text, _): parts.append(.text(text))
            case .interpolation(let inner):
                let typed = check(inner, in: scope)
                switch typed.type {
                case .list, .record:
                    diagnostics.report(.typeMismatch, "cannot put \(Checker.article(typed.type.description)) into text", at: typed.span,
                                       help: "interpolate one value, e.g. `{item.sku}` or `{count(items)}`")
                default: break
                }
                parts.append(.value(typed))
            }
        }
        return TypedExpr(.interpolation(parts), .string, span: span)
    }

    // MARK: - Operators

    mutating func checkBinary(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, span: Span, in scope: Scope) -> TypedExpr {
        switch op {
        case .and, .or:
            let left = check(lhs, in: scope, expecting: .bool)
            let right = check(rhs, in: scope, expecting: .bool)
            requireBool(left, "`\(op.rawValue)` joins conditions")
            requireBool(right, "`\(op.rawValue)` joins conditions")
            return TypedExpr(op == .and ? .and(left, right) : .or(left, right), .bool, span: span)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            let (left, right) = checkPair(lhs, rhs, in: scope)
            let comparison = op.comparison!
            checkComparable(comparison, left, right, span: span)
            return TypedExpr(.compare(comparison, left, right), .bool, span: span)
        case .in, .notIn:
            var left: TypedExpr
            var right: TypedExpr
            if isContextualName(lhs, in: scope), !isContextualName(rhs, in: scope) {
                right = check(rhs, in: scope)
                left = check(lhs, in: scope, expecting: right.type.elementType)
            } else {
                left = check(lhs, in: scope)
                right = check(rhs, in: scope, expecting: .list(left.type))
            }
            if !left.type.isInvalid, !right.type.isInvalid {
                if let element = right.type.elementType {
                    if !Checker.sameType(element, left.type) {
                        if element == .money && left.type == .number || element == .number && left.type == .money {
                            diagnostics.report(.moneyComparedWithNumber, "amounts and bare numbers cannot be compared", at: span,
                                               help: "write amounts with their currency, e.g. `10.00 \(currency.code)`")
                        } else {
                            diagnostics.report(.typeMismatch, "`\(op.rawValue)` looks for \(Checker.article(left.type.description)) in a list of \(element.pluralDescription)", at: span)
                        }
                    }
                } else {
                    diagnostics.report(.typeMismatch, "the right side of `\(op.rawValue)` must be a list, not \(Checker.article(right.type.description))", at: right.span,
                                       help: "write a list `[\"A\", \"B\"]` or use a constant that holds one")
                }
            }
            return TypedExpr(.membership(left, right, negated: op == .notIn), .bool, span: span)
        case .add, .subtract, .multiply, .divide:
            let (left, right) = checkPair(lhs, rhs, in: scope)
            let type = arithmeticType(op, left, right, span: span)
            return TypedExpr(.arithmetic(op.arithmetic!, left, right), type, span: span)
        }
    }

    /// Checks two operands so that a bare enum name on either side takes its type from the other.
    mutating func checkPair(_ lhs: Expr, _ rhs: Expr, in scope: Scope) -> (TypedExpr, TypedExpr) {
        if isContextualName(lhs, in: scope), !isContextualName(rhs, in: scope) {
            let right = check(rhs, in: scope)
            // After an error on the other side there is nothing to type the name by: stay quiet.
            if right.type.isInvalid, case .name = lhs.kind { return (TypedExpr(.constant(.none), .invalid, span: lhs.span), right) }
            let left = check(lhs, in: scope, expecting: right.type)
            return (left, right)
        }
        let left = check(lhs, in: scope)
        if left.type.isInvalid, isContextualName(rhs, in: scope), case .name = rhs.kind {
            return (left, TypedExpr(.constant(.none), .invalid, span: rhs.span))
        }
        let right = check(rhs, in: scope, expecting: left.type)
        return (left, right)
    }

    mutating func checkComparable(_ op: ComparisonOperator, _ left: TypedExpr, _ right: TypedExpr, span: Span) {
        let (l, r) = (left.type, right.type)
        if l.isInvalid || r.isInvalid { return }
        if (l == .money && r == .number) || (l == .number && r == .money) {
            let bare = l == .number ? left : right
            var help = "write amounts with their currency, e.g. `400.00 \(currency.code)`"
            if case .constant(.number(let value)) = bare.kind {
                help = "write `\((try? value.rounded(toScale: max(value.scale, currency.minorUnits), mode: .halfEven)) ?? value) \(currency.code)`"
            }
            diagnostics.report(.moneyComparedWithNumber, "an amount compared with a bare number", at: bare.span,
                               label: "this has no currency", help: help)
            return
        }
        if l == .noneLiteral || r == .noneLiteral {
            let other = l == .noneLiteral ? right : left
            if op != .equal && op != .notEqual {
                diagnostics.report(.typeMismatch, "`none` can only be compared with `==` or `!=`", at: span)
                return
            }
            if let optional = isOptionalField(other), !optional {
                diagnostics.report(.comparisonWithNoneAlwaysFalse,
                                   "`\(fieldName(other) ?? "this field")` is always present, so this comparison is always \(op == .equal ? "false" : "true")",
                                   at: span, help: "required fields are checked when the event is read; drop this test")
            }
            return
        }
        switch op {
        case .equal, .notEqual:
            switch (l, r) {
            case (.list, _), (_, .list), (.record, _), (_, .record):
                diagnostics.report(.typeMismatch, "cannot compare \(Checker.article(l.description)) with \(Checker.article(r.description))", at: span,
                                   help: "compare single values; for lists use `in`, `any` or `all`")
            default:
                if l != r {
                    diagnostics.report(.typeMismatch, "cannot compare \(Checker.article(l.description)) with \(Checker.article(r.description))", at: span)
                }
            }
        default:
            if !(l == r && (l == .number || l == .money)) {
                diagnostics.report(.typeMismatch, "`\(op.rawValue)` compares numbers or amounts, not \(l == r ? l.pluralDescription : "\(Checker.article(l.description)) with \(Checker.article(r.description))")", at: span)
            }
        }
    }

    func isOptionalField(_ typed: TypedExpr) -> Bool? {
        switch typed.kind {
        case .eventField(let slot, _): return schema.eventFields.values.first { $0.slot == slot }?.optional
        case .elementField(_, let slot, let name):
            let field = String(name.split(separator: ".", maxSplits: 1).last ?? "")
            for record in schema.records.values { if let spec = record.fields[field], spec.slot == slot { return spec.optional } }
            return nil
        default: return nil
        }
    }

    func fieldName(_ typed: TypedExpr) -> String? {
        switch typed.kind {
        case .eventField(_, let name), .elementField(_, _, let name): name
        default: nil
        }
    }

    mutating func arithmeticType(_ op: BinaryOperator, _ left: TypedExpr, _ right: TypedExpr, span: Span) -> ValueType {
        let (l, r) = (left.type, right.type)
        if l.isInvalid || r.isInvalid { return .invalid }
        switch (op, l, r) {
        case (_, .number, .number): return .number
        case (.add, .money, .money), (.subtract, .money, .money): return .money
        case (.multiply, .money, .number), (.multiply, .number, .money), (.divide, .money, .number): return .money
        case (.add, .money, .number), (.add, .number, .money), (.subtract, .money, .number), (.subtract, .number, .money):
            let bare = l == .number ? left : right
            var help = "write the amount with its currency, e.g. `5.00 \(currency.code)`"
            if case .constant(.number(let value)) = bare.kind {
                help = "write `\((try? value.rounded(toScale: max(value.scale, currency.minorUnits), mode: .halfEven)) ?? value) \(currency.code)`"
            }
            diagnostics.report(.moneyComparedWithNumber, "an amount and a bare number cannot be \(op == .add ? "added" : "subtracted")", at: bare.span,
                               label: "this has no currency", help: help)
            return .invalid
        case (.multiply, .money, .money):
            diagnostics.report(.typeMismatch, "two amounts cannot be multiplied", at: span, help: "multiply an amount by a number: `refund.amount * 0.10`")
            return .invalid
        case (.divide, _, .money):
            diagnostics.report(.typeMismatch, "cannot divide by an amount", at: right.span, help: "divide an amount by a number: `refund.amount / 2`")
            return .invalid
        default:
            diagnostics.report(.typeMismatch, "`\(op.rawValue)` works on numbers and amounts, not \(Checker.article(l.description)) and \(Checker.article(r.description))", at: span)
            return .invalid
        }
    }

    // MARK: - Collections and aggregates

    /// A collection operand and the binding its element gets inside a predicate or body.
    /// `bindsElement` is false for `count(items)` and `any(items)` without a body: they name no
    /// element, so they cannot hide one.
    mutating func checkCollection(_ expr: Expr, in scope: Scope, function: String, bindsElement: Bool = true) -> (TypedExpr, Scope.Binding?) {
        let typed = check(expr, in: scope)
        switch typed.type {
        case .invalid:
            return (typed, nil)
        case .list(.record(let record)):
            guard let collection = schema.collections.values.first(where: { $0.record == record }) else { return (typed, nil) }
            let name = collection.elementName
            if bindsElement, let depth = scope.depth(of: name) {
                let binder = scope.bindings[depth].binder
                diagnostics.report(.shadowedBinding, "`\(name)` already names \(binder.map { "an element of an enclosing `\($0)`" } ?? "the element this trigger is about")",
                                   at: expr.span, notes: scope.bindings[depth].span.map { [DiagnosticNote("bound here", at: $0)] } ?? [],
                                   help: binder == nil
                                       ? "inside `on \(name) …` the element is already `\(name)`; look at other elements from a return-level trigger"
                                       : "the inner `\(function)` would hide the outer `\(name)`; aggregates over the same collection cannot nest")
                return (typed, nil)
            }
            return (typed, Scope.Binding(name: name, record: record, span: expr.span, binder: function))
        default:
            diagnostics.report(.typeMismatch, "`\(function)` needs a collection such as `items`, not \(Checker.article(typed.type.description))", at: expr.span)
            return (typed, nil)
        }
    }

    mutating func checkCall(_ function: Identifier, _ arguments: [Expr], span: Span, in scope: Scope) -> TypedExpr {
        guard let aggregate = AggregateFunction(rawValue: function.name) else {
            var help = Suggestions.help(for: function.name, in: Checker.functionNames)
            if help == nil { help = "the functions are \(Checker.functionNames.map { "`\($0)`" }.joined(separator: ", "))" }
            if schema.actions[function.name] != nil { help = "`\(function.name)` is an action: write it after `then`" }
            diagnostics.report(.unknownFunction, "unknown function `\(function.name)`", at: function.span, help: help)
            for argument in arguments { _ = check(argument, in: scope) }
            return TypedExpr(.constant(.none), .invalid, span: span)
        }
        let usage: String = switch aggregate {
        case .count: "`count(items)` or `count(items, item.grade == A)`"
        case .any: "`any(items, item.grade == C)` or `any(items where …)`"
        case .all: "`all(items, item.grade == A)`"
        case .sum: "`sum(items, item.quantity)`"
        case .min, .max: "`\(aggregate.rawValue)(items, item.unit_price)`"
        }
        let allowsOne = aggregate == .count || aggregate == .any
        guard let first = arguments.first, arguments.count <= 2, arguments.count == 2 || allowsOne || isPlainList(arguments[0], scope) else {
            diagnostics.report(.unknownArgument, "`\(aggregate.rawValue)` takes \(allowsOne ? "one or two arguments" : "two arguments")", at: span, help: "for example \(usage)")
            return TypedExpr(.constant(.none), .invalid, span: span)
        }
        // A list of plain values (a constant list of amounts): no element binding.
        if isPlainList(first, scope) {
            let typed = check(first, in: scope)
            guard arguments.count == 1, let element = typed.type.elementType else {
                diagnostics.report(.unknownArgument, "`\(aggregate.rawValue)` over a list of values takes just the list", at: span)
                return TypedExpr(.constant(.none), .invalid, span: span)
            }
            return TypedExpr(.aggregate(aggregate, typed, body: nil, depth: scope.bindings.count), aggregateResult(aggregate, element, span: span), span: span)
        }
        let (collection, binding) = checkCollection(first, in: scope, function: aggregate.rawValue, bindsElement: arguments.count == 2)
        guard let binding else { return TypedExpr(.constant(.none), .invalid, span: span) }
        let inner = scope.pushing(binding)
        var body: TypedExpr?
        if arguments.count == 2 {
            let expected: ValueType? = (aggregate == .any || aggregate == .all || aggregate == .count) ? .bool : nil
            let typed = check(arguments[1], in: inner, expecting: expected)
            if expected == .bool { requireBool(typed, "the condition of `\(aggregate.rawValue)` must be yes or no") }
            body = typed
        }
        let resultType: ValueType
        switch aggregate {
        case .count: resultType = .number
        case .any, .all: resultType = .bool
        case .sum, .min, .max: resultType = aggregateResult(aggregate, body?.type ?? .invalid, span: body?.span ?? span)
        }
        return TypedExpr(.aggregate(aggregate, collection, body: body, depth: inner.bindings.count - 1), resultType, span: span)
    }

    func isPlainList(_ expr: Expr, _ scope: Scope) -> Bool {
        var inner = expr
        while case .group(let wrapped) = inner.kind { inner = wrapped }
        if case .list = inner.kind { return true }
        if case .name(let name) = inner.kind, let constant = constants[name], case .list(let element) = constant.value.type {
            if case .record = element { return false }
            return true
        }
        return false
    }

    mutating func aggregateResult(_ aggregate: AggregateFunction, _ element: ValueType, span: Span) -> ValueType {
        switch aggregate {
        case .count: return .number
        case .any, .all:
            if element != .bool, !element.isInvalid {
                diagnostics.report(.typeMismatch, "`\(aggregate.rawValue)` over a list needs yes/no values", at: span)
            }
            return .bool
        case .sum, .min, .max:
            switch element {
            case .number, .money, .invalid: return element
            default:
                diagnostics.report(.typeMismatch, "`\(aggregate.rawValue)` adds up numbers or amounts, not \(element.pluralDescription)", at: span)
                return .invalid
            }
        }
    }
}
