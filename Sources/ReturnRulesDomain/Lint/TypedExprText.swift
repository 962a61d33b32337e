import ReturnRulesLanguage

/// Canonical source text of a checked expression, with constants inlined (`finance_limit`
/// prints as `400.00 EUR`). The lints use it to name conditions in witnesses, as the key that
/// identifies the same unknown condition in two rules, and `diff` to compare outcomes.
enum TypedExprText {
    static func text(_ expr: TypedExpr) -> String { text(expr, parent: 0) }

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

    private static func text(_ expr: TypedExpr, parent: Int) -> String {
        let own = precedence(expr.kind)
        let body: String
        switch expr.kind {
        case .constant(let value): body = constant(value)
        case .eventField(_, let name), .collection(_, let name), .element(_, let name), .elementField(_, _, let name): body = name
        case .not(let operand): body = "not " + text(operand, parent: own)
        case .negate(let operand): body = "-" + text(operand, parent: own)
        case .and(let lhs, let rhs): body = text(lhs, parent: own) + " and " + text(rhs, parent: own + 1)
        case .or(let lhs, let rhs): body = text(lhs, parent: own) + " or " + text(rhs, parent: own + 1)
        case .compare(let op, let lhs, let rhs): body = text(lhs, parent: own + 1) + " \(op.rawValue) " + text(rhs, parent: own + 1)
        case .arithmetic(let op, let lhs, let rhs): body = text(lhs, parent: own) + " \(op.rawValue) " + text(rhs, parent: own + 1)
        case .membership(let needle, let haystack, let negated):
            body = text(needle, parent: own + 1) + (negated ? " not in " : " in ") + text(haystack, parent: own + 1)
        case .filter(let source, let predicate, _): body = text(source, parent: own + 1) + " where " + text(predicate, parent: own + 1)
        case .aggregate(let function, let source, let bodyExpr, _):
            body = "\(function.rawValue)(" + text(source, parent: 0) + (bodyExpr.map { ", " + text($0, parent: 0) } ?? "") + ")"
        case .list(let items): body = "[" + items.map { text($0, parent: 0) }.joined(separator: ", ") + "]"
        case .interpolation(let parts):
            var out = "\""
            for part in parts {
                switch part {
                case .text(let piece): out += escape(piece)
                case .value(let value): out += "{" + text(value, parent: 0) + "}"
                }
            }
            body = out + "\""
        }
        return own < parent ? "(" + body + ")" : body
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
