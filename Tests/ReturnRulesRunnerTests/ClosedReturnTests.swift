import Checksums
import Foundation
import Synchronization
import Testing
import JSONBytes
import ReturnRulesDomain
@testable import ReturnRulesRunner

/// Closed returns are kept compact (`PlannerState.settle`) and come back to full knowledge when
/// another event of them arrives: the planner must decide exactly as if they had stayed open.
@Suite("Closed returns, kept compact")
struct ClosedReturnTests {
    /// These tests look at which returns are compact: each closes straight away. (Process-wide,
    /// so other suites then run that way too; the representation never changes a decision.)
    init() { PlannerState.closedKeptFullDefault.store(0, ordering: .relaxed) }

    /// With room for a few closed returns in full knowledge, the least recently touched go
    /// compact, the plans are the same, and the waiting queue follows returns, not events.
    @Test func theMostRecentlyTouchedClosedReturnsStayFull() throws {
        let planner = Planner(rules: try Fixtures.rules(), store: nil)
        var kept = PlannerState()
        kept.closedKeptFull = 8
        var full = PlannerState()
        for event in StateStoreTests.synthetic(3_000, returns: 60, seed: 21) {
            guard case .success(let document) = event.document else { continue }
            let returnID = Self.returnID(of: event) ?? ""
            let (a, changesA) = planner.plan(document.root, source: event.source, state: kept)
            let (b, changesB) = planner.plan(document.root, source: event.source, state: full)
            #expect(a.outcome == b.outcome)
            #expect(String(describing: a.steps) == String(describing: b.steps))
            #expect(changesA == changesB)
            for change in changesA { kept.apply(change) }
            for change in changesB { full.apply(change) }
            kept.settleLater(returnID)
            #expect(kept.returns.values.filter(PlannerState.isClosed).count <= 8)
        }
        #expect(kept.closedCount > 0)
        #expect(kept.returns.values.filter(PlannerState.isClosed).count == 8)
        for (id, knowledge) in full.returns { #expect(kept.knowledge(of: id) == knowledge) }
    }
    /// The return id written in a synthetic event.
    static func returnID(of event: IncomingEvent) -> String? {
        let text = String(decoding: event.raw, as: UTF8.self)
        guard let start = text.range(of: "\"return\":{\"id\":\"") else { return nil }
        return String(text[start.upperBound...].prefix { $0 != "\"" })
    }

    /// `text` with its first `"name":"…"` given `value`.
    static func replacingFirst(_ name: String, in text: String, with value: String) -> String {
        guard let start = text.range(of: "\"\(name)\":\"") else { return text }
        let end = text[start.upperBound...].firstIndex(of: "\"")!
        return text.replacingCharacters(in: start.upperBound..<end, with: value)
    }

    static func runner(_ events: [IncomingEvent]) throws -> (Runner, String) {
        let directory = Fixtures.scratch(UUID().uuidString)
        let runner = try Fixtures.runner(directory, store: false)
        for event in events { try runner.process(event) }
        try runner.flush()
        return (runner, directory)
    }

    /// A closed return of the runner's state that had money refunded, and its events.
    static func closedWithRefund(_ runner: Runner, _ events: [IncomingEvent]) throws -> (String, [IncomingEvent]) {
        let planner = runner.store.state.planner
        let id = try #require(planner.closed.keys.sorted().first { planner.knowledge(of: $0).hasRefunds })
        // Without the malformed lines of the stream (dead letters, not events of the return).
        return (id, events.filter { event in
            let text = String(decoding: event.raw, as: UTF8.self)
            guard case .success = event.document, !text.contains("lost_"), !text.contains("\"two\"") else { return false }
            return Self.returnID(of: event) == id
        })
    }

    @Test func theSameReturnsArePlannedTheSameWhetherKeptCompactOrNot() throws {
        let planner = Planner(rules: try Fixtures.rules(), store: nil)
        var compact = PlannerState()
        var full = PlannerState()
        var reopened = 0
        for event in StateStoreTests.synthetic(3_000, returns: 60, seed: 21) {
            guard case .success(let document) = event.document else { continue }
            let returnID = Self.returnID(of: event) ?? ""
            if compact.closed[returnID] != nil { reopened += 1 }
            let (a, changesA) = planner.plan(document.root, source: event.source, state: compact)
            let (b, changesB) = planner.plan(document.root, source: event.source, state: full)
            #expect(a.outcome == b.outcome)
            #expect(a.reason == b.reason)
            #expect(String(describing: a.steps) == String(describing: b.steps))
            #expect(changesA == changesB)
            for change in changesA { compact.apply(change) }
            for change in changesB { full.apply(change) }
            compact.settle(returnID)
        }
        #expect(reopened > 100, "closed returns got later events")
        #expect(compact.closedCount > 0)
        #expect(full.closedCount == 0)
        #expect(compact.returnCount == full.returns.count)
        for (id, knowledge) in full.returns { #expect(compact.knowledge(of: id) == knowledge) }
    }

    @Test func aRedeliveryOfAClosedReturnIsADuplicateAndPlansNothing() throws {
        let events = StateStoreTests.synthetic(600, returns: 30, seed: 7)
        let (runner, directory) = try Self.runner(events)
        defer { Fixtures.remove(directory) }
        let (id, own) = try Self.closedWithRefund(runner, events)
        let requests = runner.store.state.outbox.count
        for event in own {
            let plan = try runner.process(event)
            #expect(plan.outcome == .duplicate || plan.outcome == .stale, "\(plan.reason ?? "")")
            #expect(plan.requests.isEmpty)
        }
        let first = try #require(own.first)
        let plan = try runner.process(first)
        #expect(plan.outcome == .duplicate)
        #expect(plan.reason?.hasSuffix("was already planned") == true)
        try runner.finish()
        #expect(runner.store.state.outbox.count == requests)
        #expect(runner.store.state.planner.closed[id] != nil, "still compact after its redeliveries")
    }

    @Test func aReSentEventOfAClosedReturnUnderANewIDRefundsNothing() throws {
        let events = StateStoreTests.synthetic(600, returns: 30, seed: 7)
        let (runner, directory) = try Self.runner(events)
        defer { Fixtures.remove(directory) }
        let (id, own) = try Self.closedWithRefund(runner, events)
        let before = runner.store.state.planner.knowledge(of: id)
        let requests = runner.store.state.outbox.count
        for (index, event) in own.enumerated() {
            let text = Self.replacingFirst("id", in: String(decoding: event.raw, as: UTF8.self), with: "evt_resent_\(index)")
            let plan = try runner.process(Fixtures.event(text, file: "resent.jsonl", line: index + 1))
            #expect(plan.outcome != .planned || plan.requests.allSatisfy { $0.kind != .refund && $0.kind != .storeCredit },
                    "\(plan.outcome): \(plan.requests.map(\.kind))")
        }
        try runner.finish()
        let after = runner.store.state.planner.knowledge(of: id)
        #expect(after.unitsRefunded == before.unitsRefunded)
        #expect(after.amountRefunded == before.amountRefunded)
        #expect(after.refundKeys == before.refundKeys)
        #expect(runner.store.state.outbox.values[requests...].allSatisfy { $0.kind != "refund" && $0.kind != "store_credit" })
    }

    @Test func aClosedReturnReversedAfterItsRefundOpensAReviewAsAnOpenOneWould() throws {
        let events = StateStoreTests.synthetic(600, returns: 30, seed: 7)
        let (runner, directory) = try Self.runner(events)
        defer { Fixtures.remove(directory) }
        let (id, own) = try Self.closedWithRefund(runner, events)
        var text = String(decoding: try #require(own.last).raw, as: UTF8.self)
        text = Self.replacingFirst("id", in: text, with: "evt_reversal")
        text = Self.replacingFirst("created_at", in: text, with: "2027-06-01T00:00:00Z")
        text = Self.replacingFirst("status", in: text, with: "cancelled")
        let reversal = Fixtures.event(text, file: "reversal.jsonl")
        // The planner on the same knowledge, never compacted, decides the same.
        let expected = runner.planner.plan(try #require(try? reversal.document.get()).root, source: reversal.source,
                                           state: { var s = PlannerState(); s.returns[id] = runner.store.state.planner.knowledge(of: id); return s }())
        let plan = try runner.process(reversal)
        #expect(plan.outcome == .planned)
        #expect(String(describing: plan.steps) == String(describing: expected.0.steps))
        #expect(plan.steps.contains { $0.review?.reason == "return cancelled after a refund was recorded" })
        try runner.finish()
        #expect(runner.store.state.reviews.last?.returnID == id)
        #expect(runner.store.state.planner.knowledge(of: id).lastStatus == "cancelled")
    }

    @Test func aSnapshotKeepsClosedReturnsCompactAndReadsBackTheSameState() throws {
        let events = StateStoreTests.synthetic(800, returns: 40, seed: 9)
        let (runner, directory) = try Self.runner(events)
        defer { Fixtures.remove(directory) }
        let key = try #require(runner.store.state.outbox.values.first?.key)
        runner.store.state.outbox.update(key) { $0.ack = AckInfo(wooID: 42, time: 7, note: "n", by: "b") }
        let state = runner.store.state
        #expect(state.planner.closedCount > 0)
        let decoded = try SnapshotCodec.decode(SnapshotCodec.encode(state))
        #expect(decoded.planner.returns == state.planner.returns)
        #expect(decoded.planner.closed == state.planner.closed)
        #expect(decoded.planner.orders == state.planner.orders)
        #expect(Array(decoded.outbox.values) == Array(state.outbox.values))
        #expect(decoded.outbox[key]?.ack?.wooID == 42)
        #expect(decoded.holds == state.holds)
        #expect(decoded.reviews == state.reviews)
        #expect(decoded.counters == state.counters)
        try runner.finish()
        // And the journal alone replays to the same split of open and closed returns.
        let replayed = try StateStore.open(directory: directory, mode: .readOnly, ignoreSnapshots: true)
        #expect(replayed.state.planner.returns == state.planner.returns)
        #expect(replayed.state.planner.closed == state.planner.closed)
    }

    @Test func aClosedReturnsBytesReadBackEveryFact() {
        var k = ReturnKnowledge()
        k.lastTime = "2026-03-01T00:24:03Z"
        k.lastRank = 5
        k.lastStatus = "accepted"
        k.eventCount = 9
        for (index, id) in ["evt_06e176dcb227868fa93eb547c973", "EVT-ABCDEF", "odd_abc", "ñandú-0a", "", "deadbeef"].enumerated() {
            k.recentEvents.append(.restored(id: id, digest: SHA256.hash(Array("\(index)".utf8))))
        }
        k.unitsRefunded = [900156: 2, 3: -1]
        k.amountRefunded = 12_345
        k.differenceRefunded = -70
        k.feesDeducted = true
        k.refundKeys = ["eba1d72c11d2b4d238f98bbb79896118", "k"]
        k.orderID = 100_039
        k.inspected = ["ri_1": "A", "ri_2": "B"]
        var hold = RestockHold(item: "ri_1", orderID: nil, productID: 326, variationID: 412, sku: "SKU-326", ean: "8435123400016", units: 1,
                               rule: "restock_after_inspection", ruleLocation: "returns.rules:40:3", key: "ba095cc9885c5bb2dbc0c8b8e027c802")
        hold.closed = true
        k.holds = ["ri_1": hold]
        k.plannedKeys = ["ba095cc9885c5bb2dbc0c8b8e027c802", "0", "abc"]
        k.reviewCount = 2
        let compact = ClosedReturn(k)
        #expect(compact.knowledge() == k)
        #expect(ClosedReturn(compact.knowledge()) == compact, "equal knowledge, equal bytes")
        #expect(ClosedReturn(ReturnKnowledge()).knowledge() == ReturnKnowledge())
        #expect(PlannerState.isClosed(k))
        k.holds["ri_1"]?.closed = false
        #expect(!PlannerState.isClosed(k), "an open hold keeps the return open")
    }

    @Test func theOutboxIndexKeepsHexAndOtherKeysAndReadsBackFromASnapshot() throws {
        var index = OutboxIndex()
        func record(_ key: String, offset: Int64, ledger: LedgerInfo? = nil) -> OutboxRecord {
            OutboxRecord(sequence: UInt64(offset), key: key, kind: offset % 2 == 0 ? "note" : "refund", returnID: "r\(offset % 3)",
                         orderID: offset % 4 == 0 ? nil : Int(offset), plannedAt: offset, eventTime: offset % 5 == 0 ? nil : -offset,
                         offset: offset * 10, length: 10, ledger: ledger, ack: nil)
        }
        let ledger = LedgerInfo(amount: 100, currency: "EUR", moneyPath: "gateway", reference: nil, taxes: [], untypedTax: nil)
        var keys: [String] = []
        for n in 0..<5_000 {
            let key = n % 500 == 7 ? "plain-key-\(n)" : SHA256.hash(Array("\(n)".utf8)).hex(prefix: 32)
            keys.append(key)
            let added = index.insert(record(key, offset: Int64(n), ledger: n % 3 == 0 ? ledger : nil))
            #expect(added)
        }
        let again = index.insert(record(keys[10], offset: 99_999))
        #expect(!again, "a key is filed once")
        #expect(index.count == 5_000)
        #expect(Array(index.keys) == keys)
        #expect(!index.contains("eba1d72c11d2b4d238f98bbb79896118"))
        #expect(!index.contains("EBA1D72C11D2B4D238F98BBB79896118"))
        #expect(index[keys[7]]?.key == "plain-key-7")
        #expect(index[keys[3]] == record(keys[3], offset: 3, ledger: ledger))
        let first = index.update(keys[4]) { $0.ack = AckInfo(wooID: 9, time: 1, note: nil, by: nil) }
        let second = index.update(keys[4]) { $0.ack = AckInfo(wooID: 10, time: 2, note: "again", by: nil) }
        #expect(first && second)
        #expect(index[keys[4]]?.ack?.wooID == 10)
        let decoded = try Fixtures.roundTrip(index)
        #expect(Array(decoded.values) == Array(index.values))
        #expect(decoded.contains(keys[4999]) && decoded.contains("plain-key-507"))
    }

    @Test func aStateDirectoryOfFormat3OpensWithItsReturnsCompactAndGoesOn() throws {
        let directory = Fixtures.scratch("format3")
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.copyItem(atPath: Fixtures.repository + "/Tests/RunnerFixtures/state-format-3", toPath: directory)
        defer { Fixtures.remove(directory) }
        let fromSnapshot = try StateStore.open(directory: directory, mode: .readOnly)
        #expect(fromSnapshot.loadedSnapshot == 45, "the version-3 snapshot is used: \(fromSnapshot.warnings)")
        #expect(fromSnapshot.warnings.isEmpty)
        let fromJournal = try StateStore.open(directory: directory, mode: .readOnly, ignoreSnapshots: true)
        #expect(fromJournal.loadedSnapshot == nil)
        #expect(fromSnapshot.state.planner.closedCount > 0)
        #expect(fromJournal.state.planner.returns == fromSnapshot.state.planner.returns)
        #expect(fromJournal.state.planner.closed == fromSnapshot.state.planner.closed)
        #expect(Array(fromJournal.state.outbox.values) == Array(fromSnapshot.state.outbox.values))
        #expect(fromJournal.state.holds == fromSnapshot.state.holds)
        #expect(fromJournal.state.counters == fromSnapshot.state.counters)
        // The same events again: every one is a duplicate or stale, nothing new is planned.
        let outbox = try #require(FileManager.default.contents(atPath: directory + "/outbox.jsonl"))
        let runner = try Fixtures.runner(directory, store: false)
        let lines = Fixtures.lines(Fixtures.repository + "/Tests/RunnerFixtures/state-format-3-events.jsonl")
        for (index, line) in lines.enumerated() { try runner.process(Fixtures.event(line, file: "again.jsonl", line: index + 1)) }
        try runner.store.writeSnapshot()
        try runner.finish()
        #expect(FileManager.default.contents(atPath: directory + "/outbox.jsonl") == outbox)
        let reopened = try StateStore.open(directory: directory, mode: .readOnly)
        #expect(reopened.loadedSnapshot == reopened.state.lastSequence, "the new snapshot (version 4) is read back")
        let replayed = try StateStore.open(directory: directory, mode: .readOnly, ignoreSnapshots: true)
        #expect(replayed.state.planner.closed == reopened.state.planner.closed)
        #expect(replayed.state.planner.returns == reopened.state.planner.returns)
    }
}
