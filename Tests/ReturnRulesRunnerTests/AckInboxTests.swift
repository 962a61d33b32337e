import Foundation
import Testing
import JSONBytes
import ReturnRulesDomain
@testable import ReturnRulesRunner

/// `ack` while a runner holds the state directory: queued in the ack inbox, recorded by the
/// runner (or the next writer), exactly once, never lost.
@Suite("Ack inbox")
struct AckInboxTests {
    /// A runner (holding the lock) that has planned and flushed the example events.
    static func busyRunner(_ directory: String) throws -> Runner {
        let runner = try Fixtures.runner(directory)
        for event in try Fixtures.exampleEvents() { try runner.process(event) }
        try runner.flush()
        return runner
    }

    static func refundKeys(_ state: RunnerState) -> [String] {
        state.outbox.values.filter { $0.kind == "refund" }.sorted { $0.offset < $1.offset }.map(\.key)
    }

    /// What `ack` does while the lock is held: check against the committed state, then queue.
    static func queue(_ requests: [AckRequest], _ directory: String) throws -> String {
        let committed = try StateStore.open(directory: directory, mode: .readOnly)
        let checked = try StateOperations.check(requests, in: committed.state)
        return try AckInbox.queue(checked.map { AckRequest(key: $0.key, wooID: $0.request.wooID, by: "executor") }, stateDirectory: directory,
                                  fs: PosixFileSystem(), clock: SystemClock())
    }

    static func inbox(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: AckInbox.directory(of: directory))) ?? []).sorted()
    }

    @Test func anAckQueuedWhileTheRunnerHoldsTheLockLandsAtItsNextTick() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let runner = try Self.busyRunner(directory)
        let key = try #require(Self.refundKeys(runner.store.state).first)
        let locked = try #require(throws: StateError.self) { try StateStore.open(directory: directory, mode: .readWrite) }
        #expect(locked.kind == .locked)
        #expect(locked.holder?.hasPrefix("pid \(getpid()) on ") == true)

        // By prefix, as the note marker gives it: queued under the full key.
        let file = try Self.queue([AckRequest(key: String(key.prefix(16)), wooID: 501)], directory)
        #expect(String(decoding: try #require(FileManager.default.contents(atPath: file)), as: UTF8.self).contains(key))
        #expect(runner.store.state.outbox[key]?.ack == nil)
        // The next commit (here with the next event's record) takes it.
        runner.ackInboxEveryMilliseconds = 0
        try runner.process(Fixtures.event(#"{"id": "evt_not_a_return"}"#, file: "more.jsonl"))
        try runner.commit()
        #expect(runner.store.state.outbox[key]?.ack?.wooID == 501)
        #expect(runner.store.state.outbox[key]?.ack?.by == "executor")
        #expect(Self.inbox(directory).isEmpty)
        #expect(runner.summary.acksRecorded == 1)

        // An idle runner takes it at its poll tick.
        let second = try #require(Self.refundKeys(runner.store.state).dropFirst().first)
        _ = try Self.queue([AckRequest(key: second, wooID: 502)], directory)
        try runner.takeQueuedAcks()
        #expect(runner.store.state.outbox[second]?.ack?.wooID == 502)
        try runner.finish()

        let reader = try StateStore.open(directory: directory, mode: .readOnly)
        #expect(reader.state.outbox[key]?.ack?.wooID == 501)
        #expect(reader.state.outbox[second]?.ack?.wooID == 502)
    }

    @Test func aRepeatedAckIsRecordedOnceAndABadOneIsReportedAndKept() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let runner = try Self.busyRunner(directory)
        let keys = Self.refundKeys(runner.store.state)
        let (key, other) = (keys[0], keys[1])
        let acksBefore = runner.store.state.counters.acks
        // The same acknowledgement twice (an executor that retried its `ack`).
        _ = try Self.queue([AckRequest(key: key, wooID: 601)], directory)
        _ = try Self.queue([AckRequest(key: key, wooID: 601)], directory)
        var report = try runner.store.takeQueuedAcks()
        #expect(report.recorded == [key])
        #expect(report.already == [key])
        #expect(report.rejected.isEmpty)
        #expect(runner.store.state.counters.acks == acksBefore + 1)
        #expect(Self.inbox(directory).isEmpty)

        // Lines that cannot be recorded (queued by hand, or conflicting with an ack recorded
        // since): reported with file and line, the good lines recorded, the file kept.
        let inbox = AckInbox.directory(of: directory)
        let name = "000000000000001-1-1.jsonl"
        let lines = [#"{"key": "\#(key)", "woo_id": 602}"#, #"{"key": "ffffffffffffffffffffffffffffffff"}"#, "not json",
                     #"{"key": "\#(other)", "woo_id": 603}"#]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: inbox + "/" + name))
        report = try runner.store.takeQueuedAcks()
        #expect(report.recorded == [other])
        #expect(report.rejected.count == 3)
        #expect(report.rejected[0].hasPrefix("\(inbox)/\(name):1: key \(key) was acknowledged with WooCommerce id 601"))
        #expect(report.rejected[1].hasPrefix("\(inbox)/\(name):2: unknown key ffffffffffffffffffffffffffffffff"))
        #expect(report.rejected[2].hasPrefix("\(inbox)/\(name):3: not JSON"))
        #expect(Self.inbox(directory) == [name + AckInbox.rejectedSuffix])
        #expect(runner.store.state.outbox[key]?.ack?.wooID == 601)
        #expect(runner.store.state.outbox[other]?.ack?.wooID == 603)
        // A kept file is not taken again.
        #expect(try runner.store.takeQueuedAcks().isEmpty)
        try runner.finish()
    }

    /// The process dies after `ack` queued, before the runner took the inbox: the file is on
    /// disk, and the next writer records it. It dies after the journal commit but before the
    /// file is removed: the next writer takes it again, as a repeat.
    @Test func aQueuedAckSurvivesACrashBeforeItIsTaken() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let runner = try Self.busyRunner(directory)
        let key = try #require(Self.refundKeys(runner.store.state).first)
        let file = try Self.queue([AckRequest(key: key, wooID: 701)], directory)
        // Gone without a flush (the lock goes with the process).
        try runner.store.close()
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(try StateStore.open(directory: directory, mode: .readOnly).state.outbox[key]?.ack == nil)

        let saved = try #require(FileManager.default.contents(atPath: file))
        let next = try StateStore.open(directory: directory, mode: .readWrite)
        #expect(next.ackInboxAtOpen.recorded == [key])
        #expect(next.state.outbox[key]?.ack?.wooID == 701)
        #expect(!FileManager.default.fileExists(atPath: file))
        let acks = next.state.counters.acks
        try next.close()

        // As if the crash came between the commit and the removal.
        try saved.write(to: URL(fileURLWithPath: file))
        let after = try StateStore.open(directory: directory, mode: .readWrite)
        #expect(after.ackInboxAtOpen.recorded.isEmpty)
        #expect(after.ackInboxAtOpen.already == [key])
        #expect(after.state.counters.acks == acks)
        #expect(!FileManager.default.fileExists(atPath: file))
        try after.close()
    }
}
