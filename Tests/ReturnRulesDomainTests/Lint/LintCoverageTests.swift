import Testing
import ReturnRulesDomain
import ReturnRulesLanguage

/// RR0301, RR0302: every return type × status cell (× grade) is handled.
@Suite("Lint: coverage")
struct LintCoverageTests {
    @Test func aCatchAllHandlesEveryCell() {
        let outcome = Lint.check(Lint.decided)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }

    @Test func decisionStatusesWithoutATableAreAnError() {
        let outcome = Lint.check("""
        on return received match first {
          rule arrived
            otherwise
            then ignore "nothing on arrival"
        }
        """)
        let found = outcome.with(.unhandledCells)
        #expect(found.count == 1)
        #expect(found.first?.severity == .error)
        #expect(found.first?.message == "no rule handles returns that are `accepted` or `partly_accepted`")
    }

    @Test func theMatrixMarksHandledMissingAndPartialCells() throws {
        let outcome = Lint.check("""
        on return accepted, partly_accepted match first {
          rule refunds
            when return.type == refund
            then review "finance" reason: "refund"

          rule large_mixed
            when return.type == mixed and refund.amount > 50.00 EUR
            then review "finance" reason: "mixed"
        }
        """)
        let finding = try #require(outcome.with(.unhandledCells).first)
        #expect(finding.message == "4 of 6 return type × status cells of `accepted`, `partly_accepted` are not always handled")
        #expect(outcome.underlined(finding) == "return accepted, partly_accepted")
        let notes = finding.notes.map(\.message)
        #expect(notes.contains("type      accepted  partly_accepted"))
        #expect(notes.contains("refund    ✓         ✓"))
        #expect(notes.contains("exchange  ✗         ✗"))
        #expect(notes.contains("mixed     ~         ~"))
        #expect(notes.contains("for example type=exchange status=accepted with `refund.amount > 50.00 EUR` false: no rule fires"))
        #expect(notes.contains(#"payload: {"data":{"return":{"transaction_type":"exchange","status":"accepted"}}}"#))
    }

    @Test func thePayloadFollowsTheFilesMapping() throws {
        let outcome = Lint.check("""
        mapping {
          return.status = "$.data.return.status" {
            "approved" -> accepted
            "partially_approved" -> partly_accepted
          }
        }

        on return accepted, partly_accepted match first {
          rule refunds
            when return.type != exchange
            then review "finance" reason: "refund"
        }
        """)
        let notes = outcome.notes(.unhandledCells)
        #expect(notes.contains(#"payload: {"data":{"return":{"transaction_type":"exchange","status":"approved"}}}"#), "\(notes)")
    }

    @Test func anAbsentAmountIsACaseOfItsOwn() throws {
        // `refund.amount` is optional: when it is absent neither comparison holds.
        let outcome = Lint.check("""
        on return accepted, partly_accepted match first {
          rule large
            when refund.amount > 100.00 EUR
            then review "finance" reason: "large"

          rule small
            when refund.amount <= 100.00 EUR
            then review "finance" reason: "small"
        }
        """)
        #expect(outcome.codes == ["RR0301"], "\(outcome.rendered)")
    }

    @Test func complementaryConditionsOnARequiredFieldCoverEverything() {
        // `item.quantity` is required, so `> 1` and `<= 1` are each other's negation.
        let outcome = Lint.check(Lint.decided + """
        on item inspected match first {
          rule several
            when item.quantity > 1
            then note internal "several"

          rule one
            when item.quantity <= 1
            then note internal "one"
        }
        """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }

    @Test func inspectionTablesCoverEveryGrade() throws {
        let outcome = Lint.check(Lint.decided + """
        on item inspected match first {
          rule sellable
            when item.grade in restock_grades
            then restock item
        }
        """)
        let finding = try #require(outcome.with(.unhandledCells).first)
        #expect(finding.message == "3 of 9 return type × grade cells of `on item inspected` are not always handled")
        #expect(finding.notes.map(\.message).contains("refund    ✓        ✓        ✗"))
        #expect(finding.notes.map(\.message).contains("for example type=refund grade=C: no rule fires"))
    }

    @Test func otherStatusesAreOptInAndOnlyWarn() throws {
        let outcome = Lint.check(Lint.decided + """
        on return shipped match first {
          rule exchange_shipped
            when return.type == exchange
            then note internal "on its way"
        }
        """)
        let finding = try #require(outcome.with(.unhandledStatusCells).first)
        #expect(finding.severity == .warning)
        #expect(outcome.codes == ["RR0302"])
    }

    @Test func aStatusWithoutATableIsNotRequired() {
        // Only the decision points are required; `shipped`, `received`, … are opt-in.
        #expect(Lint.check(Lint.decided).diagnostics.isEmpty)
    }

    @Test func twoTablesTogetherCanHandleAStatus() {
        let outcome = Lint.check("""
        on return accepted, partly_accepted match first {
          rule refunds
            when return.type == refund
            then review "finance" reason: "refund"
        }

        on return accepted, partly_accepted match first {
          rule others
            when return.type != refund
            then review "exchanges" reason: "exchange or mixed"
        }
        """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.rendered)")
    }
}

extension LintCoverageTests {
    @Test func anInspectionTableWithoutGradesNeverRuns() throws {
        let header = Lint.header.replacingOccurrences(of: "grades A, B, C\nrestock_grades A, B\n", with: "")
        let outcome = Lint.check(Lint.decided + """
        on item inspected match first {
          rule inspected
            otherwise
            then note internal "inspected"
        }
        """, header: header)
        #expect(outcome.codes == ["RR0301"], "\(outcome.rendered)")
        #expect(outcome.with(.unhandledCells).first?.message == "`on item inspected` never runs: the header declares no `grades`")
    }
}
