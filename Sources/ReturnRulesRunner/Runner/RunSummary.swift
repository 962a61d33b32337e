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
    public var requests: [String: Int] = [:]
    /// Every step, by kind (including holds, reviews, ignores and no-ops).
    public var steps: [String: Int] = [:]
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

    public var requestCount: Int { requests.values.reduce(0, +) }

    public var eventsPerSecond: Double {
        elapsedMilliseconds > 0 ? Double(events) / (Double(elapsedMilliseconds) / 1000) : 0
    }
}
