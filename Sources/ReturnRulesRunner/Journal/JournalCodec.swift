import Checksums
import ReturnRulesDomain

/// The binary payload of a journal record:
///
///     u8 tag · varint sequence · varint (sequence − batch start) · zigzag time (ms) · body
///
/// Bodies are fields in a fixed order (`ByteWriter` encodings); projection lines (outbox,
/// decision log, dead letters) are stored as the exact bytes written to their files, so a
/// projection is rebuilt by copying, never by re-rendering.
public enum JournalCodec {
    public static func encode(_ header: RecordHeader, _ entry: JournalEntry, into w: inout ByteWriter) {
        w.u8(entry.tag)
        w.varint(header.sequence)
        w.varint(header.sequence - header.batchStart)
        w.zigzag(header.time)
        switch entry {
        case .event(let e):
            encodeEventBody(e, into: &w, outboxLine: { index, w in w.blob(e.effects.outbox[index].line) },
                            decisionLine: { w in w.blob(e.decisionLine) })
        case .deadLetter(let d):
            encode(d.source, into: &w)
            w.string(d.error)
            w.string(d.jsonPath)
            w.blob(d.raw)
            w.digest(d.rawDigest)
            w.optionalString(d.eventID)
            w.blob(d.line)
        case .ack(let a):
            w.string(a.key)
            if let id = a.wooID {
                w.u8(1)
                w.zigzag(id)
            } else {
                w.u8(0)
            }
            w.optionalString(a.note)
            w.optionalString(a.by)
        case .reviewResolved(let r):
            w.varint(r.reviewID)
            w.string(r.note)
            w.optionalString(r.by)
        case .holdReleased(let h):
            w.varint(h.holdID)
            w.string(h.returnID)
            w.string(h.item)
            w.string(h.grade)
            w.optionalString(h.by)
            encode(h.effects, into: &w)
            w.blob(h.decisionLine)
        case .spoolConsumed(let s):
            w.string(s.name)
            w.digest(s.digest)
        case .session(let s):
            w.digest(s.rulesDigest)
            w.string(s.rulesPath)
            w.string(s.client)
            w.optionalString(s.storePath)
            w.string(s.version)
            w.varint(s.pid)
        }
    }

    /// An event record whose lines are kept apart from it: `outboxLine(i, &w)` and
    /// `decisionLine(&w)` write them (as blobs) where the record has them. The same bytes as
    /// `encode(header, .event(…))` with those lines in the entry.
    static func encodeEvent(_ header: RecordHeader, _ e: EventEntry, into w: inout ByteWriter, outboxLine: (Int, inout ByteWriter) -> Void,
                            decisionLine: (inout ByteWriter) -> Void) {
        w.u8(JournalEntry.eventTag)
        w.varint(header.sequence)
        w.varint(header.sequence - header.batchStart)
        w.zigzag(header.time)
        encodeEventBody(e, into: &w, outboxLine: outboxLine, decisionLine: decisionLine)
    }

    private static func encodeEventBody(_ e: EventEntry, into w: inout ByteWriter, outboxLine: (Int, inout ByteWriter) -> Void,
                                        decisionLine: (inout ByteWriter) -> Void) {
        w.u8(e.outcome.rawValue)
        w.string(e.eventID)
        w.string(e.returnID)
        w.string(e.status)
        w.optionalString(e.envelopeTime)
        w.optionalString(e.orderReference)
        w.optionalString(e.reason)
        w.digest(e.digest)
        encode(e.source, into: &w)
        w.optionalDigest(e.replayOf)
        encode(e.effects, into: &w, line: outboxLine)
        decisionLine(&w)
    }

    /// Reads only the header (tag, sequence, batch start), for the scan after damage.
    static func peekHeader(_ payload: UnsafeRawBufferPointer) -> (tag: UInt8, sequence: UInt64, batchStart: UInt64)? {
        var r = ByteReader(payload)
        guard let tag = try? r.u8(), (1...7).contains(tag), let sequence = try? r.varint(), let offset = try? r.varint(), offset <= sequence else { return nil }
        return (tag, sequence, sequence - offset)
    }

