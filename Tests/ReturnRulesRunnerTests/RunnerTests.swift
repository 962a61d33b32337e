import Checksums
import Foundation
import Testing
import JSONBytes
import ReturnRulesDomain
@testable import ReturnRulesRunner

@Suite("Runner")
struct RunnerTests {
    /// Keys of requests in an outbox file, in order.
    static func outboxKeys(_ directory: String) throws -> [String] {
        try Fixtures.lines(directory + "/outbox.jsonl").map { line in
            let document = try JSONDocument(parsing: Array(line.utf8))
            return try #require(document.root["key"]?.stringValue)
        }
    }

    /// What a streaming plan session makes of the same events in the same order.
    static func expectedKeys(_ events: [IncomingEvent], store: Bool = true) throws -> [String] {
        var session = PlanSession(planner: Planner(rules: try Fixtures.rules(), store: store ? try Fixtures.store() : nil))
        var keys: [String] = []
        for event in events {
            let (plan, _) = session.plan(event)
            keys += plan.steps.compactMap { $0.request != nil ? $0.key : nil }
        }
        return keys
    }

    @Test func theOutboxHasWhatThePlannerPlansAndARerunAddsNothing() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let events = try Fixtures.exampleEvents()
        let runner = try Fixtures.runner(directory)
        for event in events { try runner.process(event) }
        let summary = try runner.finish()
        let expected = try Self.expectedKeys(events)
        #expect(try Self.outboxKeys(directory) == expected)
        #expect(summary.requestCount == expected.count)
        #expect(Set(expected).count == expected.count)
        // Everything again, after a restart: all duplicates, nothing new.
        let again = try Fixtures.runner(directory)
        for event in events { try again.process(event) }
        let second = try again.finish()
        #expect(second.duplicates == events.count)
        #expect(second.requestCount == 0)
        #expect(try Self.outboxKeys(directory) == expected)
        // Decision log: one line per event, personal data masked.
        let decisions = Fixtures.lines(directory + "/decisions.jsonl")
        #expect(decisions.count == events.count * 2)
        #expect(!decisions.joined().contains("lucia.martin@"))
        #expect(decisions.joined().contains("l***@example.es"))
    }

    @Test func aNewDeliveryOfTheSameReturnAfterARestartRefundsNothingTwice() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        // 03: the refund; 12: the same return re-sent under a new event id.
        let events = try Fixtures.exampleEvents()
        let first = try #require(events.first { $0.source.file == "03-refund-with-fee.json" })
        let resent = events.filter { $0.source.file == "12-same-return-new-event-id.json" }
        let runner = try Fixtures.runner(directory)
        try runner.process(first)
        try runner.finish()
        let refunds = try Self.outboxKeys(directory)
        let again = try Fixtures.runner(directory)
        var plans: [EventPlan] = []
        for event in resent { plans.append(try again.process(event)) }
        try again.finish()
        #expect(plans[0].outcome == .duplicate)
        #expect(plans[1].requests.allSatisfy { $0.kind != .refund })
        #expect(plans[1].steps.contains { $0.summary.contains("already refunded") })
        #expect(try Self.outboxKeys(directory).count >= refunds.count)
        #expect(Set(try Self.outboxKeys(directory)).count == (try Self.outboxKeys(directory)).count)
    }

    /// The refund and restock requests (kind and key) the runner writes for `order`.
    static func moneyAndStock(_ order: [IncomingEvent]) throws -> Set<String> {
        let directory = Fixtures.scratch("moneyAndStock")
        defer { Fixtures.remove(directory) }
        let runner = try Fixtures.runner(directory)
        for event in order { try runner.process(event) }
        try runner.finish()
        var result = Set<String>()
        for line in Fixtures.lines(directory + "/outbox.jsonl") {
            let root = try JSONDocument(parsing: Array(line.utf8)).root
            if let kind = root["kind"]?.stringValue, ["refund", "restock", "store_credit", "replacement_order"].contains(kind) {
                result.insert(kind + " " + (try #require(root["key"]?.stringValue)))
            }
        }
        return result
    }

    /// An instant refund Reveni paid: the rules book it at whichever of `in_progress` and
    /// `accepted` arrives first (a late `in_progress` is stale once `accepted` is known), and
    /// the planner refunds each unit once. Every delivery order gives the same one refund.
    @Test func anInstantRefundIsBookedOnceWhicheverStatusArrivesFirst() throws {
        let events = try Fixtures.exampleEvents().filter { $0.source.file == "09-received-then-inspected.json" }
        #expect(events.count == 3)
        let inOrder = try Self.moneyAndStock(events)
        #expect(inOrder.filter { $0.hasPrefix("refund") }.count == 1, "\(inOrder)")
        #expect(inOrder.filter { $0.hasPrefix("restock") }.count == 1, "\(inOrder)")
        for order in [[2, 1, 0], [2, 0, 1], [1, 2, 0], [0, 2, 1], [1, 0, 2]] {
            #expect(try Self.moneyAndStock(order.map { events[$0] }) == inOrder, "delivered in the order \(order)")
        }
    }

    /// A standard card refund: nothing at `in_progress`, a held restock at `received`, the
    /// refund and the inspection at `accepted`. Delivered in any order, the same refund and
    /// the same restock come out (a late event is stale; the accepted one carries everything).
    @Test func outOfOrderDeliveryConvergesOnTheSameMoneyAndStock() throws {
        let original = try Fixtures.exampleEvents().filter { $0.source.file == "09-received-then-inspected.json" }
        #expect(original.count == 3)
        let events = original.enumerated().map { index, event in
            let text = String(decoding: event.raw, as: UTF8.self)
                .replacingOccurrences(of: "\"mode\": \"instant\"", with: "\"mode\": \"standard\"")
                .replacingOccurrences(of: "\"method\": \"bank_transfer\"", with: "\"method\": \"original_payment_method\"")
                .replacingOccurrences(of: "\"executed_by\": \"reveni\"", with: "\"executed_by\": \"merchant\"")
                .replacingOccurrences(of: "\"status\": \"paid\"", with: "\"status\": \"pending\"")
            return Fixtures.event(text, file: "09-standard.json", line: index + 1)
        }
        func keys(_ order: [IncomingEvent]) throws -> Set<String> { try Self.moneyAndStock(order) }
        let inOrder = try keys(events)
        #expect(inOrder.filter { $0.hasPrefix("refund") }.count == 1, "\(inOrder)")
        #expect(inOrder.filter { $0.hasPrefix("restock") }.count == 1, "\(inOrder)")
        #expect(try keys(events.reversed()) == inOrder)
        #expect(try keys([events[2], events[0], events[1]]) == inOrder)
        #expect(try keys([events[1], events[2], events[0]]) == inOrder)
    }

    @Test func deadLettersKeepTheLineAndPathAndTheRunGoesOn() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let good = try #require(Fixtures.exampleEvents().first { $0.source.file == "01-plain-refund.json" })
        let goodText = String(decoding: good.raw, as: UTF8.self).replacingOccurrences(of: "\n", with: "")
        let badQuantity = goodText.replacingOccurrences(of: "\"quantity\": 1", with: "\"quantity\": \"one\"")
        #expect(badQuantity != goodText)
        let lines = ["{\"id\": \"evt_truncated\", \"data\": {", badQuantity, goodText]
        let runner = try Fixtures.runner(directory)
        var plans: [EventPlan] = []
        for (index, line) in lines.enumerated() { plans.append(try runner.process(Fixtures.event(line, file: "in.jsonl", line: index + 1))) }
        let summary = try runner.finish()
        #expect(summary.deadLetters == 2)
        #expect(plans[2].outcome == .planned)
        #expect(!plans[2].requests.isEmpty)
        let letters = try Fixtures.lines(directory + "/dead-letters.jsonl").map { try JSONDocument(parsing: Array($0.utf8)).root }
        #expect(letters.count == 2)
        #expect(letters[0]["source"]?.stringValue == "in.jsonl")
        #expect(letters[0]["line"]?.intValue == 1)
        #expect(letters[0]["raw"]?.stringValue == lines[0])
        #expect(letters[0]["error"]?.stringValue?.contains("malformed JSON") == true)
        #expect(letters[1]["line"]?.intValue == 2)
        #expect(letters[1]["json_path"]?.stringValue == "$.data.return.items[0].quantity")
        #expect(letters[1]["raw"]?.stringValue == badQuantity)
        // The same bad input again is recognised, not written twice.
        let again = try Fixtures.runner(directory)
        try again.process(Fixtures.event(lines[0], file: "in.jsonl", line: 1))
        #expect(try again.finish().repeatedDeadLetters == 1)
        #expect(Fixtures.lines(directory + "/dead-letters.jsonl").count == 2)
    }

    @Test func acknowledgementsAreCheckedAndLandInTheLedger() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let runner = try Fixtures.runner(directory)
        for event in try Fixtures.exampleEvents() { try runner.process(event) }
        try runner.finish()
        let store = try StateStore.open(directory: directory, mode: .readWrite)
        let refund = try #require(store.state.outbox.values.filter { $0.kind == "refund" }.min { $0.offset < $1.offset })
        // An unknown key is an error naming it, and nothing is acknowledged.
        let error = try #require(throws: OperationError.self) {
            try StateOperations.ack([AckRequest(key: refund.key, wooID: 77), AckRequest(key: "ffffffffffffffffffffffffffffffff")], store: store, by: "ops")
        }
        #expect(error.message.contains("ffffffffffffffffffffffffffffffff"))
        #expect(store.state.outbox[refund.key]?.ack == nil)
        // A 16-character prefix (the note marker) is enough when it is unique.
        let results = try StateOperations.ack([AckRequest(key: String(refund.key.prefix(16)), wooID: 77)], store: store, by: "ops")
        #expect(results == [.acknowledged(key: refund.key)])
        #expect(try StateOperations.ack([AckRequest(key: refund.key, wooID: 77)], store: store, by: "ops") == [.alreadyAcknowledged(key: refund.key)])
        #expect(throws: OperationError.self) { try StateOperations.ack([AckRequest(key: refund.key, wooID: 78)], store: store, by: "ops") }
        try store.close()
        let reader = try StateStore.open(directory: directory, mode: .readOnly)
        #expect(reader.state.outbox[refund.key]?.ack?.wooID == 77)
        let rows = StateQueries.ledger(reader.state, from: 0, to: Int64.max, by: .event)
        #expect(rows.count == reader.state.outbox.values.filter { $0.kind == "refund" || $0.kind == "store_credit" }.count)
        let row = try #require(rows.first { $0.record.key == refund.key })
        #expect(row.record.ack?.wooID == 77)
        #expect(row.ledger.amount > 0)
        #expect(!row.ledger.taxes.isEmpty)
        #expect(["gateway", "record_only"].contains(row.ledger.moneyPath))
        #expect(StateQueries.ledger(reader.state, from: 0, to: Int64.max, by: .acknowledged).count == 1)
    }

    @Test func reviewItemsAreResolvedOnce() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let runner = try Fixtures.runner(directory)
        for event in try Fixtures.exampleEvents() { try runner.process(event) }
        try runner.finish()
        let store = try StateStore.open(directory: directory, mode: .readWrite)
        #expect(!store.state.reviews.isEmpty)
        try StateOperations.resolveReview(id: 1, note: "sent a manual transfer", store: store, by: "ana")
        #expect(throws: OperationError.self) { try StateOperations.resolveReview(id: 1, note: "again", store: store, by: "ana") }
        #expect(throws: OperationError.self) { try StateOperations.resolveReview(id: 999, note: "x", store: store, by: "ana") }
        try store.close()
        let reader = try StateStore.open(directory: directory, mode: .readOnly)
        #expect(reader.state.reviews[0].resolution?.note == "sent a manual transfer")
        #expect(reader.state.reviews[0].resolution?.by == "ana")
    }

    /// A hold released by hand with an accepting grade is the very request the planner makes
    /// when the inspection arrives in a Reveni event; any other grade is a review item.
    @Test func aHoldReleasedByHandIsTheSameRestockAsTheInspectionEvent() throws {
        let events = try Fixtures.exampleEvents().filter { $0.source.file == "09-received-then-inspected.json" }
        // The planner's way: all three events.
        let viaEvent = Fixtures.scratch()
        defer { Fixtures.remove(viaEvent) }
        let runner = try Fixtures.runner(viaEvent)
        for event in events { try runner.process(event) }
        try runner.finish()
        let restockLine = try #require(Fixtures.lines(viaEvent + "/outbox.jsonl").first { $0.contains("\"kind\":\"restock\"") })
        // By hand: the first two events, then a release with grade A.
        let byHand = Fixtures.scratch()
        defer { Fixtures.remove(byHand) }
        let held = try Fixtures.runner(byHand)
        try held.process(events[0])
        try held.process(events[1])
        #expect(held.store.state.holds.count == 1)
        let plan = try held.releaseHold(id: 1, grade: "A", by: "warehouse")
        #expect(plan.requests.map(\.kind) == [.restock])
        #expect(held.store.state.holds[0].isOpen == false)
        #expect(throws: OperationError.self) { try held.releaseHold(id: 1, grade: "A", by: "warehouse") }
        try held.finish()
        let released = try #require(Fixtures.lines(byHand + "/outbox.jsonl").first { $0.contains("\"kind\":\"restock\"") })
        func request(_ line: String) throws -> [String] {
            let root = try JSONDocument(parsing: Array(line.utf8)).root
            return try ["key", "method", "path", "body", "stock"].map { name in
                let node = try #require(root[name])
                return String(decoding: node.rawBytes, as: UTF8.self)
            }
        }
        #expect(try request(released) == request(restockLine))
        // The later inspection event does not restock a second time.
        let after = try Fixtures.runner(byHand)
        try after.process(events[2])
        try after.finish()
        #expect(Fixtures.lines(byHand + "/outbox.jsonl").filter { $0.contains("\"kind\":\"restock\"") }.count == 1)

        // A grade that is not restockable: a warehouse review item, no request.
        let graded = Fixtures.scratch()
        defer { Fixtures.remove(graded) }
        let other = try Fixtures.runner(graded)
        try other.process(events[0])
        try other.process(events[1])
        let reviewPlan = try other.releaseHold(id: 1, grade: "C", by: "warehouse")
        #expect(reviewPlan.requests.isEmpty)
        #expect(reviewPlan.steps.contains { $0.kind == .review && $0.review?.queue == "warehouse" })
        #expect(other.store.state.reviews.last?.queue == "warehouse")
        try other.finish()
    }

    @Test func driftAndHoldAgesUseTheInjectedClock() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let events = try Fixtures.exampleEvents().filter { $0.source.file == "09-received-then-inspected.json" }
        let clock = FixedClock(Timestamp.parse("2026-03-09T08:00:00Z")!)
        let runner = try Fixtures.runner(directory, clock: clock)
        try runner.process(events[0])
        try runner.process(events[1]) // received 2026-03-09T07:55:10Z: the hold starts
        try runner.finish()
        let state = try StateStore.open(directory: directory, mode: .readOnly).state
        let day: Int64 = 86_400_000
        let received = Timestamp.parse("2026-03-09T07:55:10Z")!
        #expect(StateQueries.openHolds(state, olderThan: 7 * day, now: received + 6 * day).isEmpty)
        #expect(StateQueries.openHolds(state, olderThan: 7 * day, now: received + 8 * day).count == 1)
        let drift = StateQueries.drift(state, olderThan: 7 * day, now: received + 8 * day)
        #expect(drift.holds.count == 1)
        // Requests are aged from the journal time (the injected clock).
        #expect(drift.unacknowledged.count == state.outbox.count)
        #expect(StateQueries.drift(state, olderThan: 7 * day, now: clock.time + day).unacknowledged.isEmpty)
    }

    @Test func shadowWritesNothing() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let rules = try Fixtures.rules()
        let store = try StateStore.open(directory: directory + "/none", mode: .shadow)
        let runner = Runner(store: store, planner: Planner(rules: rules, store: try Fixtures.store()), rulesDigest: Runner.rulesDigest(rules))
        for event in try Fixtures.exampleEvents() { try runner.process(event) }
        let summary = try runner.finish()
        #expect(summary.requestCount > 0)
        #expect(!FileManager.default.fileExists(atPath: directory + "/none"))
    }
}

