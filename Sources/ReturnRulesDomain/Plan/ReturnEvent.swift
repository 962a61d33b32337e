import ReturnRulesLanguage

/// A typed view of one mapped event: the canonical return the planner reasons about.
///
/// The storage is the same `EventRecord` the rules read, so there is one source of truth; this
/// wrapper only names the slots and turns enum indices back into names.
public struct ReturnEvent: Sendable {
    public let record: EventRecord
    let enums: [String: [String]]
    /// The planner's enum member names, when the event was made by the planner (see `EnumNames`).
    let names: EnumNames?
    /// Read once: the planner asks for these many times per event.
    public let eventID: String
    public let returnID: String
    public let status: String
    /// The rank of the status in Reveni's lifecycle (in progress … cancelled).
    public let statusRank: Int
    /// The envelope time (read at least twice per planned event, and a `String` each time).
    public let createdAt: String?

    // The initializers are in an extension and call the memberwise one: one that set each member
    // itself built the event in a temporary, then copied it out and destroyed the temporary.

    static let slots = Slots()

    /// Slot numbers, looked up once.
    struct Slots: Sendable {
        let eventID = ReturnSchema.eventSlot("event.id")
        let eventCreatedAt = ReturnSchema.eventSlot("event.created_at")
        let returnID = ReturnSchema.eventSlot("return.id")
        let returnType = ReturnSchema.eventSlot("return.type")
        let returnMode = ReturnSchema.eventSlot("return.mode")
        let returnStatus = ReturnSchema.eventSlot("return.status")
        let currency = ReturnSchema.eventSlot("return.currency")
        let orderID = ReturnSchema.eventSlot("order.woo_id")
        let orderNumber = ReturnSchema.eventSlot("order.number")
        let customerEmail = ReturnSchema.eventSlot("customer.email")
        let refundMethod = ReturnSchema.eventSlot("refund.method")
        let refundAmount = ReturnSchema.eventSlot("refund.amount")
        let refundBonus = ReturnSchema.eventSlot("refund.bonus")
        let refundExecutedBy = ReturnSchema.eventSlot("refund.executed_by")
        let refundStatus = ReturnSchema.eventSlot("refund.status")
        let refundReference = ReturnSchema.eventSlot("refund.reference")
        let exchangeCreatedBy = ReturnSchema.eventSlot("exchange.created_by")
        let exchangeNewOrderID = ReturnSchema.eventSlot("exchange.new_order_id")
        let exchangePriceDifference = ReturnSchema.eventSlot("exchange.price_difference")
        let itemID = ReturnSchema.itemSlot("id")
        let itemOrderLine = ReturnSchema.itemSlot("order_line")
        let itemProductID = ReturnSchema.itemSlot("product_id")
        let itemVariationID = ReturnSchema.itemSlot("variation_id")
        let itemSKU = ReturnSchema.itemSlot("sku")
        let itemEAN = ReturnSchema.itemSlot("ean")
        let itemName = ReturnSchema.itemSlot("name")
        let itemQuantity = ReturnSchema.itemSlot("quantity")
        let itemTotal = ReturnSchema.itemSlot("total")
        let itemTaxTotal = ReturnSchema.itemSlot("tax_total")
        let itemGrade = ReturnSchema.itemSlot("grade")
        let itemValidation = ReturnSchema.itemSlot("validation")
        let feeAmount = ReturnSchema.feeSlot("amount")
        let newItemProductID = ReturnSchema.newItemSlot("product_id")
        let newItemVariationID = ReturnSchema.newItemSlot("variation_id")
        let newItemSKU = ReturnSchema.newItemSlot("sku")
        let newItemName = ReturnSchema.newItemSlot("name")
        let newItemQuantity = ReturnSchema.newItemSlot("quantity")
    }

    func string(_ slot: Int) -> String? { record.string(record.fields[slot]) }
    func money(_ slot: Int) -> Int64? { if case .money(let units) = record.fields[slot] { units } else { nil } }
    func member(_ slot: Int, _ known: EnumNames.Known) -> String? {
        guard case .member(let index) = record.fields[slot] else { return nil }
        return ReturnEvent.name(of: index, known, names, enums)
    }

