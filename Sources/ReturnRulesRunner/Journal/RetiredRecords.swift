/// Journal records that are durable and written, back on the planning thread to be freed there
/// (where they were made: memory freed on another thread than the one that allocated it costs
/// glibc's allocator, and both threads, dearly).
///
/// They are freed a few at a time, after each new record, not a whole group at once: what an
/// old record gives back is taken again at once by the next event's allocations, from the
/// allocator's per-thread cache and fast bins. A group of thousands of records freed in one go
/// overflowed those into the general bins, merged them there (`malloc_consolidate`) and sent
/// every allocation after it down the slow path. The emptied slice buffers are kept for the
/// journal's next slices instead of being freed and allocated again.
struct RetiredRecords {
    private var groups: [[PendingRecord]] = []
    private var emptied: [[PendingRecord]] = []
    /// Records waiting to be freed.
    private(set) var count = 0

    /// Emptied buffers kept for reuse: a slice is being filled while others are encoded.
    static let keptBuffers = 4

    mutating func add(_ group: [PendingRecord]) {
        guard !group.isEmpty else { return keepBuffer(group) }
        count += group.count
        groups.append(group)
    }

    /// Frees up to `limit` records (in any order: they are all durable).
    mutating func free(atMost limit: Int) {
        var left = limit
        while left > 0, !groups.isEmpty {
            groups[0].removeLast()
            count -= 1
            left -= 1
            if groups[0].isEmpty { keepBuffer(groups.removeFirst()) }
        }
    }

    /// An empty buffer with the capacity of an earlier group, if one is kept.
    mutating func takeBuffer() -> [PendingRecord]? {
        emptied.popLast()
    }

    private mutating func keepBuffer(_ buffer: consuming [PendingRecord]) {
        guard emptied.count < RetiredRecords.keptBuffers, buffer.capacity > 0 else { return }
        emptied.append(buffer)
    }
}