@Suite("State store")
struct StateStoreTests {
    static func synthetic(_ count: Int, returns: Int = 200, seed: UInt64 = 3) -> [IncomingEvent] {
        var options = SyntheticEvents.Options()
        options.events = count
        options.returns = returns
        options.seed = seed
        return SyntheticEvents(options: options).enumerated().map { index, line in
            EventReader.parse(line[...], source: EventSource(file: "synthetic.jsonl", line: index + 1))
        }
    }

    @Test func aShortOutboxIsCompletedFromTheJournal() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let runner = try Fixtures.runner(directory, store: false)
        for event in Self.synthetic(600) { try runner.process(event) }
        try runner.finish()
        let outbox = directory + "/outbox.jsonl"
        let original = try #require(FileManager.default.contents(atPath: outbox))
        // A crash after the journal commit, before (all of) the outbox write.
        try JournalTests.truncate(outbox, to: original.count / 2 + 17)
        let store = try StateStore.open(directory: directory, mode: .readWrite)
        #expect(store.warnings.contains { $0.contains("outbox.jsonl was missing") })
        try store.close()
        #expect(FileManager.default.contents(atPath: outbox) == original)
    }

    @Test func snapshotsCompactTheJournalAndRestoreTheSameState() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        var options = StateStore.Options()
        options.snapshotEvery = 250
        options.segmentBytes = 64 << 10
        let events = Self.synthetic(1_500)
        let runner = try Fixtures.runner(directory, store: false, options: options)
        for event in events { try runner.process(event) }
        try runner.finish()
        let info = try StateStore.open(directory: directory, mode: .readOnly, options: options).journalInfo
        #expect(info.snapshots.count == 2)
        #expect((info.firstSequence ?? 0) > 1, "old segments are compacted away")
        let fromSnapshot = try StateStore.open(directory: directory, mode: .readOnly, options: options)
        #expect(fromSnapshot.loadedSnapshot != nil)
        // The same events into a state without snapshots.
        let plain = Fixtures.scratch()
        defer { Fixtures.remove(plain) }
        var never = StateStore.Options()
        never.snapshotEvery = Int.max
        never.snapshotOnCloseAfter = Int.max
        let other = try Fixtures.runner(plain, store: false, options: never)
        for event in events { try other.process(event) }
        try other.finish()
        let replayed = try StateStore.open(directory: plain, mode: .readOnly, options: never)
        #expect(replayed.loadedSnapshot == nil)
        let a = fromSnapshot.state
        let b = replayed.state
        #expect(a.planner.returns == b.planner.returns)
        #expect(a.planner.orders == b.planner.orders)
        #expect(a.planner.stockDeltas == b.planner.stockDeltas)
        #expect(Set(a.outbox.keys) == Set(b.outbox.keys))
        #expect(a.reviews.map(\.reason) == b.reviews.map(\.reason))
        #expect(a.holds.map(\.hold) == b.holds.map(\.hold))
        #expect(a.counters == b.counters)
        #expect(a.outboxBytes == b.outboxBytes)
        #expect(FileManager.default.contents(atPath: directory + "/outbox.jsonl")?.count == Int(a.outboxBytes))
        // A damaged newest snapshot: the previous one and the journal still give the same state.
        let newest = directory + "/snapshots/" + SnapshotCodec.fileName(try #require(info.snapshots.last))
        try JournalTests.flip(newest, at: 40)
        let fallback = try StateStore.open(directory: directory, mode: .readOnly, options: options)
        #expect(fallback.warnings.contains { $0.contains("unusable") })
        #expect(fallback.state.planner.returns == b.planner.returns)
    }

    @Test func aFullReplayOfACompactedJournalIsRefusedAsUnavailableNotDamaged() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        var options = StateStore.Options()
        options.snapshotEvery = 250
        options.segmentBytes = 64 << 10
        let runner = try Fixtures.runner(directory, store: false, options: options)
        for event in Self.synthetic(1_500) { try runner.process(event) }
        try runner.finish()
        let first = try #require(try StateStore.open(directory: directory, mode: .readOnly, options: options).journalInfo.firstSequence)
        #expect(first > 1)
        do {
            _ = try StateStore.open(directory: directory, mode: .readOnly, options: options, ignoreSnapshots: true)
            Issue.record("a full replay of a compacted journal must be refused")
        } catch {
            #expect(error.kind == .unavailable)
            #expect(error.message.contains("before record \(first) were compacted into a snapshot"))
            #expect(error.message.contains("--snapshot-every"))
            #expect(!error.message.contains("damaged"))
        }
        // From its snapshot the same directory opens.
        #expect(try StateStore.open(directory: directory, mode: .readOnly, options: options).loadedSnapshot != nil)
    }

    @Test func aFullDiskStopsCleanlyAndTheNextRunFinishesTheJob() throws {
        let events = Self.synthetic(800, seed: 11)
        let clean = Fixtures.scratch()
        defer { Fixtures.remove(clean) }
        let reference = try Fixtures.runner(clean, store: false)
        for event in events { try reference.process(event) }
        try reference.finish()
        let expected = try RunnerTests.outboxKeys(clean)

        for (limit, sync) in [(150_000, Runner.Sync.every), (400_000, Runner.Sync.batch(records: 64, bytes: 1 << 20, milliseconds: 100_000)), (900_000, Runner.Sync.defaultBatch)] {
            let directory = Fixtures.scratch("diskfull\(limit)")
            defer { Fixtures.remove(directory) }
            let full = FaultInjectingFileSystem()
            full.diskFullAfterBytes = limit
            let runner = try Fixtures.runner(directory, store: false, sync: sync, fileSystem: full)
            var failure: FileSystemError?
            do {
                for event in events { try runner.process(event) }
                try runner.finish()
            } catch let error as FileSystemError {
                failure = error
            }
            let error = try #require(failure, "the disk filled up at \(limit) bytes")
            #expect(error.isDiskFull)
            #expect(error.description.contains("no space left on device"))
            try? runner.store.close()
            // The journal ends on a whole record: the next open needs no repair of it.
            let reopened = try StateStore.open(directory: directory, mode: .readWrite)
            #expect(!reopened.warnings.contains { $0.hasPrefix("journal") }, "\(reopened.warnings)")
            try reopened.close()
            // Space again: the same input, from the start, finishes the job exactly once.
            let again = try Fixtures.runner(directory, store: false)
            for event in events { try again.process(event) }
            try again.finish()
            let keys = try RunnerTests.outboxKeys(directory)
            #expect(keys.count == Set(keys).count)
            #expect(Set(keys) == Set(expected))
        }
    }

    /// The commit thread renders lines and encodes records a slice at a time while a group
    /// forms: the journal and the projections are byte for byte those of rendering each record
    /// where it is planned.
    @Test func linesRenderedOnTheCommitThreadAreTheSameBytes() throws {
        let events = Self.synthetic(900, returns: 60)
        var files: [[Data?]] = []
        for onCommitThread in [true, false] {
            let directory = Fixtures.scratch()
            defer { Fixtures.remove(directory) }
            var options = StateStore.Options()
            options.rendersLinesOnCommitThread = onCommitThread
            // Groups of 150 records: slices of several groups, and a group end in mid-slice.
            let runner = try Fixtures.runner(directory, store: false, sync: .batch(records: 150, bytes: 64 << 20, milliseconds: 1 << 30),
                                             options: options, clock: FixedClock(Timestamp.parse("2026-03-09T08:00:00Z")!))
            for event in events { try runner.process(event) }
            try runner.finish()
            let names = JournalTests.segments(directory) + ["outbox.jsonl", "decisions.jsonl", "dead-letters.jsonl"].map { directory + "/" + $0 }
            files.append(names.map { FileManager.default.contents(atPath: $0) })
        }
        #expect(files[0].count == files[1].count)
        #expect(files[0] == files[1])
        #expect(files[0].dropLast().allSatisfy { $0 != nil }, "journal, outbox and decisions written")
    }

    @Test func awaitingLinesOfConsecutiveRequestsNeedNoArray() {
        var lines = AwaitingLines.event(first: 0, count: 0)
        lines.add(7)
        lines.add(8)
        guard case .event(first: 7, count: 2) = lines else {
            Issue.record("consecutive positions: \(lines)")
            return
        }
        // A request whose key was in the index already breaks the run.
        lines.add(-1)
        lines.add(9)
        guard case .eventAt(let positions) = lines else {
            Issue.record("positions with a gap: \(lines)")
            return
        }
        #expect(positions == [7, 8, -1, 9])
    }

    @Test func aFailedSyncIsAnErrorAndNothingAfterItIsWritten() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let faulty = FaultInjectingFileSystem()
        faulty.failSyncFrom = (count: 4, code: EIO)
        let runner = try Fixtures.runner(directory, store: false, sync: .every, fileSystem: faulty)
        #expect(throws: FileSystemError.self) {
            for event in Self.synthetic(50) { try runner.process(event) }
        }
        // Once failed, the runner refuses to go on.
        #expect(throws: (any Error).self) { try runner.process(Self.synthetic(1, seed: 99)[0]) }
        try? runner.store.close()
        let reopened = try StateStore.open(directory: directory, mode: .readOnly)
        #expect(reopened.state.lastSequence <= 3)
    }
}
