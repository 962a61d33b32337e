import Testing
import ReturnRulesDomain
import ReturnRulesLanguage

/// RR0401 … RR0405: the rule file's SKUs and aliases against a store snapshot.
@Suite("Lint: catalog")
struct LintCatalogTests {
    static func product(_ id: Int, sku: String, type: String = "simple", variations: [Int] = []) -> WooProduct {
        WooProduct(id: id, type: type, name: "product \(id)", sku: sku, status: "publish", manageStock: .yes, stockQuantity: 5,
                   stockStatus: "instock", backorders: "no", price: nil, variationIDs: variations)
    }

    static func variation(_ id: Int, of parent: Int, sku: String) -> WooVariation {
        WooVariation(id: id, parentID: parent, sku: sku, status: "publish", manageStock: .yes, stockQuantity: 2,
                     stockStatus: "instock", backorders: "no", attributes: [], price: nil)
    }

    static let store = StoreSnapshot(
        orders: [], refunds: [], refundDetailOrderIDs: [],
        products: [product(301, sku: "TSH-M"), product(302, sku: "CAP"), product(303, sku: "CAP"),
                   product(410, sku: "RUN", type: "variable", variations: [412, 413])],
        variations: [variation(412, of: 410, sku: "RUN-42"), variation(413, of: 410, sku: "RUN")])

    static let rules = """
    aliases {
      sku "OLD-42" -> variation 412
      sku "OLD-99" -> variation 499
      sku "OLD-TEE" -> sku "TSH-L"
      sku "OLD-CAP" -> product 302
    }

    on return accepted, partly_accepted match first {
      rule special
        when any(items, item.sku in ["TSH-M", "TSH-XL", "RUN", "OLD-42"])
        then review "warehouse" reason: "special"

      rule decide
        otherwise
        then review "finance" reason: "decide"
    }
    """

    @Test func withoutAStoreThereAreNoCatalogFindings() {
        #expect(Lint.check(Self.rules).diagnostics.isEmpty)
    }

    @Test func skusAndAliasesAreCheckedAgainstTheStore() throws {
        let outcome = Lint.check(Self.rules, store: Self.store)
        #expect(outcome.codes == ["RR0404", "RR0405", "RR0402", "RR0402", "RR0401", "RR0403"], "\(outcome.rendered)")
        let missing = try #require(outcome.with(.skuNotInStore).first)
        #expect(outcome.underlined(missing) == #""TSH-XL""#)
        let aliases = outcome.with(.aliasTargetNotInStore).map { outcome.underlined($0) }
        #expect(aliases == [#"sku "OLD-99" -> variation 499"#, #"sku "OLD-TEE" -> sku "TSH-L""#])
        let ambiguous = try #require(outcome.with(.ambiguousSKU).first)
        #expect(ambiguous.message == "SKU `RUN` matches 2 products or variations: product 410, product 410 variation 413 (inherited SKU)")
        // An aliased SKU is checked through its alias, not as a store SKU.
        #expect(!outcome.rendered.contains("`OLD-42`"))
    }

    @Test func storeWideFindingsHaveNoLocation() {
        let outcome = Lint.check(Lint.decided, store: Self.store)
        #expect(outcome.codes == ["RR0404", "RR0405"])
        #expect(outcome.diagnostics.allSatisfy { $0.span.isNone && $0.severity == .warning })
        #expect(outcome.with(.variationWithoutOwnSKU).first?.message == "1 variation of product 410 (`RUN`) has no SKU of its own and shows the parent's: 413")
    }
}
