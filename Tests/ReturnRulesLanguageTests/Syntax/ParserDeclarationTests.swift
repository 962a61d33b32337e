import Testing
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// Every top-level production, the shape of what it builds, and the spans of its nodes.
@Suite("Parser: declarations")
struct ParserDeclarationTests {
    static func parseClean(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> SyntaxTree {
        let (tree, diagnostics) = LanguageHarness.parse(source)
        #expect(diagnostics.isEmpty, "\(diagnostics.map { "\($0.code) \($0.message)" })", sourceLocation: sourceLocation)
        return tree
    }

    @Test func version() throws {
        let tree = ParserDeclarationTests.parseClean("returnrules 1\n")
        guard case .version(let decl) = try #require(tree.items.first).kind else { Issue.record("not a version"); return }
        #expect(decl.version == "1")
        #expect(tree.file.text(of: decl.versionSpan) == "1")
        assertDiagnostics(source: "returnrules1️⃣\nclient \"x\"\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected the language version number after `returnrules`", help: "returnrules 1"),
        ])
    }

    @Test func include() throws {
        let tree = ParserDeclarationTests.parseClean("include \"house/base.rules\"\n")
        guard case .include(let literal) = try #require(tree.items.first).kind else { Issue.record("not an include"); return }
        #expect(literal.constantText == "house/base.rules")
        #expect(tree.file.text(of: literal.span) == "\"house/base.rules\"")
        assertDiagnostics(source: "include 1️⃣house\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected a file path in quotes after `include`"),
        ])
    }

    @Test func settings() throws {
        let tree = ParserDeclarationTests.parseClean("""
        client "acme-fashion"
        currency EUR
        grades A, B, "B-stock"
        limit 400.00 EUR
        offset -3
        flags yes, no, true, false, none
        list_value [1, 2]

        """)
        let settings = tree.items.compactMap { item -> Setting? in if case .setting(let setting) = item.kind { setting } else { nil } }
        #expect(settings.map(\.name.name) == ["client", "currency", "grades", "limit", "offset", "flags", "list_value"])
        #expect(settings.map { $0.values.map(SyntaxPrinter.print) } == [
            ["\"acme-fashion\""], ["EUR"], ["A", "B", "\"B-stock\""], ["400.00 EUR"], ["(- 3)"], ["yes", "no", "true", "false", "none"], ["[1, 2]"],
        ])
        #expect(tree.file.text(of: settings[2].span) == "grades A, B, \"B-stock\"")
    }

    @Test func aSettingsFirstValueMustBeOnItsLine() {
        // Otherwise `client` would swallow the next setting's name.
        let checked = assertDiagnostics(source: "client1️⃣\ncurrency EUR\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected a value on the same line for setting `client`"),
        ])
        let names = checked.tree?.items.compactMap { item -> String? in if case .setting(let setting) = item.kind { setting.name.name } else { nil } }
        #expect(names == ["client", "currency"])
    }

    @Test func settingsBlock() throws {
        let tree = ParserDeclarationTests.parseClean("""
        reveni {
          pays_bank_transfers yes
          restocks_on_accept no
        }

        """)
        guard case .settingsBlock(let block) = try #require(tree.items.first).kind else { Issue.record("not a settings block"); return }
        #expect(block.name.name == "reveni")
        #expect(block.settings.map(\.name.name) == ["pays_bank_transfers", "restocks_on_accept"])
        #expect(tree.file.text(of: block.span).hasPrefix("reveni {") && tree.file.text(of: block.span).hasSuffix("}"))
    }

    @Test func constants() throws {
        let tree = ParserDeclarationTests.parseClean("""
        let finance_limit = 400.00 EUR
        let outlet_skus = ["TSH-OUT-1", "TSH-OUT-2"]
        override let review_threshold = 250.00 EUR

        """)
        let constants = tree.items.compactMap { item -> ConstantDecl? in if case .constant(let decl) = item.kind { decl } else { nil } }
        #expect(constants.map(\.name.name) == ["finance_limit", "outlet_skus", "review_threshold"])
        #expect(constants.map(\.isOverride) == [false, false, true])
        #expect(constants.map { SyntaxPrinter.print($0.value) } == ["400.00 EUR", "[\"TSH-OUT-1\", \"TSH-OUT-2\"]", "250.00 EUR"])
        #expect(tree.file.text(of: tree.items[2].span) == "override let review_threshold = 250.00 EUR")
    }

    @Test func mapping() throws {
        let tree = ParserDeclarationTests.parseClean("""
        mapping {
          return.status = "$.status" {
            "requested"            -> in_progress
            "refunded"             -> accepted, refund.status = paid
            "closed", "cancelled"  -> cancelled
            1, -2, true, none      -> rejected
            otherwise              -> shipped
          }
          items      = "$.items[*]"
          item.grade = "inspection_grade"
        }

        """)
        guard case .mapping(let block) = try #require(tree.items.first).kind else { Issue.record("not a mapping"); return }
        #expect(block.entries.map(\.target.dotted) == ["return.status", "items", "item.grade"])
        #expect(block.entries.map { $0.source.constantText } == ["$.status", "$.items[*]", "inspection_grade"])
        let cases = try #require(block.entries[0].cases)
        #expect(cases.map { $0.patterns.map(SyntaxPrinter.print) } == [["\"requested\""], ["\"refunded\""], ["\"closed\"", "\"cancelled\""], ["1", "(- 2)", "true", "none"], []])
        #expect(cases.map(\.isOtherwise) == [false, false, false, false, true])
        #expect(cases.map { SyntaxPrinter.print($0.value) } == ["in_progress", "accepted", "cancelled", "rejected", "shipped"])
        #expect(cases[1].alsoSet.map(\.target.dotted) == ["refund.status"])
        #expect(cases[1].alsoSet.map { SyntaxPrinter.print($0.value) } == ["paid"])
        #expect(block.entries[1].cases == nil)
        #expect(tree.file.text(of: block.entries[2].span) == "item.grade = \"inspection_grade\"")
    }

    @Test func aliases() throws {
        let tree = ParserDeclarationTests.parseClean("""
        aliases {
          ean "8435123400429" -> variation 412
          sku "OLD-TEE-M"     -> sku "TSH-BAS-BLK-M"
        }

        """)
        guard case .aliases(let block) = try #require(tree.items.first).kind else { Issue.record("not aliases"); return }
        #expect(block.entries.map(\.sourceKind.name) == ["ean", "sku"])
        #expect(block.entries.map { SyntaxPrinter.print($0.source) } == ["\"8435123400429\"", "\"OLD-TEE-M\""])
        #expect(block.entries.map(\.targetKind.name) == ["variation", "sku"])
        #expect(block.entries.map { SyntaxPrinter.print($0.target) } == ["412", "\"TSH-BAS-BLK-M\""])
        #expect(tree.file.text(of: block.entries[0].span) == "ean \"8435123400429\" -> variation 412")
    }

    @Test func ruleBlock() throws {
        let tree = ParserDeclarationTests.parseClean("""
        on return accepted, partly_accepted match first {
          rule over_limit
            when refund.amount > finance_limit
            then review "finance" reason: "refund of {refund.amount} over the limit"

          @allow(RR0301, reason: "Reveni pays; we only record it")
          rule paid_by_reveni
            when refund.executed_by == reveni
            then refund items where item.validation == accepted path: record_only
            then note internal "Refund {refund.reference} recorded"

          rule who_pays
            otherwise
            then review "finance" reason: "who pays this refund?"
        }

        """)
        guard case .ruleBlock(let block) = try #require(tree.items.first).kind else { Issue.record("not a rule block"); return }
        #expect(block.trigger.subject.name == "return")
        #expect(block.trigger.events.map(\.name) == ["accepted", "partly_accepted"])
        #expect(tree.file.text(of: block.trigger.span) == "return accepted, partly_accepted")
        #expect(block.policy.name == "first")
        #expect(block.rules.map(\.name.name) == ["over_limit", "paid_by_reveni", "who_pays"])
        #expect(block.closingBraceToken != nil)

        let overLimit = block.rules[0]
        guard case .when(let condition) = overLimit.condition else { Issue.record("expected `when`"); return }
        #expect(SyntaxPrinter.print(condition) == "(> (. refund amount) finance_limit)")
        #expect(overLimit.actions.count == 1)
        #expect(overLimit.actions[0].name.name == "review")
        #expect(overLimit.actions[0].arguments.map { $0.label?.name } == [nil, "reason"])
        #expect(tree.file.text(of: overLimit.actions[0].arguments[1].span) == "reason: \"refund of {refund.amount} over the limit\"")

        // An expression takes as much as it can: `items where … path: record_only` is two arguments.
        let paid = block.rules[1]
        #expect(paid.annotations.map(\.name.name) == ["allow"])
        #expect(paid.annotations[0].arguments.map { $0.label?.name } == [nil, "reason"])
        #expect(paid.actions.map(\.name.name) == ["refund", "note"])
        #expect(paid.actions[0].arguments.map { SyntaxPrinter.print($0.value) } == ["(where items (== (. item validation) accepted))", "record_only"])
        #expect(paid.actions[0].arguments.map { $0.label?.name } == [nil, "path"])
        #expect(paid.actions[1].arguments.map { SyntaxPrinter.print($0.value) } == ["internal", "\"Refund {(. refund reference)} recorded\""])

        guard case .otherwise(let span) = block.rules[2].condition else { Issue.record("expected `otherwise`"); return }
        #expect(tree.file.text(of: span) == "otherwise")
        #expect(tree.file.text(of: block.rules[2].span).hasPrefix("rule who_pays"))
        #expect(tree.file.text(of: block.rules[2].span).hasSuffix("\"who pays this refund?\""))
    }

    @Test func ruleOverride() throws {
        let tree = ParserDeclarationTests.parseClean("""
        override rule who_pays
          otherwise
          then review "accounts" reason: "unclear payer"

        """)
        guard case .ruleOverride(let rule) = try #require(tree.items.first).kind else { Issue.record("not a rule override"); return }
        #expect(rule.isOverride)
        #expect(rule.name.name == "who_pays")
        #expect(rule.actions.map(\.name.name) == ["review"])
    }

    @Test func annotationsBeforeItems() throws {
        let tree = ParserDeclarationTests.parseClean("@allow(RR0232, reason: \"kept for later\")\nlet spare = 1\n")
        let item = try #require(tree.items.first)
        #expect(item.annotations.map(\.name.name) == ["allow"])
        #expect(tree.file.text(of: item.annotations[0].span) == "@allow(RR0232, reason: \"kept for later\")")
    }

    @Test func emptyBlocks() {
        let tree = ParserDeclarationTests.parseClean("mapping {\n}\naliases {}\non return accepted match all {\n}\nreveni {}\n")
        #expect(tree.items.count == 4)
    }

    @Test func anEmptyFileIsReported() {
        assertDiagnostics(source: "1️⃣", phase: .parse, specs: [DiagnosticSpec("1️⃣", code: .emptyFile, message: "rule file is empty")])
        // Only comments and whitespace is empty too.
        assertDiagnostics(source: "# nothing here\n\n   \n1️⃣", phase: .parse, specs: [DiagnosticSpec("1️⃣", code: .emptyFile)])
    }

    @Test func overrideInsideABlockIsMisplaced() {
        let checked = assertDiagnostics(source: """
        on return accepted match first {
          1️⃣override rule a
            otherwise
            then ignore "x"
        }

        """, phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .misplacedOverride, message: "belongs at the top level"),
        ])
        // The rule itself is still parsed into the block.
        guard case .ruleBlock(let block)? = checked.tree?.items.first?.kind else { Issue.record("not a block"); return }
        #expect(block.rules.map(\.name.name) == ["a"])
    }

    @Test func aCurlyQuotedArgumentIsItsStringAfterOneDiagnostic() {
        // One diagnostic for the quotes; the action still gets its two arguments, so nothing
        // cascades into missing-argument errors.
        let source = TestSchema.header + """
        on order paid match first {
          rule r
            otherwise
            then flag 1️⃣“finance” reason: "pasted"
        }

        """
        let spec = DiagnosticSpec("1️⃣", code: .unexpectedCharacter, message: "curly quote; use a straight double quote")
        assertDiagnostics(source: source, specs: [spec])
        let parsed = assertDiagnostics(source: source, phase: .parse, specs: [spec])
        guard case .ruleBlock(let block)? = parsed.tree?.items.last?.kind,
              case .string(let literal)? = block.rules.first?.actions.first?.arguments.first?.value.kind else {
            Issue.record("the first argument should be a string")
            return
        }
        #expect(literal.constantText == "finance")
    }

    @Test func overrideNeedsLetOrRule() {
        assertDiagnostics(source: "override 1️⃣then\nlet x = 1\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected `let` or `rule` after `override`"),
        ])
    }

    @Test func aRuleOutsideABlock() {
        assertDiagnostics(source: "1️⃣rule stray\n  otherwise\n  then ignore \"x\"\nlet x = 1\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "a rule must be inside an `on … match …` block"),
        ])
    }

    @Test func aBlockNeedsItsHitPolicy() {
        assertDiagnostics(source: "on return accepted 1️⃣{\n  rule a otherwise then ignore \"x\"\n}\n", phase: .parse, specs: [
            DiagnosticSpec("1️⃣", code: .expectedToken, message: "expected `match` after the trigger", help: "match first"),
        ])
    }
}
