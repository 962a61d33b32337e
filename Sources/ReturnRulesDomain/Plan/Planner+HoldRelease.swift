import ReturnRulesLanguage

/// A restock hold released by hand (`returnrules holds release ID --grade G`), for a warehouse
/// that records its inspection outside Reveni.
///
/// The release goes through the planner's own settlement of a hold, so it produces exactly
/// what the item's inspection result would have produced inside a Reveni event: a grade in
/// `restock_grades` becomes the same stock write (same path, body, key and expected stock), any
/// other grade becomes a warehouse review item. The grade is also recorded as the item's
/// inspection result, so a later Reveni event with a grade for the item does not fire
/// `on item inspected` rules a second time.
extension Planner {
    /// Plans the release of the open hold on `item` of `returnID`, or nil when there is no open hold.
    ///
    /// - Parameters:
    ///   - eventID: an id for the release (shown in the plan; not part of any key).
    ///   - source: where the release came from, for messages.
    public func releaseHold(returnID: String, item: String, grade: String, eventID: String, source: EventSource,
                            state: PlannerState) -> (EventPlan, [StateChange])? {
        guard let hold = state.knowledge(of: returnID).holds[item], !hold.closed else { return nil }
        let slots = ReturnEvent.slots
        var record = EventRecord(fieldCount: mapper.eventFieldCount, collectionFieldCounts: mapper.collectionFieldCounts)
        record.fields[slots.eventID] = record.appendText(eventID)
        record.fields[slots.returnID] = record.appendText(returnID)
        if let orderID = hold.orderID { record.fields[slots.orderID] = record.appendText(String(orderID)) }
        // The item as the hold remembers it; its id is the hold's item identity, so the restock
        // key (return, identity, units) is the one the planner made when it held the restock.
        record.beginCollection(ReturnSchema.itemsSlot)
        let base = record.appendElement(to: ReturnSchema.itemsSlot)
        record.elements[base + slots.itemID] = record.appendText(hold.item)
        if let productID = hold.productID { record.elements[base + slots.itemProductID] = record.appendText(String(productID)) }
        if let variationID = hold.variationID { record.elements[base + slots.itemVariationID] = record.appendText(String(variationID)) }
        if let sku = hold.sku { record.elements[base + slots.itemSKU] = record.appendText(sku) }
        record.elements[base + slots.itemQuantity] = .number(ExactDecimal(Int64(hold.units)))
        let event = ReturnEvent(record: record, names: parts.names)
        let context = EventContext(planner: self, event: event, source: source, state: state)
        let view = event.item(0)
        if context.state.knowledge(of: returnID).inspected[hold.item] == nil {
            context.record(.itemInspected(returnID: returnID, item: hold.item, grade: grade))
        }
        context.settleHold(for: view, grade: grade, decidedBy: [])
        return context.take()
    }
}
