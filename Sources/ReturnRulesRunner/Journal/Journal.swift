import Checksums
import Foundation

/// The write-ahead journal: segment files of records framed as
///
///     [u32 LE payload length][u32 LE CRC32C of (length bytes + payload)][payload]
///
/// Segment files are `journal/<first sequence, 20 digits>.rrj` and start with a 24-byte header
/// (`RRJRNL01`, the first sequence number, a CRC32C of both). Records are added to a pending
/// group and made durable by `commit()`: on the commit thread, the group's lines are rendered
/// and its records encoded (`GroupEncoder`) and checksummed, then one `write` and one
/// `fdatasync` for the whole group, then the projection lines when due.
final class Journal: @unchecked Sendable {
    static let magic: [UInt8] = Array("RRJRNL01".utf8)
    static let headerSize = 24
    static let frameOverhead = 8
    /// Larger than any record the runner writes (a dead letter keeps its raw input).
    static let maximumPayload = 256 << 20
    static let segmentSuffix = ".rrj"

    struct Segment {
        var firstSequence: UInt64
        var path: String
    }

    let fs: RunnerFileSystem
    let directory: String
    let segmentLimit: Int
    private(set) var segments: [Segment]
    private var file: AppendFile?
    private var committedSize: Int
    /// The sequence number the next record gets.
    private(set) var nextSequence: UInt64
    /// The last durable record (written by the commit thread; read after `drain()`).
    private(set) var lastCommitted: UInt64
    private var pending: [PendingRecord] = []
    private var pendingFirst: UInt64?
    private(set) var pendingCount = 0
    /// About how many bytes the pending group will encode to (for the group-commit limit).
    private(set) var pendingBytes = 0
    private var failure: FileSystemError?
    /// The projection files the commit thread appends to after a group is durable.
    var projectionFiles: [AppendFile] = []
    /// Projection lines are written once this many bytes wait (or when a commit asks).
    var projectionFlushBytes = 256 << 10
    private var pipeline: CommitPipeline?

    /// The commit thread's own: the encoded group and the lines not yet written.
    private var encoder = GroupEncoder()
    /// Line lengths of rendered groups, for the planning thread (`takeRendered`), and the
    /// groups' records, handed back to be freed there (`RetiredRecords`).
    private let renderedLock = NSLock()
    private var rendered: [RenderedLengths] = []
    private var retired: [[PendingRecord]] = []
    /// The planning thread's own: records handed back, freed a few at a time.
    private var freeing = RetiredRecords()

    /// Opens the journal for appending after a scan (`lastSequence` is the last good record).
    init(fs: RunnerFileSystem, directory: String, scan: JournalScan.Outcome, segmentLimit: Int) throws(FileSystemError) {
        self.fs = fs
        self.directory = directory
        self.segmentLimit = segmentLimit
        segments = scan.segments
        nextSequence = scan.lastSequence + 1
        lastCommitted = scan.lastSequence
        committedSize = 0
        if let last = segments.last {
            let opened = try fs.openAppend(last.path)
            file = opened
            committedSize = opened.size
        } else {
            try createSegment(firstSequence: nextSequence)
        }
    }

    static func segmentName(_ first: UInt64) -> String {
        let digits = String(first)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + segmentSuffix
    }

    static func header(firstSequence: UInt64) -> [UInt8] {
        var w = ByteWriter(reservingCapacity: headerSize)
        w.raw(magic)
        w.u64(firstSequence)
        w.u32(CRC32C.checksum(w.bytes))
        w.u32(0)
        return w.bytes
    }

    /// The sequence the record being added now belongs to, and its batch's first sequence.
    var batchStart: UInt64 { pendingFirst ?? nextSequence }
    var hasPending: Bool { pendingCount > 0 }

    /// Records handed to the commit thread at a time, to render and encode while the group
    /// forms: they are still in the caches, and they come back to be freed a few milliseconds
    /// after they were made instead of a whole group later.
    static let sliceRecords = 64

