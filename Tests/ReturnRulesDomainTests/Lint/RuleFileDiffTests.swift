import Testing
import ReturnRulesDomain
import ReturnRulesLanguage

/// `RuleFileDiff`: which cells of the finite domain two versions decide differently.
@Suite("Lint: rule file diff")
struct RuleFileDiffTests {
    static let old = """
    let limit = 400.00 EUR

    on return accepted, partly_accepted match first {
      rule over_limit
        when refund.amount > limit
        then review "finance" reason: "over"

      rule exchange
        when return.type == exchange
        then replacement_order

      rule card
        when refund.method == original_payment_method and refund.executed_by == merchant
        then refund items path: gateway

      rule decide
        otherwise
        then review "finance" reason: "decide"
    }
    """

    @Test func identicalVersionsChangeNothing() throws {
        let program = try #require(Lint.program(Self.old))
        let diff = RuleFileDiff(old: program, new: program)
        #expect(diff.changes.isEmpty)
        #expect(diff.totalCells == 2 * 3 * 4 * 3)
    }

    @Test func aConstantChangeShowsInEveryCellItDecides() throws {
        let old = try #require(Lint.program(Self.old))
        let new = try #require(Lint.program(Self.old.replacingOccurrences(of: "400.00 EUR", with: "500.00 EUR")))
        let diff = RuleFileDiff(old: old, new: new)
        #expect(diff.changedCells == diff.totalCells, "the limit is tested first, in every cell")
        #expect(diff.changes.count == 3, "three groups of cells, each on both statuses")
        let change = try #require(diff.changes.first)
        #expect(change.trigger == "return accepted, partly_accepted")
        #expect(change.before.contains("  over_limit if refund.amount > 400.00 EUR: review \"finance\" reason: \"over\""))
        #expect(change.after.contains("  over_limit if refund.amount > 500.00 EUR: review \"finance\" reason: \"over\""))
    }

    @Test func aNarrowedRuleChangesOnlyItsCells() throws {
        let old = try #require(Lint.program(Self.old))
        let new = try #require(Lint.program(Self.old.replacingOccurrences(
            of: "when refund.method == original_payment_method and refund.executed_by == merchant",
            with: "when refund.method == original_payment_method and refund.executed_by == merchant and return.type == refund")))
        let diff = RuleFileDiff(old: old, new: new)
        // card no longer fires for mixed returns paid back by the merchant to the card.
        #expect(diff.changedCells == 2)
        let change = try #require(diff.changes.first)
        #expect(change.cells.map { $0.map { "\($0.label)=\($0.value)" }.joined(separator: " ") } == ["type=mixed method=original_payment_method executed_by=merchant"])
        #expect(change.before.last == "  card: refund items path: gateway")
        #expect(change.after.last == "  decide (otherwise): review \"finance\" reason: \"decide\"")
    }

    @Test func cellsThatChangeAlikeAreMerged() throws {
        let old = try #require(Lint.program(Self.old))
        let new = try #require(Lint.program(Self.old.replacingOccurrences(of: "then replacement_order", with: "then replacement_order note: \"swap\"")))
        let diff = RuleFileDiff(old: old, new: new)
        #expect(diff.changedCells == 2 * 4 * 3, "every exchange cell, both statuses")
        #expect(diff.changes.map(\.cells.count) == [1])
        #expect(diff.changes.first?.cells.first?.map(\.value) == ["exchange"])
    }
}
