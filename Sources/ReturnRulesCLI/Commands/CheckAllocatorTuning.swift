import ReturnRulesLanguage
#if canImport(Glibc)
import Glibc
#endif

/// Sets glibc's allocator up for `check`, a short process that makes a few hundred thousand
/// small allocations on two threads (syntax nodes, typed expressions, lint tables) and frees
/// almost none of them before it exits.
///
/// Measured on a 10,000-rule file (Linux, glibc 2.36):
/// - Every 4 KiB page of the heap is a page fault when first touched (about 15,000), and a
///   thread's arena grows a page at a time, one `mprotect` call each (about 4,000). A large
///   `M_TOP_PAD` makes the main heap grow by `brk` in one large step and gives each new thread
///   arena its whole heap (64 MiB) at once. Both kinds of heap are marked for transparent
///   huge pages (a helper thread's when it first runs language work), which leaves about 1,500.
/// - Each thread keeps its own arena. Sharing one (`M_ARENA_MAX` 1) saved the arena's page
///   faults but made the two threads take turns on its lock: about 2,900 `futex` calls, and
///   the median wall time rose from about 110 ms to 140 ms.
/// Unused reserved address space costs nothing; pages still appear only when touched.
enum CheckAllocatorTuning {
    /// How far the heap grows in one step, and the largest block it still serves itself.
    static let heapStep = 128 << 20
    static let largeBlockLimit = 32 << 20
    static let hugePageSize = 2 << 20
    /// A thread arena's heap: glibc reserves it at this size and alignment (64-bit builds).
    static let threadHeapSize = 64 << 20

    /// Once per process; later calls do nothing.
    static func apply() { _ = applied }

    private static let applied: Bool = {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not import; `malloc`
        // is looked up too, so the compiler cannot drop the probe below as an unused pair.
        guard let malloptSymbol = dlsym(nil, "mallopt"), let mallocSymbol = dlsym(nil, "malloc") else { return false }
        let mallopt = unsafeBitCast(malloptSymbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        let allocate = unsafeBitCast(mallocSymbol, to: (@convention(c) (Int) -> UnsafeMutableRawPointer?).self)
        // The option numbers from <malloc.h>.
        let mmapThreshold: Int32 = -3, topPad: Int32 = -2
        _ = mallopt(mmapThreshold, Int32(largeBlockLimit))
        _ = mallopt(topPad, Int32(heapStep))
        // Grow the heap now (a block larger than what is left on top forces one `brk` step),
        // then ask for huge pages on the whole step, aligned as the kernel needs.
        let start = UInt(bitPattern: sbrk(0))
        if let probe = allocate(1 << 20) { free(probe) }
        let end = UInt(bitPattern: sbrk(0))
        let mask = UInt(hugePageSize - 1)
        let alignedStart = (start + mask) & ~mask
        let alignedEnd = end & ~mask
        if alignedEnd > alignedStart, let base = UnsafeMutableRawPointer(bitPattern: alignedStart) {
            _ = madvise(base, Int(alignedEnd - alignedStart), MADV_HUGEPAGE)
        }
        let mainHeap = start..<max(start, end)
        WorkerThreadSetup.install { adviseThreadHeap(outside: mainHeap) }
        #endif
        return true
    }()

    #if canImport(Glibc)
    /// Marks the calling thread's arena heap for huge pages; a heap is aligned to its size, so
    /// any block it serves gives its start. Repeating it on the same thread does no harm.
    private static func adviseThreadHeap(outside mainHeap: Range<UInt>) {
        guard let probe = malloc(64) else { return }
        let address = UInt(bitPattern: probe)
        free(probe)
        guard !mainHeap.contains(address), let heap = UnsafeMutableRawPointer(bitPattern: address & ~UInt(threadHeapSize - 1)) else { return }
        _ = madvise(heap, threadHeapSize, MADV_HUGEPAGE)
    }
    #endif
}
