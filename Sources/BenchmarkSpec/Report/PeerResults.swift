import Foundation

/// What ../shared/bench/bench.py writes with `--out` (its results.json): one row per peer engine.
/// Every field is optional because a failed engine's row holds only its name and the error.
public struct PeerResults: Codable, Sendable {
    public var dateUTC: String?
    public var machine: Machine?
    public var params: Params?
    public var jsonParseMicrosecondsPerEvent: Double?
    public var engines: [Engine]

    enum CodingKeys: String, CodingKey {
        case dateUTC = "date_utc", machine, params, jsonParseMicrosecondsPerEvent = "json_parse_us_per_event", engines
    }

    public struct Machine: Codable, Sendable {
        public var nproc: Int?
        public var cpuModel: String?
        public var python: String?
        public var platform: String?

        enum CodingKeys: String, CodingKey { case nproc, cpuModel = "cpu_model", python, platform }
    }

    public struct Params: Codable, Sendable {
        public var n: Int?
        public var seed: Int?
        public var repeats: Int?
        public var budgetSeconds: Double?
        public var eventsFile: String?

        enum CodingKeys: String, CodingKey { case n, seed, repeats, budgetSeconds = "budget_s", eventsFile = "events_file" }
    }

    public struct Engine: Codable, Sendable {
        public var engine: String
        public var package: String?
        public var version: String?
        public var core: String?
        public var nUsed: Int?
        public var repeats: Int?
        public var prepMicrosecondsPerEvent: Double?
        public var decisionsPerSecondMedian: Double?
        public var decisionsPerSecondMin: Double?
        public var decisionsPerSecondMax: Double?
        public var microsecondsPerDecisionMedian: Double?
        public var zenReportedEvaluationMicroseconds: Double?
        public var zenEmptyGraphCallMicroseconds: Double?
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case engine, package, version, core, nUsed = "n_used", repeats, prepMicrosecondsPerEvent = "prep_us_per_event"
            case decisionsPerSecondMedian = "decisions_per_s_median", decisionsPerSecondMin = "decisions_per_s_min"
            case decisionsPerSecondMax = "decisions_per_s_max", microsecondsPerDecisionMedian = "us_per_decision_median"
            case zenReportedEvaluationMicroseconds = "zen_reported_eval_us_median"
            case zenEmptyGraphCallMicroseconds = "zen_empty_graph_call_us_median", error
        }

        /// The harness's plain-Python if-chain: a baseline for "Python calling Python", not an engine.
        public var isBaseline: Bool { engine == "reference" }
    }

    public static func load(_ path: String) throws -> PeerResults {
        try JSONDecoder().decode(PeerResults.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