    /// Adds a record to the pending group. Its header's sequence must be `nextSequence`.
    /// Frees two records handed back: twice the rate they come back at, so none wait long.
    func add(_ record: PendingRecord) {
        pendingBytes += Journal.estimatedSize(record)
        pending.append(record)
        if pendingFirst == nil { pendingFirst = nextSequence }
        nextSequence += 1
        pendingCount += 1
        freeing.free(atMost: 2)
        // A failure here is thrown by the next `commit` (nothing after it is ever durable).
        if pending.count >= Journal.sliceRecords, failure == nil { try? handOver(end: nil) }
    }

    /// A record's encoded size, roughly: its lines, or what rendering them usually gives.
    static func estimatedSize(_ record: PendingRecord) -> Int {
        switch record {
        case .ready(_, let entry): return 256 + ProjectionLines.lengths(entry).reduce(0) { $0 + Int($1) }
        case .event(_, let event): return 1024 + 1280 * event.requestSteps.count
        case .deadLetter(_, let letter): return 512 + 2 * letter.raw.count
        }
    }

    /// Frames one encoded record: length, a blank checksum (see `sealFrames`), payload.
    static func frame(into w: inout ByteWriter, _ encode: (inout ByteWriter) -> Void) {
        let lengthOffset = w.count
        w.u32(0)
        w.u32(0)
        let payloadStart = w.count
        encode(&w)
        w.patchU32(UInt32(w.count - payloadStart), at: lengthOffset)
    }

    /// Writes the CRC32C of every frame of a group (over its length field and payload) into
    /// the frame's checksum field.
    static func sealFrames(_ group: UnsafeMutableRawBufferPointer) {
        var position = 0
        while position + frameOverhead <= group.count {
            let length = Int(group.loadUnaligned(fromByteOffset: position, as: UInt32.self).littleEndian)
            let payloadStart = position + frameOverhead
            precondition(payloadStart + length <= group.count, "a journal group holds whole frames")
            var check = CRC32C()
            check.update(UnsafeRawBufferPointer(rebasing: group[position..<position + 4]))
            check.update(UnsafeRawBufferPointer(rebasing: group[payloadStart..<payloadStart + length]))
            group.storeBytes(of: check.finalize().littleEndian, toByteOffset: position + 4, as: UInt32.self)
            position = payloadStart + length
        }
    }

    /// Ends the pending group: the commit thread renders and encodes its last records (the
    /// others were handed over as they came, `add`), writes it, makes it durable, then writes
    /// the projection lines of this and earlier groups if `flushProjections` (or enough of them
    /// wait). Returns at once unless the end of another group is already waiting. A failure
    /// (now or of an earlier group) is thrown; the journal is then cut back to its last durable
    /// byte (so its tail is whole records only) and refuses further writes.
    func commit(flushProjections: Bool) throws(FileSystemError) {
        if let failure { throw failure }
        if let failure = pipeline?.failure { throw failure }
        guard pendingCount > 0 || flushProjections else { return }
        pendingFirst = nil
        pendingCount = 0
        pendingBytes = 0
        try handOver(end: CommitPipeline.GroupEnd(lastSequence: nextSequence - 1, flushProjections: flushProjections))
    }

    /// Hands the records added since the last hand-over to the commit thread, ending the group
    /// with `end`. Takes back the records it has encoded since, to free them here.
    private func handOver(end: CommitPipeline.GroupEnd?) throws(FileSystemError) {
        if pipeline == nil {
            pipeline = CommitPipeline { [unowned self] (item: inout CommitPipeline.Item) throws(FileSystemError) in try write(&item) }
        }
        let item = CommitPipeline.Item(records: pending, end: end)
        // The buffer of a slice already encoded and freed, rather than a new one per slice.
        pending = freeing.takeBuffer() ?? []
        pending.reserveCapacity(Journal.sliceRecords)
        takeRetired()
        do {
            try pipeline!.submit(item)
        } catch {
            failure = error
            throw error
        }
    }

