import Foundation
import ReturnRulesDomain

/// `plan` over event files on two threads: a reader thread reads, parses, maps and digests the
/// events (`Planner.prepare`, about half the work of an event, and independent of what earlier
/// events decided) while the calling thread plans and prints them in their order. The output
/// is the same as planning on one thread, byte for byte.
///
/// Events travel in batches, so the threads meet once per batch, not once per event; at most
/// `batchesInFlight` batches wait, so memory stays bounded whatever the input size.
final class PlanPipeline: @unchecked Sendable {
    // @unchecked: every mutable property below is read and written only under `condition`.
    private let condition = NSCondition()
    private var ready: [[PreparedEvent]] = []
    /// Batches planned already, handed back so the reader reuses their records' memory.
    private var spent: [[PreparedEvent]] = []
    private var finished = false
    private var failure: (any Error)?

    static let batchesInFlight = 16

    /// Whether to plan on two threads: files (standard input is planned as it arrives), a second
    /// core, and not turned off with `RETURNRULES_PLAN_THREADS=1` (to measure one thread).
    static func isWorthwhile(paths: [String], environment: [String: String]) -> Bool {
        !paths.contains("-") && ProcessInfo.processInfo.activeProcessorCount > 1 && environment["RETURNRULES_PLAN_THREADS"] != "1"
    }

    /// Prepares the events of `paths` (absolute, shown relative to `currentDirectory`) on a
    /// reader thread and calls `body` for each, in order, on this thread. A read error stops
    /// the reading; it is thrown after the events read before it have been handed to `body`.
    static func run(planner: Planner, paths: [String], currentDirectory: String, _ body: (inout PreparedEvent) -> Void) throws {
        let pipeline = PlanPipeline()
        let reader = Thread {
            pipeline.read(planner: planner, paths: paths, currentDirectory: currentDirectory)
        }
        reader.stackSize = 8 << 20
        reader.start()
        while var batch = pipeline.next() {
            planEach(&batch, body)
            pipeline.giveBack(batch)
        }
        if let failure = pipeline.takeFailure() { throw failure }
    }

    /// The reader thread: every event of every path, prepared, in batches.
    private func read(planner: Planner, paths: [String], currentDirectory: String) {
        var reader = PreparedBatchReader(planner: planner)
        do {
            try reader.read(paths: paths, currentDirectory: currentDirectory, reusable: takeSpent, hand: hand)
            finish(failure: nil)
        } catch {
            finish(failure: error)
        }
    }

    /// The same events and order as `run`, all on this thread: for one core, or to measure one
    /// thread (`RETURNRULES_PLAN_THREADS=1`). Events are still read in batches, so their digests
    /// are computed together.
    static func runOnThisThread(planner: Planner, paths: [String], currentDirectory: String, _ body: (inout PreparedEvent) -> Void) throws {
        var reader = PreparedBatchReader(planner: planner)
        var planned: [PreparedEvent] = []
        try reader.read(paths: paths, currentDirectory: currentDirectory, reusable: {
            defer { planned = [] }
            return planned
        }, hand: { batch in
            planEach(&batch, body)
            planned = batch
        })
    }

    /// Calls `body` with each event of `batch` in order, in place: an event passed by value
    /// (from a for-in loop or a buffer's subscript) is copied, retaining its record's arrays
    /// only to release them again. `batch` is held only by its caller, so this copies nothing.
    private static func planEach(_ batch: inout [PreparedEvent], _ body: (inout PreparedEvent) -> Void) {
        batch.withUnsafeMutableBufferPointer { events in
            for index in events.indices { body(&events[index]) }
        }
    }

    /// Queues a full batch, waiting while too many are queued.
    private func hand(_ batch: inout [PreparedEvent]) {
        condition.lock()
        while ready.count >= PlanPipeline.batchesInFlight { condition.wait() }
        ready.append(batch)
        condition.signal()
        condition.unlock()
    }

    /// A planned batch, back to the reader.
    private func giveBack(_ batch: [PreparedEvent]) {
        condition.lock()
        // Only a few: the rest are freed here rather than held.
        if spent.count < PlanPipeline.batchesInFlight { spent.append(batch) }
        condition.unlock()
    }

    /// One planned batch to reuse, or none.
    private func takeSpent() -> [PreparedEvent] {
        condition.lock()
        defer { condition.unlock() }
        return spent.popLast() ?? []
    }

    private func finish(failure: (any Error)?) {
        condition.lock()
        self.failure = failure
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// The next batch in order, or nil when the reader is done and everything was taken.
    private func next() -> [PreparedEvent]? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        guard !ready.isEmpty else { return nil }
        let batch = ready.removeFirst()
        condition.signal()
        return batch
    }

    private func takeFailure() -> (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }
}
