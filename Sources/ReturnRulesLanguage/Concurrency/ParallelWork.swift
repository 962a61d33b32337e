import Dispatch
import Foundation

/// Runs independent pieces of work (rule checks, lint contexts) on two cores and returns their
/// results in input order, so the output does not depend on which thread finished first.
///
/// Each thread takes the next piece as it becomes free, so a thread that runs slower (or starts
/// late on a loaded machine) only does fewer pieces: nobody waits for a fixed half.
package enum ParallelWork {
    /// `body(0) … body(count - 1)`, on this thread and one helper, each taking the next index
    /// as it becomes free; `body` must touch only what its index owns and shared state it does
    /// not mutate.
    /// (`body` is escaping because the helper's block may outlive this call by a moment, after
    /// it has signalled that its work is done.)
    package static func map<T>(_ count: Int, _ body: @escaping (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        let slots = Slots<T>(count: count)
        let work = UncheckedSendable(body)
        let helperDone = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .userInitiated).async {
            WorkerThreadSetup.run()
            while let index = slots.claim() { slots.store(work.value(index), at: index) }
            helperDone.signal()
        }
        while let index = slots.claim() { slots.store(work.value(index), at: index) }
        // The helper may still be running its last index (or not have started): wait for it.
        helperDone.wait()
        return slots.results()
    }
}

/// One result per index, each written by the one thread that claimed the index, read after
/// both threads are done.
private final class Slots<T>: @unchecked Sendable {
    private let count: Int
    // Raw storage: each slot is written by one thread, so no array (and no copy-on-write check
    // on a shared buffer) is involved.
    private let values: UnsafeMutablePointer<T?>
    private var next = 0
    private let lock = NSLock()

    init(count: Int) {
        self.count = count
        values = .allocate(capacity: count)
        values.initialize(repeating: nil, count: count)
    }

    deinit {
        values.deinitialize(count: count)
        values.deallocate()
    }

    /// The next index nobody has taken, or nil when all are taken.
    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ value: T, at index: Int) { values[index] = value }

    func results() -> [T] { (0..<count).map { values[$0]! } }
}

/// Hands a value that is only read (or only used by one thread at a time) across threads.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