    /// Decodes a record. Without `lines`, projection lines are skipped (only their lengths are
    /// kept): replay needs the lengths, and the bytes only to complete a projection.
    public static func decode(_ payload: UnsafeRawBufferPointer, lines: Bool = true) throws(DecodeError) -> JournalRecord {
        var r = ByteReader(payload)
        func line() throws(DecodeError) -> ([UInt8], Int) {
            if lines {
                let bytes = try r.blob()
                return (bytes, bytes.count)
            }
            return ([], try r.skipBlob().count)
        }
        let tag = try r.u8()
        let sequence = try r.varint()
        let offset = try r.varint()
        guard offset <= sequence else { throw DecodeError("batch start after the record") }
        let time = try r.zigzag()
        let header = RecordHeader(sequence: sequence, batchStart: sequence - offset, time: time)
        let entry: JournalEntry
        switch tag {
        case 1:
            guard let outcome = EventEntry.Outcome(rawValue: try r.u8()) else { throw DecodeError("unknown event outcome") }
            let eventID = try r.string()
            let returnID = try r.string()
            let status = try r.string()
            let envelopeTime = try r.optionalString()
            let order = try r.optionalString()
            let reason = try r.optionalString()
            let digest = try r.digest()
            let source = try decodeSource(&r)
            let replayOf = try r.optionalDigest()
            let effects = try decodeEffects(&r, lines: lines)
            let (decision, length) = try line()
            entry = .event(EventEntry(outcome: outcome, eventID: eventID, returnID: returnID, status: status, envelopeTime: envelopeTime,
                                      orderReference: order, reason: reason, digest: digest, source: source, replayOf: replayOf,
                                      effects: effects, decisionLine: decision, decisionLength: length))
        case 2:
            let source = try decodeSource(&r)
            let error = try r.string()
            let path = try r.string()
            let raw: [UInt8]
            if lines {
                raw = try r.blob()
            } else {
                _ = try r.skipBlob()
                raw = []
            }
            let digest = try r.digest()
            let eventID = try r.optionalString()
            let (text, length) = try line()
            entry = .deadLetter(DeadLetterEntry(source: source, error: error, jsonPath: path, raw: raw, rawDigest: digest, eventID: eventID,
                                                line: text, lineLength: length))
        case 3:
            let key = try r.string()
            let wooID: Int64? = try r.bool() ? try r.zigzag() : nil
            entry = .ack(AckEntry(key: key, wooID: wooID, note: try r.optionalString(), by: try r.optionalString()))
        case 4:
            entry = .reviewResolved(ReviewResolutionEntry(reviewID: try r.int(), note: try r.string(), by: try r.optionalString()))
        case 5:
            let holdID = try r.int()
            let returnID = try r.string()
            let item = try r.string()
            let grade = try r.string()
            let by = try r.optionalString()
            let effects = try decodeEffects(&r, lines: lines)
            let (decision, length) = try line()
            entry = .holdReleased(HoldReleaseEntry(holdID: holdID, returnID: returnID, item: item, grade: grade, by: by, effects: effects,
                                                   decisionLine: decision, decisionLength: length))
        case 6:
            entry = .spoolConsumed(SpoolEntry(name: try r.string(), digest: try r.digest()))
        case 7:
            entry = .session(SessionEntry(rulesDigest: try r.digest(), rulesPath: try r.string(), client: try r.string(),
                                          storePath: try r.optionalString(), version: try r.string(), pid: try r.int()))
        default:
            throw DecodeError("unknown record tag \(tag)")
        }
        guard r.isAtEnd else { throw DecodeError("\(r.remaining) unread bytes at the end of record \(sequence)") }
        return JournalRecord(header: header, entry: entry)
    }

    static func encode(_ source: SourceRef, into w: inout ByteWriter) {
        w.string(source.file)
        w.varint(UInt64((source.line ?? -1) + 1))
        w.varint(UInt64((source.index ?? -1) + 1))
    }

    static func decodeSource(_ r: inout ByteReader) throws(DecodeError) -> SourceRef {
        let file = try r.string()
        let line = try r.int() - 1
        let index = try r.int() - 1
        return SourceRef(file: file, line: line >= 0 ? line : nil, index: index >= 0 ? index : nil)
    }

