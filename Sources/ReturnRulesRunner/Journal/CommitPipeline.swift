import Foundation

/// Writes and syncs journal groups on a thread of its own, so planning the next events
/// overlaps the disk's sync. Groups are written strictly in order, one at a time (with
/// `--sync every` a group is one record: one fdatasync per event). The projection lines handed
/// over with a group are written only after that group is durable.
///
/// At most one group waits while another is written, so memory stays bounded; `submit` blocks
/// when the disk is slower than planning. The first failure stops the pipeline for good: every
/// later `submit` and `drain` throws it.
final class CommitPipeline: @unchecked Sendable {
    /// One group. A class: the commit thread changes its bytes in place (their checksums)
    /// without a copy of the group.
    final class Item: @unchecked Sendable {
        // @unchecked: handed from the planning thread to the commit thread, never shared.
        var journal: [UInt8]
        let lastSequence: UInt64
        /// Lines for outbox, decisions, dead letters (nil: not this time).
        let projections: [[UInt8]]?

        init(journal: [UInt8], lastSequence: UInt64, projections: [[UInt8]]?) {
            self.journal = journal
            self.lastSequence = lastSequence
            self.projections = projections
        }
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
