import ReturnRulesLanguage

/// RR0305 rules that never fire under their table's hit policy; RR0306 conditions true in every
/// case; RR0307 conditions false in every case. A table on several statuses is judged over all
/// of them: a rule is unreachable only if it fires on none.
enum ReachabilityLint {
    static func findings(_ run: LintRun, languageDiagnostics: [Diagnostic]) -> [LintFinding] {
        var findings: [LintFinding] = []
        let program = run.program
        let noneWarnings = languageDiagnostics.filter { $0.code == .comparisonWithNoneAlwaysFalse }
        for (blockIndex, block) in program.blocks.enumerated() {
            let contexts = run.contexts(of: blockIndex).filter { $0.space.pointCount > 0 }
            guard !contexts.isEmpty else { continue }
            let tables = contexts.map { $0.table(for: blockIndex)! }
            var alwaysTrue: [Int] = []
            var shadowedBy: [Int: [Int]] = [:]
            for (ruleIndex, rule) in block.rules.enumerated() {
                let id = RuleID(block: blockIndex, rule: ruleIndex)
                let mayFire = tables.contains { !$0.mayFire[ruleIndex].isEmpty }
                guard let condition = rule.condition else {
                    if !mayFire {
                        let cause = alwaysTrue.first
                        if let cause { shadowedBy[cause, default: []].append(ruleIndex); continue }
                        findings.append(LintFinding(
                            code: .shadowedRule, message: "the `otherwise` rule `\(rule.name)` never fires: the rules before it handle every case",
                            span: rule.nameSpan, label: "never fires",
                            notes: [DiagnosticNote("checked over \(contexts.map { "`\($0.trigger.text)`" }.joined(separator: ", "))")],
                            help: "remove it, or keep it as a guard against new enum values by adding `@allow(RR0305, reason: \"…\")`",
                            severity: .warning, rules: [id]))
                    }
                    continue
                }
                let canTrue = tables.contains { !$0.truths[ruleIndex]!.canTrue.isEmpty }
                let always = tables.allSatisfy { $0.truths[ruleIndex]!.isAlwaysTrue }
                if !canTrue {
                    if noneWarnings.contains(where: { $0.span.file == condition.span.file && condition.span.start <= $0.span.start && $0.span.end <= condition.span.end }) { continue }
                    findings.append(LintFinding(
                        code: .guardAlwaysFalse, message: "the condition of `\(rule.name)` is never true, so the rule never fires",
                        span: condition.span, label: "false in every case",
                        notes: [DiagnosticNote("checked over \(contexts.map { "`\($0.trigger.text)`" }.joined(separator: ", ")) for every value of \(fieldList(contexts))")],
                        help: "fix the condition, or remove the rule", rules: [id]))
                    continue
                }
                if !mayFire {
                    if let cause = alwaysTrue.first, block.policy == .first { shadowedBy[cause, default: []].append(ruleIndex); continue }
                    findings.append(shadowed(run, blockIndex: blockIndex, ruleIndex: ruleIndex, contexts: contexts, tables: tables))
                    continue
                }
                if always { alwaysTrue.append(ruleIndex) }
            }
            for ruleIndex in alwaysTrue {
                let rule = block.rules[ruleIndex]
                let hidden = shadowedBy[ruleIndex] ?? []
                let guarded = hidden.filter { block.rules[$0].condition != nil }
                var notes = [DiagnosticNote("checked over \(contexts.map { "`\($0.trigger.text)`" }.joined(separator: ", ")) for every value of \(fieldList(contexts))")]
                for index in hidden {
                    notes.append(DiagnosticNote("`\(block.rules[index].name)` never fires because of it", at: block.rules[index].nameSpan))
                }
                let message: String
                if !guarded.isEmpty {
                    message = "the condition of `\(rule.name)` is always true, so the \(hidden.count == 1 ? "rule" : "\(hidden.count) rules") after it never fire\(hidden.count == 1 ? "s" : "")"
                } else if !hidden.isEmpty {
                    message = "the condition of `\(rule.name)` is always true, so the `otherwise` rule never fires"
                } else {
                    message = "the condition of `\(rule.name)` is always true"
                }
                findings.append(LintFinding(
                    code: .guardAlwaysTrue, message: message, span: rule.condition!.span, label: "true in every case", notes: notes,
                    help: guarded.isEmpty ? "write `otherwise` if the rule is meant to catch everything, or narrow the condition"
                                          : "narrow the condition, or move the rules it hides before it",
                    severity: guarded.isEmpty ? .warning : .error,
                    rules: [RuleID(block: blockIndex, rule: ruleIndex)] + hidden.map { RuleID(block: blockIndex, rule: $0) }))
            }
        }
        return findings
    }

    static func fieldList(_ contexts: [DecisionContext]) -> String {
        var names: [String] = []
        for context in contexts {
            for field in context.space.fields where !names.contains(field.label) && field.name != "return.status" {
                guard field.name == "return.type" || (context.isItem && field.name == "item.grade") || context.mentioned.contains(field.name) else { continue }
                names.append(field.label)
            }
        }
        return names.joined(separator: ", ") + (contexts.contains { $0.space.atoms.count > 0 } ? " and the unknown conditions" : "")
    }

    /// A rule whose condition can hold, but never when the rules before it do not.
    static func shadowed(_ run: LintRun, blockIndex: Int, ruleIndex: Int, contexts: [DecisionContext], tables: [TableEvaluation]) -> LintFinding {
        let block = run.program.blocks[blockIndex]
        let rule = block.rules[ruleIndex]
        var notes: [DiagnosticNote] = []
        var culprits = Set<Int>()
        var example: String?
        for (context, table) in zip(contexts, tables) {
            let wants = table.truths[ruleIndex]!.canTrue
            // Only a rule that may fire somewhere can take cases first.
            let hiders = table.fireable.prefix { $0 < ruleIndex }
            for earlier in hiders where table.truths[earlier] != nil {
                if table.mayFire[earlier].intersects(wants) { culprits.insert(earlier) }
            }
            if example == nil, let point = wants.first {
                let winner = hiders.first { table.mayFire[$0][point] }
                let witness = Witness(point: point, context: context, relevant: table.fieldsRead(upTo: ruleIndex),
                                      atoms: table.jointAtomsRead(upTo: ruleIndex))
                example = "for example \(witness.text): " + (winner.map { "`\(block.rules[$0].name)` fires first" } ?? "an earlier rule fires first")
            }
        }
        for index in culprits.sorted() {
            notes.append(DiagnosticNote("`\(block.rules[index].name)` takes these cases first", at: block.rules[index].nameSpan))
        }
        if let example { notes.append(DiagnosticNote(example)) }
        return LintFinding(
            code: .shadowedRule,
            message: "rule `\(rule.name)` never fires: under `match first` the rules before it take every case it covers",
            span: rule.nameSpan, label: "never fires", notes: notes,
            help: "move it before the rules that hide it, or narrow their conditions",
            rules: [RuleID(block: blockIndex, rule: ruleIndex)] + culprits.sorted().map { RuleID(block: blockIndex, rule: $0) })
    }
}
