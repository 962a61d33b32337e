import Foundation
import JSONBytes
import ReturnRulesDomain

/// Reads a JSON Lines file on a thread of its own and prepares its events (`InputPreparer`:
/// parse, map, digest — a third of an event's work, and independent of the events before it)
/// while the calling thread plans and journals the events before them, in their order. The
/// journal, the outbox and the decision log are the same, byte for byte, as on one thread.
///
/// Events travel in batches, so the threads meet once per batch, not once per event. A fixed
/// set of batches goes round (prepared → planned → prepared again): memory stays bounded
/// whatever the file's size, and each slot's record storage is reused event after event.
public final class PreparingReader: @unchecked Sendable {
    // @unchecked: the mutable properties below are touched only under `condition`, except a
    // batch's contents, which belong to whichever thread took it from the queue.
    final class Batch {
        var events: [PreparedInput] = []
        var count = 0
    }

    static let batchSize = 64
    static let batchCount = 8

    private let condition = NSCondition()
    private var ready: [Batch] = []
    private var spare: [Batch] = []
    private var finished = false
    private var cancelled = false
    private var threadDone = false
    private var failure: (any Error)?

    /// Whether to prepare on a second thread: there is a second core, and it was not turned
    /// off with `RETURNRULES_RUN_THREADS=1` (to measure one thread).
    public static func isWorthwhile(environment: [String: String]) -> Bool {
        ProcessInfo.processInfo.activeProcessorCount > 1 && environment["RETURNRULES_RUN_THREADS"] != "1"
    }

    /// Reads the lines `makeLines` yields (called on the reader thread) and calls `body` for
    /// each prepared event, in order, on this thread, until the lines end or `body` returns
    /// false. A read error is thrown after the events before it went through `body`; an error
    /// of `body` stops the reading and is thrown. The reader thread has ended when this returns.
    public static func forEach(source file: String, planner: Planner, makeLines: @escaping @Sendable () -> JSONLineReader,
                               _ body: (PreparedInput) throws -> Bool) throws {
        let reader = PreparingReader()
        let preparer = InputPreparer(planner: planner)
        let thread = Thread { reader.read(file: file, preparer: preparer, makeLines: makeLines) }
        thread.stackSize = 8 << 20
        thread.start()
        defer { reader.cancelAndWait() }
        while let batch = reader.next() {
            for index in 0..<batch.count where try !body(batch.events[index]) {
                return
            }
            reader.recycle(batch)
        }
        if let failure = reader.takeFailure() { throw failure }
    }

    private init() {
        spare = (0..<PreparingReader.batchCount).map { _ in Batch() }
    }

    // MARK: - The reader thread

    private func read(file: String, preparer: InputPreparer, makeLines: @Sendable () -> JSONLineReader) {
        var preparer = preparer
        var lines = makeLines()
        guard var batch = takeSpare() else { return done() }
        do {
            while let line = try lines.next() {
                if batch.count == batch.events.count { batch.events.append(PreparedInput(source: EventSource(file: file))) }
                preparer.prepare(line.bytes, source: EventSource(file: file, line: line.number), into: &batch.events[batch.count])
                batch.count += 1
                if batch.count == PreparingReader.batchSize {
                    hand(batch)
                    guard let next = takeSpare() else { return done() }
                    batch = next
                }
            }
            finish(batch, failure: nil)
        } catch {
            finish(batch, failure: error)
        }
    }

    /// An empty batch to fill, waiting while every batch is queued or being planned; nil
    /// once the planning side cancelled.
    private func takeSpare() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while spare.isEmpty, !cancelled { condition.wait() }
        if cancelled { return nil }
        let batch = spare.removeLast()
        batch.count = 0
        return batch
    }

    private func hand(_ batch: Batch) {
        condition.lock()
        ready.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    private func finish(_ batch: Batch, failure: (any Error)?) {
        condition.lock()
        if batch.count > 0 { ready.append(batch) }
        self.failure = failure
        finished = true
        threadDone = true
        condition.broadcast()
        condition.unlock()
    }

    private func done() {
        condition.lock()
        finished = true
        threadDone = true
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - The planning thread

    /// The next batch in order, or nil when the reader is done and every batch was taken.
    private func next() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty, !finished { condition.wait() }
        guard !ready.isEmpty else { return nil }
        return ready.removeFirst()
    }

    private func recycle(_ batch: Batch) {
        condition.lock()
        spare.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    private func takeFailure() -> (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    /// Stops the reader thread (if it still runs) and waits until it has ended.
    private func cancelAndWait() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !threadDone { condition.wait() }
        condition.unlock()
    }
}
