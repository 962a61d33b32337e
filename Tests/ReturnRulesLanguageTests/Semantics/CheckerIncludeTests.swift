import Testing
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// Includes, overrides across files, duplicates, the payload mapping and aliases.
@Suite("Checker: includes and definitions")
struct CheckerIncludeTests {
    /// A house template: header, a constant, a table with two rules, a mapping entry, an alias.
    static let base = """
    returnrules 1
    client "house"
    currency EUR
    rounding half_up
    notify yes
    let 1️⃣review_threshold = 250.00 EUR
    aliases {
      sku "OLD-1" -> sku "NEW-1"
    }
    on order paid match first {
      rule 2️⃣big
        when order.total > review_threshold
        then flag "finance" reason: "big"
      rule fallback
        otherwise
        then flag "ops" reason: "small"
    }

    """

    @Test func overridesReplaceInPlace() throws {
        let program = try #require(assertClean(source: """
        returnrules 1
        include "house/base.rules"
        client "acme"
        notify no
        override let review_threshold = 400.00 EUR
        aliases {
          sku "OLD-1" -> product 7
        }
        override rule big
          when order.total > review_threshold and customer.vip
          then flag "vip" reason: "big and vip"

        """, includes: ["house/base.rules": CheckerIncludeTests.base]))
        #expect(program.client == "acme", "a later setting replaces an included one")
        #expect(program.settings["notify"] == .bool(false))
        guard case .constant(.money(let threshold))? = program.constants["review_threshold"]?.value.kind else {
            Issue.record("the threshold should be a money constant")
            return
        }
        #expect(threshold.minorUnits == 40000)
        #expect(program.blocks.count == 1)
        #expect(program.blocks[0].rules.map(\.name) == ["big", "fallback"], "the override keeps the rule's place")
        #expect(program.blocks[0].rules.map(\.overridden) == [true, false])
        #expect(program.blocks[0].rules[0].actions.first?.name == "flag")
        #expect(program.aliases.count == 1)
        #expect(program.aliases.first?.targetKind == "product")
    }

    @Test func theIncludedRuleUsesTheOverriddenConstant() throws {
        let program = try #require(assertClean(source: """
        returnrules 1
        include "base.rules"
        override let review_threshold = 400.00 EUR

        """, includes: ["base.rules": CheckerIncludeTests.base]))
        let condition = try #require(program.blocks[0].rules[0].condition)
        guard case .compare(_, _, let right) = condition.kind, case .constant(.money(let money)) = right.kind else {
            Issue.record("expected `order.total > <constant>`")
            return
        }
        // Constants are settled before any rule is checked, so the template's rule sees 400.
        #expect(money.minorUnits == 40000)
    }

    @Test func redefinitionNeedsOverride() {
        let checked = assertDiagnostics(source: """
        returnrules 1
        include "base.rules"
        let 1️⃣review_threshold = 400.00 EUR
        on order cancelled match first {
          rule 2️⃣big
            otherwise
            then flag "q" reason: "r"
        }

        """, includes: ["base.rules": CheckerIncludeTests.base], specs: [
            DiagnosticSpec("1️⃣", code: .redefinitionWithoutOverride, message: "constant `review_threshold` is already defined in an included file",
                           help: "override let review_threshold"),
            DiagnosticSpec("2️⃣", code: .redefinitionWithoutOverride, message: "rule `big` is already defined in an included file", help: "override rule big"),
        ])
        // The notes point into the included file, where the originals are.
        let notes = checked.diagnostics.compactMap { $0.notes.first?.span }
        let base = MarkedText(CheckerIncludeTests.base)
        #expect(notes.map(\.start) == [base["1️⃣"]!, base["2️⃣"]!])
        #expect(notes.allSatisfy { checked.sources.file(for: $0)?.path == "base.rules" })
    }

    @Test func aMisplacedOverrideIsReportedOnce() {
        // `override rule` inside a block: the parser's RR0113 says it all; the name clash with
        // the included rule is not reported again as RR0219.
        assertDiagnostics(source: """
        returnrules 1
        include "base.rules"
        on order cancelled match first {
          1️⃣override rule big
            otherwise
            then flag "q" reason: "r"
        }

        """, includes: ["base.rules": CheckerIncludeTests.base], specs: [
            DiagnosticSpec("1️⃣", code: .misplacedOverride, message: "belongs at the top level"),
        ])
    }

    @Test func overrideWithoutAnOriginal() {
        assertDiagnostics(source: TestSchema.header + """
        override let 1️⃣threshold = 1
        override rule 2️⃣nothing
          otherwise
          then flag "q" reason: "r"

        """, specs: [
            DiagnosticSpec("1️⃣", code: .overrideWithoutOriginal, message: "no included file defines `threshold`", help: "drop `override`"),
            DiagnosticSpec("2️⃣", code: .overrideWithoutOriginal, message: "no included file defines rule `nothing`"),
            DiagnosticSpec("1️⃣", code: .unusedConstant),
        ])
        assertDiagnostics(source: """
        returnrules 1
        include "base.rules"
        override rule 1️⃣bigg
          otherwise
          then flag "q" reason: "r"

        """, includes: ["base.rules": CheckerIncludeTests.base], specs: [
            DiagnosticSpec("1️⃣", code: .overrideWithoutOriginal, help: "did you mean `big`?"),
        ])
    }

    @Test func overridingARuleOfTheSameFile() {
        assertDiagnostics(source: CheckerTypeTests.orderRules("  rule r otherwise then flag \"q\" reason: \"r\"") + """
        override rule 1️⃣r
          otherwise
          then flag "q" reason: "again"

        """, specs: [
            DiagnosticSpec("1️⃣", code: .overrideWithoutOriginal, message: "replaces a rule of the same file"),
        ])
    }

    @Test func duplicatesInOneFile() {
        assertDiagnostics(source: TestSchema.header + """
        let limit_a = 1
        let 1️⃣limit_a = 2
        on order paid match first {
          rule r when order.priority > limit_a then flag "q" reason: "r"
          rule 2️⃣r otherwise then flag "q" reason: "r"
        }

        """, specs: [
            DiagnosticSpec("1️⃣", code: .duplicateDefinition, message: "constant `limit_a` is defined twice"),
            DiagnosticSpec("2️⃣", code: .duplicateDefinition, message: "rule `r` is defined twice"),
        ])
    }

    @Test func ruleNamesAreUniqueAcrossTables() {
        assertDiagnostics(source: TestSchema.header + """
        on order paid match first {
          rule r otherwise then flag "q" reason: "r"
        }
        on order cancelled match first {
          rule 1️⃣r otherwise then flag "q" reason: "r"
        }

        """, specs: [
            DiagnosticSpec("1️⃣", code: .duplicateDefinition, message: "rule `r` is defined twice"),
        ])
    }

    @Test func aDiamondIsReadOnce() throws {
        let program = try #require(assertClean(source: """
        returnrules 1
        include "a.rules"
        include "b.rules"

        """, includes: [
            "a.rules": "returnrules 1\ninclude \"base.rules\"\n",
            "b.rules": "returnrules 1\ninclude \"base.rules\"\n",
            "base.rules": CheckerIncludeTests.base,
        ]))
        #expect(program.blocks.count == 1)
        #expect(program.sources.files.filter { $0.path == "base.rules" }.count == 1)
    }

    @Test func includesAreRelativeToTheIncludingFile() throws {
        let program = try #require(assertClean(source: "returnrules 1\ninclude \"clients/acme.rules\"\n", includes: [
            "clients/acme.rules": "returnrules 1\ninclude \"../house/base.rules\"\nclient \"acme\"\n",
            "house/base.rules": CheckerIncludeTests.base,
        ]))
        #expect(program.client == "acme")
    }

    @Test func missingIncludes() {
        assertDiagnostics(source: TestSchema.header + "include 1️⃣\"nope.rules\"\ninclude 2️⃣\"{x}.rules\"\n", specs: [
            DiagnosticSpec("1️⃣", code: .includeNotFound, message: "cannot read included file `nope.rules`: no such file"),
            DiagnosticSpec("2️⃣", code: .includeNotFound, message: "the include path must be plain text"),
        ])
        // Without a loader, an include cannot be read at all.
        let sources = SourceMap()
        let root = sources.add(path: "main.rules", text: TestSchema.header + "include \"base.rules\"\n")
        let result = Checker.check(root: root, sources: sources, schema: TestSchema.schema, loader: nil)
        #expect(result.diagnostics.map(\.code) == [.includeNotFound])
        #expect(result.diagnostics.first?.message.contains("no file loader was given") == true)
    }

    @Test func includeCycles() {
        // main → b → c → main.
        let checked = assertDiagnostics(source: TestSchema.header + "include \"b.rules\"\n", includes: [
            "b.rules": "returnrules 1\ninclude \"c.rules\"\n",
            "c.rules": "returnrules 1\ninclude 1️⃣\"main.rules\"\n",
        ], specs: [
            DiagnosticSpec("1️⃣", code: .includeCycle, message: "include cycle: `main.rules` includes itself through this file", in: "c.rules"),
        ])
        #expect(checked.diagnostics.first?.notes.map(\.message) == ["which includes `b.rules`", "which includes `c.rules`"])
        assertDiagnostics(source: TestSchema.header + "include 1️⃣\"main.rules\"\n", specs: [
            DiagnosticSpec("1️⃣", code: .includeCycle),
        ])
    }

    @Test func aCycleBackToTheRootIsFoundWhateverTheRootPathLooksLike() {
        // The root's path as given (`./main.rules`) and the loader's key (`main.rules`) differ;
        // the root must not be read a second time as if it were another file.
        assertDiagnostics(source: TestSchema.header + "include \"b.rules\"\n", includes: [
            "b.rules": "returnrules 1\ninclude 1️⃣\"main.rules\"\n",
        ], rootPath: "./main.rules", specs: [
            DiagnosticSpec("1️⃣", code: .includeCycle, in: "b.rules"),
        ])
    }

    @Test func tooDeepIncludeChains() {
        var includes: [String: String] = [:]
        for index in 0..<40 { includes["f\(index).rules"] = "returnrules 1\ninclude \"f\(index + 1).rules\"\n" }
        includes["f40.rules"] = "returnrules 1\n"
        let checked = LanguageHarness.run(source: TestSchema.header + "include \"f0.rules\"\n", includes: includes)
        #expect(checked.codes == [.includeCycle])
        #expect(checked.diagnostics.first?.message == "includes are nested more than 32 deep")
    }

    @Test func everyFileDeclaresItsVersion() {
        assertDiagnostics(source: TestSchema.header + "include \"base.rules\"\n", includes: ["base.rules": "0️⃣let spare = 1\n"], specs: [
            DiagnosticSpec("0️⃣", code: .missingLanguageVersion, message: "`base.rules` does not declare its language version", in: "base.rules"),
        ])
    }

    // MARK: - Mapping and aliases

    @Test func mappingRefinesTheBuiltIn() throws {
        let program = try #require(assertClean(source: TestSchema.header + """
        mapping {
          order.status = "$.state" {
            "new"              -> open
            "done", "closed"   -> shipped, order.express = yes
            otherwise          -> cancelled
          }
          line.sku = "article.code"
        }

        """))
        let status = try #require(program.mapping.first { $0.target.description == "order.status" })
        #expect(status.path == "$.state")
        #expect(status.cases.count == 3)
        #expect(status.cases[1].patterns == [.string("done"), .string("closed")])
        #expect(status.cases[1].alsoSet.map(\.target.description) == ["order.express"])
        #expect(status.cases[2].isOtherwise)
        #expect(program.mapping.first { $0.target.description == "lines.sku" }?.path == "article.code")
        #expect(program.mapping.first { $0.target.description == "order.total" }?.path == "$.total", "untouched entries come from the built-in mapping")
    }

    @Test func mappingProblems() {
        assertDiagnostics(source: TestSchema.header + """
        mapping {
          1️⃣order.totl = "$.total"
          order.note = 2️⃣"note"
          order.express = "$.express_a"
          lines = 3️⃣"$.lines"
          line.sku = 4️⃣"$.sku"
          order.status = "$.state" {
            "a" -> 5️⃣opn
            6️⃣"a" -> paid
            7️⃣otherwise -> paid
            "b" -> paid, 8️⃣line.sku = "x"
          }
          order.priority = "$.p" {
            "high" -> 9️⃣"one"
          }
          🔟order.express = "$.express_b"
        }

        """, specs: [
            DiagnosticSpec("1️⃣", code: .invalidMappingTarget, message: "`order.totl` is not a field of the canonical return", help: "did you mean `order.total`?"),
            DiagnosticSpec("2️⃣", code: .invalidJSONPath, message: "the path must start with `$`"),
            DiagnosticSpec("3️⃣", code: .invalidJSONPath, message: "the path of collection `lines` must end in `[*]`"),
            DiagnosticSpec("4️⃣", code: .invalidJSONPath, message: "relative to the element"),
            DiagnosticSpec("5️⃣", code: .unknownEnumValue, message: "`opn` is not a status value", help: "did you mean `open`?"),
            DiagnosticSpec("6️⃣", code: .duplicateDefinition, message: "this source value is already mapped above"),
            DiagnosticSpec("7️⃣", code: .duplicateDefinition, message: "`otherwise` must be the last case"),
            DiagnosticSpec("8️⃣", code: .invalidMappingTarget, message: "a value table can only also set fields of the same event"),
            DiagnosticSpec("9️⃣", code: .typeMismatch, message: "`order.priority` holds a number, not \"one\""),
            DiagnosticSpec("🔟", code: .duplicateDefinition, message: "`order.express` is mapped twice in this file"),
        ])
    }

    @Test func aliases() throws {
        let program = try #require(assertClean(source: TestSchema.header + """
        aliases {
          sku "OLD-1" -> sku "NEW-1"
          sku "OLD-2" -> product 42
        }

        """))
        #expect(program.aliases.map(\.sourceKind) == ["sku", "sku"])
        #expect(program.aliases.map(\.target) == [.string("NEW-1"), .number(ExactDecimal(42))])
        assertDiagnostics(source: TestSchema.header + """
        aliases {
          1️⃣upc "1" -> sku "A"
          sku "2" -> 2️⃣variation 3
          sku "3" -> product 3️⃣-3
          sku "4" -> product 4️⃣1.5
          sku 5️⃣"" -> sku "B"
          sku "6" -> sku "C"
          6️⃣sku "6" -> sku "D"
        }

        """, specs: [
            DiagnosticSpec("1️⃣", code: .invalidAlias, message: "an alias cannot start from `upc`", help: "aliases start from `sku`"),
            DiagnosticSpec("2️⃣", code: .invalidAlias, message: "an alias cannot point to `variation`"),
            DiagnosticSpec("3️⃣", code: .invalidAlias, message: "a positive whole number"),
            DiagnosticSpec("4️⃣", code: .invalidAlias, message: "a positive whole number"),
            DiagnosticSpec("5️⃣", code: .invalidAlias, message: "non-empty text in quotes"),
            DiagnosticSpec("6️⃣", code: .duplicateDefinition, message: "alias for sku \"6\" is defined twice"),
        ])
    }

    @Test func requiredFieldsNeedASource() {
        // A schema without a built-in mapping: the file must map every required field.
        var schema = TestSchema.schema
        schema.defaultMapping = nil
        let checked = LanguageHarness.run(source: TestSchema.header, schema: schema)
        let messages = checked.diagnostics.filter { $0.code == .invalidMappingTarget }.map(\.message)
        #expect(messages == [
            "required field `customer.name` has no source in the payload mapping",
            "required field `customer.vip` has no source in the payload mapping",
            "required field `order.status` has no source in the payload mapping",
            "required field `order.total` has no source in the payload mapping",
        ])
    }
}
