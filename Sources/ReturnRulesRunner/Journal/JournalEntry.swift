import Checksums
import ReturnRulesDomain

/// One committed fact in the journal. The runner's whole state (planner knowledge, outbox,
/// review queue, holds, ledger, decision log, dead letters) is a function of these, in order.
public enum JournalEntry: Sendable {
    /// One event read from the input: planned, a duplicate or stale, with everything it caused.
    case event(EventEntry)
    /// Input that could not be read or mapped.
    case deadLetter(DeadLetterEntry)
    /// An executor applied an outbox request (or found it already applied).
    case ack(AckEntry)
    /// A person resolved a review item.
    case reviewResolved(ReviewResolutionEntry)
    /// A restock hold released by hand with the warehouse's grade.
    case holdReleased(HoldReleaseEntry)
    /// A spool file whose events are all journaled but which could not be moved away.
    case spoolConsumed(SpoolEntry)
    /// A run started: which rules (by SHA-256) and store it used.
    case session(SessionEntry)

    static let eventTag: UInt8 = 1

    var tag: UInt8 {
        switch self {
        case .event: JournalEntry.eventTag
        case .deadLetter: 2
        case .ack: 3
        case .reviewResolved: 4
        case .holdReleased: 5
        case .spoolConsumed: 6
        case .session: 7
        }
    }
}

/// The header every record carries.
public struct RecordHeader: Sendable, Hashable {
    /// 1, 2, 3, … without gaps across segments.
    public var sequence: UInt64
    /// The first sequence number of the write batch this record was committed in: a damaged
    /// record followed only by records of its own batch is an unfinished write (cut off); one
    /// followed by a later batch is damage in the middle (stop).
    public var batchStart: UInt64
    /// Wall-clock time the record was made, milliseconds since 1970 (the runner's clock).
    public var time: Int64
}

public struct JournalRecord: Sendable {
    public var header: RecordHeader
    public var entry: JournalEntry
}

/// Where an event came from.
public struct SourceRef: Sendable, Hashable {
    public var file: String
    public var line: Int?
    public var index: Int?

    public init(file: String, line: Int? = nil, index: Int? = nil) {
        self.file = file
        self.line = line
        self.index = index
    }

    public init(_ source: EventSource) {
        self.init(file: source.file, line: source.line, index: source.index)
    }

    public var eventSource: EventSource { EventSource(file: file, line: line, index: index) }
}

public struct EventEntry: Sendable {
    public enum Outcome: UInt8, Sendable {
        case planned = 0
        case duplicate = 1
        case stale = 2

        public var name: String {
            switch self {
            case .planned: "planned"
            case .duplicate: "duplicate"
            case .stale: "stale"
            }
        }
    }

    public var outcome: Outcome
    public var eventID: String
    public var returnID: String
    public var status: String
    /// The envelope's `created_at`, as sent.
    public var envelopeTime: String?
    public var orderReference: String?
    /// Why a duplicate or stale event changed nothing.
    public var reason: String?
    /// SHA-256 of the event's canonical content (without its envelope).
    public var digest: SHA256Digest
    public var source: SourceRef
    /// Set when this event is a dead letter run again (`returnrules replay`).
    public var replayOf: SHA256Digest?
    public var effects: Effects
    /// The decision-log line (JSON, masked), newline included. Empty when decoded without
    /// lines (replay); `decisionLength` still says how long it is.
    public var decisionLine: [UInt8]
    public var decisionLength: Int
}

/// What planning something decided: facts for the planner's state, requests for the outbox,
/// items for the review queue.
public struct Effects: Sendable {
    public var changes: [StateChange] = []
    public var outbox: [OutboxEntry] = []
    public var reviews: [ReviewEntry] = []

    public init(changes: [StateChange] = [], outbox: [OutboxEntry] = [], reviews: [ReviewEntry] = []) {
        self.changes = changes
        self.outbox = outbox
        self.reviews = reviews
    }
}

/// One request for the outbox: what the state needs to know of it, and its outbox line.
public struct OutboxEntry: Sendable {
    public var key: String
    /// `PlanStep.Kind` raw value: refund, restock, note, …
    public var kind: String
    public var orderID: Int?
    /// For refunds and store credit: the ledger's columns.
    public var ledger: LedgerInfo?
    /// The outbox line (JSON), newline included (empty when decoded without lines).
    public var line: [UInt8]
    public var lineLength: Int

    public init(key: String, kind: String, orderID: Int?, ledger: LedgerInfo?, line: [UInt8]) {
        self.key = key
        self.kind = kind
        self.orderID = orderID
        self.ledger = ledger
        self.line = line
        lineLength = line.count
    }
}

/// A refund or a store credit as finance sees it.
public struct LedgerInfo: Sendable, Hashable {
    public var amount: Int64
    public var currency: String
    /// `gateway`, `record_only` or `coupon`.
    public var moneyPath: String
    /// Reveni's refund reference (or gift card), when the event had one.
    public var reference: String?
    /// Tax per WooCommerce tax-rate id, minor units.
    public var taxes: [TaxShare]
    /// Tax the payload stated without a rate (no store snapshot).
    public var untypedTax: Int64?

    public struct TaxShare: Sendable, Hashable {
        public var rateID: Int
        public var amount: Int64
    }
}

public struct ReviewEntry: Sendable {
    public var queue: String
    public var reason: String
    public var figures: [String]
    public var rule: RuleReference?
    public var summary: String
}

public struct DeadLetterEntry: Sendable {
    public var source: SourceRef
    public var error: String
    public var jsonPath: String
    public var raw: [UInt8]
    /// SHA-256 of `raw`: the same input dead-lettered again is recognised.
    public var rawDigest: SHA256Digest
    public var eventID: String?
    /// The dead-letter file line (JSON), newline included (empty when decoded without lines).
    public var line: [UInt8]
    public var lineLength: Int
}

public struct AckEntry: Sendable {
    public var key: String
    /// The id WooCommerce gave the refund, order, coupon or note.
    public var wooID: Int64?
    public var note: String?
    public var by: String?
}

public struct ReviewResolutionEntry: Sendable {
    public var reviewID: Int
    public var note: String
    public var by: String?
}

public struct HoldReleaseEntry: Sendable {
    public var holdID: Int
    public var returnID: String
    public var item: String
    public var grade: String
    public var by: String?
    public var effects: Effects
    public var decisionLine: [UInt8]
    public var decisionLength: Int
}

public struct SpoolEntry: Sendable {
    public var name: String
    public var digest: SHA256Digest

    public init(name: String, digest: SHA256Digest) {
        self.name = name
        self.digest = digest
    }
}

public struct SessionEntry: Sendable, Hashable {
    public var rulesDigest: SHA256Digest
    public var rulesPath: String
    public var client: String
    public var storePath: String?
    public var version: String
    public var pid: Int
}
