import ReturnRulesLanguage

/// One action of a rule as the planner dispatches it, worked out once per rule file: which
/// action it is (so an event does not compare the action's name with every known one), and the
/// texts of `ignore` and `review` steps whose arguments are constants (most of them), so the
/// step's strings are made once rather than evaluated and joined for every event.
final class PlannedAction: Sendable {
    enum Kind: Sendable {
        case refund, refundAmount, restock, replacementOrder, storeCredit, note, review, ignore, unknown
    }

    let kind: Kind
    /// `ignore`: the step's summary, when its reason is a constant or absent.
    let ignoreSummary: String?
    /// `review`: queue, reason and summary, when both arguments are constants or absent.
    let review: (queue: String, reason: String, summary: String)?

    init(_ action: CheckedAction) {
        switch action.name {
        case "refund": kind = .refund
        case "refund_amount": kind = .refundAmount
        case "restock": kind = .restock
        case "replacement_order": kind = .replacementOrder
        case "store_credit": kind = .storeCredit
        case "note": kind = .note
        case "review": kind = .review
        case "ignore": kind = .ignore
        default: kind = .unknown
        }
        // The same texts `EventContext.perform` makes from evaluated arguments.
        if kind == .ignore, let reason = PlannedAction.constantText(action, "reason") {
            ignoreSummary = EventContext.ignoreSummary(reason: reason)
        } else {
            ignoreSummary = nil
        }
        if kind == .review, let queue = PlannedAction.constantText(action, "queue"), let reason = PlannedAction.constantText(action, "reason") {
            let queue = queue ?? "review", reason = reason ?? ""
            review = (queue, reason, EventContext.reviewSummary(queue: queue, reason: reason))
        } else {
            review = nil
        }
    }

    /// An argument's text known without an event: `.some(nil)` when the argument is absent,
    /// `.some(text)` for a constant string, nil when only evaluation can tell.
    static func constantText(_ action: CheckedAction, _ name: String) -> String?? {
        guard let argument = action.arguments[name] else { return .some(nil) }
        if case .constant(.string(let text)) = argument.kind { return .some(text) }
        return nil
    }
}
