/// The ids benchmarks/run.sh gives the figures it measures, which the report lays out and holds
/// against targets. `returnrules-bench time --id X` writes `X.wall`, `X.rss` and, when told the
/// input's size, `X.events_per_s` and `X.mb_per_s`.
public enum FigureID {
    public static let checkClientLarge = "check.client_large"
    public static let checkRules1k = "check.rules_1k"
    public static let checkRules10k = "check.rules_10k"

    public static let decisionsCompiled = "decisions.compiled"
    public static let decisionsHandWritten = "decisions.hand_written"
    /// Per run: hand-written decisions/s ÷ compiled decisions/s (the two are timed in turn).
    public static let decisionsHandOverCompiled = "decisions.hand_over_compiled"

    /// `plan` on one thread (RETURNRULES_PLAN_THREADS=1): the figure the target is held against.
    public static let plan = "plan"
    /// `plan` as shipped: a reader thread parses, maps and digests while the main thread plans.
    public static let planTwoThreads = "plan.two_threads"

    public static let runnerBatch = "runner.batch"
    /// The same runner on the first quarter of the events (throughput and RSS at a quarter).
    public static let runnerBatchQuarter = "runner.batch_quarter"
    /// A stream of as many events over a fixed number of returns, whole and first quarter: state
    /// may grow with distinct returns, never with events, so peak RSS must stay flat here.
    public static let runnerBounded = "runner.bounded"
    public static let runnerBoundedQuarter = "runner.bounded_quarter"
    public static let runnerEvery = "runner.every"
    public static let rawFdatasync = "runner.raw_fdatasync"
    /// Opening a state directory from scratch with every journal record (no snapshot).
    public static let replay = "runner.replay"
    /// Opening a state directory as a restart does: the newest snapshot, then the journal after it.
    public static let restart = "runner.restart"

    public static func wall(_ id: String) -> String { id + ".wall" }
    public static func rss(_ id: String) -> String { id + ".rss" }
    public static func eventsPerSecond(_ id: String) -> String { id + ".events_per_s" }
    public static func megabytesPerSecond(_ id: String) -> String { id + ".mb_per_s" }
    /// Per run: the command's events/s ÷ the raw append+fdatasync rate timed just before it.
    public static func overRaw(_ id: String) -> String { id + ".over_raw" }

    /// Checks (pass/fail) the decision figures rest on.
    public static let agreeCompiledHandWritten = "decisions.agree"
    public static let compiledMatchesExpected = "decisions.expected.compiled"
    public static let handWrittenMatchesExpected = "decisions.expected.hand_written"
}
