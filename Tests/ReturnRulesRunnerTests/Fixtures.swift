import Foundation
import Testing
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage
@testable import ReturnRulesRunner

/// Shared test fixtures: the shipped example rules and store, scratch directories, the built
/// `returnrules` binary.
enum Fixtures {
    /// An outbox index written as a snapshot writes it and read back.
    static func roundTrip(_ index: OutboxIndex) throws -> OutboxIndex {
        var writer = ByteWriter(reservingCapacity: 1 << 12)
        index.encode(into: &writer)
        return try writer.bytes.withUnsafeBytes { raw throws(DecodeError) -> OutboxIndex in
            var reader = ByteReader(raw)
            return try OutboxIndex.decode(from: &reader)
        }
    }

    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var rulesPath: String { repository + "/examples/returns.rules" }
    static var storePath: String { repository + "/examples/store" }
    static var eventsPath: String { repository + "/examples/events" }

    struct NoIncludes: SourceLoader {
        func resolve(_ path: String, from includer: SourceFile) -> (key: String, displayPath: String) { (path, path) }
        func load(key: String) throws -> [UInt8] { throw SourceLoadError("no includes in tests") }
    }

    static func rules(path: String = rulesPath) throws -> CompiledRuleSet {
        let sources = SourceMap()
        let data = try #require(FileManager.default.contents(atPath: path))
        let root = sources.add(path: "examples/returns.rules", bytes: [UInt8](data))
        let result = RuleFileChecker.check(root: root, sources: sources, loader: NoIncludes())
        let program = try #require(result.program, "the example rules must check")
        return CompiledRuleSet(program)
    }

    static func store() throws -> StoreSnapshot { try StoreSnapshotLoader.load(directory: storePath) }

    /// The example events, in file order.
    static func exampleEvents() throws -> [IncomingEvent] {
        var events: [IncomingEvent] = []
        for file in try EventReader.files(at: eventsPath) {
            try EventReader.read(file, displayPath: (file as NSString).lastPathComponent) { events.append($0) }
        }
        return events
    }

    static func event(_ json: String, file: String = "test.jsonl", line: Int = 1) -> IncomingEvent {
        EventReader.parse(Array(json.utf8)[...], source: EventSource(file: file, line: line))
    }

    /// A fresh, empty scratch directory.
    static func scratch(_ name: String = #function) -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "rr-runner-tests/\(safe)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    static func lines(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Opens a state directory and a runner on the example rules (and store).
    static func runner(_ directory: String, store: Bool = true, sync: Runner.Sync = .defaultBatch, options: StateStore.Options = StateStore.Options(),
                       fileSystem: RunnerFileSystem = PosixFileSystem(), clock: RunnerClock = SystemClock()) throws -> Runner {
        let rules = try Fixtures.rules()
        let state = try StateStore.open(directory: directory, mode: .readWrite, fileSystem: fileSystem, options: options, clock: clock)
        return Runner(store: state, planner: Planner(rules: rules, store: store ? try Fixtures.store() : nil), rulesDigest: Runner.rulesDigest(rules), sync: sync)
    }

    /// The built `returnrules` executable: next to the test bundle, else in a build directory.
    static func binary() -> String? {
        var candidates: [String] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").standardizedFileURL
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("returnrules").path)
            directory.deleteLastPathComponent()
        }
        if let path = Bundle.main.executablePath {
            candidates.append(URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("returnrules").path)
        }
        for build in [".build-runner", ".build"] {
            candidates.append("\(repository)/\(build)/debug/returnrules")
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
