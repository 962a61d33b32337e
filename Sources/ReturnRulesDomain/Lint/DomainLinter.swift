import ReturnRulesLanguage

/// A rule by its table and position.
struct RuleID: Hashable, Comparable {
    let block: Int
    let rule: Int

    static func < (lhs: RuleID, rhs: RuleID) -> Bool { (lhs.block, lhs.rule) < (rhs.block, rhs.rule) }
}

/// One finding before suppression: a diagnostic plus the rules whose `@allow` can silence it.
struct LintFinding {
    var code: DiagnosticCode
    var message: String
    var span: Span
    var label: String? = nil
    var notes: [DiagnosticNote] = []
    var help: String? = nil
    var severity: Severity? = nil
    /// An `@allow(code, reason: …)` on any of these rules suppresses the finding.
    var rules: [RuleID] = []

    var diagnostic: Diagnostic {
        Diagnostic(code, message, at: span, label: label, notes: notes, help: help, severity: severity)
    }
}

/// The domain lints over one checked program: exact over the finite domain (return type ×
/// status × mode × refund method × who pays × refund status, and for `on item inspected` the
/// item's grade × validation × outcome), with every other condition an unknown.
///
/// Where each lint lives:
/// - RR0301, RR0302 coverage (exhaustiveness): `CoverageLint.swift`
/// - RR0303, RR0304 conflicts over a return's lifecycle: `LifecycleLint.swift`
/// - RR0305, RR0306, RR0307 unreachable rules and constant conditions: `ReachabilityLint.swift`
/// - RR0308 … RR0313 what single actions do: `ActionLints.swift`
/// - RR0314 and `@allow` suppression: here
/// - RR0401 … RR0405 the store catalog: `CatalogLint.swift`
public struct DomainLinter {
    public let program: CheckedProgram
    public let store: StoreSnapshot?

    public init(program: CheckedProgram, store: StoreSnapshot? = nil) {
        self.program = program
        self.store = store
    }

    /// Runs every lint. Returns the language's diagnostics minus the warnings an `@allow`
    /// suppresses, and the lints' own diagnostics (suppressed ones removed, unused `@allow`s
    /// added).
    public func run(languageDiagnostics: [Diagnostic] = []) -> (language: [Diagnostic], lints: [Diagnostic]) {
        let run = LintRun(program: program)
        // Two groups at once, results in this order: coverage, reachability and the first action
        // lint read only the decision tables and the rules; the other action lints and the
        // lifecycle lints share the firing index and the item analysis cache, so they stay on one
        // thread.
        let pairs = ParallelWork.map(2) { pair in
            pair == 0
                ? CoverageLint.findings(run) + ReachabilityLint.findings(run, languageDiagnostics: languageDiagnostics)
                    + ActionLints.restockInsideRefund(run)
                : ActionLints.findingsAfterRestockInsideRefund(run) + LifecycleLint.findings(run)
        }
        var findings = pairs[0] + pairs[1]
        if let store { findings += CatalogLint.findings(run, store: store) }
        let result = run.suppress(findings, languageDiagnostics: languageDiagnostics)
        // Its decision tables (a few bit sets per rule and context) are freed later, elsewhere.
        BackgroundRelease.drop(consume run)
        return result
    }
}

/// What every lint shares for one program: the catalog, the decision model, the item space.
final class LintRun {
    let program: CheckedProgram
    let catalog: LintCatalog
    let model: DecisionModel
    let items: ItemSpace
    let policy: MoneyPathPolicy
    /// Value counts of the fields that stay the same over a return's lifecycle.
    let constantRadices: [Int]
    /// Every action firing, for `firings(_:)`.
    private(set) lazy var firingIndex = LintRun.firingIndex(of: model, program: program)

    /// Decision points: every return type must be handled here (RR0301).
    static let decisionStatuses = ["accepted", "partly_accepted"]

