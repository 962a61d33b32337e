import Foundation
import Checksums
import ReturnRulesDomain

/// Snapshots: the whole `RunnerState` after record N, so a restart replays only what follows.
///
///     "RRSNAP02" · u64 LE sequence · payload · u64 LE payload length · u32 LE CRC32C of all before it
///
/// (Written before payload version 4: "RRSNAP01" · u64 LE sequence · u64 LE payload length ·
/// payload · u32 LE CRC32C; still read.) The length comes after the payload so the snapshot
/// can be written a few megabytes at a time, never held whole in memory.
///
/// Written to a temporary file, synced, renamed into `snapshots/<sequence>.rrs`, and the
/// directory synced: a snapshot is either whole or absent. A damaged one is skipped for an
/// older one.
public enum SnapshotCodec {
    static let magic: [UInt8] = Array("RRSNAP02".utf8)
    /// The layout with the length before the payload (payload versions 2 and 3).
    static let lengthFirstMagic: [UInt8] = Array("RRSNAP01".utf8)
    static let suffix = ".rrs"
    /// Bumped when the payload layout changes. Versions in `readableVersions` still decode (a
    /// state directory written by the previous release opens); others are ignored, and the
    /// journal still holds what they summarised, as long as it was not compacted past them.
    /// 3: restock holds carry the item's EAN.
    /// 4: closed returns as compact bytes (`ClosedReturn`); the outbox as fixed-size entries
    ///    with tables of return ids and kinds (`OutboxIndex.encode`).
    static let payloadVersion: UInt8 = 4
    static let readableVersions: ClosedRange<UInt8> = 2...4

