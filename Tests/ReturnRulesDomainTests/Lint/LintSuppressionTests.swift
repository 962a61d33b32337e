import Testing
import ReturnRulesDomain
import ReturnRulesLanguage

/// `@allow(code, reason: "…")`: suppression only with a written reason, and only while it
/// suppresses something.
@Suite("Lint: suppression")
struct LintSuppressionTests {
    static func file(_ annotation: String) -> String {
        """
        on return in_progress match first {
          rule instant_paid
            when return.type == refund and return.mode == instant and refund.executed_by == reveni
            then refund items path: record_only

          rule wait
            otherwise
            then ignore "later"
        }

        on return accepted, partly_accepted match first {
          \(annotation)
          rule paid_by_reveni
            when return.type == refund and refund.executed_by == reveni
            then refund items path: record_only

          rule decide
            otherwise
            then review "finance" reason: "decide"
        }
        """
    }

    @Test func anAllowWithAReasonSuppressesTheFinding() {
        let outcome = Lint.check(Self.file(#"@allow(RR0303, reason: "booked at whichever event comes first; the planner refunds each unit once")"#))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }

    @Test func anAllowOnTheOtherRuleOfAConflictSuppressesItToo() {
        let text = Self.file("").replacingOccurrences(of: "  rule instant_paid", with: "  @allow(RR0303, reason: \"the accepted refund is a safety net\")\n  rule instant_paid")
        #expect(Lint.check(text).diagnostics.isEmpty)
    }

    @Test func anAllowWithoutAReasonIsRejectedAndSuppressesNothing() {
        let outcome = Lint.check(Self.file("@allow(RR0303)"))
        #expect(outcome.codes == ["RR0231"], "\(outcome.rendered)")
        #expect(outcome.result.program == nil)
    }

    @Test func anAllowThatSuppressesNothingIsAWarning() throws {
        let outcome = Lint.check(Self.file(#"@allow(RR0305, reason: "just in case")"#))
        let unused = try #require(outcome.with(.unusedAllow).first)
        #expect(unused.severity == .warning)
        #expect(outcome.underlined(unused) == "RR0305")
        #expect(outcome.with(.doubleMoney).count == 1, "the real finding stays")
    }

    @Test func anAllowSuppressesALanguageWarningInsideTheRule() {
        let outcome = Lint.check(Lint.decided + """
        on return received match first {
          @allow(RR0227, reason: "kept while the payload is migrated")
          rule never
            when return.status == none
            then note internal "never"

          rule rest
            otherwise
            then ignore "nothing"
        }
        """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }

    @Test func tableFindingsAreSuppressedFromAnyRuleOfTheTable() {
        let outcome = Lint.check("""
        on return accepted, partly_accepted match first {
          @allow(RR0301, reason: "exchanges are handled by hand in Reveni")
          rule refunds
            when return.type != exchange
            then review "finance" reason: "refund"
        }
        """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }
}
