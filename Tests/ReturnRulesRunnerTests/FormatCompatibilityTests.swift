import Foundation
import Testing
import JSONBytes
import ReturnRulesDomain
@testable import ReturnRulesRunner

/// State directories written by the previous version must still open, and go on from there.
@Suite("State directories of earlier versions")
struct FormatCompatibilityTests {
    /// `Tests/RunnerFixtures/state-format-2`: a snapshot (payload version 2) with hold H-1, and
    /// a journal record after it (old `restockHeld` layout) with hold H-2; see its README.
    static func copyOfFormat2() throws -> String {
        let directory = Fixtures.scratch("format2")
        try FileManager.default.removeItem(atPath: directory)
        try FileManager.default.copyItem(atPath: Fixtures.repository + "/Tests/RunnerFixtures/state-format-2", toPath: directory)
        return directory
    }

    /// A `received` event of the 09 scenario under another return id, with the item's EAN.
    static func receivedWithEAN(returnID: String, eventID: String) throws -> IncomingEvent {
        let received = try #require(Fixtures.exampleEvents().filter { $0.source.file == "09-received-then-inspected.json" }.dropFirst().first)
        let text = String(decoding: received.raw, as: UTF8.self)
            .replacingOccurrences(of: "evt_r5a_3c59dc048e8850243be8079a5c74d079", with: eventID)
            .replacingOccurrences(of: "5d41402abc4b2a76b9719d911017c592", with: returnID)
            .replacingOccurrences(of: "\"sku\": \"TSH-BAS-BLK-M\",", with: "\"sku\": \"TSH-BAS-BLK-M\", \"ean\": \"8435123400016\",")
        #expect(text.contains("8435123400016"))
        return Fixtures.event(text, file: "received-with-ean.jsonl")
    }

    @Test func aFormat2StateDirectoryOpensFromItsSnapshotAndItsJournal() throws {
        let directory = try Self.copyOfFormat2()
        defer { Fixtures.remove(directory) }
        let fromSnapshot = try StateStore.open(directory: directory, mode: .readOnly)
        #expect(fromSnapshot.loadedSnapshot == 6, "the version-2 snapshot is used, not skipped: \(fromSnapshot.warnings)")
        #expect(fromSnapshot.warnings.isEmpty)
        #expect(fromSnapshot.state.lastSequence == 7)
        #expect(fromSnapshot.state.holds.map(\.displayID) == ["H-1", "H-2"])
        #expect(fromSnapshot.state.holds.allSatisfy { $0.isOpen && $0.hold.ean == nil && $0.hold.sku == "TSH-BAS-BLK-M" })
        let fromJournal = try StateStore.open(directory: directory, mode: .readOnly, ignoreSnapshots: true)
        #expect(fromJournal.state.holds == fromSnapshot.state.holds)
        #expect(fromJournal.state.planner.returns == fromSnapshot.state.planner.returns)
        #expect(fromJournal.state.outbox.count == 13)
    }

    /// The runner goes on where the old one stopped: it settles an old hold, opens a new one with
    /// its EAN, and what it writes (a version-3 snapshot, new journal records) reads back.
    @Test func aFormat2StateDirectoryGoesOnWithHoldsThatKeepTheEAN() throws {
        let directory = try Self.copyOfFormat2()
        defer { Fixtures.remove(directory) }
        let accepted = try #require(Fixtures.exampleEvents().filter { $0.source.file == "09-received-then-inspected.json" }.last)
        let runner = try Fixtures.runner(directory)
        #expect(runner.store.warnings.isEmpty, "\(runner.store.warnings)")
        let plan = try runner.process(accepted)
        #expect(plan.requests.map(\.kind).contains(.restock))
        try runner.process(Self.receivedWithEAN(returnID: "92eb5ffee6ae2fec3ad71c777531578f", eventID: "evt_with_ean"))
        try runner.flush()
        #expect(runner.store.state.holds.map(\.isOpen) == [false, true, true])
        #expect(runner.store.state.holds[2].hold.ean == "8435123400016")
        try runner.store.writeSnapshot()
        try runner.finish()

        let reopened = try StateStore.open(directory: directory, mode: .readOnly)
        #expect(reopened.loadedSnapshot == reopened.state.lastSequence, "the new snapshot is read back")
        #expect(reopened.state.holds[2].hold.ean == "8435123400016")
        let replayed = try StateStore.open(directory: directory, mode: .readOnly, ignoreSnapshots: true)
        #expect(replayed.state.holds == reopened.state.holds, "old and new journal records replay to the same holds")
        #expect(replayed.state.planner.returns == reopened.state.planner.returns)
    }
}
