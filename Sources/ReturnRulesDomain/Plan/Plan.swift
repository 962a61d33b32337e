import JSONBytes
import ReturnRulesLanguage

/// What the planner decided for a set of events: per event, ordered steps, each with the exact
/// WooCommerce request it implies (if any), its idempotency key and the rule that produced it.
public struct Plan: Sendable {
    public var events: [EventPlan]

    public init(events: [EventPlan] = []) { self.events = events }

    public var summary: PlanSummary { PlanSummary(events) }
}

/// Where an event came from, for messages.
public struct EventSource: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line for JSON Lines input; nil for a one-event JSON file.
    public var line: Int?
    /// Position in an array file.
    public var index: Int?

    public init(file: String, line: Int? = nil, index: Int? = nil) {
        self.file = file
        self.line = line
        self.index = index
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let index { text += "[\(index)]" }
        return text
    }
}

/// The planner's verdict on one event.
public struct EventPlan: Sendable {
    public enum Outcome: String, Sendable {
        /// Rules ran; the steps say what to do (possibly nothing).
        case planned
        /// The same event id, or the same content, was planned before.
        case duplicate
        /// Older than what is already known about the return.
        case stale
        /// The event could not be read or mapped (a dead letter).
        case rejected
    }

    public var source: EventSource
    public var outcome: Outcome
    public var eventID: String?
    public var returnID: String?
    public var status: String?
    /// refund, exchange or mixed.
    public var returnType: String?
    public var orderReference: String?
    public var steps: [PlanStep]
    /// Why the event was a duplicate, stale or rejected.
    public var reason: String?
    /// For a rejected event: the JSON path of the problem.
    public var jsonPath: String?

    // The initializers are in an extension, so the struct keeps its memberwise initializer,
    // which they call: a plan built member by member in an initializer of its own was built in
    // a temporary, copied out and the temporary destroyed (~400 instructions per plan).

    /// Steps that write to WooCommerce.
    public var requests: [PlanStep] { steps.filter { $0.request != nil } }
}

extension EventPlan {
    public init(source: EventSource, outcome: Outcome, eventID: String? = nil, returnID: String? = nil, status: String? = nil,
                orderReference: String? = nil, steps: [PlanStep] = [], reason: String? = nil, jsonPath: String? = nil) {
        self.init(source: source, outcome: outcome, eventID: eventID, returnID: returnID, status: status, returnType: nil,
                  orderReference: orderReference, steps: steps, reason: reason, jsonPath: jsonPath)
    }

    /// Every member at once (the planner's finished plan).
    init(source: EventSource, outcome: Outcome, eventID: String?, returnID: String?, status: String?, returnType: String?,
         orderReference: String?, steps: [PlanStep], reason: String?) {
        self.init(source: source, outcome: outcome, eventID: eventID, returnID: returnID, status: status, returnType: returnType,
                  orderReference: orderReference, steps: steps, reason: reason, jsonPath: nil)
    }
}

/// One thing to do (or deliberately not do) for an event.
public struct PlanStep: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case refund
        case replacementOrder = "replacement_order"
        case restock
        case restockHold = "restock_hold"
        case storeCredit = "store_credit"
        case note
        case review
        case ignore
        /// Nothing to do, with the reason (already refunded, Reveni does it, …).
        case noop

        /// Position in `allCases`.
        var ordinal: Int {
            switch self {
            case .refund: 0
            case .replacementOrder: 1
            case .restock: 2
            case .restockHold: 3
            case .storeCredit: 4
            case .note: 5
            case .review: 6
            case .ignore: 7
            case .noop: 8
            }
        }
    }

    /// Human summary: "refund EUR 92.85 on order #5123 (record only)". Declared before `kind`
    /// so that the memberwise initializer (`init(summary:kind:…)`) differs from the public one,
    /// which calls it (see `EventPlan`: built this way, a step is not copied out of a temporary).
    public var summary: String
    public var kind: Kind
    public var details: [String]
    public var request: PlannedRequest?
    public var key: String?
    /// The rule that produced the step; nil for the planner's own safety rules and status notes.
    public var rule: RuleReference?
    /// Conditions the executor must find true before applying the request.
    public var preconditions: [Precondition]
    /// True when every precondition was checked against a store snapshot.
    public var verified: Bool
    public var review: ReviewItem?
    /// For refunds and store credit: the amount.
    public var amount: Money?
}

extension PlanStep {
    public init(kind: Kind, summary: String, details: [String] = [], request: PlannedRequest? = nil, key: String? = nil, rule: RuleReference? = nil,
                preconditions: [Precondition] = [], verified: Bool = false, review: ReviewItem? = nil, amount: Money? = nil) {
        self.init(summary: summary, kind: kind, details: details, request: request, key: key, rule: rule, preconditions: preconditions,
                  verified: verified, review: review, amount: amount)
    }
}

/// A WooCommerce REST v3 request exactly as it should be sent.
public struct PlannedRequest: Sendable {
    public var method: String
    /// Under `/wp-json`: `/wc/v3/orders/5123/refunds`.
    public var path: String
    /// The JSON body, members in the order WooCommerce documents them.
    public var body: JSONValue?
    /// For stock writes: the change to apply as read, check, write (REST v3 has no increment).
    public var stockDelta: StockDelta?

    public init(method: String, path: String, body: JSONValue?, stockDelta: StockDelta? = nil) {
        self.method = method
        self.path = path
        self.body = body
        self.stockDelta = stockDelta
    }
}

