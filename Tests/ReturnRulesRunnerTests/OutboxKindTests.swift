import Checksums
import Testing
@testable import ReturnRulesRunner

/// The outbox index files each request under a number for its kind (found by comparing while
/// there are a few kinds, by a table past that): every request must read back with its own
/// kind, before and after a snapshot.
@Suite("Outbox kinds")
struct OutboxKindTests {
    @Test func everyRequestKeepsItsKindPastAHandfulOfKinds() throws {
        var index = OutboxIndex()
        let kinds = (0..<20).map { "kind-\($0)" } + ["note", "refund"]
        var expected: [String] = []
        for n in 0..<400 {
            let kind = kinds[(n * 7) % kinds.count]
            let key = SHA256.hash(Array("request \(n)".utf8)).hex(prefix: 32)
            let added = index.insert(OutboxRecord(sequence: UInt64(n), key: key, kind: kind, returnID: "r\(n % 9)", orderID: nil, plannedAt: 0,
                                                  eventTime: nil, offset: Int64(n), length: 1, ledger: nil, ack: nil))
            #expect(added)
            expected.append(kind)
        }
        #expect(index.values.map(\.kind) == expected)
        #expect(Set(index.kinds).count == index.kinds.count, "a kind is filed once")
        var decoded = try Fixtures.roundTrip(index)
        #expect(decoded.values.map(\.kind) == expected)
        // Filed after the snapshot: the numbers read back serve new requests too.
        let key = SHA256.hash(Array("one more".utf8)).hex(prefix: 32)
        let added = decoded.insert(OutboxRecord(sequence: 400, key: key, kind: "kind-3", returnID: "r0", orderID: nil, plannedAt: 0, eventTime: nil,
                                                offset: 400, length: 1, ledger: nil, ack: nil))
        #expect(added)
        #expect(decoded[key]?.kind == "kind-3")
        #expect(decoded.kinds.count == kinds.count)
    }
}
