#if canImport(Glibc)
import Testing
@testable import ReturnRulesCLI

/// `run` fixes glibc's mapping limit. What blocks glibc then maps depends on what its heaps
/// hold free already (a test process has freed plenty), so this checks that glibc took the
/// limit; the effect on a run's memory is measured, not tested (`RunAllocatorTuning`).
@Suite("CLI: run's allocator tuning")
struct RunAllocatorTuningTests {
    @Test func glibcTakesTheLimit() {
        // `check` sets its own limit once per process: let it have done so, then set ours.
        CheckAllocatorTuning.apply()
        #expect(RunAllocatorTuning.setLimit())
        #expect(RunAllocatorTuning.apply())
    }
}
#endif
