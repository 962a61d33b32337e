#if canImport(Glibc)
import Glibc
#endif

/// Sets glibc's allocator up for `check`, a short process that makes a few hundred thousand
/// small allocations on two threads (syntax nodes, typed expressions, lint tables) and frees
/// almost none of them before it exits.
///
/// Measured on a 10,000-rule file (Linux, glibc 2.36), two defaults cost about 30% of the CPU
/// time (130 ms of 2 threads down to 90 ms) and more of the wall time:
/// - A second thread gets a malloc arena of its own, and such an arena grows its heap a page
///   at a time, one `mprotect` call each (about 4,000 for that file): the helper thread ran at
///   about 60% of the main thread's speed and the main thread waited for it. One shared arena
///   grows by `brk` in large steps.
/// - Every 4 KiB page of the heap is a page fault when first touched (about 15,000). Reserving
///   the heap in one large step and marking it for transparent huge pages leaves about 1,400;
///   the big arrays (tokens, rules) come from that heap too instead of from `mmap` of their own.
/// Unused reserved address space costs nothing; pages still appear only when touched.
enum CheckAllocatorTuning {
    /// How far the heap grows in one step, and the largest block it still serves itself.
    static let heapStep = 128 << 20
    static let largeBlockLimit = 32 << 20
    static let hugePageSize = 2 << 20

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
        let arenaMax: Int32 = -8, mmapThreshold: Int32 = -3, topPad: Int32 = -2
        _ = mallopt(arenaMax, 1)
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
        #endif
        return true
    }()
}
