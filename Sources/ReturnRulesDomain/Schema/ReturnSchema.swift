import ReturnRulesLanguage

/// The canonical return model, the triggers, the actions and the header settings of the returns
/// domain, handed to the language checker.
///
/// Reveni publishes no webhook schema (../shared/domain.md §1.1), so this model is ours: every
/// field can be remapped per client in a rule file's `mapping` block, and the built-in
/// `reveni_2026_01` mapping follows the payload shape of domain.md §5.
public enum ReturnSchema {
    /// The schema every rule file is checked against.
    public static let schema: LanguageSchema = build()

    // Enum names, shared with the planner.
    public static let returnStatus = "return_status"
    public static let returnType = "return_type"
    public static let returnMode = "return_mode"
    public static let refundMethod = "refund_method"
    public static let refundStatus = "refund_status"
    public static let actor = "actor"
    public static let validationStatus = "validation_status"
    public static let grade = "grade"
    public static let itemOutcome = "item_outcome"
    public static let moneyPath = "money_path"
    public static let noteVisibility = "note_visibility"

    /// The Reveni lifecycle in order; the rank orders events of one return that share a time.
    public static let statuses = ["in_progress", "shipped", "received", "for_review", "accepted", "partly_accepted", "rejected", "cancelled"]

    /// Event fields in slot order: (dotted name, type, optional, summary).
    static let eventFieldList: [(String, ValueType, Bool, String)] = [
        ("event.id", .string, false, "the webhook event's id (deduplication falls back to content when ids change)"),
        ("event.type", .string, true, "the webhook event's type, e.g. return.updated"),
        ("event.created_at", .string, true, "when the event was emitted (ISO 8601); orders events of one return"),
        ("event.attempt", .number, true, "the delivery attempt Reveni reports"),
        ("store.id", .string, true, "the Reveni store id"),
        ("return.id", .string, false, "the Reveni return id"),
        ("return.type", .enumeration(returnType), false, "refund, exchange or mixed"),
        ("return.mode", .enumeration(returnMode), true, "instant or standard"),
        ("return.status", .enumeration(returnStatus), false, "where the return is in Reveni's lifecycle"),
        ("return.previous_status", .enumeration(returnStatus), true, "the status before this event, when Reveni sends it"),
        ("return.currency", .string, false, "the ISO 4217 currency of every amount in the event"),
        ("order.woo_id", .string, false, "the WooCommerce order id the return belongs to"),
        ("order.number", .string, true, "the WooCommerce order number as the customer sees it"),
        ("order.reveni_id", .string, true, "Reveni's own id for the order"),
        ("customer.email", .string, true, "the customer's email (masked in logs)"),
        ("customer.id", .string, true, "the customer's id"),
        ("customer.country", .string, true, "the customer's country code"),
        ("refund.method", .enumeration(refundMethod), true, "bank_transfer, store_credit or original_payment_method"),
        ("refund.amount", .money, true, "what Reveni says the customer gets back (products − new products − fees)"),
        ("refund.bonus", .money, true, "additional store credit on top of the refund; never part of a refund"),
        ("refund.executed_by", .enumeration(actor), true, "who pays the refund: reveni or merchant; overrides the header"),
        ("refund.status", .enumeration(refundStatus), true, "pending, paid, issued or failed"),
        ("refund.reference", .string, true, "Reveni's refund or gift-card reference"),
        ("exchange.price_difference", .money, true, "what the customer pays (+) or gets back (−) for the new items"),
        ("exchange.created_by", .enumeration(actor), true, "who creates the replacement order; overrides the header"),
        ("exchange.new_order_id", .string, true, "the replacement order's WooCommerce id, when Reveni created it"),
        ("restock.requested", .bool, true, "the merchant's \"returned products restock\" choice in Reveni"),
    ]

    static let itemFields: [(String, ValueType, Bool, String)] = [
        ("id", .string, true, "Reveni's id for the returned item"),
        ("order_line", .string, true, "the WooCommerce order line item id"),
        ("product_id", .string, true, "the WooCommerce product id"),
        ("variation_id", .string, true, "the WooCommerce variation id (none for simple products)"),
        ("sku", .string, true, "the SKU as Reveni sends it"),
        ("ean", .string, true, "the EAN barcode"),
        ("name", .string, true, "the product name"),
        ("quantity", .number, false, "units returned"),
        ("unit_price", .money, true, "price of one unit, tax included"),
        ("tax_total", .money, true, "tax on the returned units"),
        ("total", .money, true, "total of the returned units, tax included"),
        ("reason", .string, true, "the reason code (per client in Reveni)"),
        ("reason_comment", .string, true, "the customer's comment"),
        ("validation", .enumeration(validationStatus), true, "the merchant's validation: accepted, rejected or pending"),
        ("grade", .enumeration(grade), true, "the inspection grade, one of the header's `grades`"),
        ("reject_reason", .string, true, "why the item was rejected"),
        ("outcome", .enumeration(itemOutcome), true, "refund or exchange, for mixed returns"),
    ]

