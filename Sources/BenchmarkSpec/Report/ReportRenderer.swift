import Foundation

/// Writes BENCHMARKS.md from one run's figures, the peer harness's results, the machine, and the
/// hand-kept interpretation (benchmarks/analysis.md): every figure against its target, the ratio
/// to each peer, the machine and the method. Everything but the analysis is generated.
public struct ReportRenderer {
    public var results: BenchmarkResults
    public var peers: PeerResults?
    public var machine: MachineDescription
    public var analysis: String?

    public init(results: BenchmarkResults, peers: PeerResults?, machine: MachineDescription, analysis: String?) {
        self.results = results
        self.peers = peers
        self.machine = machine
        self.analysis = analysis
    }

    /// A median with its range: a measured figure, a peer's row, or a quotient of two of those.
    struct Quantity {
        var median: Double
        var min: Double
        var max: Double
        var unit: FigureUnit
        var runs: Int?

        init(median: Double, min: Double, max: Double, unit: FigureUnit, runs: Int?) {
            self.median = median
            self.min = min
            self.max = max
            self.unit = unit
            self.runs = runs
        }

        init(_ figure: BenchmarkResults.Figure) {
            self.init(median: figure.median, min: figure.min, max: figure.max, unit: figure.unit, runs: figure.samples.count)
        }

        /// a ÷ b, with the widest range the two ranges allow.
        static func quotient(_ a: Quantity, _ b: Quantity) -> Quantity {
            Quantity(median: a.median / b.median, min: a.min / b.max, max: a.max / b.min, unit: .ratio, runs: nil)
        }

        var medianText: String { ReportFormat.value(median, unit) }
        var spreadText: String { "\(ReportFormat.value(min, unit)) – \(ReportFormat.value(max, unit))" }
    }

    /// "met" or "**missed**" by the median, and whether the spread of the runs crosses the target.
    static func status(_ target: Target, _ quantity: Quantity) -> String {
        guard quantity.median.isFinite else { return "not measured" }
        var caveats: [String] = []
        if target.isMet(by: quantity.min) != target.isMet(by: quantity.max) { caveats.append("the spread crosses it") }
        if let runs = quantity.runs, runs < BenchmarkTargets.minimumRuns { caveats.append("\(runs) runs only") }
        let verdict = target.isMet(by: quantity.median) ? "met" : "**missed**"
        return caveats.isEmpty ? verdict : "\(verdict) (\(caveats.joined(separator: "; ")))"
    }

    func quantity(_ id: String) -> Quantity? { results.figure(id).map(Quantity.init) }

    var isQuick: Bool { machine.fact("mode")?.hasPrefix("quick") ?? false }

