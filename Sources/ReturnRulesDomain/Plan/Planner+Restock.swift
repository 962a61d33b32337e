import JSONBytes
import ReturnRulesLanguage

/// Restocks: only after an inspection, only for the header's `restock_grades`, as a delta on
/// whatever holds the stock.
///
/// A restock asked for before the item's inspection result is known becomes a *hold* (no
/// request). The item's first inspection result settles it: a grade in `restock_grades`
/// releases it as a stock write, any other grade turns it into a review item. A restock of an
/// item whose grade is known happens only for a restock grade, whatever the rule says. Phantom
/// stock is impossible by construction.
extension EventContext {
    func planRestock(items indices: [Int], rule: RuleReference) {
        if configuration.reveniRestocksOnAccept {
            noop("restock: Reveni restocks this client's returns on acceptance (reveni.restocks_on_accept); not restocked twice", rule: rule)
            return
        }
        for index in indices {
            let item = event.item(index)
            guard let units = item.units else {
                review(queue: "warehouse", reason: "item \(item.sku ?? item.identity): the quantity must be a positive whole number to restock",
                       figures: ["quantity: \(item.quantity?.description ?? "none")"], rule: rule)
                continue
            }
            if let grade = item.grade {
                if configuration.restockGrades.contains(grade) {
                    restockNow(item, units: units, grade: grade, rule: rule)
                } else {
                    // Whatever the rule says, only the header's restock grades go back into stock.
                    review(queue: "warehouse", reason: "\(item.sku ?? item.identity) graded \(grade) is not restocked: \(grade) is not one of the restock grades",
                           figures: ["restock grades: \(configuration.restockGrades.sorted().joined(separator: ", "))", "units: \(units)"], rule: rule)
                }
                continue
            }
            // Only an item without a grade reads the return's holds (a copy of its knowledge).
            let knowledge = state.knowledge(of: event.returnID)
            if let hold = knowledge.holds[item.identity], !hold.closed {
                noop("restock of \(item.sku ?? item.identity) is already held until its inspection", rule: rule)
            } else if knowledge.holds[item.identity]?.closed == true {
                noop("restock of \(item.sku ?? item.identity) was already settled", rule: rule)
            } else {
                let holdKey = restockKey(item, units: units)
                let hold = RestockHold(item: item.identity, orderID: Int(event.orderReference), productID: item.productID.flatMap(Int.init),
                                       variationID: item.variationID.flatMap(Int.init), sku: item.sku, ean: item.ean, units: units, rule: rule.name,
                                       ruleLocation: rule.location, key: holdKey)
                steps.append(PlanStep(kind: .restockHold, summary: "restock of \(units) × \(item.sku ?? item.name ?? item.identity) held until inspection",
                                      details: ["released when the inspection grade is one of: \(configuration.restockGrades.sorted().joined(separator: ", "))",
                                                "any other grade goes to the warehouse review queue"],
                                      key: holdKey, rule: rule))
                record(.restockHeld(returnID: event.returnID, hold: hold))
            }
        }
    }

    func restockKey(_ item: ReturnEvent.ItemView, units: Int) -> String { key("restock", [item.identity, String(units)]) }

    /// The item's inspection result arrived: settle a hold waiting for it. When an `on item
    /// inspected` rule decided for the item, its decision stands (a restock it planned uses the
    /// hold's key); otherwise `restock_grades` decides: release, or a review item.
    func settleHold(for item: ReturnEvent.ItemView, grade: String, decidedBy rules: [RuleReference]) {
        guard let hold = known({ $0.holds.isEmpty ? nil : $0.holds[item.identity] }) ?? nil, !hold.closed else { return }
        let holdRule = RuleReference(hold: hold)
        if isPlanned(hold.key) {
            record(.restockHoldClosed(returnID: event.returnID, item: item.identity, outcome: "restocked by a rule"))
            return
        }
        if let decider = rules.first {
            noop("held restock of \(hold.units) × \(item.sku ?? item.identity) closed: rule \(decider.name) decided for grade \(grade)", rule: holdRule)
            record(.restockHoldClosed(returnID: event.returnID, item: item.identity, outcome: "decided by rule \(decider.name)"))
            return
        }
        if configuration.restockGrades.contains(grade) {
            restockNow(item, units: hold.units, grade: grade, rule: holdRule, releasing: true)
            record(.restockHoldClosed(returnID: event.returnID, item: item.identity, outcome: "released: grade \(grade)"))
        } else {
            review(queue: "warehouse", reason: "held restock of \(hold.units) × \(item.sku ?? item.identity): grade \(grade) is not restockable",
                   figures: ["restock grades: \(configuration.restockGrades.sorted().joined(separator: ", "))", "hold key: \(hold.key)"], rule: holdRule)
            record(.restockHoldClosed(returnID: event.returnID, item: item.identity, outcome: "review: grade \(grade)"))
        }
    }