    static let feeFields: [(String, ValueType, Bool, String)] = [
        ("type", .string, true, "logistics, co2, …"),
        ("amount", .money, false, "the fee Reveni deducts from the refund"),
    ]

    static let newItemFields: [(String, ValueType, Bool, String)] = [
        ("product_id", .string, true, "the WooCommerce product id of the replacement"),
        ("variation_id", .string, true, "the WooCommerce variation id of the replacement"),
        ("sku", .string, true, "the replacement's SKU"),
        ("name", .string, true, "the replacement's name"),
        ("quantity", .number, false, "units to send"),
        ("unit_price", .money, true, "the replacement's unit price"),
    ]

    /// Collection slots.
    public static let itemsSlot = 0
    public static let feesSlot = 1
    public static let newItemsSlot = 2

    public static func eventSlot(_ name: String) -> Int { schema.eventFields[name]!.slot }
    public static func itemSlot(_ name: String) -> Int { schema.records["item"]!.fields[name]!.slot }
    public static func feeSlot(_ name: String) -> Int { schema.records["fee"]!.fields[name]!.slot }
    public static func newItemSlot(_ name: String) -> Int { schema.records["new_item"]!.fields[name]!.slot }

    static func fields(_ list: [(String, ValueType, Bool, String)]) -> [String: FieldSpec] {
        var result: [String: FieldSpec] = [:]
        for (slot, (name, type, optional, summary)) in list.enumerated() {
            result[name] = FieldSpec(type, optional: optional, slot: slot, summary: summary)
        }
        return result
    }

