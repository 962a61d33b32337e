import Checksums
import ReturnRulesDomain

/// Snapshots: the whole `RunnerState` after record N, so a restart replays only what follows.
///
///     "RRSNAP01" · u64 LE sequence · u64 LE payload length · payload · u32 LE CRC32C of all before it
///
/// Written to a temporary file, synced, renamed into `snapshots/<sequence>.rrs`, and the
/// directory synced: a snapshot is either whole or absent. A damaged one is skipped for an
/// older one.
public enum SnapshotCodec {
    static let magic: [UInt8] = Array("RRSNAP01".utf8)
    static let suffix = ".rrs"
    /// Bumped when the payload layout changes. Versions in `readableVersions` still decode (a
    /// state directory written by the previous release opens); others are ignored, and the
    /// journal still holds what they summarised, as long as it was not compacted past them.
    /// 3: restock holds carry the item's EAN.
    static let payloadVersion: UInt8 = 3
    static let readableVersions: ClosedRange<UInt8> = 2...3

    /// - Parameter sizeHint: the bytes to reserve (the last snapshot's size and a bit): a
    ///   buffer grown by doubling copies itself again and again, and may end up twice the size.
    public static func encode(_ state: RunnerState, sizeHint: Int = 1 << 20) -> [UInt8] {
        var w = ByteWriter(reservingCapacity: max(sizeHint, 1 << 16))
        w.raw(magic)
        w.u64(state.lastSequence)
        let lengthAt = w.count
        w.u64(0)
        let payloadStart = w.count
        encodePayload(state, into: &w)
        let length = UInt64(w.count - payloadStart)
        for index in 0..<8 { w.bytes[lengthAt + index] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(index))) }
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> RunnerState {
        guard bytes.count >= 28 else { throw DecodeError("too short") }
        guard Array(bytes[0..<8]) == magic else { throw DecodeError("not a snapshot") }
        let crc = UInt32(bytes[bytes.count - 4]) | UInt32(bytes[bytes.count - 3]) << 8 | UInt32(bytes[bytes.count - 2]) << 16 | UInt32(bytes[bytes.count - 1]) << 24
        guard bytes.withUnsafeBytes({ CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<bytes.count - 4])) }) == crc else {
            throw DecodeError("checksum mismatch")
        }
        var result: Result<RunnerState, DecodeError> = .failure(DecodeError("empty"))
        bytes.withUnsafeBytes { raw in
            result = Result { () throws(DecodeError) -> RunnerState in try decodeAll(UnsafeRawBufferPointer(rebasing: raw[0..<raw.count - 4])) }
        }
        return try result.get()
    }

    static func decodeAll(_ raw: UnsafeRawBufferPointer) throws(DecodeError) -> RunnerState {
            var r = ByteReader(raw)
            _ = try r.u64()
            let sequence = try r.u64()
            let length = try r.u64()
            guard length == UInt64(r.remaining - 0) else { throw DecodeError("length mismatch") }
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

    static func encodePayload(_ s: RunnerState, into w: inout ByteWriter) {
        w.u8(payloadVersion)
        w.varint(s.lastSequence)
        w.zigzag(s.lastTime)
        let c = s.counters
        for value in [c.events, c.planned, c.duplicates, c.stale, c.deadLetters, c.requests, c.acks, c.reviewsOpened, c.reviewsResolved,
                      c.holdsOpened, c.holdReleases, c.sessions] { w.varint(value) }
        w.zigzag(s.outboxBytes)
        w.zigzag(s.decisionBytes)
        w.zigzag(s.deadLetterBytes)
        StateChangeCodec.encode(s.planner, into: &w)
        // Planning order is outbox order already; sorted only if something ever made it not.
        let values = s.outbox.values
        w.varint(values.count)
        if !s.outbox.inOffsetOrder {
            for o in values.sorted(by: { $0.offset < $1.offset }) { encode(o, into: &w) }
        } else {
            for o in values { encode(o, into: &w) }
        }
        w.varint(s.reviews.count)
        for review in s.reviews {
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
            if let id = ack.wooID {
                w.u8(1)
                w.zigzag(id)
            } else {
                w.u8(0)
            }
            w.zigzag(ack.time)
            w.optionalString(ack.note)
            w.optionalString(ack.by)
        } else {
            w.u8(0)
        }
    }

    static func decodePayload(_ r: inout ByteReader) throws(DecodeError) -> RunnerState {
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
        s.planner = try StateChangeCodec.decodePlannerState(from: &r, holdsWithEAN: holdsWithEAN)
        let outboxCount = try r.count()
        s.outbox.reserveCapacity(outboxCount)
        for _ in 0..<outboxCount {
            let sequence = try r.varint()
            let key = try r.string()
            let kind = s.strings.intern(try r.string())
            let returnID = s.strings.intern(try r.string())
            let orderID = try r.optionalInt()
            let plannedAt = try r.zigzag()
            let eventTime = try r.optionalInt().map { Int64($0) }
            let offset = try r.zigzag()
            let length = Int32(try r.int())
            let ledger = try r.bool() ? try JournalCodec.decodeLedger(&r) : nil
            var ack: AckInfo?
            if try r.bool() {
                let id: Int64? = try r.bool() ? try r.zigzag() : nil
                ack = AckInfo(wooID: id, time: try r.zigzag(), note: try r.optionalString(), by: try r.optionalString())
            }
            s.outbox[key] = OutboxRecord(sequence: sequence, key: key, kind: kind, returnID: returnID, orderID: orderID,
                                         plannedAt: plannedAt, eventTime: eventTime, offset: offset, length: length, ledger: ledger, ack: ack)
        }
        let reviewCount = try r.count()
        for index in 0..<reviewCount {
            let sequence = try r.varint()
            let openedAt = try r.zigzag()
            let eventTime = try r.optionalString()
            let returnID = try r.string()
            let order = try r.optionalString()
            let eventID = try r.string()
            let queue = try r.string()
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
        let holdCount = try r.count()
        for index in 0..<holdCount {
            let returnID = try r.string()
            let hold = try StateChangeCodec.decodeHold(from: &r, withEAN: holdsWithEAN)
            let openedAt = try r.zigzag()
            let eventTime = try r.optionalString()
            let sequence = try r.varint()
            let closedAt: Int64? = try r.bool() ? try r.zigzag() : nil
            let outcome = try r.optionalString()
            let releasedBy = try r.optionalString()
            s.holds.append(HoldRecord(id: index + 1, returnID: returnID, hold: hold, openedAt: openedAt, eventTime: eventTime, sequence: sequence,
                                      closedAt: closedAt, outcome: outcome, releasedBy: releasedBy))
            s.holdIndex[RunnerState.holdKey(returnID, hold.item)] = index + 1
        }
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
