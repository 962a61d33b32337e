/// A performance target from issue 6, held against a figure's median.
public struct Target: Sendable, Equatable {
    public enum Comparison: Sendable, Equatable {
        case atLeast
        case atMost
        case below
    }

    public var comparison: Comparison
    public var value: Double
    /// How the report states it, e.g. "≥ 2 M/s".
    public var text: String

    public init(_ comparison: Comparison, _ value: Double, _ text: String) {
        self.comparison = comparison
        self.value = value
        self.text = text
    }

    public func isMet(by measured: Double) -> Bool {
        switch comparison {
        case .atLeast: measured >= value
        case .atMost: measured <= value
        case .below: measured < value
        }
    }
}

/// The targets of issue 6, by the figure they apply to.
public enum BenchmarkTargets {
    public static let checkClientLarge = Target(.atMost, 20, "≤ 20 ms (500-line file)")
    public static let checkRules10k = Target(.below, 100, "< 100 ms")
    public static let decisionsCompiled = Target(.atLeast, 2_000_000, "≥ 2 M/s")
    /// Compiled rules within 2× of the hand-written if-chain.
    public static let handOverCompiled = Target(.atMost, 2, "≤ 2× (compiled within 2× of hand-written)")
    public static let planThroughput = Target(.atLeast, 200, "≥ 200 MB/s")
    public static let runnerBatch = Target(.atLeast, 50_000, "≥ 50,000 events/s")
    /// Issue 4: restart after 1,000,000 events in under 2 s (wall figures are in milliseconds).
    public static let restart = Target(.below, 2000, "< 2 s (issue 4)")
    /// Issue 4: with an fdatasync per event, at least half the disk's raw append+fdatasync rate.
    public static let syncEveryOverRaw = Target(.atLeast, 0.5, "≥ 0.5× (issue 4)")
    /// Memory flat: peak RSS over the whole stream at most 1.25× that over its first quarter.
    public static let memoryGrowth = Target(.atMost, 1.25, "flat (≤ 1.25×)")
    /// Our compiled rules against the fastest peer engine measured (the Python baseline excluded).
    public static let fastestEngineRatio = Target(.atLeast, 10, "≥ 10×")
    /// Our compiled rules against GoRules' published native figure.
    public static let goRulesPublishedRatio = Target(.atLeast, 20, "≥ 20×")

    /// GoRules' own published figure for its engine, natively on one Apple M3 core (quoted, not measured here).
    public static let goRulesPublishedDecisionsPerSecond = 91_000.0

    /// Targets that apply to a figure as it is, by figure id.
    public static let byFigure: [String: Target] = [
        FigureID.wall(FigureID.checkClientLarge): checkClientLarge,
        FigureID.wall(FigureID.checkRules10k): checkRules10k,
        FigureID.decisionsCompiled: decisionsCompiled,
        FigureID.decisionsHandOverCompiled: handOverCompiled,
        FigureID.megabytesPerSecond(FigureID.plan): planThroughput,
        FigureID.eventsPerSecond(FigureID.runnerBatch): runnerBatch,
        FigureID.wall(FigureID.restart): restart,
    ]

    /// Runs a figure needs before its median counts as a published figure.
    public static let minimumRuns = 5
}
