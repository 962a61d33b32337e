import Testing
import ReturnRulesDomain
import ReturnRulesLanguage

/// RR0305, RR0306, RR0307: rules that never fire, conditions true or false in every case.
@Suite("Lint: reachability")
struct LintReachabilityTests {
    @Test func aRuleCoveredByAnEarlierOneIsShadowed() throws {
        let outcome = Lint.check("""
        on return accepted, partly_accepted match first {
          rule any_refund
            when return.type == refund
            then review "finance" reason: "refund"

          rule large_refund
            when return.type == refund and refund.amount > 300.00 EUR
            then review "finance" reason: "large"

          rule decide
            otherwise
            then review "finance" reason: "decide"
        }
        """)
        let finding = try #require(outcome.with(.shadowedRule).first)
        #expect(finding.severity == .error)
        #expect(outcome.underlined(finding) == "large_refund")
        #expect(finding.notes.map(\.message).contains("for example type=refund status=accepted with `refund.amount > 300.00 EUR` true: `any_refund` fires first"))
    }

    @Test func theSameUnknownConditionInTwoRulesIsOneUnknown() throws {
        // Through a constant and literally: the same condition, so the second rule never fires.
        let outcome = Lint.check("""
        let limit = 400.00 EUR

        on return accepted, partly_accepted match first {
          rule over_limit
            when refund.amount > limit
            then review "finance" reason: "over"

          rule refund_over_limit
            when return.type == refund and refund.amount > 400.00 EUR
            then review "finance" reason: "refund over"

          rule decide
            otherwise
            then review "finance" reason: "decide"
        }
        """)
        #expect(outcome.codes == ["RR0305"], "\(outcome.rendered)")
    }

    @Test func matchAllRulesAreNotShadowed() {
        let outcome = Lint.check("""
        on return accepted, partly_accepted match all {
          rule any_refund
            when return.type == refund
            then review "finance" reason: "refund"

          rule large_refund
            when return.type == refund and refund.amount > 300.00 EUR
            then review "finance" reason: "large"

          rule decide
            otherwise
            then review "finance" reason: "decide"
        }
        """)
        #expect(outcome.with(.shadowedRule).isEmpty, "\(outcome.rendered)")
    }

    @Test func anAlwaysTrueConditionHidingRulesIsAnError() throws {
        let outcome = Lint.check("""
        on return accepted, partly_accepted match first {
          rule everything
            when return.status == accepted or return.status == partly_accepted
            then review "finance" reason: "all"

          rule exchange
            when return.type == exchange
            then replacement_order
        }
        """)
        let finding = try #require(outcome.with(.guardAlwaysTrue).first)
        #expect(finding.severity == .error)
        #expect(finding.message == "the condition of `everything` is always true, so the rule after it never fires")
        #expect(outcome.with(.shadowedRule).isEmpty, "the hidden rule is reported through the cause")
    }

    @Test func anAlwaysTrueLastConditionIsAWarning() throws {
        let outcome = Lint.check("""
        on return accepted, partly_accepted match first {
          rule all
            when refund.method == none or refund.method != none
            then review "finance" reason: "all"
        }
        """)
        let finding = try #require(outcome.with(.guardAlwaysTrue).first)
        #expect(finding.severity == .warning)
        #expect(outcome.codes == ["RR0306"])
    }

    @Test func aContradictionIsAlwaysFalse() throws {
        let outcome = Lint.check(Lint.decided + """
        on return received match first {
          rule both
            when refund.method == bank_transfer and refund.method == store_credit
            then note internal "both"

          rule rest
            otherwise
            then ignore "nothing"
        }
        """)
        let finding = try #require(outcome.with(.guardAlwaysFalse).first)
        #expect(finding.severity == .warning)
        #expect(outcome.underlined(finding) == "refund.method == bank_transfer and refund.method == store_credit")
    }

    @Test func aComparisonWithNoneIsReportedOnceByTheLanguage() {
        let outcome = Lint.check(Lint.decided + """
        on return received match first {
          rule never
            when return.status == none
            then note internal "never"

          rule rest
            otherwise
            then ignore "nothing"
        }
        """)
        #expect(outcome.codes == ["RR0227"], "\(outcome.rendered)")
    }

    @Test func anOtherwiseAfterExhaustiveRulesIsAWarning() throws {
        let outcome = Lint.check("""
        on return accepted, partly_accepted match first {
          rule refunds
            when return.type == refund
            then review "finance" reason: "refund"

          rule others
            when return.type != refund
            then review "exchanges" reason: "others"

          rule never
            otherwise
            then review "finance" reason: "unreachable"
        }
        """)
        let finding = try #require(outcome.with(.shadowedRule).first)
        #expect(finding.severity == .warning)
        #expect(outcome.underlined(finding) == "never")
    }
}
