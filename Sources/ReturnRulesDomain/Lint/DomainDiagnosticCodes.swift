import ReturnRulesLanguage

/// The returns domain's diagnostic codes: RR03xx domain lints, RR04xx store catalog checks.
/// Keep each section sorted by code. `Lint/README` in the doc comments of `DomainLinter` says
/// which file implements each.
extension DiagnosticCode {

    // MARK: - RR03xx domain lints (exact over the finite domain)

    /// A decision point (`return accepted`, `return partly_accepted`, and `item inspected` when
    /// the file has an inspection table) leaves return type (× grade) cells with no rule firing.
    public static let unhandledCells = DiagnosticCode("RR0301", "unhandled-cells")
    /// A status the file has a table for leaves cells with no rule firing (not a decision point).
    public static let unhandledStatusCells = DiagnosticCode("RR0302", "unhandled-status-cells", severity: .warning)
    /// Two money-moving outcomes for the same units over one return's lifecycle.
    public static let doubleMoney = DiagnosticCode("RR0303", "double-money")
    /// A unit is restocked and also sent to review.
    public static let restockAndReview = DiagnosticCode("RR0304", "restock-and-review")
    /// A rule that can never fire under its table's hit policy.
    public static let shadowedRule = DiagnosticCode("RR0305", "shadowed-rule")
    /// A condition true in every case (an error when it hides the rules after it).
    public static let guardAlwaysTrue = DiagnosticCode("RR0306", "guard-always-true", severity: .warning)
    /// A condition false in every case: the rule never fires.
    public static let guardAlwaysFalse = DiagnosticCode("RR0307", "guard-always-false", severity: .warning)
    /// A restock that can put back a unit whose inspection result does not allow it.
    public static let phantomStock = DiagnosticCode("RR0308", "phantom-stock")
    /// An exchange's units refunded with no replacement order.
    public static let exchangeRefunded = DiagnosticCode("RR0309", "exchange-refunded", severity: .warning)
    /// `refund … restock: yes`: stock never comes back inside a refund.
    public static let restockInsideRefund = DiagnosticCode("RR0310", "restock-inside-refund")
    /// A money or stock action Reveni already performs for this client, done again.
    public static let reveniAlreadyDoes = DiagnosticCode("RR0311", "reveni-already-does")
    /// A customer note about a refund or credit Reveni handles (and tells the customer about).
    public static let reveniAlreadyNotifies = DiagnosticCode("RR0312", "reveni-already-notifies", severity: .warning)
    /// A `path: gateway` refund that can fire when the refund method is not the original payment.
    public static let gatewayWithoutMethodGuard = DiagnosticCode("RR0313", "gateway-without-method-guard")
    /// An `@allow(…)` that suppresses nothing.
    public static let unusedAllow = DiagnosticCode("RR0314", "unused-allow", severity: .warning)

    // MARK: - RR04xx store catalog checks (`check --store DIR`)

    /// An SKU the rules name matches nothing in the store snapshot.
    public static let skuNotInStore = DiagnosticCode("RR0401", "sku-not-in-store")
    /// An alias points at a product, variation or SKU the store snapshot does not have.
    public static let aliasTargetNotInStore = DiagnosticCode("RR0402", "alias-target-not-in-store")
    /// An SKU the rules name matches several products or variations.
    public static let ambiguousSKU = DiagnosticCode("RR0403", "ambiguous-sku")
    /// The store has the same SKU on several products or variations.
    public static let duplicateSKU = DiagnosticCode("RR0404", "duplicate-sku", severity: .warning)
    /// A variation without an SKU of its own shows its parent's.
    public static let variationWithoutOwnSKU = DiagnosticCode("RR0405", "variation-without-own-sku", severity: .warning)

    /// Every code the returns domain reports.
    public static let domainCodes: [DiagnosticCode] = [
        .unhandledCells,
        .unhandledStatusCells,
        .doubleMoney,
        .restockAndReview,
        .shadowedRule,
        .guardAlwaysTrue,
        .guardAlwaysFalse,
        .phantomStock,
        .exchangeRefunded,
        .restockInsideRefund,
        .reveniAlreadyDoes,
        .reveniAlreadyNotifies,
        .gatewayWithoutMethodGuard,
        .unusedAllow,
        .skuNotInStore,
        .aliasTargetNotInStore,
        .ambiguousSKU,
        .duplicateSKU,
        .variationWithoutOwnSKU,
    ]
}