    init(program: CheckedProgram) {
        self.program = program
        catalog = LintCatalog(program: program)
        model = DecisionModel(catalog: catalog, extraTriggers: Set(LintRun.decisionStatuses.map { .status($0) }))
        items = ItemSpace(catalog: catalog)
        let catalog = self.catalog
        policy = MoneyPathPolicy(configuration: catalog.configuration)
        constantRadices = LifecycleLint.constantFields.map { catalog.eventField(named: $0)?.radix ?? 1 }
    }

    func rule(_ id: RuleID) -> CheckedRule { program.blocks[id.block].rules[id.rule] }
    func name(_ id: RuleID) -> String { rule(id).name }

    /// Contexts a table runs in.
    func contexts(of block: Int) -> [DecisionContext] { model.contexts.filter { $0.table(for: block) != nil } }

    /// The root file's first byte: where file-level findings point.
    var fileSpan: Span {
        let root = program.sources.files.first { $0.path == program.rootPath }
        return Span(file: root?.id ?? 0, start: 0, length: 0)
    }

    // MARK: - Suppression

    func suppress(_ findings: [LintFinding], languageDiagnostics: [Diagnostic]) -> (language: [Diagnostic], lints: [Diagnostic]) {
        var used = Set<String>()
        func allowed(_ code: DiagnosticCode, by rules: [RuleID]) -> Bool {
            var found = false
            for id in rules where rule(id).allowed[code.rawValue] != nil {
                used.insert("\(id.block):\(id.rule):\(code.rawValue)")
                found = true
            }
            return found
        }
        var kept: [Diagnostic] = []
        for finding in findings where !allowed(finding.code, by: finding.rules) { kept.append(finding.diagnostic) }
        // Language warnings inside a rule that allows their code.
        var language: [Diagnostic] = []
        for diagnostic in languageDiagnostics {
            guard diagnostic.severity != .error else { language.append(diagnostic); continue }
            var owners: [RuleID] = []
            for (blockIndex, block) in program.blocks.enumerated() {
                for (ruleIndex, checked) in block.rules.enumerated() {
                    let span = checked.span
                    if span.file == diagnostic.span.file, span.start <= diagnostic.span.start, diagnostic.span.end <= span.end {
                        owners.append(RuleID(block: blockIndex, rule: ruleIndex))
                    }
                }
            }
            if !allowed(diagnostic.code, by: owners) { language.append(diagnostic) }
        }
        // Every `@allow` must earn its keep. (By index, skipping the many rules without one.)
        for (blockIndex, block) in program.blocks.enumerated() {
            for ruleIndex in block.rules.indices where !block.rules[ruleIndex].allowed.isEmpty {
                let checked = block.rules[ruleIndex]
                for (code, reason) in checked.allowed.sorted(by: { $0.key < $1.key }) where !used.contains("\(blockIndex):\(ruleIndex):\(code)") {
                    kept.append(Diagnostic(.unusedAllow, "`@allow(\(code))` on rule `\(checked.name)` suppresses nothing",
                                           at: allowSpan(code: code, rule: RuleID(block: blockIndex, rule: ruleIndex)),
                                           notes: [DiagnosticNote("its reason: \(reason)")],
                                           help: "remove it; an `@allow` stays only while the finding it silences exists"))
                }
            }
        }
        return (language, kept)
    }

    /// The code's text in the `@allow(…)` before a rule, else the rule's name.
    func allowSpan(code: String, rule id: RuleID) -> Span {
        let checked = rule(id)
        guard let file = program.sources.file(for: checked.span) else { return checked.nameSpan }
        var lower = max(0, checked.span.start - 2000)
        let block = program.blocks[id.block]
        if block.span.file == checked.span.file, block.span.start < checked.span.start { lower = max(lower, block.span.start) }
        for other in block.rules where other.span.file == checked.span.file && other.span.end <= checked.span.start {
            lower = max(lower, other.span.end)
        }
        let region = Array(file.bytes[lower..<checked.span.start])
        let needle = Array(code.utf8)
        guard needle.count <= region.count else { return checked.nameSpan }
        var index = region.count - needle.count
        while index >= 0 {
            if Array(region[index..<(index + needle.count)]) == needle { return Span(file: file.id, start: lower + index, length: needle.count) }
            index -= 1
        }
        return checked.nameSpan
    }
}
