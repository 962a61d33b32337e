import Foundation
import Synchronization
import Testing
@testable import ReturnRulesLanguage

/// The two-core helpers behind lexing, parsing, checking and the lints.
@Suite("Parallel work", .serialized)
struct ParallelWorkTests {
    @Test func resultsComeBackInInputOrder() {
        let squares = ParallelWork.map(5_000) { $0 * $0 }
        #expect(squares == (0..<5_000).map { $0 * $0 })
    }

    /// A helper stuck in its piece (here until the map has returned) does not hold the caller:
    /// with `redoStalled` the caller computes that piece too. Without it this would never return.
    @Test func aStalledHelpersPieceIsRedone() {
        let caller = UInt(bitPattern: Int(bitPattern: pthread_self()))
        let release = DispatchSemaphore(value: 0)
        let stalled = Mutex(0)
        let results = ParallelWork.map(64, redoStalled: true) { index -> Int in
            if UInt(bitPattern: Int(bitPattern: pthread_self())) != caller {
                stalled.withLock { $0 += 1 }
                release.wait()
            }
            return index * 3
        }
        #expect(results == (0..<64).map { $0 * 3 })
        for _ in 0..<stalled.withLock({ $0 }) { release.signal() }
        // Whatever the helper still returns afterwards is dropped, not stored over a result.
        release.signal()
    }

    @Test func aBackgroundResultIsTheWorkersValue() {
        let result = BackgroundResult { (1...100).reduce(0, +) }
        #expect(result.value == 5_050)
        #expect(result.value == 5_050)
    }

    /// The tool tunes each helper thread's allocator through this hook: it must run on the
    /// helper thread, before that thread does any of the work.
    @Test func theSetupRunsOnTheHelperThreadBeforeItsWork() {
        let prepared = Mutex<Set<UInt>>([])
        WorkerThreadSetup.install { prepared.withLock { _ = $0.insert(UInt(bitPattern: Int(bitPattern: pthread_self()))) } }
        defer { WorkerThreadSetup.install(nil) }
        let caller = UInt(bitPattern: Int(bitPattern: pthread_self()))
        let unprepared = Mutex(0)
        let helperPieces = Mutex(0)
        _ = ParallelWork.map(2_000) { index -> Int in
            let thread = UInt(bitPattern: Int(bitPattern: pthread_self()))
            if thread != caller {
                helperPieces.withLock { $0 += 1 }
                if !prepared.withLock({ $0.contains(thread) }) { unprepared.withLock { $0 += 1 } }
            }
            // Enough work per piece that the helper usually takes some.
            return (0..<200).reduce(index, &+)
        }
        _ = BackgroundResult { 1 }.value
        #expect(unprepared.withLock { $0 } == 0)
        // The hook ran at least for the background result, whose work always runs on a helper.
        #expect(!prepared.withLock { $0.isEmpty })
    }
}
