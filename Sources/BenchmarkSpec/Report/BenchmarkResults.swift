import Foundation

/// The raw figures of one benchmark run, as returnrules-bench's measuring subcommands write them
/// (one JSON file that each step adds to) and as the report reads them.
public struct BenchmarkResults: Codable, Sendable {
    public var figures: [Figure] = []
    public var checks: [Check] = []

    public init(figures: [Figure] = [], checks: [Check] = []) {
        self.figures = figures
        self.checks = checks
    }

    /// One measured quantity: every run's value, so the report can give median, min and max.
    public struct Figure: Codable, Sendable, Equatable {
        public var id: String
        public var label: String
        public var unit: FigureUnit
        public var samples: [Double]
        /// The exact command that produced the samples, as a reader would type it.
        public var command: String
        /// Events, records or appends the figure is over, when that is part of its meaning.
        public var count: Int?

        public init(id: String, label: String, unit: FigureUnit, samples: [Double], command: String, count: Int? = nil) {
            self.id = id
            self.label = label
            self.unit = unit
            self.samples = samples
            self.command = command
            self.count = count
        }

        public var median: Double {
            let sorted = samples.sorted()
            guard !sorted.isEmpty else { return .nan }
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }

        public var min: Double { samples.min() ?? .nan }
        public var max: Double { samples.max() ?? .nan }
    }

    /// A pass/fail fact the figures depend on (both implementations agree with expected.py).
    public struct Check: Codable, Sendable, Equatable {
        public var id: String
        public var label: String
        public var passed: Bool
        public var detail: String

        public init(id: String, label: String, passed: Bool, detail: String) {
            self.id = id
            self.label = label
            self.passed = passed
            self.detail = detail
        }
    }

    public func figure(_ id: String) -> Figure? { figures.first { $0.id == id } }
    public func check(_ id: String) -> Check? { checks.first { $0.id == id } }

    /// Adds a figure, replacing one with the same id (a step re-run in the same results file).
    public mutating func record(_ figure: Figure) {
        figures.removeAll { $0.id == figure.id }
        figures.append(figure)
    }

    public mutating func record(_ check: Check) {
        checks.removeAll { $0.id == check.id }
        checks.append(check)
    }

    /// The results at `path`, or empty ones when the file does not exist yet.
    public static func load(orEmpty path: String) throws -> BenchmarkResults {
        guard FileManager.default.fileExists(atPath: path) else { return BenchmarkResults() }
        return try JSONDecoder().decode(BenchmarkResults.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }

    /// Loads the file at `path`, lets `change` add to it, and writes it back.
    public static func update(_ path: String, _ change: (inout BenchmarkResults) -> Void) throws {
        var results = try load(orEmpty: path)
        change(&results)
        try results.save(to: path)
    }
}

/// What a figure's samples count; the report formats each unit its own way.
public enum FigureUnit: String, Codable, Sendable {
    case milliseconds = "ms"
    case decisionsPerSecond = "decisions/s"
    case eventsPerSecond = "events/s"
    case megabytesPerSecond = "MB/s"
    case mebibytes = "MiB"
    case appendsPerSecond = "appends/s"
    /// A dimensionless ratio of two paired measurements.
    case ratio
}
