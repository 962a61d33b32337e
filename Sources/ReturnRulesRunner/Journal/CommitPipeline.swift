import Foundation

/// Writes and syncs journal groups on a thread of its own, so planning the next events
/// overlaps the disk's sync. Groups are written strictly in order, one at a time (with
/// `--sync every` a group is one record: one fdatasync per event). Projection lines are written
/// only after the group they belong to is durable.
///
/// At most one group waits while another is written, so memory stays bounded; `submit` blocks
/// when the disk is slower than planning. The first failure stops the pipeline for good: every
/// later `submit` and `drain` throws it.
final class CommitPipeline: @unchecked Sendable {
    /// One group: its records (rendered and encoded by the commit thread), and whether to
    /// write the waiting projection lines after it.
    struct Item: Sendable {
        var records: [PendingRecord]
        var lastSequence: UInt64
        var flushProjections: Bool
    }

    private let condition = NSCondition()
    private var queue: [Item] = []
    private var busy = false
    private var stopping = false
    private var finished = false
    private(set) var failure: FileSystemError?
    private let work: (Item) throws(FileSystemError) -> Void

    init(work: @escaping (Item) throws(FileSystemError) -> Void) {
        self.work = work
        let thread = Thread { [self] in run() }
        thread.name = "returnrules-commit"
        thread.start()
    }

    func submit(_ item: Item) throws(FileSystemError) {
        condition.lock()
        defer { condition.unlock() }
        while !queue.isEmpty, failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(item)
        condition.broadcast()
    }

    /// Waits until every submitted group is written (or the pipeline failed).
    func drain() throws(FileSystemError) {
        condition.lock()
        defer { condition.unlock() }
        while !queue.isEmpty || busy, failure == nil { condition.wait() }
        if let failure { throw failure }
    }

    /// Drains and ends the thread.
    func stop() {
        condition.lock()
        while !queue.isEmpty || busy, failure == nil { condition.wait() }
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            while queue.isEmpty, !stopping { condition.wait() }
            if queue.isEmpty, stopping { break }
            let item = queue.removeFirst()
            busy = true
            condition.unlock()
            var error: FileSystemError?
            do throws(FileSystemError) { try work(item) } catch let failed { error = failed }
            condition.lock()
            busy = false
            if let error {
                failure = error
                queue.removeAll()
            }
            condition.broadcast()
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