    /// A member's name: from the planner's table when there is one, else by enum name.
    @inline(__always)
    static func name(of index: Int32, _ known: EnumNames.Known, _ names: EnumNames?, _ enums: [String: [String]]) -> String? {
        if let names { return names.name(known, index) }
        guard let members = enums[known.name], Int(index) < members.count else { return nil }
        return members[Int(index)]
    }

    public var type: String? { member(Self.slots.returnType, .returnType) }
    public var mode: String? { member(Self.slots.returnMode, .returnMode) }
    public var currencyCode: String? { string(Self.slots.currency) }

    /// The event's currency code when it is not `currency`'s; compared as bytes first (equal
    /// bytes are equal codes), so the usual event makes no string.
    func currencyCode(differingFrom currency: Currency) -> String? {
        if case .text(let span) = record.fields[Self.slots.currency], span.store == .event, currency.hasCode(utf8: record.bytes(span)) { return nil }
        guard let code = currencyCode, code != currency.code else { return nil }
        return code
    }
    public var orderReference: String { string(Self.slots.orderID) ?? "" }
    public var orderNumber: String? { string(Self.slots.orderNumber) }
    public var customerEmail: String? { string(Self.slots.customerEmail) }
    public var refundMethod: String? { member(Self.slots.refundMethod, .refundMethod) }
    public var refundAmount: Int64? { money(Self.slots.refundAmount) }
    public var refundBonus: Int64? { money(Self.slots.refundBonus) }
    public var refundExecutedBy: String? { member(Self.slots.refundExecutedBy, .actor) }
    public var refundStatus: String? { member(Self.slots.refundStatus, .refundStatus) }
    public var refundReference: String? { string(Self.slots.refundReference) }
    public var exchangeCreatedBy: String? { member(Self.slots.exchangeCreatedBy, .actor) }
    public var exchangeNewOrderID: String? { string(Self.slots.exchangeNewOrderID) }
    public var exchangePriceDifference: Int64? { money(Self.slots.exchangePriceDifference) }

    public var itemCount: Int { record.count(of: ReturnSchema.itemsSlot) }
    public var feeCount: Int { record.count(of: ReturnSchema.feesSlot) }
    public var newItemCount: Int { record.count(of: ReturnSchema.newItemsSlot) }
    public var itemIndices: Range<Int> { 0..<itemCount }

    /// Σ fee amounts in minor units.
    public var feesTotal: Int64 {
        var total: Int64 = 0
        for index in 0..<feeCount {
            if case .money(let units) = record.element(ReturnSchema.feesSlot, index, Self.slots.feeAmount) { total += units }
        }
        return total
    }

    public func item(_ index: Int) -> ItemView {
        ItemView(record: record, base: record.base(of: ReturnSchema.itemsSlot, index), index: index, enums: enums, names: names)
    }

    /// A new item of an exchange, with the fields product resolution needs.
    public func newItem(_ index: Int) -> NewItemView {
        NewItemView(record: record, base: record.base(of: ReturnSchema.newItemsSlot, index), index: index)
    }

    /// One returned item, typed.
    public struct ItemView: Sendable {
        let record: EventRecord
        let base: Int
        public let index: Int
        let enums: [String: [String]]
        let names: EnumNames?

        func field(_ slot: Int) -> Value { record.elements[base + slot] }
        func string(_ slot: Int) -> String? { record.string(field(slot)) }
        func member(_ slot: Int, _ known: EnumNames.Known) -> String? {
            guard case .member(let index) = field(slot) else { return nil }
            return ReturnEvent.name(of: index, known, names, enums)
        }