    static func build() -> LanguageSchema {
        let yesNo = ValueType.bool
        return LanguageSchema(
            enums: [
                returnStatus: statuses,
                returnType: ["refund", "exchange", "mixed"],
                returnMode: ["instant", "standard"],
                refundMethod: ["bank_transfer", "store_credit", "original_payment_method"],
                refundStatus: ["pending", "paid", "issued", "failed"],
                actor: ["reveni", "merchant"],
                validationStatus: ["accepted", "rejected", "pending"],
                grade: [],
                itemOutcome: ["refund", "exchange"],
                moneyPath: ["record_only", "gateway"],
                noteVisibility: ["internal", "customer"],
            ],
            eventFields: fields(eventFieldList),
            collections: [
                "items": CollectionSpec(record: "item", elementName: "item", slot: itemsSlot, summary: "the returned items"),
                "fees": CollectionSpec(record: "fee", elementName: "fee", slot: feesSlot, summary: "fees Reveni deducts"),
                "exchange.new_items": CollectionSpec(record: "new_item", elementName: "new_item", slot: newItemsSlot, summary: "the items an exchange sends"),
            ],
            records: [
                "item": RecordSpec(fields: fields(itemFields)),
                "fee": RecordSpec(fields: fields(feeFields)),
                "new_item": RecordSpec(fields: fields(newItemFields)),
            ],
            triggers: [
                "return": TriggerSpec(events: statuses, summary: "a return reaches a status"),
                "item": TriggerSpec(events: ["inspected"], binds: ElementBinding(collection: "items", name: "item"),
                                    summary: "an item's inspection result arrives; once per item"),
            ],
            actions: [
                "refund": ActionSignature(parameters: [
                    ParameterSpec("items", .selection(collection: "items"), required: true, summary: "which items: `items`, `items where …`, or `item`"),
                    ParameterSpec("path", .value(.enumeration(moneyPath)), required: true,
                                  summary: "`path: record_only` (api_refund false: Reveni paid or issued the credit) or `path: gateway` (the shop's gateway pays)"),
                    ParameterSpec("reason", .value(.string), summary: "the refund reason WooCommerce stores"),
                    ParameterSpec("restock", .value(yesNo), summary: "always `no`: stock comes back through `restock` after inspection"),
                ], positionalCount: 1, summary: "a refund against the original order, line by line"),
                "refund_amount": ActionSignature(parameters: [
                    ParameterSpec("amount", .value(.money), required: true, summary: "the amount, e.g. `-exchange.price_difference`"),
                    ParameterSpec("path", .value(.enumeration(moneyPath)), required: true, summary: "`record_only` or `gateway`"),
                    ParameterSpec("reason", .value(.string), summary: "the refund reason WooCommerce stores"),
                ], positionalCount: 0, summary: "an amount-only refund (no order lines), e.g. an exchange's price difference"),
                "replacement_order": ActionSignature(parameters: [
                    ParameterSpec("items", .selection(collection: "exchange.new_items"), summary: "which new items (all by default)"),
                    ParameterSpec("note", .value(.string), summary: "the customer note on the replacement order"),
                    ParameterSpec("reason", .value(.string), summary: "why, for the plan and the decision log"),
                ], positionalCount: 1, summary: "a zero-value order for an exchange, linked to the original order and the return"),
                "restock": ActionSignature(parameters: [
                    ParameterSpec("items", .selection(collection: "items"), required: true, summary: "which items: `item`, or `items where …`"),
                    ParameterSpec("reason", .value(.string), summary: "why, for the plan and the decision log"),
                ], positionalCount: 1, summary: "put units back in stock once an inspection accepts them; held until then"),
                "store_credit": ActionSignature(parameters: [
                    ParameterSpec("amount", .value(.money), summary: "the coupon value (default: refund.amount plus refund.bonus)"),
                    ParameterSpec("reason", .value(.string), summary: "the coupon description"),
                ], positionalCount: 0, summary: "a store-credit coupon we issue in WooCommerce"),
                "note": ActionSignature(parameters: [
                    ParameterSpec("visibility", .value(.enumeration(noteVisibility)), required: true, summary: "`internal` or `customer` (a customer note emails the customer)"),
                    ParameterSpec("text", .value(.string), required: true, summary: "the note text"),
                ], positionalCount: 2, summary: "an order note on the original order"),
                "review": ActionSignature(parameters: [
                    ParameterSpec("queue", .value(.string), required: true, summary: "the review queue, e.g. \"finance\""),
                    ParameterSpec("reason", .value(.string), required: true, summary: "what the reviewer needs to decide"),
                ], positionalCount: 1, summary: "a manual-review item"),
                "ignore": ActionSignature(parameters: [
                    ParameterSpec("reason", .value(.string), summary: "why nothing is done"),
                ], positionalCount: 1, summary: "explicitly do nothing"),
            ],
            settings: [
                "refundable_statuses": SettingSpec(.string, isList: true, defaultText: "processing, completed",
                                                   summary: "WooCommerce order statuses that may be refunded"),
                "grades": SettingSpec(.string, isList: true, declaresEnum: grade, summary: "the inspection grades this warehouse uses"),
                "restock_grades": SettingSpec(.enumeration(grade), isList: true, defaultText: "(none)",
                                              summary: "grades on which a held restock is released"),
                "allow_backorders": SettingSpec(yesNo, defaultText: "no", summary: "send an out-of-stock replacement anyway"),
                "status_notes": SettingSpec(yesNo, defaultText: "yes", summary: "an internal order note per return status, for CX"),
            ],
            settingBlocks: [
                "reveni": [
                    "pays_bank_transfers": SettingSpec(yesNo, required: true, summary: "Reveni pays bank-transfer refunds to the customer's IBAN"),
                    "issues_store_credit": SettingSpec(yesNo, required: true, summary: "Reveni issues store credit itself"),
                    "restocks_on_accept": SettingSpec(yesNo, required: true, summary: "Reveni restocks when a return is accepted"),
                    "creates_exchange_orders": SettingSpec(yesNo, required: true, summary: "Reveni creates the replacement order of instant exchanges"),
                    "executes_original_payment_refunds": SettingSpec(yesNo, defaultText: "no",
                                                                     summary: "Reveni refunds original-payment-method refunds through the store"),
                ],
            ],
            aliasSources: ["sku": .string, "ean": .string],
            aliasTargets: ["sku": .string, "product": .number, "variation": .number],
            builtInMappings: [BuiltInMappings.reveni2026: BuiltInMappings.reveni2026Text],
            defaultMapping: BuiltInMappings.reveni2026,
            domainCodes: DiagnosticCode.domainCodes
        )
    }
}
