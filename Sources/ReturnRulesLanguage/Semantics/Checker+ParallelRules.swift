/// Checking the rules of a large file on two cores.
///
/// A rule's check reads only what the header phases settled (settings, enums, constants) and
/// writes only diagnostics and the set of used constants, so rules can be checked ahead, in
/// runs of consecutive rules that two threads take turns claiming, each run with its own sink.
/// `checkRuleBlocks` then walks the items in order as always and, for each rule, replays what
/// its check reported into the real sink: the same diagnostics in the same order (the sink
/// deduplicates and caps on replay as it would have).
extension Checker {
    /// Below this many rules the second core is not worth waking.
    static let parallelRuleMinimum = 1_000

    /// One rule checked ahead: its result and the diagnostics its check reported, in order.
    struct PrecheckedRule: Sendable {
        var rule: CheckedRule
        var diagnostics: [Diagnostic]
    }

    /// A block whose rules are checked ahead: where it is, the scope and subject its header
    /// gives its rules, and the number of its first rule among all such rules.
    struct BlockWork: Sendable {
        var unit: Int
        var item: Int
        var scope: Scope
        var subject: String
        var firstRule: Int
        var ruleCount: Int
    }

    /// Rules per run: small enough that a thread slowed by the machine's load leaves the rest
    /// to the other, large enough that claiming a run costs nothing next to checking it.
    static let precheckRunLength = 128

    /// The rules checked ahead, in order, or nil for a small file. They are the rules
    /// `checkRuleBlocks` checks with `checkRule` in blocks, in the same order.
    mutating func precheckRules() -> [PrecheckedRule]? {
        var blocks: [BlockWork] = []
        var total = 0
        // The block headers again, on a copy: their diagnostics are reported in order later.
        var headers = self
        headers.diagnostics = DiagnosticSink(limit: .max)
        for (unitIndex, unit) in loaded.units.enumerated() {
            for itemIndex in unit.tree.items.indices {
                guard case .ruleBlock(let block) = unit.tree.items[itemIndex].kind,
                      let (checked, scope) = headers.checkBlockHeader(block, annotations: unit.tree.items[itemIndex].annotations) else { continue }
                blocks.append(BlockWork(unit: unitIndex, item: itemIndex, scope: scope, subject: checked.subject,
                                        firstRule: total, ruleCount: block.rules.count))
                total += block.rules.count
            }
        }
        guard total >= Checker.parallelRuleMinimum else { return nil }
        let runLength = Checker.precheckRunLength
        let checker = self
        let plan = blocks
        // Each run checks its rules on its own copy of the checker: a stalled helper's may be redone.
        let runs = ParallelWork.map((total + runLength - 1) / runLength, redoStalled: true) { run in
            Checker.precheck((run * runLength)..<min(total, (run + 1) * runLength), of: plan, with: checker)
        }
        var rules: [PrecheckedRule] = []
        rules.reserveCapacity(total)
        for run in runs {
            rules.append(contentsOf: run.rules)
            usedConstants.formUnion(run.usedConstants)
        }
        return rules
    }

    /// Checks the rules numbered `range` on a copy of the checker with a sink of its own
    /// (unlimited: the real sink applies its limit on replay). Reads the rules in place.
    static func precheck(_ range: Range<Int>, of blocks: [BlockWork], with checker: Checker) -> (rules: [PrecheckedRule], usedConstants: Set<String>) {
        var worker = checker
        worker.diagnostics = DiagnosticSink(limit: .max)
        var results: [PrecheckedRule] = []
        results.reserveCapacity(range.count)
        for work in blocks where work.firstRule < range.upperBound && work.firstRule + work.ruleCount > range.lowerBound {
            guard case .ruleBlock(let block) = checker.loaded.units[work.unit].tree.items[work.item].kind else { continue }
            let lower = max(range.lowerBound, work.firstRule) - work.firstRule
            let upper = min(range.upperBound, work.firstRule + work.ruleCount) - work.firstRule
            for index in lower..<upper {
                let before = worker.diagnostics.diagnostics.count
                let checked = worker.checkRule(block.rules[index], in: work.scope, subject: work.subject)
                let reported = worker.diagnostics.diagnostics.count > before ? Array(worker.diagnostics.diagnostics[before...]) : []
                results.append(PrecheckedRule(rule: checked, diagnostics: reported))
            }
        }
        return (results, worker.usedConstants)
    }
}
