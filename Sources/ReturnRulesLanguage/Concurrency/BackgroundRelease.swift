import Dispatch

/// Frees a large value on another core.
///
/// A checked 10,000-rule file is a few hundred thousand small allocations (syntax nodes, typed
/// expressions, tokens, lint tables); freeing them one by one took about a tenth of `check`.
/// Whoever holds the last reference can hand it here instead and go on: the value is dropped on
/// a background thread, and a process that exits first simply never frees it.
public enum BackgroundRelease {
    /// Drops `value` on a background thread. The caller must hold no other reference it still
    /// uses from another thread while this one frees it (shared immutable parts are fine:
    /// reference counts are atomic).
    public static func drop<Value>(_ value: consuming Value) {
        let box = UncheckedBox(value)
        DispatchQueue.global(qos: .utility).async { box.clear() }
    }
}

/// Carries a value to the releasing thread; only that thread touches it afterwards.
private final class UncheckedBox<Value>: @unchecked Sendable {
    private var value: Value?
    init(_ value: consuming Value) { self.value = value }
    func clear() { value = nil }
}
