import Testing
import ReturnRulesDomain
import ReturnRulesLanguage

/// RR0303, RR0304: conflicts over a return's whole lifecycle.
@Suite("Lint: lifecycle conflicts")
struct LintConflictTests {
    static let instantThenAccepted = """
    on return in_progress match first {
      rule instant_paid
        when return.type == refund and return.mode == instant and refund.executed_by == reveni
        then refund items path: record_only

      rule wait
        otherwise
        then ignore "later"
    }

    on return accepted, partly_accepted match first {
      rule paid_by_reveni
        when return.type == refund and refund.executed_by == reveni
        then refund items where item.validation != rejected path: record_only

      rule decide
        otherwise
        then review "finance" reason: "decide"
    }
    """

    @Test func aRefundOnAcceptanceOfUnitsRefundedEarlierIsAnError() throws {
        let outcome = Lint.check(Self.instantThenAccepted)
        let finding = try #require(outcome.with(.doubleMoney).first)
        #expect(outcome.codes == ["RR0303"], "\(outcome.rendered)")
        #expect(finding.message == "`paid_by_reveni` refunds units that `instant_paid` already refunds for the same return")
        #expect(outcome.underlined(finding) == "refund items where item.validation != rejected path: record_only")
        // Both locations and the witness.
        let other = try #require(finding.notes.first { $0.span != nil })
        #expect(outcome.underlined(Diagnostic(.doubleMoney, "", at: other.span!)) == "refund items path: record_only")
        #expect(finding.notes.map(\.message).contains(
            "for example type=refund mode=instant method=bank_transfer executed_by=reveni: at `return in_progress` `instant_paid` refunds the items (record only); at `return accepted` `paid_by_reveni` refunds the items (record only)"))
    }

    @Test func exclusiveRulesDoNotConflict() {
        let outcome = Lint.check(Self.instantThenAccepted.replacingOccurrences(
            of: "when return.type == refund and refund.executed_by == reveni",
            with: "when return.type == refund and return.mode == standard and refund.executed_by == reveni"))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }

    @Test func aRecordOnlyRefundAndTheCouponThatBooksItAreBookkeeping() {
        let outcome = Lint.check("""
        on return accepted, partly_accepted match first {
          rule store_credit_we_issue
            when return.type == refund and refund.method == store_credit and refund.executed_by == merchant
            then store_credit
            then refund items where item.validation != rejected path: record_only

          rule decide
            otherwise
            then review "finance" reason: "decide"
        }
        """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }

    @Test func aGatewayRefundAndACouponForTheSameReturnConflict() throws {
        let outcome = Lint.check("""
        on return accepted, partly_accepted match all {
          rule coupon
            when refund.executed_by == merchant
            then store_credit

          rule card
            when return.type == refund and refund.method == original_payment_method and refund.executed_by == merchant
            then refund items path: gateway

          rule decide
            otherwise
            then review "finance" reason: "decide"
        }
        """)
        let finding = try #require(outcome.with(.doubleMoney).first)
        #expect(finding.message == "a gateway refund and a store-credit coupon for the same return: `coupon` and `card`")
        #expect(finding.notes.map(\.message).contains(
            "for example type=refund status=accepted method=original_payment_method executed_by=merchant: both fire on the same event"))
    }

    @Test func refundsOfDifferentUnitsDoNotConflict() {
        let outcome = Lint.check("""
        on return accepted, partly_accepted match all {
          rule refunded_units
            when return.type == mixed and refund.executed_by == reveni
            then refund items where item.outcome == refund path: record_only

          rule exchanged_units
            when return.type == mixed and refund.executed_by == reveni
            then refund items where item.outcome == exchange path: record_only
            then replacement_order

          rule decide
            otherwise
            then review "finance" reason: "decide"
        }
        """)
        #expect(outcome.with(.doubleMoney).isEmpty, "\(outcome.rendered)")
    }

    @Test func aReturnEndsInOneFinalStatus() {
        // accepted and partly_accepted never happen to the same return: no conflict.
        let outcome = Lint.check("""
        on return accepted match first {
          rule all_accepted
            when return.type == refund and refund.executed_by == reveni
            then refund items path: record_only

          rule decide
            otherwise
            then review "finance" reason: "decide"
        }

        on return partly_accepted match first {
          rule some_accepted
            when return.type == refund and refund.executed_by == reveni
            then refund items where item.validation == accepted path: record_only

          rule decide_partly
            otherwise
            then review "finance" reason: "decide"
        }
        """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }

    @Test func aRefundThePlannerWouldNotPostMovesNoMoney() {
        // A gateway refund Reveni executes is an RR0311, not a second money movement.
        let outcome = Lint.check("""
        on return accepted, partly_accepted match all {
          rule record
            when return.type == refund and refund.executed_by == reveni
            then refund items path: record_only

          rule card
            when return.type == refund and refund.method == original_payment_method and refund.executed_by == reveni
            then refund items path: gateway

          rule decide
            otherwise
            then review "finance" reason: "decide"
        }
        """)
        #expect(outcome.codes == ["RR0311"], "\(outcome.rendered)")
    }

    @Test func aRestockedUnitSentToReviewIsAnError() throws {
        let outcome = Lint.check(Lint.decided + """
        on item inspected match all {
          rule sellable
            when item.grade in restock_grades
            then restock item

          rule b_stock
            when item.grade == B
            then review "warehouse" reason: "B-stock?"

          rule rest
            otherwise
            then note internal "not restocked"
        }
        """)
        let finding = try #require(outcome.with(.restockAndReview).first)
        #expect(outcome.codes == ["RR0304"], "\(outcome.rendered)")
        #expect(finding.message == "`b_stock` sends a unit to review that `sellable` restocks")
        #expect(finding.notes.map(\.message).contains { $0.hasPrefix("for example type=refund grade=B") })
    }

    @Test func aReviewOfUnitsThatAreNotRestockedIsFine() {
        let outcome = Lint.check(Lint.decided + """
        on item inspected match first {
          rule sellable
            when item.grade == A
            then restock item

          rule b_stock
            when item.grade == B
            then review "warehouse" reason: "B-stock?"

          rule rest
            otherwise
            then note internal "not restocked"
        }
        """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }
}