    /// A stock write for an inspected item: +units on the product or variation that holds the stock.
    func restockNow(_ item: ReturnEvent.ItemView, units: Int, grade: String, rule: RuleReference, releasing: Bool = false) {
        let restockKey = restockKey(item, units: units)
        if isPlanned(restockKey) {
            noop("restock of \(item.sku ?? item.identity) is already planned", rule: rule)
            return
        }
        // Stock for an order the store does not know may belong to another shop: a person decides.
        if let store, let orderID = Int(event.orderReference), store.order(orderID) == nil {
            review(queue: "warehouse", reason: "cannot restock \(item.sku ?? item.identity): order #\(orderID) is not in the store snapshot", figures: [], rule: rule)
            return
        }
        let reference: ProductReference
        switch productReference(for: item) {
        case .failure(let problem):
            let message = problem.message
            review(queue: "warehouse", reason: "cannot restock \(item.sku ?? item.identity): \(message)", figures: [], rule: rule)
            return
        case .success(let found): reference = found
        }
        var path: String
        var holderKey: String
        var stock: Int?
        var verified = false
        if let store {
            switch store.stockHolder(productID: reference.productID, variationID: reference.variationID) {
            case .variation(let productID, let variationID, let quantity):
                path = "/wc/v3/products/\(productID)/variations/\(variationID)"
                holderKey = "variation:\(variationID)"
                stock = quantity
            case .product(let productID, let quantity):
                path = "/wc/v3/products/\(productID)"
                holderKey = "product:\(productID)"
                stock = quantity
            case .notManaged(let why):
                review(queue: "warehouse", reason: "\(item.sku ?? item.identity): WooCommerce does not manage its stock (\(why)); restock by hand if needed",
                       figures: ["units: \(units)", "grade: \(grade)"], rule: rule)
                return
            case .unknown(let why):
                review(queue: "warehouse", reason: "cannot restock \(item.sku ?? item.identity): \(why)", figures: [], rule: rule)
                return
            }
            verified = stock != nil
        } else if reference.variationID != 0 {
            path = "/wc/v3/products/\(reference.productID)/variations/\(reference.variationID)"
            holderKey = "variation:\(reference.variationID)"
        } else {
            path = "/wc/v3/products/\(reference.productID)"
            holderKey = "product:\(reference.productID)"
        }
        let expected = stock.map { $0 + (state.stockDeltas[holderKey] ?? 0) }
        var body: [(key: String, value: JSONValue)] = []
        if let expected { body.append(("stock_quantity", .number(String(expected + units)))) }
        body.append(("meta_data", .array([PlannerJSON.meta("rr_last_restock_key", restockKey)])))
        let name = item.sku ?? item.name ?? item.identity
        steps.append(PlanStep(
            kind: .restock,
            summary: "restock +\(units) × \(name) (grade \(grade))\(releasing ? ", released from hold" : "")",
            details: [expected.map { "stock \($0) → \($0 + units) on \(PlainWords.of(holderKey, replacing: UInt8(ascii: ":")))" }
                          ?? "stock +\(units) on \(PlainWords.of(holderKey, replacing: UInt8(ascii: ":"))) (read, add, write: REST v3 has no increment)"],
            request: PlannedRequest(method: "PUT", path: path, body: .object(body), stockDelta: StockDelta(delta: units, expectedBefore: expected)),
            key: restockKey, rule: rule,
            preconditions: [Precondition("\(PlainWords.of(holderKey, replacing: UInt8(ascii: ":"))) stock is \(expected.map(String.init) ?? "read first") before the write", holds: expected.map { _ in true })],
            verified: verified))
        record(.stockPlanned(holder: holderKey, delta: units))
        record(.keyPlanned(returnID: event.returnID, key: restockKey))
    }
}