    /// Moves the records the commit thread has encoded into `freeing`.
    private func takeRetired() {
        renderedLock.lock()
        let records = retired
        retired = []
        renderedLock.unlock()
        for slice in records { freeing.add(slice) }
    }

    /// The line lengths of the records rendered since the last call, oldest first, a slice
    /// at a time. Their records are kept to be freed on this thread, a few with each record
    /// added (`add`).
    func takeRendered() -> [RenderedLengths] {
        renderedLock.lock()
        let lengths = rendered
        rendered = []
        renderedLock.unlock()
        takeRetired()
        return lengths
    }

    /// Waits until every group handed over is durable (and its projection lines written).
    func drain() throws(FileSystemError) {
        if let failure { throw failure }
        do {
            try pipeline?.drain()
        } catch {
            failure = error
            throw error
        }
    }

    /// On the commit thread: one slice of a group, encoded into the group, its records handed
    /// back (the item keeps none, so they are freed on the planning thread alone); and, at the
    /// group's end, the group written and synced, then the projection lines when due.
    private func write(_ item: inout CommitPipeline.Item) throws(FileSystemError) {
        guard let file else { return }
        if !item.records.isEmpty {
            let lengths = encoder.encode(item.records)
            renderedLock.lock()
            if !lengths.isEmpty { rendered.append(lengths) }
            retired.append(item.records)
            item.records = []
            renderedLock.unlock()
        }
        guard let end = item.end else { return }
        if encoder.hasGroup {
            encoder.withGroupBytes { Journal.sealFrames($0) }
            do {
                try file.append(encoder.group.bytes)
                try file.sync()
            } catch {
                try? file.truncate(to: committedSize)
                try? file.sync()
                throw error
            }
            encoder.startGroup()
            committedSize = file.size
            lastCommitted = end.lastSequence
        }
        if end.flushProjections || encoder.waitingLineBytes >= projectionFlushBytes {
            for index in 0..<3 {
                try encoder.takeLines(index) { (lines) throws(FileSystemError) in try projectionFiles[index].append(lines) }
            }
        }
        if committedSize >= segmentLimit { try createSegment(firstSequence: end.lastSequence + 1) }
    }

    /// Starts a new segment: header written and synced, directory synced, before any record goes in.
    private func createSegment(firstSequence: UInt64) throws(FileSystemError) {
        let path = PathText.join(directory, Journal.segmentName(firstSequence))
        let created = try fs.openAppend(path)
        if created.size > 0 { try created.truncate(to: 0) }
        try created.append(Journal.header(firstSequence: firstSequence))
        try created.sync()
        try fs.syncDirectory(directory)
        file?.close()
        file = created
        committedSize = created.size
        segments.append(Segment(firstSequence: firstSequence, path: path))
    }

    /// Deletes segments whose records are all at or before `sequence` (never the current one).
    func removeSegments(coveredBy sequence: UInt64) throws(FileSystemError) {
        var removed = false
        while segments.count > 1, segments[1].firstSequence <= sequence + 1 {
            try fs.remove(segments[0].path)
            segments.removeFirst()
            removed = true
        }
        if removed { try fs.syncDirectory(directory) }
    }

    func close() {
        pipeline?.stop()
        pipeline = nil
        file?.close()
        file = nil
    }
}

/// Reads the journal back: checks every record's frame and checksum, its sequence number, and
/// decides what a damaged record means.
///
/// - A damaged record (bad length, bad checksum, wrong sequence) in the last segment that is
///   followed by nothing valid, or only by records of its own write batch, is an unfinished
///   write: it is cut off (in repair mode) with a warning.
/// - A damaged record followed by a record of a later batch, or in any segment but the last,
///   is damage in the middle: the scan stops with an error naming the segment and the offset.
///   Nothing is guessed.
enum JournalScan {
    struct Outcome {
        var segments: [Journal.Segment]
        var lastSequence: UInt64
        var warnings: [String]
        var recordsVisited: Int
    }

