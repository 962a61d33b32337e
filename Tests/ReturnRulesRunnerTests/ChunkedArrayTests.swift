import Testing
import ReturnRulesRunner

/// The state's long lists: an array in chunks must behave as an array, copies included (a
/// snapshot job keeps a copy while the runner goes on appending and settling).
@Suite("Chunked array")
struct ChunkedArrayTests {
    @Test func appendsAndReadsAcrossChunks() {
        var chunked = ChunkedArray<Int>()
        var plain: [Int] = []
        for value in 0..<10_000 {
            chunked.append(value * 7)
            plain.append(value * 7)
        }
        #expect(chunked.count == 10_000)
        #expect(Array(chunked) == plain)
        #expect(chunked[4_095] == 4_095 * 7)
        #expect(chunked[4_096] == 4_096 * 7)
        #expect(chunked.last == 9_999 * 7)
    }

    @Test func aCopyIsUnchangedByLaterWrites() {
        var chunked = ChunkedArray((0..<5_000).map { "hold \($0)" })
        let snapshot = chunked
        chunked[10] = "settled"
        chunked[4_500] += " (released)"
        chunked.append("new")
        #expect(snapshot.count == 5_000)
        #expect(snapshot[10] == "hold 10")
        #expect(snapshot[4_500] == "hold 4500")
        #expect(chunked[10] == "settled")
        #expect(chunked[4_500] == "hold 4500 (released)")
        #expect(chunked.count == 5_001)
        #expect(snapshot != chunked)
        #expect(ChunkedArray(Array(snapshot)) == snapshot)
    }

    @Test func anEmptyArrayHasNoElements() {
        let empty: ChunkedArray<Int> = []
        #expect(empty.isEmpty)
        #expect(Array(empty) == [])
    }
}
