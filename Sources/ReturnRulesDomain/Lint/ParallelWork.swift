import Dispatch

/// Runs independent pieces of lint work on every core and returns their results in input
/// order, so the output does not depend on which thread finished first.
enum ParallelWork {
    /// `body(0) … body(count - 1)`, concurrently; `body` must touch only what its index owns
    /// and shared state it does not mutate.
    static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        let slots = Slots<T>(count: count)
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots.store(work.value(index), at: index)
            }
        }
        return slots.results()
    }
}

/// One result per index, each written by exactly one iteration before `results()` reads them.
private final class Slots<T>: @unchecked Sendable {
    private var values: [T?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func store(_ value: T, at index: Int) {
        // Each index is written once, by its own iteration: distinct elements, no overlap.
        values.withUnsafeMutableBufferPointer { $0[index] = value }
    }

    func results() -> [T] { values.map { $0! } }
}

/// Hands a value that is only read (or only used by one thread at a time) across threads.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
