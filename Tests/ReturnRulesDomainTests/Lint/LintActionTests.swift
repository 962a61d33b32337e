import Testing
import ReturnRulesDomain
import ReturnRulesLanguage

/// RR0308 … RR0313: what single actions do, with the planner's own rules.
@Suite("Lint: actions")
struct LintActionTests {
    static func table(_ rules: String) -> String {
        """
        on return accepted, partly_accepted match first {
        \(rules)
          rule decide
            otherwise
            then review "finance" reason: "decide"
        }

        """
    }

    @Test func aRestockOfEveryInspectedGradeIsPhantomStock() throws {
        let outcome = Lint.check(Lint.decided + """
        on item inspected match first {
          rule put_back
            otherwise
            then restock item
        }
        """)
        let finding = try #require(outcome.with(.phantomStock).first)
        #expect(finding.severity == .error)
        #expect(finding.label == "fires for grade C too")
        #expect(finding.notes.map(\.message).first == "for example type=refund grade=C: the rule says restock, but grade C is not a restock grade (A, B)")
    }

    @Test func aRestockThatTestsTheGradeIsFine() {
        let outcome = Lint.check(Lint.decided + """
        on item inspected match first {
          rule sellable
            when item.grade in restock_grades and item.validation != rejected
            then restock item

          rule rest
            otherwise
            then note internal "not restocked"
        }
        """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }

    @Test func aRestockOfOnlyRestockGradesNeedsNoGradeTest() {
        // Grade C is decided first: the catch-all restock only ever sees A and B.
        let outcome = Lint.check(Lint.decided + """
        on item inspected match first {
          rule damaged
            when item.grade == C
            then note internal "not restocked"

          rule rest
            otherwise
            then restock item
        }
        """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }

    @Test func aRestockBeforeInspectionIsAHoldTheGradeSettles() {
        // The planner holds it until the grade is known, and restocks only restock grades.
        let outcome = Lint.check(Lint.decided + """
        on return received match first {
          rule on_arrival
            when restock.requested == yes
            then restock items

          rule rest
            otherwise
            then ignore "no restock"
        }
        """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }

    @Test func anExchangeRefundedWithoutAReplacementIsAWarning() throws {
        let outcome = Lint.check(Self.table("""
          rule exchange
            when return.type == exchange
            then refund items path: record_only

        """))
        let finding = try #require(outcome.with(.exchangeRefunded).first)
        #expect(finding.severity == .warning)
        #expect(outcome.codes == ["RR0309"])
    }

    @Test func aMixedReturnRefundingOnlyRefundedItemsIsFine() {
        let outcome = Lint.check(Self.table("""
          rule mixed
            when return.type == mixed and refund.executed_by == reveni
            then refund items where item.outcome == refund path: record_only

        """))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }

    @Test func aRefundThatRestocksIsAnError() throws {
        let outcome = Lint.check(Self.table("""
          rule paid
            when return.type == refund and refund.executed_by == reveni
            then refund items path: record_only restock: yes

        """))
        let finding = try #require(outcome.with(.restockInsideRefund).first)
        #expect(outcome.underlined(finding) == "yes")
        #expect(Lint.check(Self.table("""
          rule paid
            when return.type == refund and refund.executed_by == reveni
            then refund items path: record_only restock: no

        """)).diagnostics.isEmpty)
    }

    @Test func aGatewayRefundMustCheckTheMethod() throws {
        let outcome = Lint.check(Self.table("""
          rule merchant_pays
            when return.type == refund and refund.executed_by == merchant
            then refund items path: gateway

        """))
        let finding = try #require(outcome.with(.gatewayWithoutMethodGuard).first)
        #expect(outcome.underlined(finding) == "gateway")
        #expect(finding.label == "can fire for method bank_transfer")
        #expect(outcome.codes == ["RR0313"])
    }

    @Test func aGatewayRefundReveniExecutesIsAnError() throws {
        let outcome = Lint.check(Self.table("""
          rule card
            when return.type == refund and refund.method == original_payment_method
            then refund items path: gateway

        """))
        let finding = try #require(outcome.with(.reveniAlreadyDoes).first)
        #expect(finding.notes.map(\.message).first == "for example type=refund status=accepted method=original_payment_method executed_by=reveni: Reveni refunds the original payment itself")
        #expect(outcome.codes == ["RR0311"])
    }

    @Test func whatTheHeaderSaysReveniDoesIsNotDoneAgain() {
        let header = Lint.header.replacingOccurrences(of: "issues_store_credit no", with: "issues_store_credit yes")
            .replacingOccurrences(of: "restocks_on_accept no", with: "restocks_on_accept yes")
        let outcome = Lint.check(Self.table("""
          rule coupon
            when refund.method == store_credit
            then store_credit

        """) + """
        on item inspected match first {
          rule sellable
            when item.grade in restock_grades
            then restock item

          rule rest
            otherwise
            then note internal "not restocked"
        }
        """, header: header)
        #expect(outcome.codes == ["RR0311", "RR0311"], "\(outcome.rendered)")
        // A coupon for events that say the merchant issues it is fine.
        let guarded = Lint.check(Self.table("""
          rule coupon
            when refund.method == store_credit and refund.executed_by == merchant
            then store_credit

        """), header: header)
        #expect(guarded.diagnostics.isEmpty, "\(guarded.rendered)")
    }

    @Test func aCustomerNoteAboutAReveniRefundIsAWarning() throws {
        let outcome = Lint.check(Self.table("""
          rule paid
            when return.type == refund and refund.executed_by == reveni
            then refund items path: record_only
            then note customer "refunded"

        """))
        let finding = try #require(outcome.with(.reveniAlreadyNotifies).first)
        #expect(finding.severity == .warning)
        let internalNote = Lint.check(Self.table("""
          rule paid
            when return.type == refund and refund.executed_by == reveni
            then refund items path: record_only
            then note internal "refunded"

        """))
        #expect(internalNote.diagnostics.isEmpty, "\(internalNote.rendered)")
    }
}
