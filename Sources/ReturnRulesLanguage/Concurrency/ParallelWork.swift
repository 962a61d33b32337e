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
    ///
    /// `redoStalled`: when this thread has run out of indices and the helper's last one is late
    /// (twice this thread's average piece, at least 2 ms), this thread computes it too and the
    /// first result stored wins. On a VM whose host backs memory lazily the helper can stall
    /// tens of milliseconds in one page fault. Only for a `body` that is a pure function of its
    /// index: the two runs of one index may overlap.
    package static func map<T>(_ count: Int, redoStalled: Bool = false, _ body: @escaping (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        let slots = Slots<T>(count: count)
        let work = UncheckedSendable(body)
        let helperDone = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .userInitiated).async {
            WorkerThreadSetup.run()
            while let index = slots.claim() { slots.store(work.value(index), at: index) }
            helperDone.signal()
        }
        let started = DispatchTime.now().uptimeNanoseconds
        var ownPieces = 0
        while let index = slots.claim() {
            slots.store(work.value(index), at: index)
            ownPieces += 1
        }
        if redoStalled {
            let average = ownPieces == 0 ? 0 : (DispatchTime.now().uptimeNanoseconds - started) / UInt64(ownPieces)
            let patience = max(2_000_000, 2 * average)
            if helperDone.wait(timeout: .now() + .nanoseconds(Int(min(patience, UInt64(Int.max))))) == .timedOut {
                for index in slots.missing() { slots.store(work.value(index), at: index) }
            }
            return slots.results()
        }
        // The helper may still be running its last index (or not have started): wait for it.
        helperDone.wait()
        return slots.results()
    }
}

/// One result per index, each written by the one thread that claimed the index, read after
/// both threads are done.
private final class Slots<T>: @unchecked Sendable {
    private let count: Int
    // Raw storage, written under the lock (a slot may be computed by both threads, see
    // `redoStalled`), so no array (and no copy-on-write check on a shared buffer) is involved.
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

    /// The first value stored for an index wins (see `redoStalled`).
    func store(_ value: T, at index: Int) {
        lock.lock()
        defer { lock.unlock() }
        if values[index] == nil { values[index] = value }
    }

    /// Indices claimed but not stored yet (the helper's, once this thread has claimed its last).
    func missing() -> [Int] {
        lock.lock()
        defer { lock.unlock() }
        return (0..<count).filter { values[$0] == nil }
    }

    func results() -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return (0..<count).map { values[$0]! }
    }
}

/// Hands a value that is only read (or only used by one thread at a time) across threads.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
