import Checksums
import Foundation
import Testing
@testable import ReturnRulesRunner

/// The journal's frames: reading records back, cutting a torn tail, refusing damage in the middle.
@Suite("Journal")
struct JournalTests {
    /// Writes `batches` commits of `perBatch` small records (acknowledgements of unknown keys,
    /// which change nothing but are real records).
    static func write(_ directory: String, batches: Int, perBatch: Int, options: StateStore.Options = StateStore.Options()) throws {
        let store = try StateStore.open(directory: directory, mode: .readWrite, options: options)
        for batch in 0..<batches {
            for index in 0..<perBatch {
                try store.append(.ack(AckEntry(key: "key-\(batch)-\(index)", wooID: Int64(index), note: String(repeating: "n", count: 40), by: "test")))
            }
            try store.commit()
        }
        try store.close()
    }

    /// (offset, length) of every frame in a segment.
    static func frames(_ path: String) throws -> [(offset: Int, length: Int)] {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        var result: [(Int, Int)] = []
        var position = Journal.headerSize
        while position + 8 <= bytes.count {
            let length = Int(bytes[position]) | Int(bytes[position + 1]) << 8 | Int(bytes[position + 2]) << 16 | Int(bytes[position + 3]) << 24
            guard position + 8 + length <= bytes.count else { break }
            result.append((position, 8 + length))
            position += 8 + length
        }
        return result
    }

    static func segments(_ directory: String) -> [String] {
        let journal = directory + "/journal"
        return ((try? FileManager.default.contentsOfDirectory(atPath: journal)) ?? []).filter { $0.hasSuffix(".rrj") }.sorted().map { journal + "/" + $0 }
    }

    static func flip(_ path: String, at offset: Int) throws {
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        bytes[offset] ^= 0x5A
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func truncate(_ path: String, to size: Int) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
    }