    struct Damage: Error, CustomStringConvertible {
        var segment: String
        var offset: Int
        var message: String
        var description: String { "the journal is damaged in \(segment) at byte offset \(offset): \(message)" }
    }

    enum Problem {
        case frame(offset: Int, why: String)
    }

    static func listSegments(fs: RunnerFileSystem, directory: String) throws(FileSystemError) -> [Journal.Segment] {
        guard fs.isDirectory(directory) else { return [] }
        var found: [Journal.Segment] = []
        for name in try fs.list(directory) where name.hasSuffix(Journal.segmentSuffix) {
            let stem = name.dropLast(Journal.segmentSuffix.count)
            guard stem.count == 20, stem.allSatisfy(\.isASCIIDigit), let first = UInt64(stem) else { continue }
            found.append(Journal.Segment(firstSequence: first, path: PathText.join(directory, name)))
        }
        return found.sorted { $0.firstSequence < $1.firstSequence }
    }

    /// Scans the journal, calling `visit` for every record after `snapshotSequence`, in order.
    static func scan(fs: RunnerFileSystem, directory: String, after snapshotSequence: UInt64, repair: Bool,
                     visit: (UnsafeRawBufferPointer) throws -> Void) throws -> Outcome {
        var segments = try listSegments(fs: fs, directory: directory)
        var warnings: [String] = []
        var visited = 0
        guard !segments.isEmpty else {
            return Outcome(segments: [], lastSequence: snapshotSequence, warnings: warnings, recordsVisited: 0)
        }
        guard segments[0].firstSequence <= snapshotSequence + 1 else {
            throw Damage(segment: PathText.name(segments[0].path), offset: 0,
                         message: "it starts at record \(segments[0].firstSequence) but the newest usable snapshot ends at record \(snapshotSequence); records \(snapshotSequence + 1)–\(segments[0].firstSequence - 1) are missing")
        }
        // The first segment that holds records after the snapshot.
        var start = 0
        for (index, segment) in segments.enumerated() where segment.firstSequence <= snapshotSequence + 1 { start = index }
        var expected = segments[start].firstSequence
        var index = start
        while index < segments.count {
            let segment = segments[index]
            let isLast = index == segments.count - 1
            let name = PathText.name(segment.path)
            guard segment.firstSequence == expected || index == start else {
                throw Damage(segment: name, offset: 0, message: "it starts at record \(segment.firstSequence), but the previous segment ends at record \(expected - 1)")
            }
            let bytes = try fs.readAll(segment.path)
            var cut: Int?
            var stop: Damage?
            try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
                // The header.
                if raw.count < Journal.headerSize || !validHeader(raw, first: segment.firstSequence) {
                    if isLast, !containsValidRecord(raw, from: min(raw.count, Journal.headerSize), after: expected - 1, batchLimit: nil).found {
                        cut = 0
                        return
                    }
                    stop = Damage(segment: name, offset: 0, message: "the segment header is damaged")
                    return
                }
                var position = Journal.headerSize
                while position < raw.count {
                    let problem: String?
                    var payloadRange = 0..<0
                    if raw.count - position < Journal.frameOverhead {
                        problem = "an incomplete record header (\(raw.count - position) bytes)"
                    } else {
                        let length = Int(readU32(raw, position))
                        let crc = readU32(raw, position + 4)
                        if length == 0 || length > Journal.maximumPayload {
                            problem = "an impossible record length \(length)"
                        } else if position + Journal.frameOverhead + length > raw.count {
                            problem = "a record of \(length) bytes that runs past the end of the file"
                        } else {
                            var check = CRC32C()
                            check.update(UnsafeRawBufferPointer(rebasing: raw[position..<position + 4]))
                            payloadRange = position + 8..<position + 8 + length
                            check.update(UnsafeRawBufferPointer(rebasing: raw[payloadRange]))
                            if check.finalize() != crc {
                                problem = "a checksum mismatch"
                            } else if let header = JournalCodec.peekHeader(UnsafeRawBufferPointer(rebasing: raw[payloadRange])) {
                                problem = header.sequence == expected ? nil : "record \(header.sequence) where record \(expected) was expected"
                            } else {
                                problem = "an unreadable record header"
                            }
                        }
                    }
                    if let problem {
                        // Damage: a torn tail, or damage in the middle?
                        if !isLast {
                            stop = Damage(segment: name, offset: position, message: "\(problem); it is not the last segment, so this is not an interrupted write")
                            return
                        }
                        let after = containsValidRecord(raw, from: position + 1, after: expected - 1, batchLimit: expected)
                        if after.laterBatch {
                            stop = Damage(segment: name, offset: position,
                                          message: "\(problem), followed by valid records of a later write (record \(after.sequence)); records after a committed write cannot be guessed")
                            return
                        }
                        cut = position
                        warnings.append("journal \(name) ended with \(problem) at byte offset \(position) (\(raw.count - position) bytes, an interrupted write): "
                                        + (repair ? "cut off" : "ignored") + "; the last complete record is \(expected - 1)")
                        return
                    }
                    if expected > snapshotSequence {
                        try visit(UnsafeRawBufferPointer(rebasing: raw[payloadRange]))
                        visited += 1
                    }
                    expected += 1
                    position = payloadRange.upperBound
                }
            }
            if let stop { throw stop }
            if let cut {
                if cut == 0 {
                    warnings.append("journal \(name) is an unfinished new segment (no complete header): " + (repair ? "removed" : "ignored"))
                    if repair {
                        try fs.remove(segment.path)
                        try fs.syncDirectory(directory)
                    }
                    segments.remove(at: index)
                    continue
                }
                if repair { try fs.truncate(segment.path, to: cut) }
            }
            index += 1
        }
        return Outcome(segments: segments, lastSequence: expected - 1, warnings: warnings, recordsVisited: visited)
    }

    static func validHeader(_ raw: UnsafeRawBufferPointer, first: UInt64) -> Bool {
        guard raw.count >= Journal.headerSize else { return false }
        for (index, byte) in Journal.magic.enumerated() where raw[index] != byte { return false }
        var first8: UInt64 = 0
        for index in 0..<8 { first8 |= UInt64(raw[8 + index]) << (8 * UInt64(index)) }
        guard first8 == first else { return false }
        return CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<16])) == readU32(raw, 16)
    }

    @inline(__always)
    static func readU32(_ raw: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(raw[offset]) | UInt32(raw[offset + 1]) << 8 | UInt32(raw[offset + 2]) << 16 | UInt32(raw[offset + 3]) << 24
    }

    /// Looks for any valid record after a damaged one. `laterBatch` is true when one belongs to
    /// a write batch that started after `batchLimit` (the damaged record's sequence).
    static func containsValidRecord(_ raw: UnsafeRawBufferPointer, from start: Int, after sequence: UInt64,
                                    batchLimit: UInt64?) -> (found: Bool, laterBatch: Bool, sequence: UInt64) {
        var position = start
        var found = false
        while position + Journal.frameOverhead < raw.count {
            let length = Int(readU32(raw, position))
            if length >= 3, length <= Journal.maximumPayload, position + Journal.frameOverhead + length <= raw.count {
                let payload = UnsafeRawBufferPointer(rebasing: raw[position + 8..<position + 8 + length])
                if let header = JournalCodec.peekHeader(payload), header.sequence > sequence, header.sequence < sequence + (1 << 32) {
                    var check = CRC32C()
                    check.update(UnsafeRawBufferPointer(rebasing: raw[position..<position + 4]))
                    check.update(payload)
                    if check.finalize() == readU32(raw, position + 4) {
                        found = true
                        if let limit = batchLimit, header.batchStart > limit { return (true, true, header.sequence) }
                        position += Journal.frameOverhead + length
                        continue
                    }
                }
            }
            position += 1
        }
        return (found, false, 0)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