    /// The whole snapshot in one buffer (tests, small states).
    public static func encode(_ state: RunnerState) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(state) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Hands the snapshot to `sink` in pieces of about `chunkBytes`, in order: the job writes
    /// each piece to the file as it comes, so a snapshot of hundreds of megabytes costs a few.
    /// - Returns: its size in bytes.
    @discardableResult
    public static func encode(_ state: RunnerState, chunkBytes: Int = 4 << 20, sink: (UnsafeRawBufferPointer) -> Void) -> Int {
        var w = ByteWriter(reservingCapacity: min(chunkBytes, 4 << 20) + (64 << 10))
        var crc = CRC32C()
        var written = 0
        func hand(_ w: inout ByteWriter) {
            w.bytes.withUnsafeBytes { raw in
                crc.update(raw)
                sink(raw)
            }
            written += w.count
            w.reset()
        }
        w.raw(magic)
        w.u64(state.lastSequence)
        let headerSize = w.count
        encodePayload(state, into: &w) { w in if w.count >= chunkBytes { hand(&w) } }
        hand(&w)
        w.u64(UInt64(written - headerSize))
        crc.update(w.bytes)
        w.u32(crc.finalize())
        hand(&w)
        return written
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> RunnerState {
        var result: Result<RunnerState, DecodeError> = .failure(DecodeError("empty"))
        bytes.withUnsafeBytes { raw in result = Result { () throws(DecodeError) -> RunnerState in try decode(raw) } }
        return try result.get()
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> RunnerState {
        guard bytes.count >= 28 else { throw DecodeError("too short") }
        let lengthFirst = bytes[0..<8].elementsEqual(lengthFirstMagic)
        guard lengthFirst || bytes[0..<8].elementsEqual(magic) else { throw DecodeError("not a snapshot") }
        let crc = UInt32(bytes[bytes.count - 4]) | UInt32(bytes[bytes.count - 3]) << 8 | UInt32(bytes[bytes.count - 2]) << 16 | UInt32(bytes[bytes.count - 1]) << 24
        let body = UnsafeRawBufferPointer(rebasing: bytes[0..<bytes.count - 4])
        guard body.count >= 1 << 20 else {
            guard CRC32C.checksum(body) == crc else { throw DecodeError("checksum mismatch") }
            return try decodeAll(body, lengthFirst: lengthFirst)
        }
        // A large snapshot is checked on another core while it is decoded (a restart waits
        // for both); what was decoded is thrown away unless the checksum holds. The decoder
        // never trusts a length it reads, so damaged bytes are an error, not a crash.
        let checked = ChecksumJob(body)
        let decoded = Result { () throws(DecodeError) -> RunnerState in try decodeAll(body, lengthFirst: lengthFirst) }
        guard checked.wait() == crc else { throw DecodeError("checksum mismatch") }
        return try decoded.get()
    }

    /// - Parameter raw: the snapshot without its checksum.
    static func decodeAll(_ raw: UnsafeRawBufferPointer, lengthFirst: Bool) throws(DecodeError) -> RunnerState {
        var r: ByteReader
        let sequence: UInt64
        if lengthFirst {
            r = ByteReader(raw)
            _ = try r.u64()
            sequence = try r.u64()
            let length = try r.u64()
            guard length == UInt64(r.remaining) else { throw DecodeError("length mismatch") }
        } else {
            var trailer = ByteReader(UnsafeRawBufferPointer(rebasing: raw[(raw.count - 8)...]))
            let length = try trailer.u64()
            guard length == UInt64(raw.count - 24) else { throw DecodeError("length mismatch") }
            r = ByteReader(UnsafeRawBufferPointer(rebasing: raw[8..<(raw.count - 8)]))
            sequence = try r.u64()
        }
        var state = try decodePayload(&r)
        guard state.lastSequence == sequence else { throw DecodeError("sequence mismatch") }
        state.lastSequence = sequence
        return state
    }

    static func fileName(_ sequence: UInt64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    static func sequence(ofFile name: String) -> UInt64? {
        guard name.hasSuffix(suffix) else { return nil }
        let stem = name.dropLast(suffix.count)
        guard stem.count == 20, stem.allSatisfy(\.isASCIIDigit) else { return nil }
        return UInt64(stem)
    }

    // MARK: - Payload

    /// - Parameter spill: called between records, to hand on what is written so far.
    static func encodePayload(_ s: RunnerState, into w: inout ByteWriter, spill: (inout ByteWriter) -> Void = { _ in }) {
        w.u8(payloadVersion)
        w.varint(s.lastSequence)
        w.zigzag(s.lastTime)
        let c = s.counters
        for value in [c.events, c.planned, c.duplicates, c.stale, c.deadLetters, c.requests, c.acks, c.reviewsOpened, c.reviewsResolved,
                      c.holdsOpened, c.holdReleases, c.sessions] { w.varint(value) }
        w.zigzag(s.outboxBytes)
        w.zigzag(s.decisionBytes)
        w.zigzag(s.deadLetterBytes)
        StateChangeCodec.encode(s.planner, into: &w, spill: spill)
        s.outbox.encode(into: &w, spill: spill)
        w.varint(s.reviews.count)
        for review in s.reviews {
            spill(&w)
            w.varint(review.sequence)
            w.zigzag(review.openedAt)
            w.optionalString(review.eventTime)
            w.string(review.returnID)
            w.optionalString(review.orderReference)
            w.string(review.eventID)
            w.string(review.queue)
            w.string(review.reason)
            w.strings(review.figures)
            JournalCodec.encode(review.rule, into: &w)
            w.string(review.summary)
            if let resolution = review.resolution {
                w.u8(1)
                w.string(resolution.note)
                w.zigzag(resolution.time)
                w.optionalString(resolution.by)
            } else {
                w.u8(0)
            }
        }
        w.varint(s.holds.count)
        for hold in s.holds {
            spill(&w)
            w.string(hold.returnID)
            StateChangeCodec.encode(hold.hold, into: &w)
            w.zigzag(hold.openedAt)
            w.optionalString(hold.eventTime)
            w.varint(hold.sequence)
            if let closed = hold.closedAt {
                w.u8(1)
                w.zigzag(closed)
            } else {
                w.u8(0)
            }
            w.optionalString(hold.outcome)
            w.optionalString(hold.releasedBy)
        }
        let letters = s.deadLetters.sorted { $0.value.sequence < $1.value.sequence }
        w.varint(letters.count)
        for (digest, letter) in letters {
            w.digest(digest)
            w.varint(letter.sequence)
            w.zigzag(letter.time)
            JournalCodec.encode(letter.source, into: &w)
            w.string(letter.error)
            w.string(letter.jsonPath)
            w.optionalString(letter.eventID)
            if let replayed = letter.replayedAt {
                w.u8(1)
                w.zigzag(replayed)
            } else {
                w.u8(0)
            }
        }
        w.varint(s.consumedSpool.count)
        for (name, digest) in s.consumedSpool.sorted(by: { $0.key < $1.key }) {
            w.string(name)
            w.digest(digest)
        }
        if let session = s.session {
            w.u8(1)
            JournalCodec.encode(RecordHeader(sequence: 0, batchStart: 0, time: 0), .session(session), into: &w)
        } else {
            w.u8(0)
        }
    }

    static func encode(_ o: OutboxRecord, into w: inout ByteWriter) {
        w.varint(o.sequence)
        w.string(o.key)
        w.string(o.kind)
        w.string(o.returnID)
        w.optionalInt(o.orderID)
        w.zigzag(o.plannedAt)
        w.optionalInt(o.eventTime.map { Int($0) })
        w.zigzag(o.offset)
        w.varint(Int(o.length))
        if let ledger = o.ledger {
            w.u8(1)
            JournalCodec.encode(ledger, into: &w)
        } else {
            w.u8(0)
        }
        if let ack = o.ack {
            w.u8(1)
            encode(ack, into: &w)
        } else {
            w.u8(0)
        }
    }

    static func encode(_ ack: AckInfo, into w: inout ByteWriter) {
        if let id = ack.wooID {
            w.u8(1)
            w.zigzag(id)
        } else {
            w.u8(0)
        }
        w.zigzag(ack.time)
        w.optionalString(ack.note)
        w.optionalString(ack.by)
    }

    static func decodeAck(_ r: inout ByteReader) throws(DecodeError) -> AckInfo {
        let id: Int64? = try r.bool() ? try r.zigzag() : nil
        return AckInfo(wooID: id, time: try r.zigzag(), note: try r.optionalString(), by: try r.optionalString())
    }

    /// The outbox of payload versions 2 and 3: one record after the other, strings and all.
    static func decodeOutboxRecords(_ r: inout ByteReader, into outbox: inout OutboxIndex) throws(DecodeError) {
        let outboxCount = try r.count()
        outbox.reserveCapacity(outboxCount)
        for _ in 0..<outboxCount {
            let sequence = try r.varint()
            let key = try r.string()
            let kind = try r.string()
            let returnID = try r.string()
            let orderID = try r.optionalInt()
            let plannedAt = try r.zigzag()
            let eventTime = try r.optionalInt().map { Int64($0) }
            let offset = try r.zigzag()
            let length = Int32(truncatingIfNeeded: try r.int())
            let ledger = try r.bool() ? try JournalCodec.decodeLedger(&r) : nil
            let ack = try r.bool() ? try decodeAck(&r) : nil
            outbox[key] = OutboxRecord(sequence: sequence, key: key, kind: kind, returnID: returnID, orderID: orderID,
                                       plannedAt: plannedAt, eventTime: eventTime, offset: offset, length: length, ledger: ledger, ack: ack)
        }
    }

    /// Called with the name of each section once it is decoded (`dev replay --memory`).
    nonisolated(unsafe) static var sectionProbe: ((String) -> Void)?

    static func decodePayload(_ r: inout ByteReader) throws(DecodeError) -> RunnerState {
        sectionProbe?("start")
        let version = try r.u8()
        guard readableVersions.contains(version) else {
            throw DecodeError("snapshot payload version \(version), this runner reads \(readableVersions.lowerBound) to \(readableVersions.upperBound)")
        }
        let holdsWithEAN = version >= 3
        var s = RunnerState()
        s.lastSequence = try r.varint()
        s.lastTime = try r.zigzag()
        var c = RunnerState.Counters()
        c.events = try r.int()
        c.planned = try r.int()
        c.duplicates = try r.int()
        c.stale = try r.int()
        c.deadLetters = try r.int()
        c.requests = try r.int()
        c.acks = try r.int()
        c.reviewsOpened = try r.int()
        c.reviewsResolved = try r.int()
        c.holdsOpened = try r.int()
        c.holdReleases = try r.int()
        c.sessions = try r.int()
        s.counters = c
        s.outboxBytes = try r.zigzag()
        s.decisionBytes = try r.zigzag()
        s.deadLetterBytes = try r.zigzag()
        s.planner = try StateChangeCodec.decodePlannerState(from: &r, holdsWithEAN: holdsWithEAN, withClosed: version >= 4)
        sectionProbe?("planner: orders and stock deltas")
        if version >= 4 {
            s.outbox = try OutboxIndex.decode(from: &r)
        } else {
            try decodeOutboxRecords(&r, into: &s.outbox)
        }
        sectionProbe?("outbox index (\(s.outbox.count) requests)")

        let reviewCount = try r.count()
        s.reviews.reserveCapacity(reviewCount)
        for index in 0..<reviewCount {
            let sequence = try r.varint()
            let openedAt = try r.zigzag()
            let eventTime = try r.optionalString()
            let returnID = s.outbox.shared(returnID: try r.string())
            let order = try r.optionalString()
            let eventID = try r.string()
            let queue = s.texts.intern(try r.string())
            let reason = try r.string()
            let figures = try r.strings()
            let rule = try JournalCodec.decodeRule(&r)
            let summary = try r.string()
            var resolution: ReviewRecord.Resolution?
            if try r.bool() { resolution = ReviewRecord.Resolution(note: try r.string(), time: try r.zigzag(), by: try r.optionalString()) }
            s.reviews.append(ReviewRecord(id: index + 1, sequence: sequence, openedAt: openedAt, eventTime: eventTime, returnID: returnID,
                                          orderReference: order, eventID: eventID, queue: queue, reason: reason, figures: figures, rule: rule,
                                          summary: summary, resolution: resolution))
        }
        sectionProbe?("review items")
        let holdCount = try r.count()
        s.holds.reserveCapacity(holdCount)
        s.holdIndex.reserveCapacity(holdCount)
        for index in 0..<holdCount {
            let returnID = s.outbox.shared(returnID: try r.string())
            let decodedHold = try StateChangeCodec.decodeHold(from: &r, withEAN: holdsWithEAN)
            let key = RunnerState.holdKey(returnID, decodedHold.item)
            let hold = s.texts.shared(decodedHold, key: key)
            let openedAt = try r.zigzag()
            let eventTime = try r.optionalString()
            let sequence = try r.varint()
            let closedAt: Int64? = try r.bool() ? try r.zigzag() : nil
            let outcome = try r.optionalString().map { s.texts.intern($0) }
            let releasedBy = try r.optionalString()
            s.holds.append(HoldRecord(id: index + 1, returnID: returnID, hold: hold, openedAt: openedAt, eventTime: eventTime, sequence: sequence,
                                      closedAt: closedAt, outcome: outcome, releasedBy: releasedBy))
            s.holdIndex[key] = index + 1
        }
        sectionProbe?("restock holds and their index")
        let letterCount = try r.count()
        for _ in 0..<letterCount {
            let digest = try r.digest()
            let sequence = try r.varint()
            let time = try r.zigzag()
            let source = try JournalCodec.decodeSource(&r)
            let error = try r.string()
            let path = try r.string()
            let eventID = try r.optionalString()
            let replayed: Int64? = try r.bool() ? try r.zigzag() : nil
            s.deadLetters[digest] = DeadLetterRecord(sequence: sequence, time: time, source: source, error: error, jsonPath: path,
                                                     eventID: eventID, replayedAt: replayed)
        }
        sectionProbe?("dead letters")
        let spoolCount = try r.count()
        for _ in 0..<spoolCount { s.consumedSpool[try r.string()] = try r.digest() }
        if try r.bool() {
            let start = r.position
            _ = start
            // The session is stored as a session record body.
            guard try r.u8() == 7 else { throw DecodeError("bad session in snapshot") }
            _ = try r.varint()
            _ = try r.varint()
            _ = try r.zigzag()
            s.session = SessionEntry(rulesDigest: try r.digest(), rulesPath: try r.string(), client: try r.string(),
                                     storePath: try r.optionalString(), version: try r.string(), pid: try r.int())
        }
        guard r.isAtEnd else { throw DecodeError("\(r.remaining) unread bytes at the end of the snapshot") }
        return s
    }
}

/// The CRC32C of a buffer, computed on a thread of its own (the buffer must outlive `wait`).
final class ChecksumJob: @unchecked Sendable {
    // @unchecked: `bytes` is only read, and `wait` returns only after the thread is done with it;
    // `result` is touched under `condition`.
    private let condition = NSCondition()
    private var result: UInt32?

    init(_ bytes: UnsafeRawBufferPointer) {
        nonisolated(unsafe) let bytes = bytes
        let thread = Thread { [self] in
            let value = CRC32C.checksum(bytes)
            condition.lock()
            result = value
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "returnrules-snapshot-check"
        thread.start()
    }

    func wait() -> UInt32 {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }
}
