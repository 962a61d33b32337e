import ReturnRulesLanguage

/// The header of a checked rule file, read once into the planner's terms.
public struct PlannerConfiguration: Sendable {
    public var client: String
    public var currency: Currency
    public var rounding: RoundingMode
    /// WooCommerce order statuses a refund may be posted against.
    public var refundableStatuses: Set<String>
    /// Grades on which a held restock is released.
    public var restockGrades: Set<String>
    public var allowBackorders: Bool
    public var statusNotes: Bool
    public var reveniPaysBankTransfers: Bool
    public var reveniIssuesStoreCredit: Bool
    public var reveniRestocksOnAccept: Bool
    public var reveniCreatesExchangeOrders: Bool
    public var reveniExecutesOriginalPaymentRefunds: Bool
    /// Alias tables: Reveni SKU or EAN → WooCommerce SKU, product or variation.
    public var aliases: [AliasKey: AliasTarget]

    public struct AliasKey: Sendable, Hashable {
        public var kind: String
        public var value: String
    }

    public enum AliasTarget: Sendable, Hashable {
        case sku(String)
        case product(Int)
        case variation(Int)
    }

    public init(program: CheckedProgram) {
        client = program.client
        currency = program.currency
        rounding = program.rounding
        let settings = program.settings
        func flag(_ name: String, _ fallback: Bool) -> Bool { settings[name]?.boolValue ?? fallback }
        func texts(_ name: String) -> [String]? { settings[name].map { $0.listValue.compactMap(\.stringValue) } }
        refundableStatuses = Set((texts("refundable_statuses") ?? ["processing", "completed"]).map { $0 == "on_hold" ? "on-hold" : $0 })
        restockGrades = Set(texts("restock_grades") ?? [])
        allowBackorders = flag("allow_backorders", false)
        statusNotes = flag("status_notes", true)
        reveniPaysBankTransfers = flag("reveni.pays_bank_transfers", true)
        reveniIssuesStoreCredit = flag("reveni.issues_store_credit", true)
        reveniRestocksOnAccept = flag("reveni.restocks_on_accept", false)
        reveniCreatesExchangeOrders = flag("reveni.creates_exchange_orders", false)
        reveniExecutesOriginalPaymentRefunds = flag("reveni.executes_original_payment_refunds", false)
        var table: [AliasKey: AliasTarget] = [:]
        for alias in program.aliases {
            guard case .string(let source) = alias.source else { continue }
            let target: AliasTarget?
            switch (alias.targetKind, alias.target) {
            case ("sku", .string(let sku)): target = .sku(sku)
            case ("product", .number(let id)): target = id.int64Value.map { .product(Int($0)) }
            case ("variation", .number(let id)): target = id.int64Value.map { .variation(Int($0)) }
            default: target = nil
            }
            if let target { table[AliasKey(kind: alias.sourceKind, value: source)] = target }
        }
        aliases = table
    }
}