    public func render() -> String {
        var out: [String] = []
        header(&out)
        targetSummary(&out)
        machineSection(&out)
        methodSection(&out)
        checkSection(&out)
        decisionsSection(&out)
        peersSection(&out)
        planSection(&out)
        runnerSection(&out)
        if let analysis, !analysis.isEmpty {
            out.append("## Analysis")
            out.append("")
            out.append("_Kept by hand in benchmarks/analysis.md (profiles, what limits each figure); the tables above are generated._")
            out.append("")
            out.append(analysis.trimmingCharacters(in: .whitespacesAndNewlines))
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    // MARK: Header and summary

    func header(_ out: inout [String]) {
        out.append("# Benchmarks")
        out.append("")
        out.append("Reproduce: `benchmarks/run.sh` (from a clean clone: builds release, runs our benchmarks and the peer")
        out.append("harness of ../shared/bench in the same run on the same events, and writes this file). Do not edit")
        out.append("this file by hand: the interpretation at the end comes from benchmarks/analysis.md.")
        out.append("")
        var run = "Run: \(machine.dateUTC)"
        if let commit = machine.fact("commit") { run += " · commit \(commit)" }
        if let mode = machine.fact("mode") { run += " · \(mode)" }
        out.append(run + ".")
        out.append("")
        if isQuick {
            out.append("> **Quick run** (`benchmarks/run.sh --quick`): fewer runs and smaller inputs, to try the script.")
            out.append("> These figures are not for publication.")
            out.append("")
        }
        if let source = machine.fact("peer results"), source != "this run" {
            out.append("> **Peer figures not measured in this run** (\(source)): ratios to the peers compare different runs.")
            out.append("")
        }
    }

    struct TargetRow {
        var name: String
        var quantity: Quantity?
        var target: Target
    }

    func targetRows() -> [TargetRow] {
        var rows: [TargetRow] = []
        let compiled = quantity(FigureID.decisionsCompiled)
        rows.append(TargetRow(name: "decisions/s, compiled rules, one core", quantity: compiled, target: BenchmarkTargets.decisionsCompiled))
        if let compiled {
            let goRules = Quantity(median: BenchmarkTargets.goRulesPublishedDecisionsPerSecond, min: BenchmarkTargets.goRulesPublishedDecisionsPerSecond,
                                   max: BenchmarkTargets.goRulesPublishedDecisionsPerSecond, unit: .decisionsPerSecond, runs: nil)
            rows.append(TargetRow(name: "compiled rules ÷ GoRules' published native figure (91 k/s)", quantity: .quotient(compiled, goRules),
                                  target: BenchmarkTargets.goRulesPublishedRatio))
            if let fastest = fastestPeerEngine(), let median = fastest.decisionsPerSecondMedian {
                let peer = Quantity(median: median, min: fastest.decisionsPerSecondMin ?? median, max: fastest.decisionsPerSecondMax ?? median,
                                    unit: .decisionsPerSecond, runs: fastest.repeats)
                rows.append(TargetRow(name: "compiled rules ÷ fastest peer engine measured (\(fastest.engine))", quantity: .quotient(compiled, peer),
                                      target: BenchmarkTargets.fastestEngineRatio))
            }
        }
        rows.append(TargetRow(name: "hand-written ÷ compiled decisions/s", quantity: quantity(FigureID.decisionsHandOverCompiled),
                              target: BenchmarkTargets.handOverCompiled))
        rows.append(TargetRow(name: "`plan` end to end, one thread", quantity: quantity(FigureID.megabytesPerSecond(FigureID.plan)), target: BenchmarkTargets.planThroughput))
        rows.append(TargetRow(name: "`check` " + (results.figure(FigureID.wall(FigureID.checkClientLarge))?.label ?? "client-large.rules"),
                              quantity: quantity(FigureID.wall(FigureID.checkClientLarge)), target: BenchmarkTargets.checkClientLarge))
        rows.append(TargetRow(name: "`check` " + (results.figure(FigureID.wall(FigureID.checkRules10k))?.label ?? "10,000 rules"),
                              quantity: quantity(FigureID.wall(FigureID.checkRules10k)), target: BenchmarkTargets.checkRules10k))
        rows.append(TargetRow(name: "`run` events/s, batch sync", quantity: quantity(FigureID.eventsPerSecond(FigureID.runnerBatch)), target: BenchmarkTargets.runnerBatch))
        if let ratio = syncEveryOverRaw() {
            rows.append(TargetRow(name: "`run --sync every` ÷ raw append+fdatasync rate", quantity: ratio, target: BenchmarkTargets.syncEveryOverRaw))
        }
        rows.append(TargetRow(name: "`run` " + (results.figure(FigureID.wall(FigureID.restart))?.label ?? "restart after 1,000,000 events"),
                              quantity: quantity(FigureID.wall(FigureID.restart)), target: BenchmarkTargets.restart))
        rows.append(TargetRow(name: "`run` memory, fixed number of returns: peak RSS, whole stream ÷ first quarter", quantity: memoryGrowth(), target: BenchmarkTargets.memoryGrowth))
        return rows
    }

    /// Measured in pairs (raw appends, then the runner, run after run) when the results have
    /// them; otherwise the quotient of the two medians, which a disk changing speed skews.
    func syncEveryOverRaw() -> Quantity? {
        if let paired = quantity(FigureID.overRaw(FigureID.runnerEvery)) { return paired }
        guard let every = quantity(FigureID.eventsPerSecond(FigureID.runnerEvery)), let raw = quantity(FigureID.rawFdatasync) else { return nil }
        return .quotient(every, raw)
    }

    func memoryGrowth() -> Quantity? {
        guard let whole = quantity(FigureID.rss(FigureID.runnerBounded)), let quarter = quantity(FigureID.rss(FigureID.runnerBoundedQuarter)) else { return nil }
        return .quotient(whole, quarter)
    }

    func targetSummary(_ out: inout [String]) {
        out.append("## Targets (issue 6)")
        out.append("")
        out.append("| figure | median | min – max | target | |")
        out.append("|---|---:|---:|---|---|")
        for row in targetRows() {
            guard let quantity = row.quantity else {
                out.append("| \(row.name) | – | – | \(row.target.text) | not measured |")
                continue
            }
            out.append("| \(ReportFormat.cell(row.name)) | \(quantity.medianText) | \(quantity.spreadText) | \(row.target.text) | \(Self.status(row.target, quantity)) |")
        }
        out.append("")
        out.append("Met or missed is judged on the median; ratios give the widest range the two figures' ranges allow.")
        out.append("")
    }

    // MARK: Machine and method

    func machineSection(_ out: inout [String]) {
        out.append("## Machine")
        out.append("")
        out.append("| | |")
        out.append("|---|---|")
        out.append("| CPU | \(ReportFormat.cell(machine.cpuModel)) (`nproc` = \(machine.processors)) |")
        out.append("| memory | \(ReportFormat.cell(machine.memory)) |")
        out.append("| system | \(ReportFormat.cell(machine.operatingSystem)), Linux \(ReportFormat.cell(machine.kernel)) |")
        out.append("| Swift | \(ReportFormat.cell(machine.swiftVersion)), `swift build -c release` |")
        if let python = peers?.machine?.python { out.append("| Python (peers) | CPython \(python) |") }
        out.append("| load average (1, 5, 15 min) | \(machine.loadAtStart) at the start, \(machine.loadAtEnd) at the end |")
        out.append("")
        out.append("Wall-clock figures taken while other work ran on the machine are lower bounds; compare medians")
        out.append("from the same run, and treat differences under ~2× between runs at different times as noise.")
        out.append("")
    }

    func methodSection(_ out: inout [String]) {
        out.append("## Method")
        out.append("")
        let reservedKeys: Set<String> = ["mode", "commit"]
        for fact in machine.facts where !reservedKeys.contains(fact.key) {
            out.append("- \(fact.key): \(fact.value)")
        }
        out.append("- Every figure is the median of its runs, with the minimum and maximum; the run count is in the")
        out.append("  commands table below.")
        out.append("- Whole-process figures (`check`, `plan`, `run`, replay): `returnrules-bench time` starts the command with")
        out.append("  `posix_spawn`, times it from start to exit on the monotonic clock, and takes its peak RSS from")
        out.append("  `wait4` (`ru_maxrss`, what `/usr/bin/time -f %M` reports). `check` and `plan` get one untimed warm-up run;")
        out.append("  every `run` starts on a fresh, empty state directory.")
        out.append("- Decisions/s: in one process on one core, over events read and mapped once before timing (benchmarks/spec.rules'")
        out.append("  mapping) — the compiled rules and the hand-written Swift if-chain (Sources/returnrules-bench/HandWrittenSpec.swift)")
        out.append("  timed in turn in each run, after checking that both make expected.py's decision on every event. The")
        out.append("  duplicate flag (SPEC.md's R01) is computed at load time for both, as the peer harness computes it for its engines.")
        out.append("- Peers: ../shared/bench copied to a temporary folder, `setup.sh`, then `bench.py` there on the same events file;")
        out.append("  one engine per fresh CPython subprocess, one at a time, decisions/s over pre-built native inputs (its")
        out.append("  README and RESULTS.md say what each engine's figure includes).")
        out.append("")
        out.append("| figure | runs | command |")
        out.append("|---|---:|---|")
        var seen = Set<String>()
        for figure in results.figures where seen.insert(figure.command).inserted {
            out.append("| \(ReportFormat.cell(figure.label)) | \(figure.samples.count) | `\(ReportFormat.cell(figure.command))` |")
        }
        if let params = peers?.params {
            var command = "bench.py"
            if let n = params.n { command += " --n \(n)" }
            if let seed = params.seed { command += " --seed \(seed)" }
            if let repeats = params.repeats { command += " --repeats \(repeats)" }
            if let budget = params.budgetSeconds { command += " --budget \(ReportFormat.rate(budget))" }
            out.append("| peer engines (\(params.eventsFile ?? "events")) | \(params.repeats.map(String.init) ?? "–") | `\(command)` |")
        }
        out.append("")
    }

    // MARK: Areas

    func figureTable(_ out: inout [String], rows: [(label: String?, quantity: Quantity?, id: String?, target: Target?)]) {
        out.append("| figure | median | min – max | target | |")
        out.append("|---|---:|---:|---|---|")
        for row in rows {
            guard let quantity = row.quantity else { continue }
            let label = row.label ?? row.id.flatMap { results.figure($0)?.label } ?? "?"
            let target = row.target ?? row.id.flatMap { BenchmarkTargets.byFigure[$0] }
            let status = target.map { Self.status($0, quantity) } ?? ""
            out.append("| \(ReportFormat.cell(label)) | \(quantity.medianText) | \(quantity.spreadText) | \(target?.text ?? "–") | \(status) |")
        }
        out.append("")
    }

    func row(_ id: String) -> (label: String?, quantity: Quantity?, id: String?, target: Target?) {
        (nil, quantity(id), id, nil)
    }

    func checkSection(_ out: inout [String]) {
        out.append("## `check` (whole process: parse, check, compile, lint)")
        out.append("")
        out.append("| file | median | min – max | peak RSS | target | |")
        out.append("|---|---:|---:|---:|---|---|")
        for id in [FigureID.checkClientLarge, FigureID.checkRules1k, FigureID.checkRules10k] {
            guard let wall = results.figure(FigureID.wall(id)) else { continue }
            let time = Quantity(wall)
            let rss = quantity(FigureID.rss(id)).map(\.medianText) ?? "–"
            let target = BenchmarkTargets.byFigure[wall.id]
            out.append("| \(ReportFormat.cell(wall.label)) | \(time.medianText) | \(time.spreadText) | \(rss) | \(target?.text ?? "–") | \(target.map { Self.status($0, time) } ?? "") |")
        }
        out.append("")
    }

    func decisionsSection(_ out: inout [String]) {
        out.append("## Decisions (SPEC.md, pre-parsed events, one core)")
        out.append("")
        figureTable(&out, rows: [row(FigureID.decisionsCompiled), row(FigureID.decisionsHandWritten), row(FigureID.decisionsHandOverCompiled)])
        for check in results.checks {
            out.append("- \(check.passed ? "Passed" : "**FAILED**"): \(check.label): \(check.detail).")
        }
        if !results.checks.isEmpty { out.append("") }
    }

    func fastestPeerEngine() -> PeerResults.Engine? {
        peers?.engines.filter { !$0.isBaseline && $0.error == nil && $0.decisionsPerSecondMedian != nil }
            .max { ($0.decisionsPerSecondMedian ?? 0) < ($1.decisionsPerSecondMedian ?? 0) }
    }

    func peersSection(_ out: inout [String]) {
        out.append("## Against the peer engines (decisions/s, one core)")
        out.append("")
        guard let peers else {
            out.append("No peer results in this run.")
            out.append("")
            return
        }
        let compiled = quantity(FigureID.decisionsCompiled)
        out.append("| engine | evaluates with | decisions/s median | min – max | events | compiled rules ÷ this |")
        out.append("|---|---|---:|---:|---:|---:|")
        for (id, name, core) in [(FigureID.decisionsCompiled, "**ReturnRules, compiled rules**", "Swift, this repository"),
                                 (FigureID.decisionsHandWritten, "hand-written Swift if-chain (the limit)", "Swift, benchmark target only")] {
            guard let figure = results.figure(id) else { continue }
            let ratio = compiled.map { ReportFormat.ratio($0.median / figure.median) } ?? "–"
            out.append("| \(name) | \(core) | \(ReportFormat.rate(figure.median)) | \(ReportFormat.rate(figure.min)) – \(ReportFormat.rate(figure.max)) | \(figure.count.map(ReportFormat.grouped) ?? "–") | \(ratio) |")
        }
        for engine in peers.engines {
            let name = engine.isBaseline ? "\(engine.engine) — **baseline**, plain Python, not an engine" : engine.engine + (engine.version.map { " \($0)" } ?? "")
            if let error = engine.error {
                out.append("| \(ReportFormat.cell(name)) | – | error: \(ReportFormat.cell(String(error.prefix(80)))) | | | |")
                continue
            }
            guard let median = engine.decisionsPerSecondMedian else { continue }
            let ratio = compiled.map { ReportFormat.ratio($0.median / median) } ?? "–"
            let spread = "\(ReportFormat.rate(engine.decisionsPerSecondMin ?? .nan)) – \(ReportFormat.rate(engine.decisionsPerSecondMax ?? .nan))"
            out.append("| \(ReportFormat.cell(name)) | \(ReportFormat.cell(engine.core ?? "–")) | \(ReportFormat.rate(median)) | \(spread) | \(engine.nUsed.map(ReportFormat.grouped) ?? "–") | \(ratio) |")
        }
        let published = BenchmarkTargets.goRulesPublishedDecisionsPerSecond
        let publishedRatio = compiled.map { ReportFormat.ratio($0.median / published) } ?? "–"
        out.append("| GoRules Zen, native — **quoted**, GoRules' published figure (one Apple M3 core), not measured here | Rust | \(ReportFormat.rate(published)) | – | – | \(publishedRatio) |")
        out.append("")
        var notes: [String] = []
        if let date = peers.dateUTC { notes.append("Peer harness finished \(date) (\(machine.fact("peer results") ?? "this run")).") }
        notes.append("Both sides exclude JSON parsing: ours decide over events mapped once before timing, the peers over")
        notes.append("native inputs built once before timing")
        if let parse = peers.jsonParseMicrosecondsPerEvent {
            notes[notes.count - 1] += String(format: " (CPython's json.loads alone costs %.1f µs/event on this machine).", parse)
        } else {
            notes[notes.count - 1] += "."
        }
        notes.append("The Rust engines (Zen, Cedar, CEL) are called through Python bindings, and the crossing dominates their per-call cost")
        if let zen = peers.engines.first(where: { $0.engine == "zen" }), let reported = zen.zenReportedEvaluationMicroseconds,
           let floor = zen.zenEmptyGraphCallMicroseconds {
            notes[notes.count - 1] += String(format: ": Zen reports %.0f µs of evaluation per event, and a call on an empty graph costs %.0f µs.", reported, floor)
        } else {
            notes[notes.count - 1] += "."
        }
        notes.append("Engines too slow for every repeat over all events within the harness's budget ran on fewer events (column \"events\").")
        out.append(notes.joined(separator: "\n"))
        out.append("")
    }

    func planSection(_ out: inout [String]) {
        out.append("## `plan` end to end (JSON Lines in, JSON plan out, one process)")
        out.append("")
        figureTable(&out, rows: [row(FigureID.megabytesPerSecond(FigureID.plan)), row(FigureID.eventsPerSecond(FigureID.plan)),
                                 row(FigureID.wall(FigureID.plan)), row(FigureID.rss(FigureID.plan)),
                                 row(FigureID.megabytesPerSecond(FigureID.planTwoThreads)), row(FigureID.eventsPerSecond(FigureID.planTwoThreads)),
                                 row(FigureID.rss(FigureID.planTwoThreads))])
    }

    func runnerSection(_ out: inout [String]) {
        out.append("## `run`: the event runner (journal, state, outbox on disk)")
        out.append("")
        var rows = [row(FigureID.eventsPerSecond(FigureID.runnerBatch)), row(FigureID.eventsPerSecond(FigureID.runnerEvery)),
                    row(FigureID.rawFdatasync)]
        if let ratio = syncEveryOverRaw() {
            rows.append(("sync every event ÷ raw fdatasync rate (1× = one durable append per event at the disk's rate)", ratio, nil,
                         BenchmarkTargets.syncEveryOverRaw))
        }
        rows.append(row(FigureID.wall(FigureID.replay)))
        rows.append(row(FigureID.wall(FigureID.restart)))
        rows.append(row(FigureID.rss(FigureID.runnerBatchQuarter)))
        rows.append(row(FigureID.rss(FigureID.runnerBatch)))
        rows.append(row(FigureID.rss(FigureID.runnerBoundedQuarter)))
        rows.append(row(FigureID.rss(FigureID.runnerBounded)))
        if let growth = memoryGrowth() {
            rows.append(("peak RSS over a fixed number of returns, whole stream ÷ first quarter", growth, nil, BenchmarkTargets.memoryGrowth))
        }
        figureTable(&out, rows: rows)
    }
}
