import Testing
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// Typing with the language-only `TestSchema`: contextual enums, money, currencies, `none`.
@Suite("Checker: types")
struct CheckerTypeTests {
    /// A source with the test header and one `on order paid` table holding `rules`.
    static func orderRules(_ rules: String, before: String = "") -> String {
        TestSchema.header + before + "on order paid match first {\n" + rules + "\n}\n"
    }

    /// One rule with `condition`; markers in the condition keep their places.
    static func condition(_ condition: String, before: String = "") -> String {
        orderRules("  rule r when \(condition) then flag \"q\" reason: \"r\"", before: before)
    }

    // MARK: - Contextual enums

    @Test(arguments: [
        "order.status == paid",
        "paid == order.status",
        "order.status != cancelled",
        "order.status == \"paid\"",
        "order.status in [paid, shipped]",
        "order.status not in [paid, shipped]",
        "paid in [order.status, order.previous]",
        "(order.status) == (paid)",
        "order.previous == order.status",
        "any(lines, line.state == open)",
        "count(lines where line.state in [open, paid]) > 0",
    ])
    func enumValuesAreTypedByTheOtherSide(_ condition: String) {
        assertClean(source: CheckerTypeTests.condition(condition))
    }

    @Test func unknownEnumValueOnEitherSide() {
        assertDiagnostics(source: CheckerTypeTests.condition("order.status == 1️⃣payd"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownEnumValue, message: "`payd` is not a status value", help: "did you mean `paid`?"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣payd == order.status"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownEnumValue, message: "`payd` is not a status value", help: "did you mean `paid`?"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("order.status in [paid, 1️⃣shiped]"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownEnumValue, help: "did you mean `shipped`?"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("order.status == 1️⃣\"Paid\""), specs: [
            DiagnosticSpec("1️⃣", code: .unknownEnumValue, message: "\"Paid\" is not a status value", help: "did you mean `paid`?"),
        ])
    }

    @Test func anEnumValueWithNothingToTypeItIsAnUnknownName() {
        assertDiagnostics(source: TestSchema.header + "let 3️⃣states = [1️⃣paid, 2️⃣shipped]\n", specs: [
            DiagnosticSpec("1️⃣", code: .unknownName, message: "unknown name `paid`", help: "`paid` is a status value; compare a field with it, e.g. `order.previous == paid`"),
            DiagnosticSpec("2️⃣", code: .unknownName, message: "unknown name `shipped`"),
            DiagnosticSpec("3️⃣", code: .unusedConstant),
        ])
    }

