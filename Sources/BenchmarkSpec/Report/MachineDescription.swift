import Foundation

/// The machine and the run's circumstances, as `returnrules-bench machine` records them at the
/// end of benchmarks/run.sh.
public struct MachineDescription: Codable, Sendable {
    public var dateUTC: String
    public var processors: Int
    public var cpuModel: String
    public var memory: String
    public var kernel: String
    public var operatingSystem: String
    public var swiftVersion: String
    /// /proc/loadavg's 1, 5 and 15-minute figures when the run started and when it ended.
    public var loadAtStart: String
    public var loadAtEnd: String
    /// Facts about the run the script knows (mode, commit, event counts, where peers came from).
    public var facts: [Fact]

    public struct Fact: Codable, Sendable, Equatable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(dateUTC: String, processors: Int, cpuModel: String, memory: String, kernel: String, operatingSystem: String,
                swiftVersion: String, loadAtStart: String, loadAtEnd: String, facts: [Fact]) {
        self.dateUTC = dateUTC
        self.processors = processors
        self.cpuModel = cpuModel
        self.memory = memory
        self.kernel = kernel
        self.operatingSystem = operatingSystem
        self.swiftVersion = swiftVersion
        self.loadAtStart = loadAtStart
        self.loadAtEnd = loadAtEnd
        self.facts = facts
    }

    public func fact(_ key: String) -> String? { facts.first { $0.key == key }?.value }

    public static func load(_ path: String) throws -> MachineDescription {
        try JSONDecoder().decode(MachineDescription.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }
}
