/// `let` constants and literal values (settings, value tables, aliases).
extension Checker {
    /// Checks every `let` in effect order. A constant sees only literals and earlier constants;
    /// redefining an included constant needs `override let`.
    mutating func checkConstants() {
        for (unit, item) in allItems {
            guard case .constant(let decl) = item.kind else { continue }
            let name = decl.name.name
            let fileID = unit.tree.file.id
            if let origin = constantOrigins[name] {
                if origin.file == fileID {
                    diagnostics.report(.duplicateDefinition, "constant `\(name)` is defined twice", at: decl.name.span,
                                       notes: [DiagnosticNote("first defined here", at: constants[name]?.span)])
                    continue
                }
                if !decl.isOverride {
                    diagnostics.report(.redefinitionWithoutOverride, "constant `\(name)` is already defined in an included file", at: decl.name.span,
                                       notes: [DiagnosticNote("defined here", at: constants[name]?.span)],
                                       help: "write `override let \(name) = …` to replace it for this client")
                    continue
                }
            } else if decl.isOverride {
                diagnostics.report(.overrideWithoutOriginal, "`override let \(name)` but no included file defines `\(name)`", at: decl.name.span,
                                   help: Suggestions.help(for: name, in: constants.keys) ?? "drop `override` to define a new constant")
            }
            if Checker.languageSettings[name] != nil || rootNames.contains(name) || schema.collections[name] != nil || Checker.functionNames.contains(name) {
                diagnostics.report(.duplicateDefinition, "`\(name)` is a built-in name and cannot be a constant", at: decl.name.span,
                                   help: "pick another name, e.g. `\(name)_limit`")
                continue
            }
            var scope = Scope()
            scope.constantOnly = true
            scope.place = "in a `let`"
            var typed = check(decl.value, in: scope)
            // Constants are written into the expressions that use them, so a chain of shallow
            // constants can build a tree deeper than the parser would accept in one expression.
            let depth = inlinedDepth(decl.value)
            if depth > Parser.maximumExpressionDepth, !typed.type.isInvalid {
                diagnostics.report(.nestingTooDeep, "constant `\(name)` is nested more than \(Parser.maximumExpressionDepth) levels deep through the constants it uses",
                                   at: decl.value.span, help: "compute it from fewer constants in a chain")
                typed = TypedExpr(.constant(.none), .invalid, span: decl.value.span)
            }
            // An invalid constant is a leaf to whoever uses it (and they are invalid too).
            constantDepths[name] = typed.type.isInvalid ? 1 : depth
            constants[name] = CheckedConstant(name: name, value: typed, span: decl.name.span)
            constantOrigins[name] = (file: fileID, depth: unit.depth)
        }
    }

    /// The depth of `expr` with every constant it names written in (the parser's own count:
    /// every node one level). Bounded by the parser's limit, so the recursion is too.
    func inlinedDepth(_ expr: Expr) -> Int {
        switch expr.kind {
        case .name(let name): return constantDepths[name] ?? 1
        case .number, .money, .bool, .none, .invalid: return 1
        case .string(let literal):
            var deepest = 0
            for case .interpolation(let inner) in literal.parts { deepest = max(deepest, inlinedDepth(inner)) }
            return deepest + 1
        case .member(let base, _): return inlinedDepth(base) + 1
        case .unary(_, let operand), .group(let operand): return inlinedDepth(operand) + 1
        case .binary(_, let lhs, let rhs), .filter(let lhs, let rhs): return max(inlinedDepth(lhs), inlinedDepth(rhs)) + 1
        case .call(_, let arguments): return (arguments.map(inlinedDepth).max() ?? 0) + 1
        case .list(let elements): return (elements.map(inlinedDepth).max() ?? 0) + 1
        }
    }

    /// Warns about constants that no rule, setting or other constant uses (only in the root
    /// file: a house template may define constants for clients that do not need them).
    mutating func reportUnusedConstants() {
        for (name, constant) in constants.sorted(by: { $0.key < $1.key }) where !usedConstants.contains(name) && !constant.value.type.isInvalid {
            guard constant.span.file == loaded.root.id else { continue }
            diagnostics.report(.unusedConstant, "constant `\(name)` is never used", at: constant.span,
                               help: "remove it, or use it in a rule")
        }
    }

    /// The value of a literal written in a setting, a value table or an alias: numbers, money,
    /// text, yes/no, `none`, negation, lists. Reports invalid money literals.
    mutating func constantValue(_ expr: Expr) -> ConstantValue? {
        switch expr.kind {
        case .number(let text):
            guard let value = ExactDecimal(text) else {
                diagnostics.report(.arithmeticError, "number `\(text)` does not fit in 18 significant digits", at: expr.span)
                return nil
            }
            return .number(value)
        case .money(let amount, let code):
            guard let literalCurrency = Currency.iso4217(code.name) else {
                diagnostics.report(.invalidMoneyLiteral, "`\(code.name)` is not an ISO 4217 currency code", at: code.span,
                                   help: Suggestions.help(for: code.name, in: Currency.allCodes))
                return nil
            }
            if currencyDeclared, literalCurrency != currency {
                diagnostics.report(.currencyMismatch, "an amount in \(literalCurrency.code) in a rule file whose currency is \(currency.code)", at: expr.span,
                                   help: "every amount in this file is in \(currency.code); events in other currencies go to review")
                return nil
            }
            switch Money.parse(amount, currency: literalCurrency) {
            case .success(let money):
                return .money(money)
            case .failure(let error):
                diagnostics.report(.invalidMoneyLiteral, "`\(amount) \(code.name)` is not a valid amount: \(error)", at: expr.span,
                                   help: literalCurrency.minorUnits == 0 ? "\(code.name) has no decimals" : "\(code.name) has \(literalCurrency.minorUnits) decimals")
                return nil
            }
        case .string(let literal):
            guard let text = literal.constantText else {
                diagnostics.report(.notConstant, "`{…}` interpolation needs an event; here only plain text is allowed", at: expr.span)
                return nil
            }
            return .string(text)
        case .bool(let value, _):
            return .bool(value)
        case .none:
            return ConstantValue.none
        case .unary(.negate, let operand):
            switch constantValue(operand) {
            case .number(let value)?: return (try? value.negated()).map { .number($0) }
            case .money(let money)?: return .money(Money(minorUnits: -money.minorUnits, currency: money.currency))
            case nil: return nil
            default:
                diagnostics.report(.typeMismatch, "`-` applies to numbers and amounts", at: expr.span)
                return nil
            }
        case .group(let inner):
            return constantValue(inner)
        case .list(let elements):
            var values: [ConstantValue] = []
            for element in elements {
                guard let value = constantValue(element) else { return nil }
                values.append(value)
            }
            return .list(values)
        default:
            diagnostics.report(.notConstant, "only a literal value can be written here", at: expr.span,
                               help: "a number, an amount such as `10.00 EUR`, text in quotes, `yes`, `no` or `none`")
            return nil
        }
    }
}
