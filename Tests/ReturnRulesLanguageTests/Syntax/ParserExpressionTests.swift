import Testing
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// The expression grammar: precedence, associativity, `not in`, spans, non-chaining comparisons.
@Suite("Parser: expressions")
struct ParserExpressionTests {
    struct Case: Sendable, CustomStringConvertible {
        var source: String
        var tree: String
        var description: String { source }
    }

    static let cases: [Case] = [
        // Literals and primaries.
        Case(source: "12", tree: "12"),
        Case(source: "0.75", tree: "0.75"),
        Case(source: "400.00 EUR", tree: "400.00 EUR"),
        Case(source: "\"text\"", tree: "\"text\""),
        Case(source: "yes", tree: "yes"),
        Case(source: "no", tree: "no"),
        Case(source: "true", tree: "true"),
        Case(source: "false", tree: "false"),
        Case(source: "none", tree: "none"),
        Case(source: "finance_limit", tree: "finance_limit"),
        Case(source: "[]", tree: "[]"),
        Case(source: "[\"A\", \"B\"]", tree: "[\"A\", \"B\"]"),
        Case(source: "(a)", tree: "(group a)"),
        // Postfix and calls.
        Case(source: "refund.amount", tree: "(. refund amount)"),
        Case(source: "a.b.c", tree: "(. (. a b) c)"),
        Case(source: "count(items)", tree: "(count items)"),
        Case(source: "f()", tree: "(f)"),
        Case(source: "sum(items, item.total)", tree: "(sum items (. item total))"),
        Case(source: "count(items where item.grade == C)", tree: "(count (where items (== (. item grade) C)))"),
        // Unary.
        Case(source: "-a", tree: "(- a)"),
        Case(source: "- -a", tree: "(- (- a))"),
        Case(source: "-a.b", tree: "(- (. a b))"),
        Case(source: "-5.00 EUR", tree: "(- 5.00 EUR)"),
        Case(source: "not a", tree: "(not a)"),
        Case(source: "not not a", tree: "(not (not a))"),
        // Arithmetic: left-associative, `*` and `/` bind tighter.
        Case(source: "a + b * c", tree: "(+ a (* b c))"),
        Case(source: "a * b + c", tree: "(+ (* a b) c)"),
        Case(source: "a - b - c", tree: "(- (- a b) c)"),
        Case(source: "a / b * c", tree: "(* (/ a b) c)"),
        Case(source: "(a + b) * c", tree: "(* (group (+ a b)) c)"),
        Case(source: "a - -b", tree: "(- a (- b))"),
        // Comparisons bind looser than arithmetic.
        Case(source: "a + 1 > b * 2", tree: "(> (+ a 1) (* b 2))"),
        Case(source: "a == b", tree: "(== a b)"),
        Case(source: "a != b", tree: "(!= a b)"),
        Case(source: "a < b", tree: "(< a b)"),
        Case(source: "a <= b", tree: "(<= a b)"),
        Case(source: "a > b", tree: "(> a b)"),
        Case(source: "a >= b", tree: "(>= a b)"),
        Case(source: "x in [1, 2]", tree: "(in x [1, 2])"),
        Case(source: "x not in list", tree: "(not in x list)"),
        Case(source: "item.sku not in outlet_skus", tree: "(not in (. item sku) outlet_skus)"),
        // `not` binds between `and` and comparisons.
        Case(source: "not a == b", tree: "(not (== a b))"),
        Case(source: "not x in list", tree: "(not (in x list))"),
        Case(source: "not a and b", tree: "(and (not a) b)"),
        Case(source: "a and not b", tree: "(and a (not b))"),
        // `and` binds tighter than `or`; both are left-associative.
        Case(source: "a or b and c", tree: "(or a (and b c))"),
        Case(source: "a and b or c", tree: "(or (and a b) c)"),
        Case(source: "a or b or c", tree: "(or (or a b) c)"),
        Case(source: "a and b and c", tree: "(and (and a b) c)"),
        Case(source: "a == b and c != d", tree: "(and (== a b) (!= c d))"),
        // `where` binds loosest.
        Case(source: "items where item.grade == A", tree: "(where items (== (. item grade) A))"),
        Case(source: "items where a or b", tree: "(where items (or a b))"),
        // Grammar.md's aggregate examples.
        Case(source: "count(items where item.grade == C) > 0 and sum(items, item.total) <= 500.00 EUR",
             tree: "(and (> (count (where items (== (. item grade) C))) 0) (<= (sum items (. item total)) 500.00 EUR))"),
        Case(source: "all(items, item.grade in restock_grades) and not any(items, item.sku in outlet_skus)",
             tree: "(and (all items (in (. item grade) restock_grades)) (not (any items (in (. item sku) outlet_skus))))"),
        Case(source: "\"refund of {refund.amount} over {limit}\"", tree: "\"refund of {(. refund amount)} over {limit}\""),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: Case) throws {
        let (expr, _, diagnostics) = SyntaxPrinter.parseExpression(testCase.source)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        let parsed = try #require(expr)
        #expect(SyntaxPrinter.print(parsed) == testCase.tree)
    }

