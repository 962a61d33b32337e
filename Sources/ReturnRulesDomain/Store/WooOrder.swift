import JSONBytes
import ReturnRulesLanguage

/// An order as `GET /wp-json/wc/v3/orders/<id>` returns it, reduced to what the planner needs.
///
/// Required in the JSON: `id`, `status`, `currency`, `total`, and on each line item `id`,
/// `quantity` and `total`. Everything else has a documented default, because trimmed exports
/// leave fields out: `total_tax`, `shipping_total` and `discount_total` read as zero,
/// `prices_include_tax` as false (WooCommerce's own default), `number` as the id, strings as
/// "", `billing`/`shipping` as nil.
public struct WooOrder: Sendable, Equatable {
    /// The order id.
    public var id: Int
    /// `parent_id`, 0 for none.
    public var parentID: Int
    /// The order number shown to people; usually the id, but plugins change it.
    public var number: String
    /// `pending`, `processing`, `on-hold`, `completed`, `cancelled`, `refunded`, `failed`,
    /// `trash`, or a plugin's own status: kept as text.
    public var status: String
    /// The order's currency; all its amounts are in it.
    public var currency: Currency
    /// Whether the shop entered prices with tax included.
    public var pricesIncludeTax: Bool
    /// Order total, tax included: what WooCommerce checks refunds against.
    public var total: Money
    /// Total tax.
    public var totalTax: Money
    /// Shipping, tax excluded.
    public var shippingTotal: Money
    /// Discounts, tax excluded.
    public var discountTotal: Money
    /// The customer's user id, 0 for a guest.
    public var customerID: Int
    /// The billing address, verbatim (copied onto a replacement order); nil when absent or null.
    public var billing: JSONValue?
    /// The shipping address, verbatim; nil when absent or null.
    public var shipping: JSONValue?
    /// Payment gateway id (`stripe`, `bacs`, …).
    public var paymentMethod: String
    /// Payment gateway title as shown to the customer.
    public var paymentMethodTitle: String
    /// The gateway's transaction id, "" when none.
    public var transactionID: String
    /// `date_created` in the store's time zone, as written (`2026-02-20T18:03:11`).
    public var dateCreated: String
    /// The order's meta.
    public var metaData: [WooMeta]
    /// Product lines.
    public var lineItems: [WooLineItem]
    /// Shipping lines.
    public var shippingLines: [WooShippingLine]
    /// Fee lines.
    public var feeLines: [WooFeeLine]
    /// The order's `refunds[]`: id, reason and positive total of every refund.
    public var refundSummaries: [WooRefundSummary]

    /// Creates an order.
    public init(id: Int, parentID: Int, number: String, status: String, currency: Currency, pricesIncludeTax: Bool,
                total: Money, totalTax: Money, shippingTotal: Money, discountTotal: Money, customerID: Int,
                billing: JSONValue?, shipping: JSONValue?, paymentMethod: String, paymentMethodTitle: String,
                transactionID: String, dateCreated: String, metaData: [WooMeta], lineItems: [WooLineItem],
                shippingLines: [WooShippingLine], feeLines: [WooFeeLine], refundSummaries: [WooRefundSummary]) {
        self.id = id
        self.parentID = parentID
        self.number = number
        self.status = status
        self.currency = currency
        self.pricesIncludeTax = pricesIncludeTax
        self.total = total
        self.totalTax = totalTax
        self.shippingTotal = shippingTotal
        self.discountTotal = discountTotal
        self.customerID = customerID
        self.billing = billing
        self.shipping = shipping
        self.paymentMethod = paymentMethod
        self.paymentMethodTitle = paymentMethodTitle
        self.transactionID = transactionID
        self.dateCreated = dateCreated
        self.metaData = metaData
        self.lineItems = lineItems
        self.shippingLines = shippingLines
        self.feeLines = feeLines
        self.refundSummaries = refundSummaries
    }

    /// The product line with this order item id.
    public func lineItem(id: Int) -> WooLineItem? {
        lineItems.first { $0.id == id }
    }

    /// The text of the first meta entry with `key` (string or number value), e.g.
    /// `metaString("reveni_original_order_id")` → `"5123"`.
    public func metaString(_ key: String) -> String? {
        metaData.first(key: key)?.stringValue
    }

    /// Reads an order object.
    init(json: WooJSONObject) throws(StoreLoadError) {
        let id = try json.int("id")
        let currencyNode = try json.required("currency")
        guard let code = currencyNode.stringValue else {
            throw StoreLoadError.wrongType(currencyNode, file: json.file, expected: "a currency code")
        }
        guard let currency = Currency.iso4217(code) else {
            throw json.error(.invalidValue, at: currencyNode,
                             "unknown currency \(StoreLoadError.quoted(code)); expected an ISO 4217 code such as \"EUR\"")
        }
        let status = try json.requiredString("status")
        guard !status.isEmpty else { throw json.error(.invalidValue, at: try json.required("status"), "status is empty") }
        let zero = Money.zero(currency)
        var lineItems: [WooLineItem] = []
        for line in try json.objects("line_items", what: "a line item (an object)") {
            lineItems.append(try WooLineItem(json: line, currency: currency))
        }
        var shippingLines: [WooShippingLine] = []
        for line in try json.objects("shipping_lines", what: "a shipping line (an object)") {
            shippingLines.append(try WooShippingLine(json: line, currency: currency))
        }
        var feeLines: [WooFeeLine] = []
        for line in try json.objects("fee_lines", what: "a fee line (an object)") {
            feeLines.append(try WooFeeLine(json: line, currency: currency))
        }
        var summaries: [WooRefundSummary] = []
        for refund in try json.objects("refunds", what: "a refund summary (an object)") {
            summaries.append(try WooRefundSummary(json: refund, currency: currency))
        }
        self.init(
            id: id,
            parentID: try json.int("parent_id", default: 0),
            number: try json.string("number", default: String(id)),
            status: status,
            currency: currency,
            pricesIncludeTax: try json.bool("prices_include_tax", default: false),
            total: try json.money("total", currency: currency),
            totalTax: try json.money("total_tax", currency: currency, default: zero),
            shippingTotal: try json.money("shipping_total", currency: currency, default: zero),
            discountTotal: try json.money("discount_total", currency: currency, default: zero),
            customerID: try json.int("customer_id", default: 0),
            billing: try json.objectTree("billing"),
            shipping: try json.objectTree("shipping"),
            paymentMethod: try json.string("payment_method"),
            paymentMethodTitle: try json.string("payment_method_title"),
            transactionID: try json.string("transaction_id"),
            dateCreated: try json.string("date_created"),
            metaData: try json.metaData(),
            lineItems: lineItems,
            shippingLines: shippingLines,
            feeLines: feeLines,
            refundSummaries: summaries)
    }
}
