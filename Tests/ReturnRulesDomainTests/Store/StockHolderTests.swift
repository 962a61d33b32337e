import JSONBytes
import ReturnRulesLanguage
import Testing
@testable import ReturnRulesDomain

@Suite("Stock holder")
struct StockHolderTests {
    @Test func manageStockForms() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.variation(411)?.manageStock == .parent)
        #expect(snapshot.variation(412)?.manageStock == .yes)
        #expect(snapshot.product(410)?.manageStock == .no)
        #expect(snapshot.product(610)?.stockQuantity == nil)
        #expect(snapshot.variation(413)?.stockStatus == "outofstock")
        #expect(snapshot.variation(412)?.attributes == [WooVariationAttribute(id: 2, name: "Talla", option: "42")])
    }

    @Test func parentManagedVariationUsesTheProduct() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.stockHolder(productID: 410, variationID: 411) == .product(productID: 410, stockQuantity: nil))
        #expect(snapshot.stockHolder(productID: 520, variationID: 521) == .product(productID: 520, stockQuantity: 7))
    }

    @Test func ownStockVariation() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.stockHolder(productID: 410, variationID: 412) == .variation(productID: 410, variationID: 412, stockQuantity: 3))
        #expect(snapshot.stockHolder(productID: 410, variationID: 413) == .variation(productID: 410, variationID: 413, stockQuantity: 0))
    }

    @Test func simpleProducts() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.stockHolder(productID: 301, variationID: 0) == .product(productID: 301, stockQuantity: 12))
        guard case .notManaged = snapshot.stockHolder(productID: 610, variationID: 0) else {
            Issue.record("610 should not be stock-managed")
            return
        }
    }

    @Test func unknownRecords() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        guard case .unknown = snapshot.stockHolder(productID: 999, variationID: 0) else {
            Issue.record("999 is not in the snapshot")
            return
        }
        guard case .unknown = snapshot.stockHolder(productID: 410, variationID: 999) else {
            Issue.record("variation 999 is not in the snapshot")
            return
        }
        guard case .unknown(let reason) = snapshot.stockHolder(productID: 520, variationID: 412) else {
            Issue.record("412 belongs to 410, not 520")
            return
        }
        #expect(reason.contains("410"))
    }

    @Test func variationWithoutOwnStockManagement() throws {
        let files: [String: [UInt8]] = [
            "products/700.json": StoreTestFixtures.bytes(#"{"id": 700, "type": "variable", "sku": "CAP", "manage_stock": false}"#),
            "products/700.variations.json": StoreTestFixtures.bytes(#"[{"id": 701, "sku": "CAP-1", "manage_stock": false}]"#),
        ]
        let snapshot = try StoreSnapshotLoader.load(files: files)
        guard case .notManaged(let reason) = snapshot.stockHolder(productID: 700, variationID: 701) else {
            Issue.record("701 should not be stock-managed")
            return
        }
        #expect(reason.contains("701"))
        #expect(snapshot.warnings.isEmpty)
    }
}
