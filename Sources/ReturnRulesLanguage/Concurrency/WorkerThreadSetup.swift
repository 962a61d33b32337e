import Synchronization

/// Work the caller wants done on each helper thread before it runs a piece of the language's
/// parallel work (the tool uses it to tune that thread's allocator). Set once, before any
/// parallel work starts; the language itself knows nothing of what it does.
package enum WorkerThreadSetup {
    private static let action = Mutex<(@Sendable () -> Void)?>(nil)

    /// Runs `setup` at the start of every later piece of helper-thread work; it must be cheap
    /// and safe to repeat on the same thread. Nil removes it.
    package static func install(_ setup: (@Sendable () -> Void)?) {
        action.withLock { $0 = setup }
    }

    /// Called first thing on a helper thread.
    static func run() {
        action.withLock { $0 }?()
    }
}
