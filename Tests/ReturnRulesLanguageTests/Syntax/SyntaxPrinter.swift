import ReturnRulesLanguage
import ReturnRulesTestSupport

/// Prints expressions as compact S-expressions, so parser tests can state a tree in one line:
/// `a or b and c` is `(or a (and b c))`.
enum SyntaxPrinter {
    static func print(_ expr: Expr) -> String {
        switch expr.kind {
        case .number(let text): return text
        case .money(let amount, let currency): return "\(amount) \(currency.name)"
        case .string(let literal): return print(literal)
        case .bool(_, let spelling): return spelling
        case .none: return "none"
        case .name(let name): return name
        case .member(let base, let field): return "(. \(print(base)) \(field.name))"
        case .unary(let op, let operand): return "(\(op.rawValue) \(print(operand)))"
        case .binary(let op, let lhs, let rhs): return "(\(op.rawValue) \(print(lhs)) \(print(rhs)))"
        case .filter(let collection, let predicate): return "(where \(print(collection)) \(print(predicate)))"
        case .call(let function, let arguments): return "(\(([function.name] + arguments.map(print)).joined(separator: " ")))"
        case .list(let elements): return "[\(elements.map(print).joined(separator: ", "))]"
        case .group(let inner): return "(group \(print(inner)))"
        case .invalid: return "<invalid>"
        }
    }

    static func print(_ literal: StringLiteral) -> String {
        var text = "\""
        for part in literal.parts {
            switch part {
            case .text(let piece, _): text += piece
            case .interpolation(let expr): text += "{\(print(expr))}"
            }
        }
        return text + "\""
    }

    /// Parses `source` as the value of a constant: `let x = <source>`.
    static func parseExpression(_ source: String) -> (expr: Expr?, file: SourceFile, diagnostics: [Diagnostic]) {
        let prefix = "let x = "
        let (tree, diagnostics) = LanguageHarness.parse(prefix + source + "\n")
        guard case .constant(let decl)? = tree.items.first?.kind else { return (nil, tree.file, diagnostics) }
        return (decl.value, tree.file, diagnostics)
    }
}