    /// Spans cover exactly the text of each node, parentheses included.
    @Test func spansCoverTheirText() throws {
        let source = "-(refund.amount + fee(items, x)) * 2 >= 10.00 EUR and not [a, b] == c"
        let (parsed, file, diagnostics) = SyntaxPrinter.parseExpression(source)
        #expect(diagnostics.isEmpty)
        var spans: [String] = []
        func walk(_ expr: Expr) {
            spans.append(file.text(of: expr.span))
            switch expr.kind {
            case .member(let base, _): walk(base)
            case .unary(_, let operand), .group(let operand): walk(operand)
            case .binary(_, let lhs, let rhs), .filter(let lhs, let rhs): walk(lhs); walk(rhs)
            case .call(_, let arguments): arguments.forEach(walk)
            case .list(let elements): elements.forEach(walk)
            default: break
            }
        }
        walk(try #require(parsed))
        #expect(spans == [
            source,
            "-(refund.amount + fee(items, x)) * 2 >= 10.00 EUR",
            "-(refund.amount + fee(items, x)) * 2",
            "-(refund.amount + fee(items, x))",
            "(refund.amount + fee(items, x))",
            "refund.amount + fee(items, x)",
            "refund.amount",
            "refund",
            "fee(items, x)",
            "items",
            "x",
            "2",
            "10.00 EUR",
            "not [a, b] == c",
            "[a, b] == c",
            "[a, b]",
            "a",
            "b",
            "c",
        ])
    }

    @Test func stringInterpolationSpansPointIntoTheString() throws {
        let (parsed, file, _) = SyntaxPrinter.parseExpression("\"a {item.sku} b\"")
        guard case .string(let literal)? = parsed?.kind, case .interpolation(let inner) = literal.parts[1] else {
            Issue.record("expected an interpolation")
            return
        }
        #expect(file.text(of: inner.span) == "item.sku")
    }

    /// A field path without spaces is built from the bytes; the same path with a trailing space
    /// goes through the sub-lexer and parser. Both must give the same tree, spans included.
    @Test(arguments: ["x", "return.id", "item.sku", "refund.amount_2", "a.b.c.d.e.f.g.h", "a.b.c.d.e.f.g.h.i",
                      "none", "item.none", "a.", "a..b", "a.1", "_x.y9", "2", "a-b", "yes.no"])
    func fieldPathInterpolationsMatchTheGeneralParse(_ path: String) {
        func interpolation(_ inner: String) -> (Expr?, [DiagnosticCode]) {
            let (parsed, _, diagnostics) = SyntaxPrinter.parseExpression("\"t {\(inner)} u\"")
            guard case .string(let literal)? = parsed?.kind,
                  let part = literal.parts.first(where: { if case .interpolation = $0 { true } else { false } }),
                  case .interpolation(let expr) = part else { return (nil, diagnostics.map(\.code)) }
            return (expr, diagnostics.map(\.code))
        }
        let direct = interpolation(path)
        let general = interpolation(path + " ")
        #expect(direct.0 != nil)
        #expect(direct.0 == general.0)
        #expect(direct.1 == general.1)
    }

    @Test(arguments: ["a < b < c", "a == b == c", "a <= b != c", "a in b in c"])
    func comparisonsDoNotChain(_ source: String) {
        let pieces = source.split(separator: " ")
        let marked = "let x = \(pieces[0]) \(pieces[1]) \(pieces[2]) 1️⃣\(pieces[3]) \(pieces[4])\n"
        let checked = assertDiagnostics(source: marked, phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "comparisons cannot be chained", help: "join them with `and`"),
        ])
        #expect(checked.diagnostics.first?.notes.first?.message == "the first comparison is here")
    }

    @Test func comparisonsJoinedWithAndAreFine() {
        let (_, _, diagnostics) = SyntaxPrinter.parseExpression("a < b and b < c")
        #expect(diagnostics.isEmpty)
    }

    @Test func aSingleEqualsInAnExpressionGetsHelp() {
        assertDiagnostics(source: "let x = a 1️⃣= b\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "at the top level"),
        ])
        assertDiagnostics(source: "let x = (a 1️⃣= b)\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected `)` to close `(`"),
        ])
        assertDiagnostics(source: "let x = 1️⃣= b\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected a value in the expression", help: "compare with `==`"),
        ])
    }

    @Test func missingOperandsAndClosers() {
        assertDiagnostics(source: "let x = a +1️⃣\nlet y = 2\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected a value in the expression, found `let`"),
        ])
        assertDiagnostics(source: "let x = count(items1️⃣\nlet y = 2\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected `)` to close the call to `count`"),
        ])
        assertDiagnostics(source: "let x = [1, 21️⃣\nlet y = 2\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected `]` to close the list"),
        ])
        assertDiagnostics(source: "let x = refund.1️⃣5\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected a name after `.`"),
        ])
    }
}