        public var id: String? { string(ReturnEvent.slots.itemID) }
        public var orderLine: String? { string(ReturnEvent.slots.itemOrderLine) }
        public var productID: String? { string(ReturnEvent.slots.itemProductID) }
        public var variationID: String? { string(ReturnEvent.slots.itemVariationID) }
        public var sku: String? { string(ReturnEvent.slots.itemSKU) }
        public var ean: String? { string(ReturnEvent.slots.itemEAN) }
        public var name: String? { string(ReturnEvent.slots.itemName) }
        public var quantity: ExactDecimal? { if case .number(let value) = field(ReturnEvent.slots.itemQuantity) { value } else { nil } }
        public var total: Int64? { if case .money(let units) = field(ReturnEvent.slots.itemTotal) { units } else { nil } }
        public var taxTotal: Int64? { if case .money(let units) = field(ReturnEvent.slots.itemTaxTotal) { units } else { nil } }
        public var grade: String? { member(ReturnEvent.slots.itemGrade, .grade) }
        public var validation: String? { member(ReturnEvent.slots.itemValidation, .validationStatus) }

        /// A stable identity of the item within its return, for "inspected once" and holds.
        public var identity: String {
            if let id { return id }
            return "#\(index):\(orderLine ?? ""):\(variationID ?? productID ?? ""):\(sku ?? "")"
        }

        /// The units as a whole number, or nil when the quantity is absent, fractional or not positive.
        public var units: Int? { ReturnEvent.wholeUnits(quantity) }

        public var clues: ProductClues {
            ProductClues(orderLine: orderLine, productID: productID, variationID: variationID, sku: sku, ean: ean)
        }
    }

    /// One item an exchange sends.
    public struct NewItemView: Sendable {
        let record: EventRecord
        let base: Int
        public let index: Int

        func field(_ slot: Int) -> Value { record.elements[base + slot] }
        func string(_ slot: Int) -> String? { record.string(field(slot)) }

        public var productID: String? { string(ReturnEvent.slots.newItemProductID) }
        public var variationID: String? { string(ReturnEvent.slots.newItemVariationID) }
        public var sku: String? { string(ReturnEvent.slots.newItemSKU) }
        public var name: String? { string(ReturnEvent.slots.newItemName) }
        public var quantity: ExactDecimal? { if case .number(let value) = field(ReturnEvent.slots.newItemQuantity) { value } else { nil } }
        public var units: Int? { ReturnEvent.wholeUnits(quantity) }

        public var clues: ProductClues {
            ProductClues(orderLine: nil, productID: productID, variationID: variationID, sku: sku, ean: nil)
        }
    }

    static func wholeUnits(_ quantity: ExactDecimal?) -> Int? {
        guard let quantity, quantity.isInteger, let whole = quantity.int64Value, whole > 0, whole <= Int64(Int32.max) else { return nil }
        return Int(whole)
    }
}

extension ReturnEvent {
    public init(record: EventRecord, enums: [String: [String]]) {
        // Members are indices into the enum's member list; the status list is the schema's.
        var status = ""
        var statusRank = 0
        if case .member(let index) = record.fields[Self.slots.returnStatus], let members = enums[ReturnSchema.returnStatus],
           Int(index) < members.count {
            status = members[Int(index)]
            statusRank = ReturnSchema.statuses.firstIndex(of: status) ?? 0
        }
        self.init(record: record, enums: enums, names: nil, eventID: record.string(record.fields[Self.slots.eventID]) ?? "",
                  returnID: record.string(record.fields[Self.slots.returnID]) ?? "", status: status, statusRank: statusRank,
                  createdAt: record.string(record.fields[Self.slots.eventCreatedAt]))
    }

    /// An event of a planner, which has looked its enums' member names up once.
    init(record: EventRecord, names: EnumNames) {
        var status = ""
        var statusRank = 0
        if case .member(let index) = record.fields[Self.slots.returnStatus], let name = names.name(.returnStatus, index) {
            status = name
            statusRank = names.statusRanks[Int(index)]
        }
        self.init(record: record, enums: names.all, names: names, eventID: record.string(record.fields[Self.slots.eventID]) ?? "",
                  returnID: record.string(record.fields[Self.slots.returnID]) ?? "", status: status, statusRank: statusRank,
                  createdAt: record.string(record.fields[Self.slots.eventCreatedAt]))
    }
}

/// What is known about a product of an event: the ids and codes product resolution tries.
public struct ProductClues: Sendable, Hashable {
    public var orderLine: String?
    public var productID: String?
    public var variationID: String?
    public var sku: String?
    public var ean: String?
}
