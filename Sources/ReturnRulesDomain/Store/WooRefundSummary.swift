import JSONBytes
import ReturnRulesLanguage

/// One entry of an order's `refunds[]`: all an order says about a refund. The JSON total is
/// negative (`"-29.15"`); `total` here is the positive amount refunded.
public struct WooRefundSummary: Sendable, Hashable {
    /// The refund id (the refund is its own object, `GET /orders/<id>/refunds/<rid>`).
    public var id: Int
    /// The refund reason; "Order fully refunded." when someone set the status to `refunded`
    /// by hand, which records a refund but moves no money (domain §2.2).
    public var reason: String
    /// The amount refunded, positive.
    public var total: Money

    /// Creates a summary.
    public init(id: Int, reason: String, total: Money) {
        self.id = id
        self.reason = reason
        self.total = total
    }

    /// Reads `refunds[i]`.
    init(json: WooJSONObject, currency: Currency) throws(StoreLoadError) {
        self.init(id: try json.int("id"), reason: try json.string("reason"),
                  total: try json.refundedMoney("total", currency: currency))
    }
}
