/// The bytes a `JSONWriter` has written, in memory it can write into directly.
///
/// `[UInt8]` cannot expose its spare capacity, so appending a token to an array means composing
/// it elsewhere and copying it in (a generic `append(contentsOf:)` per token). Here a token is
/// written in place after one capacity check. Copy-on-write like an array: a copied writer
/// shares the storage until one of them writes.
final class JSONOutputBuffer: @unchecked Sendable {
    // @unchecked: the storage is only mutated through a uniquely referenced buffer (see
    // `JSONWriter.makeUnique`), which is the same rule that makes `Array` safe to send.
    private(set) var base: UnsafeMutablePointer<UInt8>
    var count: Int
    private(set) var capacity: Int

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
    @inline(__always)
    func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