    @Test func recordsReadBackInOrder() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        try Self.write(directory, batches: 5, perBatch: 20)
        let store = try StateStore.open(directory: directory, mode: .readOnly)
        #expect(store.state.lastSequence == 100)
        #expect(store.state.counters.acks == 100)
        #expect(store.warnings.isEmpty)
    }

    @Test func aTornLastRecordIsCutOffWithAWarning() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        try Self.write(directory, batches: 3, perBatch: 5)
        let segment = try #require(Self.segments(directory).last)
        let frames = try Self.frames(segment)
        let last = try #require(frames.last)
        try Self.truncate(segment, to: last.offset + last.length - 7)
        let store = try StateStore.open(directory: directory, mode: .readWrite)
        #expect(store.state.lastSequence == 14)
        #expect(store.warnings.contains { $0.contains("cut off") && $0.contains("offset \(last.offset)") }, "\(store.warnings)")
        try store.close()
        // The cut is durable: the next open finds a clean journal, and appends continue at 15.
        let again = try StateStore.open(directory: directory, mode: .readWrite)
        #expect(again.warnings.isEmpty)
        try again.append(.ack(AckEntry(key: "next", wooID: nil, note: nil, by: nil)))
        try again.commit()
        #expect(again.state.lastSequence == 15)
        try again.close()
    }

    @Test func aCorruptLastRecordIsFoundByItsChecksum() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        try Self.write(directory, batches: 3, perBatch: 5)
        let segment = try #require(Self.segments(directory).last)
        let last = try #require(try Self.frames(segment).last)
        try Self.flip(segment, at: last.offset + last.length - 3)
        let store = try StateStore.open(directory: directory, mode: .readWrite)
        #expect(store.state.lastSequence == 14)
        #expect(store.warnings.contains { $0.contains("checksum mismatch") && $0.contains("cut off") }, "\(store.warnings)")
        try store.close()
    }

    @Test func corruptionInTheMiddleStopsWithTheSegmentAndOffset() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        try Self.write(directory, batches: 4, perBatch: 5)
        let segment = try #require(Self.segments(directory).last)
        let sizeBefore = try #require(FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int)
        let frames = try Self.frames(segment)
        let victim = frames[7] // in the second batch; two later batches follow
        try Self.flip(segment, at: victim.offset + 12)
        let error = try #require(throws: StateError.self) { try StateStore.open(directory: directory, mode: .readWrite) }
        #expect(error.kind == .damaged)
        #expect(error.message.contains((segment as NSString).lastPathComponent))
        #expect(error.message.contains("offset \(victim.offset)"))
        #expect(error.message.contains("later write"))
        // Never guesses: nothing was cut.
        #expect(try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int == sizeBefore)
        // Read-only commands refuse too.
        #expect(throws: StateError.self) { try StateStore.open(directory: directory, mode: .readOnly) }
    }

    @Test func damageFollowedOnlyByItsOwnUnfinishedBatchIsCut() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        try Self.write(directory, batches: 2, perBatch: 10)
        let segment = try #require(Self.segments(directory).last)
        let frames = try Self.frames(segment)
        // Record 15 of the last batch (11…20) is damaged; 16…20 belong to the same write.
        try Self.flip(segment, at: frames[14].offset + 10)
        let store = try StateStore.open(directory: directory, mode: .readWrite)
        #expect(store.state.lastSequence == 14)
        #expect(store.warnings.contains { $0.contains("cut off") })
        try store.close()
    }

    @Test func segmentsRotateAndDamageInAnEarlierSegmentIsAnError() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        var options = StateStore.Options()
        options.segmentBytes = 2_000
        try Self.write(directory, batches: 12, perBatch: 5, options: options)
        let segments = Self.segments(directory)
        #expect(segments.count >= 3)
        let reopened = try StateStore.open(directory: directory, mode: .readOnly, options: options)
        #expect(reopened.state.lastSequence == 60)
        // The last record of the first segment: not the journal's tail, so not a torn write.
        let last = try #require(try Self.frames(segments[0]).last)
        try Self.truncate(segments[0], to: last.offset + 5)
        let error = try #require(throws: StateError.self) { try StateStore.open(directory: directory, mode: .readWrite, options: options) }
        #expect(error.message.contains((segments[0] as NSString).lastPathComponent))
        #expect(error.message.contains("not the last segment"))
    }

    @Test func anUnfinishedNewSegmentIsRemoved() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        try Self.write(directory, batches: 2, perBatch: 5)
        // A crash while the next segment's header was being written.
        let header = Journal.header(firstSequence: 11)
        try Data(header.prefix(9)).write(to: URL(fileURLWithPath: directory + "/journal/" + Journal.segmentName(11)))
        let store = try StateStore.open(directory: directory, mode: .readWrite)
        #expect(store.state.lastSequence == 10)
        #expect(store.warnings.contains { $0.contains("unfinished new segment") })
        try store.append(.ack(AckEntry(key: "k", wooID: nil, note: nil, by: nil)))
        try store.commit()
        try store.close()
        #expect(try StateStore.open(directory: directory, mode: .readOnly).state.lastSequence == 11)
    }

    @Test func aSecondWriterIsStoppedWithTheHoldersPID() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let first = try StateStore.open(directory: directory, mode: .readWrite)
        let error = try #require(throws: StateError.self) { try StateStore.open(directory: directory, mode: .readWrite) }
        #expect(error.kind == .locked)
        #expect(error.message.contains("pid \(getpid())"))
        // Readers do not need the lock.
        _ = try StateStore.open(directory: directory, mode: .readOnly)
        try first.close()
        try StateStore.open(directory: directory, mode: .readWrite).close()
    }

    @Test func anUnwritableStateDirectoryIsAClearError() throws {
        let directory = Fixtures.scratch()
        defer { Fixtures.remove(directory) }
        let denied = FaultInjectingFileSystem()
        denied.deniedPrefixes = [directory]
        let error = try #require(throws: StateError.self) {
            try StateStore.open(directory: directory + "/state", mode: .readWrite, fileSystem: denied)
        }
        #expect(error.kind == .io)
        #expect(error.message.contains("permission denied"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/state"))
        // An existing directory whose files cannot be created.
        try FileManager.default.createDirectory(atPath: directory + "/existing", withIntermediateDirectories: true)
        let second = try #require(throws: StateError.self) {
            try StateStore.open(directory: directory + "/existing", mode: .readWrite, fileSystem: denied)
        }
        #expect(second.message.contains("not writable"))
    }

    @Test func readOnlyOpenOfAMissingDirectorySaysSo() {
        let error = #expect(throws: StateError.self) { try StateStore.open(directory: "/nonexistent/rr-state", mode: .readOnly) }
        #expect(error?.kind == .missing)
    }
}
