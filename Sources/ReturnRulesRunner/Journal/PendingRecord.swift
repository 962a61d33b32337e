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
struct UnrenderedEvent: Sendable {
    /// The record; its outbox entries and decision line are empty until rendered.
    var entry: EventEntry
    let plan: EventPlan
    /// For each outbox entry, the index of its step in `plan.steps`.
    let requestSteps: [Int]
    let customer: String?
    let suppressed: Set<Int>
    let rulesHex: String
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
