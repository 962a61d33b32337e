#if canImport(Glibc)
import Glibc
#endif

/// Sets glibc's allocator up for `run`, a long process whose memory should follow its state,
/// not its age.
///
/// glibc maps each block of 128 KiB or more and, by default, raises that limit to the size of
/// every mapped block freed (up to 32 MiB). The runner frees blocks of a few MiB all the time
/// (journal write groups, snapshot pieces, projection buffers); after the first one, later such
/// blocks come from the heaps of the threads that ask for them, where the heap keeps the pages
/// once they are freed, between smaller blocks that are still in use. Measured over the fixed
/// 10,000 returns of `bounded.jsonl` (1,000,000 events): peak RSS 99–100 MiB after its first
/// quarter and 123 MiB after the whole stream by default (1.23–1.24×); 97 and 112–113 MiB
/// (1.16×) with this fixed limit. Each block mapped costs its page faults again (about 0.3 more
/// per event), which the runner's time does not show.
enum RunAllocatorTuning {
    /// Blocks at least this large are mapped, and unmapped when freed.
    static let largeBlockLimit = 1 << 20

    /// Once per process; later calls do nothing. Returns whether the limit is set.
    @discardableResult
    static func apply() -> Bool { applied }

    private static let applied = setLimit()

    /// Sets the limit now (the last of `run`'s and `check`'s tunings in one process wins).
    static func setLimit() -> Bool {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not import.
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        // M_MMAP_THRESHOLD from <malloc.h>; setting it also stops glibc from moving it.
        let mmapThreshold: Int32 = -3
        return mallopt(mmapThreshold, Int32(largeBlockLimit)) == 1
        #else
        return false
        #endif
    }
}
