import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Frees a large value later, on another thread.
///
/// A checked 10,000-rule file is a few hundred thousand small allocations (syntax nodes, typed
/// expressions, tokens, lint tables); freeing them one by one took about a tenth of `check`.
/// Whoever holds the last reference can hand it here and go on: a low-priority thread drops it
/// a moment later (`delay`), so the freeing neither runs on the caller's thread nor competes
/// with the work still to do (it contends for the allocator), and a short-lived process such as
/// `returnrules check` exits before it starts.
public enum BackgroundRelease {
    /// Drops `value` on the release thread. The caller must not hold other references that it
    /// goes on mutating (shared immutable parts are fine: reference counts are atomic).
    public static func drop<Value>(_ value: consuming Value) {
        ReleaseThread.shared.enqueue(ReleaseBox(value))
    }
}

/// One thread that frees what it is handed, at the lowest priority.
private final class ReleaseThread: @unchecked Sendable {
    static let shared = ReleaseThread()

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pending: [AnyObject] = []

    private init() {
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "returnrules.release"
        thread.qualityOfService = .background
        thread.start()
    }

    func enqueue(_ box: AnyObject) {
        condition.lock()
        pending.append(box)
        condition.signal()
        condition.unlock()
    }

    /// How long a value waits before it is freed; work handed over in the meantime waits too.
    static let delay: TimeInterval = 0.25

    private func run() {
        #if canImport(Glibc)
        // Linux nice values are per thread: 19 leaves this one only the CPU others do not use.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        #endif
        while true {
            condition.lock()
            while pending.isEmpty { condition.wait() }
            condition.unlock()
            Thread.sleep(forTimeInterval: ReleaseThread.delay)
            condition.lock()
            var batch = pending
            pending = []
            condition.unlock()
            // The values are freed here, outside the lock.
            batch.removeAll()
        }
    }
}

/// Carries a value to the release thread; only that thread touches it afterwards.
private final class ReleaseBox<Value> {
    private let value: Value
    init(_ value: consuming Value) { self.value = value }
}
