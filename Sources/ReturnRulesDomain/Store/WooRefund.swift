import JSONBytes
import ReturnRulesLanguage

/// A refund as `GET /wp-json/wc/v3/orders/<id>/refunds[/<rid>]` returns it (also the 201 answer
/// of `POST …/refunds`). All quantities and amounts are positive (see `WooRefundLine`).
public struct WooRefund: Sendable, Equatable {
    /// The refund id.
    public var id: Int
    /// The order it belongs to (from the file layout, or `parent_id` when the JSON has it).
    public var orderID: Int
    /// `date_created` as written.
    public var dateCreated: String
    /// The amount refunded, as the refund's `amount` string says (`"48.40"`).
    public var amount: Money
    /// The reason text.
    public var reason: String
    /// The user who made it; nil when absent.
    public var refundedBy: Int?
    /// Whether WooCommerce refunded the money through the gateway (`api_refund`); false for
    /// refunds that only record money moved elsewhere (Reveni, bank transfer, by hand).
    public var refundedPayment: Bool
    /// The refund's meta (`reveni_return_id`, `rr_idempotency_key`, …).
    public var metaData: [WooMeta]
    /// Product lines refunded.
    public var lineItems: [WooRefundLine]

    /// Creates a refund.
    public init(id: Int, orderID: Int, dateCreated: String, amount: Money, reason: String, refundedBy: Int?,
                refundedPayment: Bool, metaData: [WooMeta], lineItems: [WooRefundLine]) {
        self.id = id
        self.orderID = orderID
        self.dateCreated = dateCreated
        self.amount = amount
        self.reason = reason
        self.refundedBy = refundedBy
        self.refundedPayment = refundedPayment
        self.metaData = metaData
        self.lineItems = lineItems
    }

    /// The text of the first meta entry with `key`.
    public func metaString(_ key: String) -> String? {
        metaData.first(key: key)?.stringValue
    }

    /// Reads a refund object of order `orderID`, whose amounts are in `currency`.
    init(json: WooJSONObject, orderID: Int, currency: Currency) throws(StoreLoadError) {
        if let parentNode = json.value("parent_id") {
            let parent = try json.intValue(parentNode)
            guard parent == orderID else {
                throw json.error(.inconsistent, at: parentNode,
                                 "refund belongs to order \(parent), but the file holds refunds of order \(orderID)")
            }
        }
        let amountNode = try json.required("amount")
        let amount = try json.moneyValue(amountNode, currency: currency)
        guard !amount.isNegative else {
            throw json.error(.invalidValue, at: amountNode, "refund amount \(amount.formatted) is negative")
        }
        var lines: [WooRefundLine] = []
        for line in try json.objects("line_items", what: "a refund line (an object)") {
            lines.append(try WooRefundLine(json: line, currency: currency))
        }
        self.init(
            id: try json.int("id"),
            orderID: orderID,
            dateCreated: try json.string("date_created"),
            amount: amount,
            reason: try json.string("reason"),
            refundedBy: try json.optionalInt("refunded_by"),
            refundedPayment: try json.bool("refunded_payment", default: false),
            metaData: try json.metaData(),
            lineItems: lines)
    }
}
