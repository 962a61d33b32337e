import JSONBytes
import ReturnRulesDomain

/// A record handed to the journal, not yet encoded. Events and dead letters travel with what
/// their projection lines are made from, and the commit thread renders the lines (a third of
/// the runner's own work per event), encodes and checksums the record: the planning thread
/// only plans and keeps the state. The lines and the record bytes are exactly those the
/// planning thread would have made; their lengths come back (`RenderedLengths`) so the state
/// learns where each line sits in its file.
enum PendingRecord: Sendable {
    /// A record whose lines (if any) are already in it, and accounted for in the state.
    case ready(RecordHeader, JournalEntry)
    /// An event whose outbox and decision lines are still to render.
    case event(RecordHeader, UnrenderedEvent)
    /// A dead letter whose line is still to render.
    case deadLetter(RecordHeader, DeadLetterEntry)

    var header: RecordHeader {
        switch self {
        case .ready(let header, _), .event(let header, _), .deadLetter(let header, _): header
        }
    }
}

/// An event record without its lines, and what they are rendered from.
///
/// A class of constants: it goes from the planning thread into the pending group, to the commit
/// thread and back as one reference, and its fields are read in place. As a struct (some 500
/// bytes holding some 40 references) each of those hand-overs copied it and retained every
/// string and array in it, on both threads.
final class UnrenderedEvent: Sendable {
    /// The record; its outbox entries and decision line are empty (rendered on the commit thread).
    let entry: EventEntry
    let plan: EventPlan
    /// For each outbox entry, the index of its step in `plan.steps`.
    let requestSteps: [Int]
    let customer: String?
    let suppressed: Set<Int>
    let rulesHex: String

    init(entry: EventEntry, plan: EventPlan, requestSteps: [Int], customer: String?, suppressed: Set<Int>, rulesHex: String) {
        self.entry = entry
        self.plan = plan
        self.requestSteps = requestSteps
        self.customer = customer
        self.suppressed = suppressed
        self.rulesHex = rulesHex
    }
}

/// The line lengths of the records whose lines the commit thread rendered, one group's worth,
/// in record order: per event its outbox lines then its decision line, per dead letter its line.
typealias RenderedLengths = [Int]

/// Renders projection lines (`Lines`) with one reused JSON writer, remembering the ISO text of
/// the last time asked (the records of one group share it).
struct RecordRenderer {
    private var writer = JSONWriter(style: .compact, reservingCapacity: 1 << 14)
    private var isoCache: (time: Int64, text: String) = (-1, "")

    mutating func iso(_ time: Int64) -> String {
        if isoCache.time != time { isoCache = (time, Timestamp.iso(time)) }
        return isoCache.text
    }

    /// Fills in the lines of an event's outbox entries (`requestSteps[i]` is the step of entry i).
    mutating func renderOutbox(_ effects: inout Effects, plan: EventPlan, requestSteps: [Int], header: RecordHeader, returnID: String,
                               eventID: String, eventTime: String?) {
        let at = iso(header.time)
        for (index, stepIndex) in requestSteps.enumerated() {
            let step = plan.steps[stepIndex]
            guard let request = step.request else { continue }
            let line = Lines.outbox(step: step, request: request, key: effects.outbox[index].key, header: header, at: at, returnID: returnID,
                                    orderID: effects.outbox[index].orderID, eventID: eventID, eventTime: eventTime, writer: &writer)
            effects.outbox[index].line = line
            effects.outbox[index].lineLength = line.count
        }
    }

    mutating func decisionLine(header: RecordHeader, plan: EventPlan, outcome: String, eventTime: String?, customer: String?, rulesHex: String,
                               suppressed: Set<Int>) -> [UInt8] {
        Lines.decision(header: header, at: iso(header.time), plan: plan, outcome: outcome, eventTime: eventTime, customer: customer,
                       rulesHex: rulesHex, suppressed: suppressed, writer: &writer)
    }

    /// Renders the outbox line of each of an event's requests onto the end of `out`, and
    /// appends each line's length to `lengths` (0 for a step without a request, as `render`).
    mutating func appendOutboxLines(of event: UnrenderedEvent, header: RecordHeader, to out: inout [UInt8], lengths: inout RenderedLengths) {
        let at = iso(header.time)
        let entry = event.entry
        // The steps are read in place: a copy of each would retain every one of its fields.
        event.plan.steps.withUnsafeBufferPointer { steps in
            for (index, stepIndex) in event.requestSteps.enumerated() {
                guard let request = steps[stepIndex].request else {
                    lengths.append(0)
                    continue
                }
                Lines.writeOutbox(step: steps[stepIndex], request: request, key: entry.effects.outbox[index].key, header: header, at: at,
                                  returnID: entry.returnID, orderID: entry.effects.outbox[index].orderID, eventID: entry.eventID,
                                  eventTime: entry.envelopeTime, writer: &writer)
                writer.drain { line in
                    out.append(contentsOf: line)
                    lengths.append(line.count)
                }
            }
        }
    }

    /// Renders an event's decision line onto the end of `out`, and appends its length to `lengths`.
    mutating func appendDecisionLine(of event: UnrenderedEvent, header: RecordHeader, to out: inout [UInt8], lengths: inout RenderedLengths) {
        Lines.writeDecision(header: header, at: iso(header.time), plan: event.plan, outcome: event.entry.outcome.name, eventTime: event.entry.envelopeTime,
                            customer: event.customer, rulesHex: event.rulesHex, suppressed: event.suppressed, writer: &writer)
        writer.drain { line in
            out.append(contentsOf: line)
            lengths.append(line.count)
        }
    }

    /// The event's record with its lines.
    mutating func render(_ event: UnrenderedEvent, header: RecordHeader) -> EventEntry {
        var entry = event.entry
        renderOutbox(&entry.effects, plan: event.plan, requestSteps: event.requestSteps, header: header, returnID: entry.returnID,
                     eventID: entry.eventID, eventTime: entry.envelopeTime)
        entry.decisionLine = decisionLine(header: header, plan: event.plan, outcome: entry.outcome.name, eventTime: entry.envelopeTime,
                                          customer: event.customer, rulesHex: event.rulesHex, suppressed: event.suppressed)
        entry.decisionLength = entry.decisionLine.count
        return entry
    }

    /// The dead letter's record with its line.
    mutating func render(_ letter: DeadLetterEntry, header: RecordHeader) -> DeadLetterEntry {
        var letter = letter
        letter.line = Lines.deadLetter(header: header, source: letter.source, error: letter.error, jsonPath: letter.jsonPath, eventID: letter.eventID,
                                       raw: letter.raw, writer: &writer)
        letter.lineLength = letter.line.count
        return letter
    }
}
