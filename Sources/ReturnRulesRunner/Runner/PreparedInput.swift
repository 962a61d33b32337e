import Checksums
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage

/// One input event read, parsed, mapped and digested ahead of planning: the part of an event's
/// work that does not depend on the events before it, so a reader thread can do it while the
/// runner plans earlier events (`Runner.process(_: PreparedInput)`, `PreparingReader`).
public struct PreparedInput: Sendable {
    public var source: EventSource
    /// The mapped event. Its storage is reused by the next event prepared in its place.
    var record = EventRecord(fieldCount: 0, collectionFieldCounts: [])
    /// SHA-256 of the record's content (what the planner compares redeliveries by).
    var digest = PreparedInput.noDigest
    /// Set when the input could not be parsed or mapped: it becomes a dead letter.
    var rejection: Rejection?

    struct Rejection: Sendable {
        var error: IntakeError
        var eventID: String?
        /// The input exactly as read, for the dead-letter file.
        var raw: [UInt8]
    }

    static let noDigest = SHA256.hash([UInt8]())

    public init(source: EventSource) {
        self.source = source
    }
}

/// Prepares events on one thread, reusing its parser's memory from event to event.
public struct InputPreparer: Sendable {
    let mapper: PayloadMapper
    var parser = JSONParser()
    static let idPath = try! JSONPath("$.id")

    public init(planner: Planner) {
        mapper = planner.mapper
    }

    /// Parses, maps and digests one event's bytes into `slot` (whose record storage is reused).
    /// Nothing of `bytes` is kept unless the event is rejected.
    public mutating func prepare(_ bytes: ArraySlice<UInt8>, source: EventSource, into slot: inout PreparedInput) {
        slot.source = source
        slot.rejection = nil
        let incoming = EventReader.parse(bytes, source: source, with: &parser)
        switch incoming.document {
        case .failure(let error):
            slot.rejection = PreparedInput.Rejection(error: error, eventID: nil, raw: Array(bytes))
        case .success(let document):
            if let error = mapper.map(document.root, into: &slot.record) {
                slot.rejection = PreparedInput.Rejection(error: error, eventID: document.root.lookup(InputPreparer.idPath)?.stringValue,
                                                         raw: Array(bytes))
            } else {
                slot.digest = Planner.contentDigest(of: slot.record)
            }
        }
    }
}
