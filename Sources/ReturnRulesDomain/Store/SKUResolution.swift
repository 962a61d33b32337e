import JSONBytes
import ReturnRulesLanguage

/// What an SKU points at in the snapshot.
public enum SKUResolution: Sendable, Hashable {
    /// Exactly one product or variation holds the SKU as its own.
    case unique(ProductReference)
    /// Several records show the SKU: duplicates, or a variable parent together with the
    /// variations that inherit its SKU. Sorted; decide by `variation_id`, never by SKU.
    case ambiguous([ProductReference])
    /// Nothing in the snapshot shows the SKU.
    case none
}
