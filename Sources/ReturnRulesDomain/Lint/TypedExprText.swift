import ReturnRulesLanguage

/// Canonical source text of a checked expression, with constants inlined (`finance_limit`
/// prints as `400.00 EUR`). The lints use it to name conditions in witnesses, as the key that
/// identifies the same unknown condition in two rules, and `diff` to compare outcomes.
enum TypedExprText {
    static func text(_ expr: TypedExpr) -> String {
        var out = ""
        out.reserveCapacity(48)
        write(expr, parent: 0, into: &out)
        return out
    }

    /// Binding strength, loosest first (Grammar.md, Expressions).
    private static func precedence(_ kind: TypedExprKind) -> Int {
        switch kind {
        case .filter: 1
        case .or: 2
        case .and: 3
        case .not: 4
        case .compare, .membership: 5
        case .arithmetic(let op, _, _): op == .add || op == .subtract ? 6 : 7
        case .negate: 8
        default: 9
        }
    }

    /// Appends the text to one buffer: the atoms of a large file are named this way, and
    /// concatenating the pieces made a string per node.
    private static func write(_ expr: TypedExpr, parent: Int, into out: inout String) {
        let own = precedence(expr.kind)
        if own < parent { out += "(" }
        switch expr.kind {
        case .constant(let value): writeConstant(value, into: &out)
        case .eventField(_, let name), .collection(_, let name), .element(_, let name), .elementField(_, _, let name): out += name
        case .not(let operand):
            out += "not "
            write(operand, parent: own, into: &out)
        case .negate(let operand):
            out += "-"
            write(operand, parent: own, into: &out)
        case .and(let lhs, let rhs):
            write(lhs, parent: own, into: &out)
            out += " and "
            write(rhs, parent: own + 1, into: &out)
        case .or(let lhs, let rhs):
            write(lhs, parent: own, into: &out)
            out += " or "
            write(rhs, parent: own + 1, into: &out)
        case .compare(let op, let lhs, let rhs):
            write(lhs, parent: own + 1, into: &out)
            out += " "
            out += op.rawValue
            out += " "
            write(rhs, parent: own + 1, into: &out)
        case .arithmetic(let op, let lhs, let rhs):
            write(lhs, parent: own, into: &out)
            out += " "
            out += op.rawValue
            out += " "
            write(rhs, parent: own + 1, into: &out)
        case .membership(let needle, let haystack, let negated):
            write(needle, parent: own + 1, into: &out)
            out += negated ? " not in " : " in "
            write(haystack, parent: own + 1, into: &out)
        case .filter(let source, let predicate, _):
            write(source, parent: own + 1, into: &out)
            out += " where "
            write(predicate, parent: own + 1, into: &out)
        case .aggregate(let function, let source, let body, _):
            out += function.rawValue
            out += "("
            write(source, parent: 0, into: &out)
            if let body {
                out += ", "
                write(body, parent: 0, into: &out)
            }
            out += ")"
        case .list(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                write(item, parent: 0, into: &out)
            }
            out += "]"
        case .interpolation(let parts):
            out += "\""
            for part in parts {
                switch part {
                case .text(let piece): out += escape(piece)
                case .value(let value):
                    out += "{"
                    write(value, parent: 0, into: &out)
                    out += "}"
                }
            }
            out += "\""
        }
        if own < parent { out += ")" }
    }

    private static func writeConstant(_ value: ConstantValue, into out: inout String) {
        switch value {
        case .string, .list: out += constant(value)
        case .enumMember(_, _, let name): out += name
        case .money(let money):
            // `Money.description` without building the intermediate strings.
            out += money.formatted
            out += " "
            out += money.currency.code
        default: out += value.description
        }
    }

    static func constant(_ value: ConstantValue) -> String {
        switch value {
        case .string(let text): "\"" + escape(text) + "\""
        case .list(let values): "[" + values.map(constant).joined(separator: ", ") + "]"
        default: value.description
        }
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "{": out += "\\{"
            case "}": out += "\\}"
            default: out.append(character)
            }
        }
        return out
    }

    /// An action as it would be written: `refund items where … path: gateway`.
    static func action(_ action: CheckedAction, signature: ActionSignature?) -> String {
        var parts = [action.name]
        let order = signature?.parameters.map(\.name) ?? action.arguments.keys.sorted()
        var unlabelled = true
        for (index, name) in order.enumerated() {
            guard let argument = action.arguments[name] else {
                unlabelled = false
                continue
            }
            let positional = unlabelled && index < (signature?.positionalCount ?? 0)
            parts.append((positional ? "" : name + ": ") + text(argument))
        }
        return parts.joined(separator: " ")
    }
}
