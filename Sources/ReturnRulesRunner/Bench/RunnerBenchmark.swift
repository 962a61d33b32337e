#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage

/// Measurements of the runner, for a benchmark executable (never a timed test). Every function
/// runs the real code paths (planner, journal, projections) on a scratch state directory.
public enum RunnerBenchmark {
    public struct Throughput: Sendable {
        public var events: Int
        public var requests: Int
        public var commits: Int
        public var seconds: Double
        public var cpuSeconds: Double
        /// Resident set size samples (bytes) taken every `sampleEvery` events.
        public var residentSamples: [(events: Int, bytes: Int)]
        public var eventsPerSecond: Double { Double(events) / seconds }
    }

    /// Runs `lines` (JSON Lines, one event each) through a runner on `directory`.
    public static func throughput(lines: some Sequence<[UInt8]>, rules: CompiledRuleSet, store: StoreSnapshot?, directory: String,
                                  sync: Runner.Sync, options: StateStore.Options = StateStore.Options(), sampleEvery: Int = 100_000) throws -> Throughput {
        let state = try StateStore.open(directory: directory, mode: .readWrite, options: options)
        let runner = Runner(store: state, planner: Planner(rules: rules, store: store), rulesDigest: Runner.rulesDigest(rules), sync: sync)
        var samples: [(Int, Int)] = [(0, residentBytes())]
        let cpuStart = cpuSeconds()
        let start = monotonicSeconds()
        var count = 0
        for line in lines {
            count += 1
            try runner.process(EventReader.parse(line[...], source: EventSource(file: "bench", line: count)))
            if count % sampleEvery == 0 { samples.append((count, residentBytes())) }
        }
        let summary = try runner.finish()
        let seconds = monotonicSeconds() - start
        return Throughput(events: count, requests: summary.requestCount, commits: summary.commits, seconds: seconds,
                          cpuSeconds: cpuSeconds() - cpuStart, residentSamples: samples)
    }

    public struct Replay: Sendable {
        public var records: Int
        public var fromSnapshot: UInt64?
        public var seconds: Double
    }

    nonisolated(unsafe) static var opened: [StateStore] = []

    /// Opens a state directory read-only: load the newest snapshot, replay the journal after it.
    public static func replay(directory: String, ignoringSnapshots: Bool = false) throws -> Replay {
        let start = monotonicSeconds()
        let store = try StateStore.open(directory: directory, mode: .readOnly, ignoreSnapshots: ignoringSnapshots)
        // Kept to the end of the process, as the commands keep theirs: a restart is the open,
        // and freeing millions of objects on the way out would be timed with it.
        opened.append(store)
        return Replay(records: store.replayedRecords, fromSnapshot: store.loadedSnapshot, seconds: monotonicSeconds() - start)
    }

    /// Memory taken by each part of a state directory's `RunnerState`: the resident size
    /// sampled as the newest snapshot's sections are decoded (each one allocates its part
    /// afresh, in order). Replays no journal.
    public static func memoryBreakdown(directory: String) throws -> [(part: String, bytes: Int)] {
        var marks: [(String, Int)] = []
        SnapshotCodec.sectionProbe = { name in marks.append((name, residentBytes())) }
        defer { SnapshotCodec.sectionProbe = nil }
        let path = PathText.join(PathText.join(directory, "snapshots"), "")
        let fs = PosixFileSystem()
        guard let name = try fs.list(path).filter({ SnapshotCodec.sequence(ofFile: $0) != nil }).max() else { return [] }
        let bytes = try fs.readAll(PathText.join(path, name))
        let state = try SnapshotCodec.decode(bytes)
        var parts: [(String, Int)] = []
        for index in 1..<marks.count { parts.append((marks[index].0, marks[index].1 - marks[index - 1].1)) }
        parts.append(("(counts) \(state.planner.returns.count) open returns, \(state.planner.closed.count) closed, "
                      + "\(state.outbox.count) requests, \(state.reviews.count) reviews, \(state.holds.count) holds, snapshot \(name) of \(bytes.count) bytes", 0))
        return parts
    }

    /// Raw appends of `bytes` bytes, each made durable (fdatasync, or fsync): the disk's commit rate.
    public static func rawAppendSync(directory: String, count: Int, bytes: Int = 200, fullFsync: Bool = false) throws -> Double {
        let path = directory + "/.returnrules-raw-sync-\(getpid())"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystemError("create", path, code: errno) }
        defer {
            close(fd)
            unlink(path)
        }
        let record = [UInt8](repeating: 0x61, count: bytes)
        let start = monotonicSeconds()
        for _ in 0..<count {
            _ = record.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if fullFsync { fsync(fd) } else { fdatasync(fd) }
        }
        return Double(count) / (monotonicSeconds() - start)
    }

    public static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    public static func cpuSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The process's resident set size, from /proc/self/statm.
    public static func residentBytes() -> Int {
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard got > 0 else { return 0 }
        let fields = String(decoding: buffer[0..<got], as: UTF8.self).split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
