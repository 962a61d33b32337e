/// The bytes a `JSONWriter` has written, in memory it can write into directly.
///
/// `[UInt8]` cannot expose its spare capacity, so appending a token to an array means composing
/// it elsewhere and copying it in (a generic `append(contentsOf:)` per token). Here a token is
/// written in place after one capacity check. Copy-on-write like an array: a copied writer
/// shares the storage until one of them writes.
///
/// Usable from inlinable code, so `CompactJSON.raw` (a literal per member of every plan event)
/// inlines into its callers in other modules instead of being a call each.
@usableFromInline
final class JSONOutputBuffer: @unchecked Sendable {
    // @unchecked: the storage is only mutated through a uniquely referenced buffer (see
    // `JSONWriter.makeUnique`), which is the same rule that makes `Array` safe to send.
    // Unchecked exclusivity: inlined into another module, each access to these was a dynamic
    // check (`swift_beginAccess`), and only the buffer's one owner touches them.
    @exclusivity(unchecked) @usableFromInline private(set) var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) @usableFromInline var count: Int
    @exclusivity(unchecked) @usableFromInline private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
        count = 0
    }

    deinit { base.deallocate() }

    func copy() -> JSONOutputBuffer {
        let copy = JSONOutputBuffer(capacity: capacity)
        copy.base.update(from: base, count: count)
        copy.count = count
        return copy
    }

    /// Makes room for `extra` more bytes, at least doubling so appends stay amortised O(1).
    @inlinable @inline(__always)
    func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    @usableFromInline
    func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
