import Testing
@testable import ReturnRulesDomain
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// The lints' shortcuts for large tables give what the straightforward loops give, on random
/// rule files: the RR0303 pair scan that skips the rest of a `match first` table, witnesses read
/// off per-table prefixes, and the RR0305 culprits looked for among rules that may fire.
@Suite("Lint: shortcuts agree with the straightforward loops")
struct LintShortcutTests {
    static let seeds: [UInt64] = Array(1...40)

    @Test(arguments: seeds)
    func moneyConflictsMatchEveryPair(seed: UInt64) throws {
        let run = try #require(Self.run(seed: seed))
        let entries = LifecycleLint.moneyEntries(run)
        let fast = LifecycleLint.conflicts(among: entries, run).map(\.diagnostic)
        #expect(fast == Self.everyPair(entries, run).map(\.diagnostic))
    }

    @Test(arguments: seeds)
    func witnessesMatchAWalkOverEarlierRules(seed: UInt64) throws {
        let run = try #require(Self.run(seed: seed))
        for firing in run.firings(["refund", "store_credit", "restock", "review", "note", "replacement_order"]) {
            guard let point = firing.may.first else { continue }
            let upTo = firing.table.conditions.prefix(firing.rule.rule + 1)
            var relevant: Set<String> = ["refund.method"]
            for condition in upTo { if let condition { relevant.formUnion(condition.fields) } }
            let atoms = upTo.compactMap { $0?.atoms }.flatMap { $0 }
            let expected = Witness(point: point, context: firing.context, relevant: relevant, atoms: atoms)
            #expect(run.witness(firing, at: point, extra: ["refund.method"]).text == expected.text)
        }
    }

    @Test(arguments: seeds)
    func culpritsAreFoundAmongRulesThatMayFire(seed: UInt64) throws {
        let run = try #require(Self.run(seed: seed))
        for context in run.model.contexts {
            for table in context.tables {
                for rule in table.truths.indices {
                    guard let wants = table.truths[rule]?.canTrue else { continue }
                    let all = (0..<rule).filter { table.truths[$0] != nil && table.mayFire[$0].intersects(wants) }
                    let fireable = table.fireable.prefix { $0 < rule }.filter { table.truths[$0] != nil && table.mayFire[$0].intersects(wants) }
                    #expect(fireable == all)
                }
            }
        }
    }

    @Test func theRandomFilesHaveConflictsAndHiddenRules() throws {
        var conflicts = 0
        var hidden = 0
        for seed in Self.seeds.prefix(10) {
            let run = try #require(Self.run(seed: seed))
            conflicts += LifecycleLint.money(run).count
            hidden += ReachabilityLint.findings(run, languageDiagnostics: []).filter { $0.code == .shadowedRule }.count
        }
        #expect(conflicts > 0)
        #expect(hidden > 0)
    }

    // MARK: - Helpers

    /// RR0303 as it was first written: every pair of entries, each pair of sites once.
    static func everyPair(_ entries: [LifecycleLint.Money], _ run: LintRun) -> [LintFinding] {
        var findings: [LintFinding] = []
        var reported = Set<String>()
        for (index, first) in entries.enumerated() {
            for second in entries[(index + 1)...] {
                guard LifecycleLint.conflicting(first.kind, second.kind) else { continue }
                let siteA = "\(first.firing.rule.block):\(first.firing.rule.rule):\(first.firing.actionIndex)"
                let siteB = "\(second.firing.rule.block):\(second.firing.rule.rule):\(second.firing.actionIndex)"
                let key = [siteA, siteB].sorted().joined(separator: "|")
                guard !reported.contains(key), let finding = LifecycleLint.pair(first, second, run) else { continue }
                reported.insert(key)
                findings.append(finding)
            }
        }
        return findings
    }

    /// The lint run of a random file; nil if the file does not check (it always should).
    static func run(seed: UInt64) -> LintRun? {
        var random = SplitMix64(seed: seed)
        guard let program = Lint.program(randomFile(&random)) else { return nil }
        return LintRun(program: program)
    }

    static let statuses = ["in_progress", "shipped", "received", "accepted", "partly_accepted", "rejected", "cancelled"]
    static let conditions = [
        "return.type == refund", "return.type == exchange", "return.type == mixed", "return.type != refund",
        "return.mode == instant", "refund.method == bank_transfer", "refund.method == store_credit",
        "refund.method == original_payment_method", "refund.executed_by == reveni", "refund.executed_by == merchant",
        "refund.status == paid", "refund.amount > 100.00 EUR", "refund.amount <= 20.00 EUR", "restock.requested == yes",
    ]
    static let itemConditions = ["item.grade == A", "item.grade in restock_grades", "item.validation != rejected", "item.outcome == refund"]
    static let actions = [
        "refund items path: record_only", "refund items path: gateway", "refund items where item.outcome == refund path: record_only",
        "store_credit", "replacement_order", "restock items", "review \"finance\" reason: \"x\"", "note internal \"n\"", "ignore \"i\"",
    ]
    static let itemActions = ["restock item", "review \"warehouse\" reason: \"w\"", "ignore \"i\""]

    /// A few tables on random triggers, each of random rules (often repeating a condition, so
    /// later rules are hidden), sometimes with an `otherwise`.
    static func randomFile(_ random: inout SplitMix64) -> String {
        var text = ""
        var number = 0
        var triggers = statuses.filter { _ in random.chance(1, in: 2) }
        if random.bool() { triggers.append("item") }
        for trigger in triggers {
            let isItem = trigger == "item"
            let policy = random.chance(2, in: 3) ? "first" : "all"
            text += isItem ? "on item inspected match \(policy) {\n" : "on return \(trigger) match \(policy) {\n"
            for _ in 0..<random.int(in: 2...20) {
                number += 1
                let pool = isItem ? itemConditions + conditions.prefix(5) : conditions
                var parts = (0..<random.int(in: 1...3)).map { _ in random.element(of: pool) }
                if random.chance(1, in: 6) { parts[0] = "not " + parts[0] }
                let condition = parts.joined(separator: random.chance(3, in: 4) ? " and " : " or ")
                text += "  rule r\(number)\n    when \(condition)\n"
                for _ in 0..<random.int(in: 1...2) { text += "    then \(random.element(of: isItem ? itemActions : actions))\n" }
                text += "\n"
            }
            if random.chance(2, in: 3) {
                number += 1
                text += "  rule r\(number)\n    otherwise\n    then review \"ops\" reason: \"none\"\n"
            }
            text += "}\n\n"
        }
        return text
    }
}
