/// The commit thread's half of a group commit: renders the lines of a group's records, frames
/// and encodes the records into one buffer (`Journal.sealFrames` checksums it), and keeps their
/// lines for the projection files, written once the group is durable.
///
/// An event's lines are rendered straight onto the end of the projection buffers and copied
/// from there into its record: no array per line, and no copy of the record (each copy retains
/// every string and array in it) to fill its lines in. The bytes are those of `RecordRenderer`
/// and `JournalCodec.encode` with the lines in the record.
struct GroupEncoder {
    /// The group's frames.
    private(set) var group = ByteWriter(reservingCapacity: 1 << 20)
    /// Lines waiting for their files: outbox, decision log, dead letters.
    private(set) var projectionLines: [[UInt8]] = [[], [], []]
    private var renderer = RecordRenderer()

    var waitingLineBytes: Int { projectionLines[0].count + projectionLines[1].count + projectionLines[2].count }

    /// Whether the group being formed has records.
    var hasGroup: Bool { group.count > 0 }

    /// Forgets the group written, for the next one.
    mutating func startGroup() { group.reset() }

    /// Encodes `records` onto the end of the group and queues their lines; returns the
    /// lengths of the lines it rendered, in record order.
    mutating func encode(_ records: [PendingRecord]) -> RenderedLengths {
        var lengths: RenderedLengths = []
        for index in records.indices {
            switch records[index] {
            case .ready(let header, let entry):
                Journal.frame(into: &group) { JournalCodec.encode(header, entry, into: &$0) }
                queueLines(of: entry)
            case .event(let header, let event):
                encode(event, header: header, lengths: &lengths)
            case .deadLetter(let header, let letter):
                let rendered = renderer.render(letter, header: header)
                lengths.append(rendered.lineLength)
                let entry = JournalEntry.deadLetter(rendered)
                Journal.frame(into: &group) { JournalCodec.encode(header, entry, into: &$0) }
                queueLines(of: entry)
            }
        }
        return lengths
    }

    private mutating func encode(_ event: UnrenderedEvent, header: RecordHeader, lengths: inout RenderedLengths) {
        let firstLength = lengths.count
        let outboxStart = projectionLines[0].count
        let decisionStart = projectionLines[1].count
        renderer.appendOutboxLines(of: event, header: header, to: &projectionLines[0], lengths: &lengths)
        renderer.appendDecisionLine(of: event, header: header, to: &projectionLines[1], lengths: &lengths)
        // Read from local references: the closures must not touch `self` while `group` is written.
        let outbox = projectionLines[0]
        let decisions = projectionLines[1]
        let lineLengths = lengths
        var cursor = outboxStart
        Journal.frame(into: &group) { w in
            JournalCodec.encodeEvent(header, event.entry, into: &w, outboxLine: { index, w in
                let length = lineLengths[firstLength + index]
                w.blob(outbox[cursor..<cursor + length])
                cursor += length
            }, decisionLine: { w in
                w.blob(decisions[decisionStart...])
            })
        }
    }

    /// Queues the lines a record carries (`.ready` records and dead letters).
    private mutating func queueLines(of entry: JournalEntry) {
        switch entry {
        case .event(let e):
            for request in e.effects.outbox { projectionLines[0].append(contentsOf: request.line) }
            projectionLines[1].append(contentsOf: e.decisionLine)
        case .holdReleased(let h):
            for request in h.effects.outbox { projectionLines[0].append(contentsOf: request.line) }
            projectionLines[1].append(contentsOf: h.decisionLine)
        case .deadLetter(let d):
            projectionLines[2].append(contentsOf: d.line)
        default:
            break
        }
    }

    /// Writes the waiting lines of one projection through `write`, then forgets them.
    mutating func takeLines(_ index: Int, _ write: ([UInt8]) throws(FileSystemError) -> Void) throws(FileSystemError) {
        guard !projectionLines[index].isEmpty else { return }
        try write(projectionLines[index])
        projectionLines[index].removeAll(keepingCapacity: true)
    }

    /// The group's bytes, to checksum in place.
    mutating func withGroupBytes<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        group.bytes.withUnsafeMutableBytes(body)
    }
}
