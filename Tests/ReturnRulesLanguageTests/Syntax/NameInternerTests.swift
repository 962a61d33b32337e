import Testing
@testable import ReturnRulesLanguage

/// The parser shares one `.name` expression per spelling; each must still be its own text.
@Suite("Parser: shared name expressions")
struct NameInternerTests {
    /// `count` distinct names, each written twice, separated by spaces, and where each starts.
    static func names(_ count: Int) -> (bytes: [UInt8], words: [(start: Int, text: String)]) {
        var bytes: [UInt8] = []
        var words: [(Int, String)] = []
        for round in 0..<2 {
            for index in 0..<count {
                // Names that share prefixes and lengths, so equal hashes' neighbours are compared.
                let text = round == 0 ? "n\(index)" : "n\(count - 1 - index)"
                words.append((bytes.count, text))
                bytes += Array(text.utf8) + [UInt8(ascii: " ")]
            }
        }
        return (bytes, words)
    }

    static func text(of kind: ExprKind) -> String? {
        if case .name(let text) = kind { return text }
        return nil
    }

    @Test(arguments: [1, 200, NameInterner.capacity + 300])
    func everyNameIsItsOwnSpelling(count: Int) {
        let (bytes, words) = NameInternerTests.names(count)
        var interner = NameInterner()
        for word in words {
            let kind = interner.name(at: word.start, length: word.text.utf8.count, in: bytes)
            #expect(NameInternerTests.text(of: kind) == word.text)
        }
    }

    @Test func theParserGivesEveryNameItsText() {
        let source = "returnrules 1\nclient \"c\"\ncurrency EUR\n\non return accepted match first {\n"
            + (0..<300).map { "  rule r\($0)\n    when return.type == refund and return.mode == instant and x\($0) == y\($0 % 7)\n    then ignore\n" }.joined()
            + "}\n"
        let file = SourceFile(id: 0, path: "names.rules", text: source)
        var sink = DiagnosticSink()
        let tree = Parser.parse(file, diagnostics: &sink)
        var seen = 0
        func visit(_ expr: Expr) {
            switch expr.kind {
            case .name(let name):
                #expect(name == file.text(of: expr.span))
                seen += 1
            case .member(let base, _): visit(base)
            case .binary(_, let lhs, let rhs): visit(lhs); visit(rhs)
            case .unary(_, let operand), .group(let operand): visit(operand)
            default: break
            }
        }
        for item in tree.items {
            guard case .ruleBlock(let block) = item.kind else { continue }
            for rule in block.rules { if case .when(let condition) = rule.condition { visit(condition) } }
        }
        // return, refund, return, instant, x…, y… in each of the 300 rules.
        #expect(seen == 300 * 6)
    }
}
