import JSONBytes
import ReturnRulesLanguage

/// Store credit we issue ourselves, as a WooCommerce coupon, and order notes.
extension EventContext {
    func planStoreCredit(amount: Int64?, reason: String?, rule: RuleReference) {
        let reveniIssues = event.refundExecutedBy.map { $0 == "reveni" } ?? configuration.reveniIssuesStoreCredit
        if reveniIssues {
            noop("store credit: Reveni issues it for this return\(event.refundReference.map { " (\($0))" } ?? ""); not issued twice", rule: rule)
            return
        }
        guard let value = amount ?? event.refundAmount.map({ $0 + (event.refundBonus ?? 0) }) else {
            review(queue: "finance", reason: "store credit: the event states no refund amount", figures: [], rule: rule)
            return
        }
        guard value > 0 else {
            noop("store credit: \(money(value)) is nothing to issue", rule: rule)
            return
        }
        let creditKey = key("store_credit", [])
        if isPlanned(creditKey) {
            noop("store credit for this return is already planned", rule: rule)
            return
        }
        let code = IdempotencyKey.couponCode(for: creditKey)
        var body: [(key: String, value: JSONValue)] = [
            ("code", .string(code)),
            ("discount_type", .string("fixed_cart")),
            ("amount", .string(money(value).formatted)),
            ("usage_limit", .number("1")),
            ("individual_use", .bool(false)),
        ]
        if let email = event.customerEmail { body.append(("email_restrictions", .array([.string(email)]))) }
        body += [
            ("description", .string(reason ?? "Store credit for Reveni return \(event.returnID)")),
            ("meta_data", .array([PlannerJSON.meta("reveni_return_id", event.returnID), PlannerJSON.meta("rr_idempotency_key", creditKey),
                                  PlannerJSON.meta("reveni_original_order_id", event.orderReference)])),
        ]
        var details = ["coupon code \(code) (WooCommerce rejects a duplicate code, so a retry cannot issue it twice)"]
        if let bonus = event.refundBonus, bonus > 0, amount == nil { details.append("includes the bonus \(money(bonus))") }
        steps.append(PlanStep(kind: .storeCredit, summary: "store credit \(money(value)) as coupon \(code)", details: details,
                              request: PlannedRequest(method: "POST", path: "/wc/v3/coupons", body: .object(body)),
                              key: creditKey, rule: rule,
                              preconditions: [Precondition("no coupon has code \(code)", holds: nil)], verified: false, amount: money(value)))
        record(.keyPlanned(returnID: event.returnID, key: creditKey))
    }

    /// An order note. Internal notes carry the key as a marker (notes have no meta data); a
    /// customer note (which emails the customer) does not, and is found by its exact text.
    func planNote(visibility: String, text: String, rule: RuleReference?) {
        let orderID: Int
        switch targetOrderID() {
        case .failure(let problem):
            let message = problem.message
            review(queue: "customer-service", reason: "cannot add a note: \(message)", figures: [], rule: rule)
            return
        case .success(let id): orderID = id
        }
        let noteKey = key("note", [visibility, rule?.name ?? "status", event.status, text])
        if isPlanned(noteKey) {
            noop("note already planned: \(text)", rule: rule)
            return
        }
        let customer = visibility == "customer"
        let noteText = customer ? text : "\(text) \(IdempotencyKey.noteMarker(for: noteKey))"
        steps.append(PlanStep(kind: .note, summary: "\(customer ? "customer" : "internal") note on order #\(orderID): \(text)",
                              details: customer ? ["emails the customer"] : [],
                              request: PlannedRequest(method: "POST", path: "/wc/v3/orders/\(orderID)/notes",
                                                      body: .object([("note", .string(noteText)), ("customer_note", .bool(customer))])),
                              key: noteKey, rule: rule, verified: store?.order(orderID) != nil))
        record(.keyPlanned(returnID: event.returnID, key: noteKey))
    }

    /// The automatic internal note for customer service: one per return and status.
    func statusNote() {
        guard let orderID = try? targetOrderID().get() else { return }
        if let store, store.order(orderID) == nil { return }
        let noteKey = key("status_note", [event.status])
        if isPlanned(noteKey) { return }
        var words = "Reveni return \(event.returnID): \(PlainWords.of(event.status))"
        // " (type, mode)", either or none: composed directly, not through an array joined.
        switch (event.type, event.mode) {
        case (let type?, let mode?): words += " (\(type), \(mode))"
        case (let type?, nil): words += " (\(type))"
        case (nil, let mode?): words += " (\(mode))"
        case (nil, nil): break
        }
        steps.append(PlanStep(kind: .note, summary: "internal note on order #\(orderID): \(words)", details: ["status note for customer service"],
                              request: PlannedRequest(method: "POST", path: "/wc/v3/orders/\(orderID)/notes",
                                                      body: .object([("note", .string("\(words) \(IdempotencyKey.noteMarker(for: noteKey))")), ("customer_note", .bool(false))])),
                              key: noteKey, rule: nil, verified: store != nil))
        record(.keyPlanned(returnID: event.returnID, key: noteKey))
    }
}
