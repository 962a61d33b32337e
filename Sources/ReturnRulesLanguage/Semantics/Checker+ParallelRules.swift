/// Checking the rules of a large file on two cores.
///
/// A rule's check reads only what the header phases settled (settings, enums, constants) and
/// writes only diagnostics and the set of used constants, so rules can be checked ahead, in two
/// halves at once, each with its own sink. `checkRuleBlocks` then walks the items in order as
/// always and, for each rule, replays what its check reported into the real sink: the same
/// diagnostics in the same order (the sink deduplicates and caps on replay as it would have).
extension Checker {
    /// Below this many rules the second core is not worth waking.
    static let parallelRuleMinimum = 1_000

    /// One rule checked ahead: its result and the diagnostics its check reported, in order.
    struct PrecheckedRule: Sendable {
        var rule: CheckedRule
        var diagnostics: [Diagnostic]
    }

    /// A rule to check ahead, with the scope and subject its block gives it.
    struct RuleWork: Sendable {
        var rule: RuleDecl
        var scope: Scope
        var subject: String
    }

    /// The rules of every block with a usable trigger, checked ahead in order, or nil for a
    /// small file. Must list the rules `checkRuleBlocks` checks with `checkRule` in blocks, in
    /// the same order.
    mutating func precheckRules() -> [PrecheckedRule]? {
        var work: [RuleWork] = []
        // The block headers again, on a copy: their diagnostics are reported in order later.
        var headers = self
        headers.diagnostics = DiagnosticSink(limit: .max)
        for (_, item) in allItems {
            guard case .ruleBlock(let block) = item.kind else { continue }
            guard let (checked, scope) = headers.checkBlockHeader(block, annotations: item.annotations) else { continue }
            for rule in block.rules { work.append(RuleWork(rule: rule, scope: scope, subject: checked.subject)) }
        }
        guard work.count >= Checker.parallelRuleMinimum else { return nil }
        let half = work.count / 2
        let checker = self
        let secondHalf = Array(work[half...])
        let second = BackgroundResult { Checker.precheck(secondHalf, with: checker) }
        let first = Checker.precheck(Array(work[..<half]), with: checker)
        let rest = second.value
        usedConstants.formUnion(first.usedConstants)
        usedConstants.formUnion(rest.usedConstants)
        return first.rules + rest.rules
    }

    /// Checks rules on a copy of the checker with a sink of its own (unlimited: the real sink
    /// applies its limit on replay).
    static func precheck(_ work: [RuleWork], with checker: Checker) -> (rules: [PrecheckedRule], usedConstants: Set<String>) {
        var worker = checker
        worker.diagnostics = DiagnosticSink(limit: .max)
        var results: [PrecheckedRule] = []
        results.reserveCapacity(work.count)
        for item in work {
            let before = worker.diagnostics.diagnostics.count
            let checked = worker.checkRule(item.rule, in: item.scope, subject: item.subject)
            let reported = worker.diagnostics.diagnostics.count > before ? Array(worker.diagnostics.diagnostics[before...]) : []
            results.append(PrecheckedRule(rule: checked, diagnostics: reported))
        }
        return (results, worker.usedConstants)
    }
}