public struct StockDelta: Sendable, Hashable {
    public var delta: Int
    /// The stock the snapshot shows before this write (after earlier planned deltas), if known.
    public var expectedBefore: Int?
}

public struct Precondition: Sendable, Hashable {
    public var description: String
    /// Whether the snapshot confirmed it; nil without a snapshot.
    public var holds: Bool?

    public init(_ description: String, holds: Bool?) {
        self.description = description
        self.holds = holds
    }
}

/// A manual-review item: a person decides.
public struct ReviewItem: Sendable, Hashable {
    public var queue: String
    public var reason: String
    /// The numbers a reviewer needs ("Reveni amount: 92.85 EUR", "computed: 96.80 EUR").
    public var figures: [String]

    public init(queue: String, reason: String, figures: [String] = []) {
        self.queue = queue
        self.reason = reason
        self.figures = figures
    }
}

/// The rule behind a step, with where it is written.
public struct RuleReference: Sendable, Hashable {
    public var name: String
    public var file: String
    public var line: Int
    public var column: Int

    public init(name: String, file: String, line: Int, column: Int) {
        self.name = name
        self.file = file
        self.line = line
        self.column = column
    }

    public var location: String { "\(file):\(line):\(column)" }

    /// The rule that created a restock hold, from the location the hold recorded.
    public init(hold: RestockHold) {
        let parts = hold.ruleLocation.split(separator: ":")
        if parts.count >= 3, let line = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]) {
            self.init(name: hold.rule, file: parts.dropLast(2).joined(separator: ":"), line: line, column: column)
        } else {
            self.init(name: hold.rule, file: hold.ruleLocation, line: 0, column: 0)
        }
    }
}

/// Counts for the one-line summary: `2 refunds EUR 168.76 · 1 replacement order · 1 review`.
public struct PlanSummary: Sendable, Hashable {
    public var events = 0
    public var duplicates = 0
    public var stale = 0
    public var rejected = 0
    /// Steps per kind (only kinds that occur).
    public var counts: [PlanStep.Kind: Int] {
        get {
            var counts: [PlanStep.Kind: Int] = [:]
            for kind in PlanStep.Kind.allCases where kindCounts[kind.ordinal] > 0 { counts[kind] = kindCounts[kind.ordinal] }
            return counts
        }
        set { kindCounts = PlanStep.Kind.allCases.map { newValue[$0] ?? 0 } }
    }
    /// `counts` by `PlanStep.Kind.ordinal`: counting a step is an array increment, where a
    /// dictionary keyed by the kind hashed its `String` raw value.
    private var kindCounts = [Int](repeating: 0, count: PlanStep.Kind.allCases.count)
    /// Refund totals by currency code, minor units.
    public var refundTotals: [String: Money] = [:]
    public var storeCreditTotals: [String: Money] = [:]
    public var requests = 0

    public init(_ events: [EventPlan] = []) {
        for event in events { add(event) }
    }

    public mutating func add(_ event: EventPlan) {
        events += 1
        switch event.outcome {
        case .duplicate: duplicates += 1
        case .stale: stale += 1
        case .rejected: rejected += 1
        case .planned: break
        }
        // By index: the steps are read in place where a for-in loop would copy each one.
        for index in event.steps.indices {
            let kind = event.steps[index].kind
            kindCounts[kind.ordinal] += 1
            if event.steps[index].request != nil { requests += 1 }
            if let amount = event.steps[index].amount {
                let code = amount.currency.code
                let step = (kind: kind, amount: amount)
                if step.kind == .refund {
                    refundTotals[code] = Money(minorUnits: (refundTotals[code]?.minorUnits ?? 0) + amount.minorUnits, currency: amount.currency)
                } else if step.kind == .storeCredit {
                    storeCreditTotals[code] = Money(minorUnits: (storeCreditTotals[code]?.minorUnits ?? 0) + amount.minorUnits, currency: amount.currency)
                }
            }
        }
    }

    /// `2 refunds EUR 168.76 · 1 replacement order · 1 restock held · 1 review`
    public var line: String {
        var parts: [String] = []
        func plural(_ count: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
            "\(count) \(count == 1 ? singular : (pluralForm ?? singular + "s"))"
        }
        if let refunds = counts[.refund], refunds > 0 {
            let totals = refundTotals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.formatted)" }.joined(separator: " + ")
            parts.append("\(plural(refunds, "refund")) \(totals)")
        }
        if let credits = counts[.storeCredit], credits > 0 {
            let totals = storeCreditTotals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.formatted)" }.joined(separator: " + ")
            parts.append("\(plural(credits, "store credit")) \(totals)")
        }
        if let count = counts[.replacementOrder], count > 0 { parts.append(plural(count, "replacement order")) }
        if let count = counts[.restock], count > 0 { parts.append(plural(count, "restock")) }
        if let count = counts[.restockHold], count > 0 { parts.append("\(count) restock\(count == 1 ? "" : "s") held") }
        if let count = counts[.note], count > 0 { parts.append(plural(count, "note")) }
        if let count = counts[.review], count > 0 { parts.append(plural(count, "review")) }
        if duplicates > 0 { parts.append(plural(duplicates, "duplicate")) }
        if stale > 0 { parts.append("\(stale) stale") }
        if rejected > 0 { parts.append("\(rejected) rejected") }
        if parts.isEmpty { return "no changes (\(plural(events, "event")))" }
        return parts.joined(separator: " · ")
    }

    /// True when the plan writes anything (for `--detailed-exitcode`).
    public var hasChanges: Bool { requests > 0 || (counts[.review] ?? 0) > 0 || (counts[.restockHold] ?? 0) > 0 }
}
