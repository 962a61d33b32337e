/// Who pays a refund, and therefore which money path a refund may take.
///
/// Reveni pays bank transfers from its own funds and may issue store credit itself; a gateway
/// refund on top would pay the customer twice (domain.md §2.3, §4.2). The per-event
/// `refund.executed_by` overrides the header's `reveni { … }` settings.
struct MoneyPathPolicy {
    enum Verdict: Equatable {
        case allowed
        case review(String)
    }

    let configuration: PlannerConfiguration

    /// True when Reveni (not the shop) pays or issues this refund.
    func reveniPays(method: String?, executedBy: String?) -> Bool? {
        if let executedBy { return executedBy == "reveni" }
        switch method {
        case "bank_transfer": return configuration.reveniPaysBankTransfers
        case "store_credit": return configuration.reveniIssuesStoreCredit
        case "original_payment_method": return configuration.reveniExecutesOriginalPaymentRefunds
        default: return nil
        }
    }

    /// - Parameter couponInThisReturn: a store-credit coupon is issued by us for this return, so
    ///   a record-only refund books credit the customer does get.
    func verdict(path: String, method: String?, executedBy: String?, couponInThisReturn: Bool) -> Verdict {
        guard let method else {
            return .review("the refund method is unknown, so nobody can say who pays this refund")
        }
        // Only the review messages need the method in words: not built for an allowed refund.
        var words: String { PlainWords.of(method) }
        guard let reveni = reveniPays(method: method, executedBy: executedBy) else {
            return .review("who pays a \(words) refund is unknown")
        }
        switch path {
        case "gateway":
            if method != "original_payment_method" {
                return .review("a \(words) refund cannot go through the payment gateway: " + (reveni ? "Reveni pays it, so the customer would be paid twice" : "the gateway refunds only the original payment"))
            }
            if reveni {
                return .review("Reveni executes this original-payment-method refund; a gateway refund would pay the customer twice")
            }
            return .allowed
        default:
            if reveni { return .allowed }
            if method == "store_credit", couponInThisReturn { return .allowed }
            if method == "store_credit" {
                return .review("the customer gets store credit, but neither Reveni nor a `store_credit` rule issues it")
            }
            return .review("a record-only \(words) refund, but the merchant pays it: nothing would reach the customer")
        }
    }
}
