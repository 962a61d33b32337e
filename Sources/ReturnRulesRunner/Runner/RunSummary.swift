import ReturnRulesDomain

/// What one run did: counts for the summary line and `--format json`.
public struct RunSummary: Sendable {
    /// Events read (including those that became dead letters).
    public var events = 0
    public var planned = 0
    public var duplicates = 0
    public var stale = 0
    /// New dead letters written.
    public var deadLetters = 0
    /// Input already in the dead-letter file (the same bytes again).
    public var repeatedDeadLetters = 0
    /// Requests written to the outbox, by kind (refund, restock, note, …).
    public var requests: [String: Int] { RunSummary.byName(requestCounts) }
    /// Every step, by kind (including holds, reviews, ignores and no-ops).
    public var steps: [String: Int] { RunSummary.byName(stepCounts) }
    /// The counts behind `requests` and `steps`, per `PlanStep.Kind` (in `allCases` order):
    /// counted for every event, so without hashing a kind's name each time.
    var requestCounts = [Int](repeating: 0, count: RunSummary.kinds.count)
    var stepCounts = [Int](repeating: 0, count: RunSummary.kinds.count)
    public var reviewItems = 0
    public var holdsOpened = 0
    /// Requests whose key was already in the outbox (never written twice).
    public var suppressed = 0
    /// Dead letters planned successfully on `replay`.
    public var replayed = 0
    public var refundTotals: [String: Int64] = [:]
    public var commits = 0
    /// Acknowledgements taken from the ack inbox: recorded, repeats of recorded ones, and lines
    /// that could not be recorded (reported, their file kept).
    public var acksRecorded = 0
    public var acksRepeated = 0
    public var acksRejected = 0
    public var elapsedMilliseconds: Int64 = 0

    public init() {}

    public var requestCount: Int { requestCounts.reduce(0, +) }

    /// `allCases` builds its array on every call: once is enough.
    static let kinds = PlanStep.Kind.allCases

    static func slot(of kind: PlanStep.Kind) -> Int { kinds.firstIndex(of: kind) ?? 0 }

    /// The kinds counted at least once, by name.
    static func byName(_ counts: [Int]) -> [String: Int] {
        var named: [String: Int] = [:]
        for (index, kind) in kinds.enumerated() where counts[index] > 0 { named[kind.rawValue] = counts[index] }
        return named
    }

    public var eventsPerSecond: Double {
        elapsedMilliseconds > 0 ? Double(events) / (Double(elapsedMilliseconds) / 1000) : 0
    }
}