    @Test func enumsOfDifferentKindsDoNotCompare() {
        assertDiagnostics(source: CheckerTypeTests.condition("any(lines, 1️⃣line.state == line.grade)", before: "grades A, B\n"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "cannot compare a status with a grade"),
        ])
    }

    @Test func gradesDeclaredByASettingAreAnEnum() {
        assertClean(source: CheckerTypeTests.orderRules("""
          rule r
            when all(lines, line.grade in good_grades) and any(lines, line.grade == C)
            then flag "q" reason: "r"
        """, before: "grades A, B, C\ngood_grades A, B\n"))
        assertDiagnostics(source: CheckerTypeTests.condition("any(lines, line.grade == 1️⃣D)", before: "grades A, B, C\n"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownEnumValue, message: "`D` is not a grade value", help: "the grade values are `A`, `B`, `C`"),
        ])
        assertDiagnostics(source: TestSchema.header + "grades A, B\ngood_grades A, 1️⃣C\n", specs: [
            DiagnosticSpec("1️⃣", code: .unknownEnumValue, message: "`C` is not a grade"),
        ])
    }

    // MARK: - Money

    @Test func moneyComparedWithABareNumber() {
        assertDiagnostics(source: CheckerTypeTests.condition("order.total > 1️⃣100"), specs: [
            DiagnosticSpec("1️⃣", code: .moneyComparedWithNumber, message: "an amount compared with a bare number", highlight: "100", help: "write `100.00 EUR`"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣12.5 <= order.total"), specs: [
            DiagnosticSpec("1️⃣", code: .moneyComparedWithNumber, help: "write `12.50 EUR`"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("order.total == 1️⃣order.priority"), specs: [
            DiagnosticSpec("1️⃣", code: .moneyComparedWithNumber, help: "e.g. `400.00 EUR`"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣order.priority in [1.00 EUR, 2.00 EUR]"), specs: [
            DiagnosticSpec("1️⃣", code: .moneyComparedWithNumber, message: "amounts and bare numbers cannot be compared"),
        ])
    }

    @Test func moneyArithmetic() {
        assertClean(source: CheckerTypeTests.condition(
            "order.total - order.discount > 10.00 EUR and order.total * 0.10 < 5.00 EUR and order.total / 3 >= -1.00 EUR and 2 * order.total > order.total"))
        assertDiagnostics(source: CheckerTypeTests.condition("order.total + 1️⃣5 > 10.00 EUR"), specs: [
            DiagnosticSpec("1️⃣", code: .moneyComparedWithNumber, message: "an amount and a bare number cannot be added", help: "write `5.00 EUR`"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣order.total * order.total > 10.00 EUR"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "two amounts cannot be multiplied"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("2 / 1️⃣order.total > 1"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "cannot divide by an amount"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣customer.name + 1 > 1"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "`+` works on numbers and amounts, not a text and a number"),
        ])
    }

    @Test func moneyArgumentsNeedACurrency() {
        assertDiagnostics(source: CheckerTypeTests.orderRules("  rule r otherwise then ship lines amount: 1️⃣5"), specs: [
            DiagnosticSpec("1️⃣", code: .moneyComparedWithNumber, message: "`amount` is an amount; this number has no currency"),
        ])
        assertClean(source: CheckerTypeTests.orderRules("  rule r otherwise then ship lines amount: order.total - order.discount count: sum(lines, line.quantity)"))
    }

    @Test func currencies() {
        assertDiagnostics(source: CheckerTypeTests.condition("order.total > 1️⃣10.00 USD"), specs: [
            DiagnosticSpec("1️⃣", code: .currencyMismatch, message: "an amount in USD in a rule file whose currency is EUR", highlight: "10.00 USD"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("order.total > 1️⃣10.005 EUR"), specs: [
            DiagnosticSpec("1️⃣", code: .invalidMoneyLiteral, help: "EUR has 2 decimals"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("order.total > 10.00 1️⃣EUX"), specs: [
            DiagnosticSpec("1️⃣", code: .invalidMoneyLiteral, message: "`EUX` is not an ISO 4217 currency code", help: "did you mean"),
        ])
        // A file in yen: amounts have no decimals.
        let yen = TestSchema.header.replacingOccurrences(of: "currency EUR", with: "currency JPY")
        assertClean(source: yen + "on order paid match first {\n  rule r when order.total > 1000 JPY then flag \"q\" reason: \"r\"\n}\n")
        assertDiagnostics(source: yen + "on order paid match first {\n  rule r when order.total > 1️⃣1000.5 JPY then flag \"q\" reason: \"r\"\n}\n", specs: [
            DiagnosticSpec("1️⃣", code: .invalidMoneyLiteral, help: "JPY has no decimals"),
        ])
    }

    // MARK: - none

    @Test func noneWithOptionalFieldsIsFine() {
        assertClean(source: CheckerTypeTests.condition("order.discount == none or none != order.note or any(lines, line.grade == none)", before: "grades A\n"))
    }

    @Test func noneWithRequiredFieldsIsAWarning() {
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣order.status == none"), specs: [
            DiagnosticSpec("1️⃣", code: .comparisonWithNoneAlwaysFalse, message: "`order.status` is always present, so this comparison is always false", severity: .warning),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣none != customer.name"), specs: [
            DiagnosticSpec("1️⃣", code: .comparisonWithNoneAlwaysFalse, message: "always true", severity: .warning),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("any(lines, 1️⃣line.sku == none)"), specs: [
            DiagnosticSpec("1️⃣", code: .comparisonWithNoneAlwaysFalse, message: "`line.sku` is always present", severity: .warning),
        ])
    }

    @Test func noneCannotBeOrdered() {
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣order.discount < none"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "`none` can only be compared with `==` or `!=`"),
        ])
    }

    // MARK: - Conditions and other mismatches

    @Test func conditionsMustBeYesOrNo() {
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣order.total"), specs: [
            DiagnosticSpec("1️⃣", code: .guardNotBoolean, message: "this is a money", help: "compare it: `refund.amount > 100.00 EUR`"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("customer.vip and 1️⃣order.note"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "`and` joins conditions; this is a text"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("not 1️⃣order.priority"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "`not` applies to a condition; this is a number"),
        ])
        assertClean(source: CheckerTypeTests.condition("customer.vip or order.express"))
    }

    @Test func orderingNeedsNumbersOrAmounts() {
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣customer.name > \"m\""), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "`>` compares numbers or amounts, not texts"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣lines == lines"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, help: "for lists use `in`, `any` or `all`"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣customer.vip == 1"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "cannot compare a yes/no with a number"),
        ])
    }

    @Test func membershipNeedsAList() {
        assertDiagnostics(source: CheckerTypeTests.condition("customer.name in 1️⃣customer.name"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "the right side of `in` must be a list, not a text"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣order.priority in [\"a\"]"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "`in` looks for a number in a list of texts"),
        ])
        assertDiagnostics(source: TestSchema.header + "let mixed = [1, 1️⃣\"two\"]\non order paid match first {\n  rule r when order.priority in mixed then flag \"q\" reason: \"r\"\n}\n", specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "list mixes numbers and texts"),
        ])
    }

    @Test func negation() {
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣-customer.name == \"x\""), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "`-` applies to numbers and amounts, not to a text"),
        ])
        assertClean(source: CheckerTypeTests.condition("-order.total < -1.00 EUR and -order.priority < 0"))
    }

    // MARK: - Aggregates

    @Test func aggregates() {
        assertClean(source: CheckerTypeTests.orderRules("""
          rule r
            when count(lines) > 2 and count(lines, line.quantity > 1) >= 1 and any(lines) and any(lines where line.sku == "X")
              and all(lines, line.quantity > 0) and sum(lines, line.price) > 10.00 EUR and min(lines, line.quantity) >= 1
              and max(lines where line.quantity > 1, line.price) < 100.00 EUR and sum([1, 2, 3]) == 6 and count(limits) == 2
            then flag "q" reason: "{count(lines)} lines, {sum(lines, line.price)}"
        """, before: "let limits = [1.00 EUR, 2.00 EUR]\n"))
    }

    @Test func aggregateMisuse() {
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣sum(lines) > 1"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownArgument, message: "`sum` takes two arguments", help: "sum(items, item.quantity)"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("sum(lines, 1️⃣line.sku) > 1"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "`sum` adds up numbers or amounts, not texts"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("any(lines, 1️⃣line.quantity)"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "the condition of `any` must be yes or no"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("count(1️⃣customer.name) > 1"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "`count` needs a collection such as `items`, not a text"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣customer.name where customer.vip"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "`where` needs a collection"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("count(lines where 1️⃣line.sku) > 1"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "the condition after `where` must be yes or no"),
        ])
        assertDiagnostics(source: CheckerTypeTests.condition("1️⃣any([1, 2])"), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "`any` over a list needs yes/no values"),
        ])
    }

    @Test func interpolatingACollectionIsAnError() {
        assertDiagnostics(source: CheckerTypeTests.orderRules("  rule r otherwise then flag \"q\" reason: \"lines: {1️⃣lines}\""), specs: [
            DiagnosticSpec("1️⃣", code: .typeMismatch, message: "cannot put a list of lines into text"),
        ])
    }

    @Test func shadowedBindings() {
        let lineRule = TestSchema.header + "on line checked match first {\n  rule r when any(1️⃣lines, line.quantity > 1) then flag \"q\" reason: \"r\"\n}\n"
        let checked = assertDiagnostics(source: lineRule, specs: [
            DiagnosticSpec("1️⃣", code: .shadowedBinding, message: "`line` already names the element this trigger is about"),
        ])
        #expect(checked.diagnostics.first?.notes.first?.message == "bound here")
        assertDiagnostics(source: CheckerTypeTests.condition("any(lines, count(1️⃣lines where line.quantity > 1) > 0)"), specs: [
            DiagnosticSpec("1️⃣", code: .shadowedBinding, message: "`line` already names an element of an enclosing `any`", help: "cannot nest"),
        ])
        // Without a body nothing is bound, so nothing is hidden.
        assertClean(source: TestSchema.header + "on line checked match first {\n  rule r when count(lines) > 1 and any(lines) then flag \"q\" reason: \"r\"\n}\n")
    }

    @Test func theTriggerElementIsBoundInItsTable() {
        assertClean(source: TestSchema.header + """
        grades A, B
        on line checked match all {
          rule good
            when line.grade == A and line.quantity > 1 and line.state != cancelled
            then ship line note: "{line.sku} x {line.quantity}"
          rule others
            when count(lines) > 1
            then flag "q" reason: "{line.sku}"
        }

        """)
    }

    // MARK: - Actions

    @Test func actionArguments() {
        assertDiagnostics(source: CheckerTypeTests.orderRules("  rule r otherwise then 1️⃣flag \"q\""), specs: [
            DiagnosticSpec("1️⃣", code: .missingArgument, message: "`flag` needs `reason`", highlight: "flag \"q\"", help: "add `reason: …`"),
        ])
        assertDiagnostics(source: CheckerTypeTests.orderRules("  rule r otherwise then flag \"q\" 1️⃣reasn: \"x\" reason: \"y\""), specs: [
            DiagnosticSpec("1️⃣", code: .unknownArgument, message: "`flag` has no parameter `reasn`", help: "did you mean `reason`?"),
        ])
        assertDiagnostics(source: CheckerTypeTests.orderRules("  rule r otherwise then flag \"q\" 1️⃣\"x\" reason: \"y\""), specs: [
            DiagnosticSpec("1️⃣", code: .unknownArgument, message: "`flag` takes 1 unlabelled argument", help: "`reason:`"),
        ])
        assertDiagnostics(source: CheckerTypeTests.orderRules("  rule r otherwise then flag 1️⃣3 reason: \"y\""), specs: [
            DiagnosticSpec("1️⃣", code: .argumentType, message: "`queue` of `flag` takes a text, not a number"),
        ])
        assertDiagnostics(source: CheckerTypeTests.orderRules("  rule r otherwise then flag \"q\" reason: \"x\" 1️⃣reason: \"y\""), specs: [
            DiagnosticSpec("1️⃣", code: .duplicateDefinition, message: "`reason` is given twice"),
        ])
        assertDiagnostics(source: CheckerTypeTests.orderRules("  rule r otherwise then ship 1️⃣customer.name"), specs: [
            DiagnosticSpec("1️⃣", code: .argumentType, message: "`ship` takes lines"),
        ])
        assertDiagnostics(source: CheckerTypeTests.orderRules("  rule r otherwise then ship lines visibility: 1️⃣secret"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownEnumValue, message: "`secret` is not a visibility value"),
        ])
        assertClean(source: CheckerTypeTests.orderRules("  rule r otherwise then ship lines where line.quantity > 1 visibility: public note: \"n\" then flag \"q\" reason: \"r\""))
    }

    @Test func argumentsOfAnUnknownActionAreNotChecked() {
        // Their types depend on the signature; checking them would only cascade.
        assertDiagnostics(source: CheckerTypeTests.orderRules("  rule r otherwise then 1️⃣shipp lines amount: 5"), specs: [
            DiagnosticSpec("1️⃣", code: .unknownAction, message: "unknown action `shipp`", help: "did you mean `ship`?"),
        ])
    }

    @Test func numbersTooBigForExactDecimals() {
        assertDiagnostics(source: CheckerTypeTests.condition("order.priority > 1️⃣1234567890123456789012"), specs: [
            DiagnosticSpec("1️⃣", code: .arithmeticError, message: "does not fit in 18 significant digits"),
        ])
    }
}
