import Testing
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// The parser and checker report every independent error in one run, each at its place.
@Suite("Recovery")
struct RecoveryTests {
    @Test func fiveIndependentErrorsAreAllReportedAtTheRightPlaces() {
        let checked = assertDiagnostics(source: """
        returnrules 1
        client "test-shop"
        currency EUR
        rounding half_up
        1️⃣notifi yes
        let limit_a = 2️⃣10.00 USD

        on order paid match first {
          rule big
            when order.total > 3️⃣100
            then flag "finance" reason: "big"
          rule typo
            when order.4️⃣statuss == paid
            then flag "ops" reason: "typo"
          rule no_then
            when order.total > 1.00 EUR5️⃣
            flag "ops" reason: "missing then"
          rule last
            otherwise
            then flag "ops" reason: "the table goes on"
        }

        """, specs: [
            DiagnosticSpec("1️⃣", code: .unknownSetting, message: "unknown setting `notifi`"),
            DiagnosticSpec("2️⃣", code: .currencyMismatch),
            DiagnosticSpec("3️⃣", code: .moneyComparedWithNumber),
            DiagnosticSpec("4️⃣", code: .unknownField),
            DiagnosticSpec("5️⃣", code: .expectedToken, message: "expected `then` before the rule's action"),
        ])
        let places = checked.diagnostics.compactMap { checked.location(of: $0) }.map { "\($0.line):\($0.column)" }
        #expect(places == ["5:1", "6:15", "10:24", "13:16", "16:32"])
    }

    @Test func fiveSyntaxErrorsInOneFile() {
        let checked = assertDiagnostics(source: """
        returnrules 1
        client1️⃣
        currency EUR
        let a = (1 + 2)2️⃣)
        let b = 3️⃣$
        on order paid match first {
          rule r1
            when order.total > 4️⃣then flag "q" reason: "r"
          rule r2
            otherwise
            then flag "q" reason: "r"5️⃣
        let c = 1

        """, phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected a value on the same line for setting `client`"),
            DiagnosticSpec("2️⃣", code: .expectedToken, message: "at the top level, found `)`"),
            DiagnosticSpec("3️⃣", code: .unexpectedCharacter),
            DiagnosticSpec("3️⃣", code: .expectedToken, message: "expected a value in the expression, found an invalid character"),
            DiagnosticSpec("4️⃣", code: .expectedToken, message: "expected a value in the expression, found `then`"),
            DiagnosticSpec("5️⃣", code: .expectedToken, message: "expected `}` to close the rules of `on order …`"),
        ])
        let places = checked.diagnostics.compactMap { checked.location(of: $0) }.map { "\($0.line):\($0.column)" }
        #expect(places == ["2:7", "4:16", "5:9", "5:9", "8:24", "11:30"])
        // Everything around the errors is still in the tree.
        let tree = checked.tree!
        var constants: [String] = []
        var rules: [String] = []
        for item in tree.items {
            switch item.kind {
            case .constant(let decl): constants.append(decl.name.name)
            case .ruleBlock(let block): rules += block.rules.map(\.name.name)
            default: break
            }
        }
        #expect(constants == ["a", "b", "c"])
        #expect(rules == ["r1", "r2"])
    }

    @Test func aBrokenConditionKeepsTheRulesActions() {
        let checked = assertDiagnostics(source: """
        on order paid match first {
          rule r when order.total > 1️⃣> 3 then flag "q" reason: "r" then ship lines
        }

        """, phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected a value in the expression, found `>`"),
        ])
        guard case .ruleBlock(let block)? = checked.tree?.items.first?.kind else { Issue.record("no block"); return }
        #expect(block.rules.first?.actions.map(\.name.name) == ["flag", "ship"])
    }

    @Test func errorsInsideBlocksResumeAtTheNextEntry() {
        let checked = assertDiagnostics(source: """
        mapping {
          order.total 1️⃣"$.total"
          order.note = "$.note"
          order.status = "$.status" {2️⃣
            -> open
            "b" -> paid
          }
        }
        aliases {
          sku "A" 3️⃣sku "B"
          sku "C" -> sku "D"
        }
        warehouse {4️⃣
          "name" "x"
          open_sundays yes
        }

        """, phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected `=` after `order.total`"),
            DiagnosticSpec("2️⃣", code: .expectedToken, message: "in a value table"),
            DiagnosticSpec("3️⃣", code: .expectedToken, message: "expected `->` after the alias source"),
            DiagnosticSpec("4️⃣", code: .expectedToken, message: "expected a setting name or `}` in `warehouse { … }`"),
        ])
        let tree = checked.tree!
        guard case .mapping(let mapping) = tree.items[0].kind, case .aliases(let aliases) = tree.items[1].kind,
              case .settingsBlock(let block) = tree.items[2].kind else {
            Issue.record("unexpected items \(tree.items.map(\.kind))")
            return
        }
        #expect(mapping.entries.map(\.target.dotted) == ["order.note", "order.status"])
        #expect(mapping.entries[1].cases?.count == 1)
        #expect(aliases.entries.map { SyntaxPrinter.print($0.source) } == ["\"C\""])
        #expect(block.settings.map(\.name.name) == ["open_sundays"])
    }

    @Test func aMissingClosingBraceEndsTheBlockAtTheNextItem() {
        let checked = assertDiagnostics(source: """
        on order paid match first {
          rule a otherwise then flag "q" reason: "r"1️⃣
        on order cancelled match first {
          rule b otherwise then flag "q" reason: "r"
        }

        """, phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected `}` to close the rules of `on order …`"),
        ])
        let blocks = checked.tree!.items.compactMap { item -> [String]? in if case .ruleBlock(let block) = item.kind { block.rules.map(\.name.name) } else { nil } }
        #expect(blocks == [["a"], ["b"]])
    }

    @Test func checkingGoesOnAfterSyntaxErrors() {
        // A syntax error in one rule does not hide a type error in another.
        assertDiagnostics(source: CheckerTypeTests.orderRules("""
          rule a when order.total > 1️⃣) then flag "q" reason: "r"
          rule b when order.total > 2️⃣5 then flag "q" reason: "r"
        """), specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken),
            DiagnosticSpec("2️⃣", code: .moneyComparedWithNumber),
        ])
    }
}
