import Foundation
import Testing
import JSONBytes
@testable import ReturnRulesRunner

/// `returnrules ack` against a live `returnrules run --follow`, both real processes.
@Suite("Ack inbox: live runner", .serialized)
struct AckInboxProcessTests {
    /// A runner following a spool that holds scenario 01, with its output in files.
    struct LiveRunner {
        let process: Process
        let state: String
        let stdout: String

        init(binary: String, work: String, pollMS: Int) throws {
            let spool = work + "/spool"
            try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Fixtures.eventsPath + "/01-plain-refund.json", toPath: spool + "/01-plain-refund.json")
            state = work + "/state"
            stdout = work + "/run.out"
            FileManager.default.createFile(atPath: stdout, contents: nil)
            process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["run", "--rules", Fixtures.rulesPath, "--store", Fixtures.storePath, "--state", state, "--events", spool,
                                 "--follow", "--poll-ms", String(pollMS), "--exit-when-idle", "60", "--no-progress"]
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdout))
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Started when the spool file is processed and moved away.
            try AckInboxProcessTests.waitFor("the runner to process the spool") { FileManager.default.fileExists(atPath: state + "/spool-done/01-plain-refund.json") }
        }

        var refundKey: String? {
            Fixtures.lines(state + "/outbox.jsonl").first { $0.contains(#""kind":"refund""#) }
                .flatMap { try? JSONDocument(parsing: Array($0.utf8)).root["key"]?.stringValue }
        }
    }

    static func waitFor(_ what: String, seconds: Double = 30, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while try !condition() {
            try #require(Date() < deadline, "timed out waiting for \(what)")
            usleep(20_000)
        }
    }

    /// Runs `returnrules` to the end; its status and standard output.
    static func run(_ binary: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static func ack(_ state: String, _ key: String) -> AckInfo? {
        (try? StateStore.open(directory: state, mode: .readOnly))?.state.outbox[key]?.ack
    }

    @Test(.timeLimit(.minutes(2)))
    func anAckWhileRunFollowHoldsTheLockIsRecordedByTheRunner() throws {
        let binary = try #require(Fixtures.binary(), "the returnrules executable must be built next to the tests (swift build)")
        let work = Fixtures.scratch()
        defer { Fixtures.remove(work) }
        let runner = try LiveRunner(binary: binary, work: work, pollMS: 20)
        defer { if runner.process.isRunning { kill(runner.process.processIdentifier, SIGKILL) } }
        let key = try #require(runner.refundKey)

        let acked = try Self.run(binary, ["ack", "--state", runner.state, key, "--woo-id", "11"])
        #expect(acked.status == 0)
        #expect(acked.stdout.hasPrefix("queued for the running runner (pid \(runner.process.processIdentifier) on "), "\(acked.stdout)")
        try Self.waitFor("the runner to record the acknowledgement") { Self.ack(runner.state, key)?.wooID == 11 }
        #expect(try AckInbox.waiting(stateDirectory: runner.state, fs: PosixFileSystem()).isEmpty)

        kill(runner.process.processIdentifier, SIGTERM)
        runner.process.waitUntilExit()
        #expect(runner.process.terminationStatus == 0)
        let summary = String(decoding: FileManager.default.contents(atPath: runner.stdout) ?? Data(), as: UTF8.self)
        #expect(summary.contains("queued acknowledgements: 1 recorded"), "\(summary)")
    }

    /// kill -9 after `ack` queued and before the runner took the inbox (it is asleep between
    /// polls): the queued file survives, and the next command that opens the state records it.
    @Test(.timeLimit(.minutes(2)))
    func aQueuedAckSurvivesKill9OfTheRunner() throws {
        let binary = try #require(Fixtures.binary(), "the returnrules executable must be built next to the tests (swift build)")
        let work = Fixtures.scratch()
        defer { Fixtures.remove(work) }
        let runner = try LiveRunner(binary: binary, work: work, pollMS: 600_000)
        defer { if runner.process.isRunning { kill(runner.process.processIdentifier, SIGKILL) } }
        let key = try #require(runner.refundKey)
        usleep(500_000) // past its last look at the inbox, into its sleep

        let acked = try Self.run(binary, ["ack", "--state", runner.state, key, "--woo-id", "12"])
        #expect(acked.stdout.hasPrefix("queued for the running runner"), "\(acked.stdout)")
        kill(runner.process.processIdentifier, SIGKILL)
        runner.process.waitUntilExit()
        #expect(try AckInbox.waiting(stateDirectory: runner.state, fs: PosixFileSystem()).count == 1)
        #expect(Self.ack(runner.state, key) == nil)
        let state = try Self.run(binary, ["state", "--state", runner.state])
        #expect(state.stdout.contains("ack inbox:    1 file waiting for the runner"), "\(state.stdout)")

        // The next writer: `ack` again (a retrying executor) finds it recorded, as a repeat.
        let again = try Self.run(binary, ["ack", "--state", runner.state, key, "--woo-id", "12"])
        #expect(again.status == 0)
        #expect(again.stdout == "already acknowledged: \(key) (nothing recorded)\n", "\(again.stdout)")
        #expect(Self.ack(runner.state, key)?.wooID == 12)
        #expect(try AckInbox.waiting(stateDirectory: runner.state, fs: PosixFileSystem()).isEmpty)
    }
}
