import Foundation
import Testing
import JSONBytes
import ReturnRulesTestSupport
@testable import ReturnRulesRunner

/// kill -9 at many points of a 10,000-event run, then restart on the same state directory:
/// when the run is finished, every request the same events make in one clean run is in the
/// outbox exactly once — none missing, none twice, in the same order.
///
/// The real `returnrules` binary runs as a child process. Crash points are chosen from a
/// seeded generator: most are injected (`RETURNRULES_FAULT_CRASH_AT`: SIGKILL at the N-th
/// write-side file operation, optionally after writing part of an append, so torn journal
/// records and half-written outbox lines happen), every seventh is a plain `kill -9` from
/// here after a seeded delay.
@Suite("Crash: kill -9 and restart", .serialized)
struct CrashTests {
    static let seed: UInt64 = 20_261_127

    struct Child {
        var status: Int32
        var killed: Bool
        var stderr: String
    }

    /// Runs the binary; `killAfter` sends SIGKILL after that many seconds.
    static func spawn(_ binary: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
                      killAfter: Double? = nil, scratch: String) throws -> Child {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("RETURNRULES_FAULT_") { env[key] = nil }
        env.merge(environment) { $1 }
        process.environment = env
        let errPath = scratch + "/stderr.txt"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = FileHandle.nullDevice
        if let stdin { process.standardInput = FileHandle(forReadingAtPath: stdin) }
        try process.run()
        if let killAfter {
            let deadline = Date().addingTimeInterval(killAfter)
            while process.isRunning, Date() < deadline { usleep(2_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        let stderr = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        return Child(status: process.terminationStatus, killed: killed, stderr: stderr)
    }

    /// The outbox without what differs between runs (record numbers, times): key, kind,
    /// method, path, body, stock.
    static func requests(_ directory: String) throws -> [String] {
        try Fixtures.lines(directory + "/outbox.jsonl").map { line in
            let root = try JSONDocument(parsing: Array(line.utf8)).root
            return try ["key", "kind", "method", "path", "body"].map { name in
                String(decoding: try #require(root[name], "outbox line without \(name): \(line)").rawBytes, as: UTF8.self)
            }.joined(separator: " ") + " " + (root["stock"].map { String(decoding: $0.rawBytes, as: UTF8.self) } ?? "-")
        }
    }

    /// Every expected request exactly once, in the same order; on a difference, the first one.
    static func compare(_ got: [String], _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        var counts: [String: Int] = [:]
        for request in got { counts[request, default: 0] += 1 }
        let twice = counts.filter { $0.value > 1 }
        #expect(twice.isEmpty, "\(twice.count) requests more than once, e.g. \(twice.keys.first?.prefix(120) ?? "")", sourceLocation: sourceLocation)
        let missing = Set(expected).subtracting(got)
        #expect(missing.isEmpty, "\(missing.count) requests missing, e.g. \(missing.first?.prefix(120) ?? "")", sourceLocation: sourceLocation)
        let extra = Set(got).subtracting(expected)
        #expect(extra.isEmpty, "\(extra.count) requests not in the clean run, e.g. \(extra.first?.prefix(120) ?? "")", sourceLocation: sourceLocation)
        if let index = (0..<min(got.count, expected.count)).first(where: { got[$0] != expected[$0] }) {
            Issue.record("the order differs at request \(index): \(got[index].prefix(80)) vs \(expected[index].prefix(80))", sourceLocation: sourceLocation)
        }
        #expect(got.count == expected.count, sourceLocation: sourceLocation)
    }

    static func writeEvents(_ count: Int, to file: String, spool: String?, perFile: Int = 100) throws -> [[UInt8]] {
        var options = SyntheticEvents.Options()
        options.seed = seed
        options.events = count
        options.returns = count / 5
        let lines = Array(SyntheticEvents(options: options))
        var all: [UInt8] = []
        for line in lines { all += line + [0x0A] }
        try Data(all).write(to: URL(fileURLWithPath: file))
        if let spool {
            try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
            for start in stride(from: 0, to: lines.count, by: perFile) {
                var chunk: [UInt8] = []
                for line in lines[start..<min(start + perFile, lines.count)] { chunk += line + [0x0A] }
                let name = String(format: "part-%05d.jsonl", start / perFile)
                try Data(chunk).write(to: URL(fileURLWithPath: spool + "/" + name))
            }
        }
        return lines
    }

    static func copyDirectory(_ from: String, _ to: String) throws {
        try? FileManager.default.removeItem(atPath: to)
        try FileManager.default.copyItem(atPath: from, toPath: to)
    }

    static let tuning = ["--sync", "batch", "--batch-records", "200", "--batch-ms", "60000", "--snapshot-every", "1500", "--segment-mb", "1",
                         "--no-progress"]

    @Test(.timeLimit(.minutes(4)))
    func killedAtFiftyPointsOfATenThousandEventRunEveryRequestIsInTheOutboxOnce() throws {
        let binary = try #require(Fixtures.binary(), "the returnrules executable must be built next to the tests (swift build)")
        let work = Fixtures.scratch()
        defer { Fixtures.remove(work) }
        let started = Date()
        let budget: TimeInterval = 200
        _ = try Self.writeEvents(10_000, to: work + "/events.jsonl", spool: work + "/spool-original")

        // The expected outbox: the same spool, once, without a crash.
        try Self.copyDirectory(work + "/spool-original", work + "/spool-clean")
        let clean = try Self.spawn(binary, ["run", "--rules", Fixtures.rulesPath, "--state", work + "/clean", "--events", work + "/spool-clean",
                                            "--follow", "--exit-when-idle", "0"] + Self.tuning,
                                   environment: ["RETURNRULES_FAULT_COUNT_FILE": work + "/ops.txt"], scratch: work)
        #expect(clean.status == 0, "\(clean.stderr)")
        let expected = try Self.requests(work + "/clean")
        #expect(expected.count > 5_000)
        #expect(Set(expected).count == expected.count)
        let opsFile = try #require(FileManager.default.contents(atPath: work + "/ops.txt"))
        let operations = try #require(Int(String(decoding: opsFile, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))

        // The same spool, killed again and again until a run gets to the end. A crash point is
        // the N-th write-side file operation of a run; N is drawn so that about `wanted` crash
        // points spread over what is left (a run's first few operations are its recovery).
        // Chains go on (each on a fresh state directory, each checked) until 50 points are done.
        let files = try FileManager.default.contentsOfDirectory(atPath: work + "/spool-original").count
        let perFile = max(1, operations / files)
        var random = SplitMix64(seed: Self.seed)
        var crashes = 0
        var external = 0
        var runs = 0
        var partial = 0
        var chains = 0
        while crashes < 50 {
            chains += 1
            let state = work + "/state-\(chains)"
            try Self.copyDirectory(work + "/spool-original", work + "/spool")
            let wanted = 60 - crashes
            var chainCrashes = 0
            while true {
                runs += 1
                let elapsed = Date().timeIntervalSince(started)
                try #require(elapsed < budget, "time box: \(crashes) crash points in \(runs) runs")
                var environment: [String: String] = [:]
                var killAfter: Double?
                if chainCrashes < wanted {
                    if runs % 7 == 0 {
                        killAfter = Double(200 + random.below(1200)) / 1000
                    } else {
                        let left = try FileManager.default.contentsOfDirectory(atPath: work + "/spool").filter { $0.hasSuffix(".jsonl") }.count
                        let window = 8 + left * perFile / max(1, wanted - chainCrashes)
                        environment["RETURNRULES_FAULT_CRASH_AT"] = String(1 + random.below(window))
                        let fraction = random.element(of: [0.0, 0.0, 0.3, 0.5, 0.9])
                        if fraction > 0 { partial += 1 }
                        environment["RETURNRULES_FAULT_PARTIAL"] = String(fraction)
                    }
                }
                let child = try Self.spawn(binary, ["run", "--rules", Fixtures.rulesPath, "--state", state, "--events", work + "/spool",
                                                    "--follow", "--exit-when-idle", "0"] + Self.tuning,
                                           environment: environment, killAfter: killAfter, scratch: work)
                if child.killed {
                    crashes += 1
                    chainCrashes += 1
                    if killAfter != nil { external += 1 }
                    continue
                }
                try #require(child.status == 0, "run \(runs) failed: \(child.stderr)")
                break
            }
            let remaining = try FileManager.default.contentsOfDirectory(atPath: work + "/spool").filter { !$0.hasPrefix(".") }
            #expect(remaining.isEmpty, "every spool file is processed once and moved away (\(remaining.count) left)")
            Self.compare(try Self.requests(state), expected)
            let reopened = try StateStore.open(directory: state, mode: .readOnly)
            #expect(reopened.state.outbox.count == expected.count)
            #expect(Int64(try #require(FileManager.default.contents(atPath: state + "/outbox.jsonl")).count) == reopened.state.outboxBytes)
        }
        #expect(crashes >= 50, "\(crashes) crash points")
        let seconds = Date().timeIntervalSince(started)
        print("crash test: \(crashes) kill -9 points (\(external) external, \(partial) during a partial write) in \(runs) runs, \(chains) chain(s), \(expected.count) requests, \(String(format: "%.1f", seconds)) s")
    }

    /// Standard input, killed mid-stream and fed the whole input again from the first line:
    /// everything journaled before the crash comes back as duplicates.
    @Test(.timeLimit(.minutes(3)))
    func aRedeliveredStreamAfterKill9AddsNothingTwice() throws {
        let binary = try #require(Fixtures.binary(), "the returnrules executable must be built next to the tests (swift build)")
        let work = Fixtures.scratch()
        defer { Fixtures.remove(work) }
        let lines = try Self.writeEvents(3_000, to: work + "/events.jsonl", spool: nil)
        let arguments = ["run", "--rules", Fixtures.rulesPath, "--events", "-"] + Self.tuning
        let clean = try Self.spawn(binary, arguments + ["--state", work + "/clean"], stdin: work + "/events.jsonl", scratch: work)
        #expect(clean.status == 0, "\(clean.stderr)")
        let expected = try Self.requests(work + "/clean")
        var random = SplitMix64(seed: Self.seed + 1)
        var crashes = 0
        for _ in 0..<4 {
            let child = try Self.spawn(binary, arguments + ["--state", work + "/state"], stdin: work + "/events.jsonl",
                                       killAfter: Double(300 + random.below(1500)) / 1000, scratch: work)
            if child.killed { crashes += 1 } else { #expect(child.status == 0, "\(child.stderr)") }
        }
        let last = try Self.spawn(binary, arguments + ["--state", work + "/state"], stdin: work + "/events.jsonl", scratch: work)
        #expect(last.status == 0, "\(last.stderr)")
        let got = try Self.requests(work + "/state")
        Self.compare(got, expected)
        #expect(lines.count == 3_000)
        print("redelivery test: \(crashes) kill -9 points, \(expected.count) requests")
    }
}
