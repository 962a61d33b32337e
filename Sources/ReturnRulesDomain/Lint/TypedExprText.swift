import JSONBytes
import ReturnRulesLanguage

/// Canonical source text of a checked expression, with constants inlined (`finance_limit`
/// prints as `400.00 EUR`). The lints use it to name conditions in witnesses, as the key that
/// identifies the same unknown condition in two rules, and `diff` to compare outcomes.
enum TypedExprText {
    static func text(_ expr: TypedExpr) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(48)
        write(expr, parent: 0, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The text's bytes appended to `out`, for a caller that reuses one buffer.
    static func write(_ expr: TypedExpr, into out: inout [UInt8]) {
        write(expr, parent: 0, into: &out)
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

    /// Appends the text to one byte buffer: the atoms of a large file are named this way, and
    /// concatenating the pieces made a string per node (appending to a String cost more too).
    private static func write(_ expr: TypedExpr, parent: Int, into out: inout [UInt8]) {
        let own = precedence(expr.kind)
        if own < parent { put("(", into: &out) }
        switch expr.kind {
        case .constant(let value): writeConstant(value, into: &out)
        case .eventField(_, let name), .collection(_, let name), .element(_, let name), .elementField(_, _, let name): put(name, into: &out)
        case .not(let operand):
            put("not ", into: &out)
            write(operand, parent: own, into: &out)
        case .negate(let operand):
            put("-", into: &out)
            write(operand, parent: own, into: &out)
        case .and(let lhs, let rhs):
            write(lhs, parent: own, into: &out)
            put(" and ", into: &out)
            write(rhs, parent: own + 1, into: &out)
        case .or(let lhs, let rhs):
            write(lhs, parent: own, into: &out)
            put(" or ", into: &out)
            write(rhs, parent: own + 1, into: &out)
        case .compare(let op, let lhs, let rhs):
            write(lhs, parent: own + 1, into: &out)
            put(" ", into: &out)
            put(op.rawValue, into: &out)
            put(" ", into: &out)
            write(rhs, parent: own + 1, into: &out)
        case .arithmetic(let op, let lhs, let rhs):
            write(lhs, parent: own, into: &out)
            put(" ", into: &out)
            put(op.rawValue, into: &out)
            put(" ", into: &out)
            write(rhs, parent: own + 1, into: &out)
        case .membership(let needle, let haystack, let negated):
            write(needle, parent: own + 1, into: &out)
            put((negated ? " not in " : " in "), into: &out)
            write(haystack, parent: own + 1, into: &out)
        case .filter(let source, let predicate, _):
            write(source, parent: own + 1, into: &out)
            put(" where ", into: &out)
            write(predicate, parent: own + 1, into: &out)
        case .aggregate(let function, let source, let body, _):
            put(function.rawValue, into: &out)
            put("(", into: &out)
            write(source, parent: 0, into: &out)
            if let body {
                put(", ", into: &out)
                write(body, parent: 0, into: &out)
            }
            put(")", into: &out)
        case .list(let items):
            put("[", into: &out)
            for (index, item) in items.enumerated() {
                if index > 0 { put(", ", into: &out) }
                write(item, parent: 0, into: &out)
            }
            put("]", into: &out)
        case .interpolation(let parts):
            put("\"", into: &out)
            for part in parts {
                switch part {
                case .text(let piece): put(escape(piece), into: &out)
                case .value(let value):
                    put("{", into: &out)
                    write(value, parent: 0, into: &out)
                    put("}", into: &out)
                }
            }
            put("\"", into: &out)
        }
        if own < parent { put(")", into: &out) }
    }

    /// A string's bytes appended in place (appending its `utf8` view went element by element).
    @inline(__always)
    private static func put(_ text: String, into out: inout [UInt8]) {
        text.withContiguousUTF8 { out.append(contentsOf: $0) }
    }

    private static func writeConstant(_ value: ConstantValue, into out: inout [UInt8]) {
        switch value {
        case .string, .list: put(constant(value), into: &out)
        case .enumMember(_, _, let name): put(name, into: &out)
        case .money(let money):
            // `Money.description` without building the intermediate strings.
            money.decimalValue.appendText(to: &out)
            out.append(UInt8(ascii: " "))
            put(money.currency.code, into: &out)
        default: put(value.description, into: &out)
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
