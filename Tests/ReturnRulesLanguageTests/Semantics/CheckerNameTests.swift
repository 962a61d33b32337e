import Testing
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// Names, scopes, settings, annotations and "did you mean".
@Suite("Checker: names")
struct CheckerNameTests {
    static func condition(_ condition: String, before: String = "") -> String { CheckerTypeTests.condition(condition, before: before) }

    @Test func unknownNamesSuggestTheClosest() {
        assertDiagnostics(source: CheckerNameTests.condition("1️⃣custmer.name == \"x\""), specs: [
            DiagnosticSpec("1️⃣", code: .unknownName, message: "unknown name `custmer`", highlight: "custmer", help: "did you mean `customer`?"),
        ])
        assertDiagnostics(source: CheckerNameTests.condition("order.total > 1️⃣finance_limt", before: "let 2️⃣finance_limit = 5.00 EUR\n"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownName, help: "did you mean `finance_limit`?"),
            DiagnosticSpec("2️⃣", code: .unusedConstant),
        ])
        assertDiagnostics(source: CheckerNameTests.condition("1️⃣zzz"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownName, message: "unknown name `zzz`"),
        ])
    }

    @Test func unknownFields() {
        assertDiagnostics(source: CheckerNameTests.condition("order.1️⃣totl > 1.00 EUR"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownField, message: "unknown field `order.totl`", highlight: "totl", help: "did you mean `order.total`?"),
        ])
        assertDiagnostics(source: CheckerNameTests.condition("order.1️⃣zzzzzz > 1.00 EUR"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownField, help: "the fields of `order` are `order.discount`, `order.express`"),
        ])
        assertDiagnostics(source: CheckerNameTests.condition("any(lines, line.1️⃣qty > 1)"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownField, message: "`line` has no field `qty`", help: "the fields of `line` are `grade`, `price`, `quantity`, `sku`, `state`"),
        ])
        assertDiagnostics(source: CheckerNameTests.condition("1️⃣order == 1"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownField, message: "`order` is a group of fields, not a value", help: "pick a field: `order.discount`"),
        ])
        assertDiagnostics(source: CheckerNameTests.condition("order.total > the_limit.1️⃣amount", before: "let 2️⃣the_limit = 5.00 EUR\n"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownField, message: "constant `the_limit` has no fields"),
            DiagnosticSpec("2️⃣", code: .unusedConstant),
        ])
        assertDiagnostics(source: CheckerNameTests.condition("1️⃣(order).total > 1.00 EUR"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownField, message: "only fields have `.` members"),
        ])
    }

    @Test func anElementOutsideItsScope() {
        assertDiagnostics(source: CheckerNameTests.condition("1️⃣line.quantity > 1"), specs: [
            DiagnosticSpec("1️⃣", code: .fieldOutOfScope, message: "`line` is not bound in rule `r`", help: "`line` names one element of `lines`"),
        ])
        assertDiagnostics(source: CheckerNameTests.condition("count(lines) > 0 and 1️⃣line == line"), specs: [
            DiagnosticSpec("1️⃣", code: .fieldOutOfScope),
        ])
    }

    @Test func unknownFunctions() {
        assertDiagnostics(source: CheckerNameTests.condition("1️⃣cout(lines) > 1"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownFunction, message: "unknown function `cout`", help: "did you mean `count`?"),
        ])
        assertDiagnostics(source: CheckerNameTests.condition("1️⃣flag(lines)"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownFunction, help: "`flag` is an action: write it after `then`"),
        ])
        assertDiagnostics(source: CheckerNameTests.condition("1️⃣average(lines) > 1"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownFunction, help: "the functions are `count`, `sum`, `any`, `all`, `min`, `max`"),
        ])
    }

    @Test func unknownTriggersEventsAndPolicies() {
        assertDiagnostics(source: TestSchema.header + "on 1️⃣ordr paid match first {\n  rule r otherwise then flag \"q\" reason: \"r\"\n}\n", specs: [
            DiagnosticSpec("1️⃣", code: .unknownTrigger, message: "unknown trigger `on ordr`", help: "did you mean `order`?"),
        ])
        assertDiagnostics(source: TestSchema.header + "on order 1️⃣payed, 2️⃣paid, 3️⃣paid match first {\n  rule r otherwise then flag \"q\" reason: \"r\"\n}\n", specs: [
            DiagnosticSpec("1️⃣", code: .unknownTrigger, message: "`order` has no event `payed`", help: "did you mean `paid`?"),
            DiagnosticSpec("3️⃣", code: .duplicateDefinition, message: "`paid` is listed twice in this trigger"),
        ])
        assertDiagnostics(source: TestSchema.header + "on order paid match 1️⃣any {\n  rule r otherwise then flag \"q\" reason: \"r\"\n}\n", specs: [
            DiagnosticSpec("1️⃣", code: .unknownHitPolicy, message: "unknown hit policy `any`"),
        ])
    }

    @Test func rulesOfAnUnknownTriggerAreStillChecked() {
        assertDiagnostics(source: TestSchema.header + "on 1️⃣zzz paid match first {\n  rule r when 2️⃣nope then flag \"q\" reason: \"r\"\n}\n", specs: [
            DiagnosticSpec("1️⃣", code: .unknownTrigger),
            DiagnosticSpec("2️⃣", code: .unknownName),
        ])
    }

    // MARK: - Settings

    @Test func settings() {
        let program = assertClean(source: TestSchema.header + """
        grades A, B, "B-stock"
        good_grades A, "B-stock"
        limit 100.00 EUR
        notify yes
        retries 3
        warehouse {
          open_sundays no
          name "north"
        }
        on order paid match first {
          rule r when order.total > limit and notify and count(lines) < retries then flag "q" reason: "r"
        }

        """)
        #expect(program?.client == "test-shop")
        #expect(program?.currency.code == "EUR")
        #expect(program?.rounding == .halfUp)
        #expect(program?.enums["grade"] == ["A", "B", "B-stock"])
        #expect(program?.settings["warehouse.open_sundays"] == .bool(false))
        #expect(program?.settings["warehouse.name"] == .string("north"))
        #expect(program?.settings["retries"] == .number(ExactDecimal(3)))
        #expect(program?.settings["good_grades"] == .list([.enumMember(enumName: "grade", member: "A"), .enumMember(enumName: "grade", member: "B-stock")]))
    }

    @Test func settingProblems() {
        assertDiagnostics(source: TestSchema.header + "1️⃣limt 5.00 EUR\n", specs: [
            DiagnosticSpec("1️⃣", code: .unknownSetting, message: "unknown setting `limt`", help: "did you mean `limit`?"),
        ])
        assertDiagnostics(source: TestSchema.header + "1️⃣warehose {\n  open_sundays yes\n}\n", specs: [
            DiagnosticSpec("1️⃣", code: .unknownSetting, message: "unknown settings block `warehose`", help: "did you mean `warehouse`?"),
        ])
        assertDiagnostics(source: TestSchema.header + "warehouse {\n  1️⃣opens_sundays yes\n}\n", specs: [
            DiagnosticSpec("1️⃣", code: .unknownSetting, message: "unknown setting `opens_sundays` in `warehouse { … }`", help: "did you mean `open_sundays`?"),
        ])
        assertDiagnostics(source: TestSchema.header + "notify 1️⃣\"yes\"\n", specs: [
            DiagnosticSpec("1️⃣", code: .invalidSettingValue, message: "`notify` takes a yes/no, not this", help: "write `yes` or `no`"),
        ])
        assertDiagnostics(source: TestSchema.header + "limit 1️⃣5\n", specs: [
            DiagnosticSpec("1️⃣", code: .invalidSettingValue, message: "`limit` takes a money", help: "400.00 EUR"),
        ])
        assertDiagnostics(source: TestSchema.header + "notify yes, 1️⃣no\n", specs: [
            DiagnosticSpec("1️⃣", code: .invalidSettingValue, message: "`notify` takes one value"),
        ])
        assertDiagnostics(source: TestSchema.header + "grades A, 1️⃣A\n", specs: [
            DiagnosticSpec("1️⃣", code: .duplicateDefinition, message: "`A` is listed twice in `grades`"),
        ])
        assertDiagnostics(source: TestSchema.header + "grades A, 1️⃣3\n", specs: [
            DiagnosticSpec("1️⃣", code: .invalidSettingValue, message: "`grades` takes names"),
        ])
        assertDiagnostics(source: TestSchema.header + "notify yes\n1️⃣notify no\n", specs: [
            DiagnosticSpec("1️⃣", code: .duplicateDefinition, message: "setting `notify` is set twice in this file"),
        ])
    }

    @Test func languageSettings() {
        let header = "0️⃣returnrules 1\nclient \"c\"\ncurrency EUR\nrounding half_up\n"
        assertDiagnostics(source: header.replacingOccurrences(of: "EUR", with: "1️⃣EUX"), specs: [
            DiagnosticSpec("1️⃣", code: .invalidSettingValue, message: "`EUX` is not an ISO 4217 currency code", help: "did you mean"),
        ])
        assertDiagnostics(source: header.replacingOccurrences(of: "half_up", with: "1️⃣half_upp"), specs: [
            DiagnosticSpec("1️⃣", code: .invalidSettingValue, message: "unknown rounding mode", help: "did you mean `half_up`?"),
        ])
        assertDiagnostics(source: header.replacingOccurrences(of: "\"c\"", with: "1️⃣c"), specs: [
            DiagnosticSpec("1️⃣", code: .invalidSettingValue, message: "`client` takes the client's id in quotes"),
        ])
        assertDiagnostics(source: header.replacingOccurrences(of: "\"c\"", with: "1️⃣\"\""), specs: [
            DiagnosticSpec("1️⃣", code: .invalidSettingValue, message: "`client` takes the client's id in quotes"),
        ])
        assertDiagnostics(source: header + "payload_format 1️⃣test_v2\n", specs: [
            DiagnosticSpec("1️⃣", code: .invalidSettingValue, message: "unknown payload format", help: "did you mean `test_v1`?"),
        ])
        assertDiagnostics(source: header + "2️⃣currency EUR, 1️⃣USD\n", specs: [
            DiagnosticSpec("1️⃣", code: .invalidSettingValue, message: "`currency` takes one value"),
            DiagnosticSpec("2️⃣", code: .duplicateDefinition, message: "setting `currency` is set twice"),
        ])
    }

    @Test func missingSettingsPointAtTheStartOfTheRootFile() {
        assertDiagnostics(source: "0️⃣returnrules 1\n", specs: [
            DiagnosticSpec("0️⃣", code: .missingSetting, message: "which client", help: "client \"acme-fashion\""),
            DiagnosticSpec("0️⃣", code: .missingSetting, message: "currency", help: "currency EUR"),
            DiagnosticSpec("0️⃣", code: .missingSetting, message: "rounding", help: "rounding half_up"),
        ])
    }

    @Test func settingsAsConstants() {
        assertClean(source: CheckerNameTests.condition("order.total > limit and notify and retries > 1 and any(lines, line.grade in good_grades)",
                                                       before: "grades A, B\ngood_grades A\nlimit 10.00 EUR\nnotify yes\nretries 3\n"))
        // An absent list setting is an empty list.
        assertClean(source: CheckerNameTests.condition("any(lines, line.grade in good_grades)", before: "grades A, B\n"))
    }

    // MARK: - Constants

    @Test func constantsUseLiteralsAndEarlierConstants() {
        let program = assertClean(source: TestSchema.header + """
        let base = 10.00 EUR
        let doubled = base * 2
        let names = ["a", "b"]
        on order paid match first {
          rule r when order.total > doubled and customer.name in names then flag "q" reason: "r"
        }

        """)
        guard case .constant(.money(let money))? = program?.constants["base"]?.value.kind else {
            Issue.record("`base` should be a money constant")
            return
        }
        #expect(money.minorUnits == 1000)
    }

    @Test func constantsCannotReadTheEvent() {
        assertDiagnostics(source: TestSchema.header + "let x = 1️⃣order.total\nlet y = count(2️⃣lines)\n", specs: [
            DiagnosticSpec("1️⃣", code: .notConstant, message: "`order.total` is a field of the event; in a `let` only literals and other constants can be used"),
            DiagnosticSpec("2️⃣", code: .notConstant),
        ])
    }

    @Test func aConstantSeesOnlyEarlierConstants() {
        // `a` is invalid, so only `b` is reported unused.
        assertDiagnostics(source: TestSchema.header + "let a = 1️⃣b\nlet 3️⃣b = 1\n", specs: [
            DiagnosticSpec("1️⃣", code: .unknownName, message: "unknown name `b`"),
            DiagnosticSpec("3️⃣", code: .unusedConstant),
        ])
    }

    @Test func unusedConstantsInTheRootFileAreWarnings() {
        assertDiagnostics(source: TestSchema.header + "let 1️⃣spare = 1\n", specs: [
            DiagnosticSpec("1️⃣", code: .unusedConstant, message: "constant `spare` is never used", severity: .warning),
        ])
        // In an included template, unused constants are for other clients: no warning.
        assertClean(source: TestSchema.header + "include \"base.rules\"\n", includes: ["base.rules": "returnrules 1\nlet spare = 1\n"])
    }

    @Test func builtInNamesCannotBeConstants() {
        for name in ["currency", "order", "lines", "count"] {
            assertDiagnostics(source: TestSchema.header + "let 1️⃣\(name) = 1\n", specs: [
                DiagnosticSpec("1️⃣", code: .duplicateDefinition, message: "`\(name)` is a built-in name and cannot be a constant"),
            ])
        }
    }

    // MARK: - Annotations and versions

    @Test func annotations() {
        assertClean(source: CheckerTypeTests.orderRules("  @allow(RR0227, reason: \"checked by hand\")\n  rule r otherwise then flag \"q\" reason: \"r\""))
        assertDiagnostics(source: CheckerTypeTests.orderRules("  @allow(1️⃣RR9999, reason: \"x\")\n  rule r otherwise then flag \"q\" reason: \"r\""), specs: [
            DiagnosticSpec("1️⃣", code: .invalidAnnotation, message: "`RR9999` is not a diagnostic code"),
        ])
        assertDiagnostics(source: CheckerTypeTests.orderRules("  1️⃣@allow(RR0227)\n  rule r otherwise then flag \"q\" reason: \"r\""), specs: [
            DiagnosticSpec("1️⃣", code: .invalidAnnotation, message: "`@allow(RR0227)` needs a written reason"),
        ])
        assertDiagnostics(source: CheckerTypeTests.orderRules("  1️⃣@allow(reason: \"x\")\n  rule r otherwise then flag \"q\" reason: \"r\""), specs: [
            DiagnosticSpec("1️⃣", code: .invalidAnnotation, message: "`@allow` needs the code it suppresses"),
        ])
        assertDiagnostics(source: CheckerTypeTests.orderRules("  @2️⃣deny(RR0227, reason: \"x\")\n  rule r otherwise then flag \"q\" reason: \"r\""), specs: [
            DiagnosticSpec("2️⃣", code: .invalidAnnotation, message: "unknown annotation `@deny`"),
        ])
        assertDiagnostics(source: TestSchema.header + "1️⃣@allow(RR0227, reason: \"x\")\non order paid match first {\n  rule r otherwise then flag \"q\" reason: \"r\"\n}\n", specs: [
            DiagnosticSpec("1️⃣", code: .invalidAnnotation, message: "annotations go on rules, not on blocks"),
        ])
    }

    @Test func versions() {
        assertDiagnostics(source: TestSchema.header.replacingOccurrences(of: "returnrules 1", with: "returnrules 1️⃣2"), specs: [
            DiagnosticSpec("1️⃣", code: .unsupportedLanguageVersion, message: "language version `2` is not supported"),
        ])
        assertDiagnostics(source: "0️⃣" + TestSchema.header.replacingOccurrences(of: "returnrules 1\n", with: ""), specs: [
            DiagnosticSpec("0️⃣", code: .missingLanguageVersion, message: "`main.rules` does not declare its language version"),
        ])
        assertDiagnostics(source: TestSchema.header + "1️⃣returnrules 1\n", specs: [
            DiagnosticSpec("1️⃣", code: .duplicateDefinition, message: "the language version is declared twice"),
        ])
    }
}
