import Foundation

/// Writes and syncs journal groups on a thread of its own, so planning the next events
/// overlaps the disk's sync. Groups are written strictly in order, one at a time (with
/// `--sync every` a group is one record: one fdatasync per event). Projection lines are written
/// only after the group they belong to is durable.
///
/// A group comes in slices: its records are handed over a few dozen at a time as they are
/// made, to be rendered and encoded while still in the caches, and the item that ends the group
/// has it written. At most one group end waits while another group is written, so memory stays
/// bounded; `submit` blocks when the disk is slower than planning. The first failure stops the
/// pipeline for good: every later `submit` and `drain` throws it.
final class CommitPipeline: @unchecked Sendable {
    /// Records of the group being formed (rendered and encoded by the commit thread), and,
    /// for the item that ends the group, how to end it.
    struct Item: Sendable {
        var records: [PendingRecord]
        var end: GroupEnd?
    }

    /// Write and sync the group, whose last record is `lastSequence`, then write the waiting
    /// projection lines if `flushProjections`.
    struct GroupEnd: Sendable {
        var lastSequence: UInt64
        var flushProjections: Bool
    }

    private let condition = NSCondition()
    private var queue: [Item] = []
    /// Items in `queue` that end a group.
    private var queuedEnds = 0
    private var busy = false
    private var stopping = false
    private var finished = false
    private(set) var failure: FileSystemError?
    private let work: (inout Item) throws(FileSystemError) -> Void

    /// - Parameter work: encodes one item's records, and writes the group it ends; it may take
    ///   the records (to hand them back).
    init(work: @escaping (inout Item) throws(FileSystemError) -> Void) {
        self.work = work
        let thread = Thread { [self] in run() }
        thread.name = "returnrules-commit"
        thread.start()
    }

    func submit(_ item: Item) throws(FileSystemError) {
        condition.lock()
        defer { condition.unlock() }
        while item.end != nil, queuedEnds > 0, failure == nil { condition.wait() }
        if let failure { throw failure }
        if item.end != nil { queuedEnds += 1 }
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
            var item = queue.removeFirst()
            if item.end != nil { queuedEnds -= 1 }
            busy = true
            condition.unlock()
            var error: FileSystemError?
            do throws(FileSystemError) { try work(&item) } catch let failed { error = failed }
            condition.lock()
            busy = false
            if let error {
                failure = error
                queue.removeAll()
                queuedEnds = 0
            }
            condition.broadcast()
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
