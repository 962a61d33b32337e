import Foundation
import JSONBytes
import Testing
@testable import ReturnRulesCLI
import ReturnRulesRunner

/// The runner's commands end to end through `CommandLineTool.run`: `holds list` and `ack`.
/// One at a time: `run` in-process installs the process's stop handlers.
@Suite("CLI: runner commands", .serialized)
struct RunnerCommandTests {
    static let repository = PlanCommandTests.repository
    static let rules = repository + "/examples/returns.rules"
    static let store = repository + "/examples/store"

    /// The first two events of scenario 09 (in progress, then received with a restock asked
    /// for) as JSON Lines, the received one carrying the item's EAN.
    static func heldRestock(in scratch: ScratchDirectory) throws -> String {
        let data = try #require(FileManager.default.contents(atPath: repository + "/examples/events/09-received-then-inspected.json"))
        guard case .array(let events) = try JSONValue(parsing: [UInt8](data)) else { throw CancellationError() }
        let inProgress = String(decoding: events[0].serialized(), as: UTF8.self)
        let received = String(decoding: events[1].serialized(), as: UTF8.self)
            .replacingOccurrences(of: #""sku":"TSH-BAS-BLK-M""#, with: #""sku":"TSH-BAS-BLK-M","ean":"8435123400016""#)
        #expect(received.contains("8435123400016"))
        try scratch.write("events.jsonl", inProgress + "\n" + received + "\n")
        return scratch.file("events.jsonl")
    }

    /// A state directory after scenario 09's first two events: one refund, one open hold.
    static func state(in scratch: ScratchDirectory) throws -> String {
        let events = try heldRestock(in: scratch)
        let state = scratch.file("state")
        let run = CLI.run(["run", "--rules", rules, "--store", store, "--state", state, "--events", events, "--no-progress"], in: scratch.path)
        #expect(run.code == 0, "\(run.stderr)")
        return state
    }

    static func refundKey(_ state: String) throws -> String {
        let outbox = String(decoding: try #require(FileManager.default.contents(atPath: state + "/outbox.jsonl")), as: UTF8.self)
        let line = try #require(outbox.split(separator: "\n").first { $0.contains(#""kind":"refund""#) })
        return try #require(try JSONValue(parsing: String(line))["key"].flatMap { if case .string(let key) = $0 { key } else { nil } })
    }

    @Test func holdsListShowsTheItemsEAN() throws {
        let scratch = try ScratchDirectory()
        let state = try Self.state(in: scratch)
        let human = CLI.run(["holds", "list", "--state", state], in: scratch.path)
        #expect(human.code == 0, "\(human.stderr)")
        #expect(human.stdout.contains("2 × TSH-BAS-BLK-M (EAN 8435123400016)"), "\(human.stdout)")
        let json = CLI.run(["holds", "list", "--state", state, "--format", "json"], in: scratch.path)
        #expect(json.code == 0, "\(json.stderr)")
        guard case .array(let holds)? = try JSONValue(parsing: json.stdout)["holds"] else { Issue.record("no holds array"); return }
        #expect(holds.count == 1)
        #expect(holds.first?["ean"] == .string("8435123400016"))
    }

    /// With the directory free, `ack` records at once; while another process holds it, it
    /// queues for that process and says so, and the holder records it when it takes the inbox.
    @Test func ackSaysWhetherItRecordedOrQueued() throws {
        let scratch = try ScratchDirectory()
        let state = try Self.state(in: scratch)
        let key = try Self.refundKey(state)

        // A runner holds the directory (the lock is per open file, so this process counts).
        let holder = try StateStore.open(directory: state, mode: .readWrite)
        let queued = CLI.run(["ack", "--state", state, key, "--woo-id", "77", "--by", "executor"], in: scratch.path)
        #expect(queued.code == 0, "\(queued.stderr)")
        #expect(queued.stdout.hasPrefix("queued for the running runner (pid \(getpid()) on "), "\(queued.stdout)")
        #expect(queued.stdout.contains("\(key) (WooCommerce id 77)"))
        #expect(holder.state.outbox[key]?.ack == nil)
        // Checked before queueing: an unknown key is refused, nothing queued.
        let unknown = CLI.run(["ack", "--state", state, "ffffffffffffffffffffffffffffffff"], in: scratch.path)
        #expect(unknown.code == 1)
        #expect(unknown.stderr.contains("unknown key ffffffffffffffffffffffffffffffff"))
        #expect(try AckInbox.waiting(stateDirectory: state, fs: holder.fs).count == 1)
        let report = try holder.takeQueuedAcks()
        #expect(report.recorded == [key])
        #expect(holder.state.outbox[key]?.ack?.wooID == 77)
        #expect(holder.state.outbox[key]?.ack?.by == "executor")
        // Queued again while held: already recorded, nothing queued.
        let again = CLI.run(["ack", "--state", state, key, "--woo-id", "77"], in: scratch.path)
        #expect(again.stdout == "already acknowledged: \(key) (nothing queued)\n", "\(again.stdout)")
        try holder.close()

        // The directory is free: recorded directly.
        let direct = CLI.run(["ack", "--state", state, key, "--woo-id", "77", "--format", "json"], in: scratch.path)
        #expect(direct.code == 0, "\(direct.stderr)")
        let document = try JSONValue(parsing: direct.stdout)
        #expect(document["status"] == .string("recorded"))
        #expect(document["already_acknowledged"] == .array([.string(key)]))
        let conflict = CLI.run(["ack", "--state", state, key, "--woo-id", "78"], in: scratch.path)
        #expect(conflict.code == 1)
        #expect(conflict.stderr.contains("was acknowledged with WooCommerce id 77"))
    }
}
