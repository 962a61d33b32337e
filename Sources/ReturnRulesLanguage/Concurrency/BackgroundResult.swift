import Dispatch

/// A value computed on another core while the caller does other work; `value` waits for it.
///
/// The large-file paths (parsing, checking) start the second half of their work here and
/// take its result when they reach it, so the output is the same as doing it in order.
final class BackgroundResult<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the worker before `done` is signalled; read only after waiting on it.
    private var result: Value?
    private var taken = false

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            WorkerThreadSetup.run()
            self.result = work()
            self.done.signal()
        }
    }

    /// The result, waiting for the worker if it is not done yet. Call from one thread.
    var value: Value {
        if !taken {
            done.wait()
            taken = true
        }
        return result!
    }
}