    static func encode(_ effects: Effects, into w: inout ByteWriter) {
        encode(effects, into: &w, line: { index, w in w.blob(effects.outbox[index].line) })
    }

    /// - Parameter line: writes the line of outbox entry `i` (a blob).
    static func encode(_ effects: Effects, into w: inout ByteWriter, line: (Int, inout ByteWriter) -> Void) {
        w.varint(effects.changes.count)
        for change in effects.changes { StateChangeCodec.encode(change, into: &w) }
        w.varint(effects.outbox.count)
        for (index, entry) in effects.outbox.enumerated() {
            w.string(entry.key)
            w.string(entry.kind)
            w.optionalInt(entry.orderID)
            if let ledger = entry.ledger {
                w.u8(1)
                encode(ledger, into: &w)
            } else {
                w.u8(0)
            }
            line(index, &w)
        }
        w.varint(effects.reviews.count)
        for review in effects.reviews { encode(review, into: &w) }
    }

    static func decodeEffects(_ r: inout ByteReader, lines: Bool) throws(DecodeError) -> Effects {
        var effects = Effects()
        let changes = try r.count()
        effects.changes.reserveCapacity(changes)
        for _ in 0..<changes { effects.changes.append(try StateChangeCodec.decode(from: &r)) }
        let outbox = try r.count()
        effects.outbox.reserveCapacity(outbox)
        for _ in 0..<outbox {
            let key = try r.string()
            let kind = try r.string()
            let orderID = try r.optionalInt()
            let ledger = try r.bool() ? try decodeLedger(&r) : nil
            var entry = OutboxEntry(key: key, kind: kind, orderID: orderID, ledger: ledger, line: [])
            if lines {
                entry.line = try r.blob()
                entry.lineLength = entry.line.count
            } else {
                entry.lineLength = try r.skipBlob().count
            }
            effects.outbox.append(entry)
        }
        let reviews = try r.count()
        for _ in 0..<reviews { effects.reviews.append(try decodeReview(&r)) }
        return effects
    }

    static func encode(_ ledger: LedgerInfo, into w: inout ByteWriter) {
        w.zigzag(ledger.amount)
        w.string(ledger.currency)
        w.string(ledger.moneyPath)
        w.optionalString(ledger.reference)
        w.varint(ledger.taxes.count)
        for tax in ledger.taxes {
            w.zigzag(tax.rateID)
            w.zigzag(tax.amount)
        }
        if let untyped = ledger.untypedTax {
            w.u8(1)
            w.zigzag(untyped)
        } else {
            w.u8(0)
        }
    }

    static func decodeLedger(_ r: inout ByteReader) throws(DecodeError) -> LedgerInfo {
        let amount = try r.zigzag()
        let currency = try r.string()
        let path = try r.string()
        let reference = try r.optionalString()
        let n = try r.count()
        var taxes: [LedgerInfo.TaxShare] = []
        for _ in 0..<n { taxes.append(LedgerInfo.TaxShare(rateID: try r.zigzagInt(), amount: try r.zigzag())) }
        let untyped: Int64? = try r.bool() ? try r.zigzag() : nil
        return LedgerInfo(amount: amount, currency: currency, moneyPath: path, reference: reference, taxes: taxes, untypedTax: untyped)
    }

    static func encode(_ review: ReviewEntry, into w: inout ByteWriter) {
        w.string(review.queue)
        w.string(review.reason)
        w.strings(review.figures)
        encode(review.rule, into: &w)
        w.string(review.summary)
    }

    static func decodeReview(_ r: inout ByteReader) throws(DecodeError) -> ReviewEntry {
        ReviewEntry(queue: try r.string(), reason: try r.string(), figures: try r.strings(), rule: try decodeRule(&r), summary: try r.string())
    }

    static func encode(_ rule: RuleReference?, into w: inout ByteWriter) {
        guard let rule else {
            w.u8(0)
            return
        }
        w.u8(1)
        w.string(rule.name)
        w.string(rule.file)
        w.varint(rule.line)
        w.varint(rule.column)
    }

    static func decodeRule(_ r: inout ByteReader) throws(DecodeError) -> RuleReference? {
        guard try r.bool() else { return nil }
        return RuleReference(name: try r.string(), file: try r.string(), line: try r.int(), column: try r.int())
    }
}
