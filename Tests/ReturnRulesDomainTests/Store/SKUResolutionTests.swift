import JSONBytes
import ReturnRulesLanguage
import Testing
@testable import ReturnRulesDomain

@Suite("SKU resolution")
struct SKUResolutionTests {
    @Test func simpleProductSKUIsUnique() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.resolve(sku: "TSH-BAS-BLK-M") == .unique(ProductReference(productID: 301, variationID: 0, skuIsInherited: false)))
        #expect(snapshot.resolve(sku: "TOTE-NAT") == .unique(ProductReference(productID: 610, variationID: 0, skuIsInherited: false)))
    }

    @Test func variationWithOwnSKUIsUnique() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.resolve(sku: "RUN-42") == .unique(ProductReference(productID: 410, variationID: 412, skuIsInherited: false)))
        #expect(snapshot.resolve(sku: "RUN-41") == .unique(ProductReference(productID: 410, variationID: 411, skuIsInherited: false)))
    }

    @Test func inheritedParentSKUIsAmbiguous() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.resolve(sku: "RUN") == .ambiguous([
            ProductReference(productID: 410, variationID: 0, skuIsInherited: false),
            ProductReference(productID: 410, variationID: 413, skuIsInherited: true),
        ]))
    }

    @Test func hoodIsAmbiguousBetweenItsVariations() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        guard case .ambiguous(let holders) = snapshot.resolve(sku: "HOOD") else {
            Issue.record("HOOD must be ambiguous")
            return
        }
        let variations = holders.filter { $0.variationID != 0 }
        #expect(variations.map(\.variationID) == [521, 522])
        #expect(variations.allSatisfy { $0.skuIsInherited })
        #expect(holders.first == ProductReference(productID: 520, variationID: 0, skuIsInherited: false))
    }

    @Test func unknownSKU() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.resolve(sku: "NOPE") == .none)
        #expect(snapshot.resolve(sku: "run-42") == .none)  // exact match only
        #expect(snapshot.resolve(sku: "") == .none)
    }

    @Test func parentSKUThatNoVariationInheritsIsTheParents() throws {
        let snapshot = try StoreSnapshotLoader.load(files: [
            "products/700.json": StoreTestFixtures.bytes(#"{"id": 700, "type": "variable", "sku": "CAP", "manage_stock": false}"#),
            "products/700.variations.json": StoreTestFixtures.bytes(#"[{"id": 701, "sku": "CAP-1", "manage_stock": true, "stock_quantity": 4}]"#),
        ])
        #expect(snapshot.resolve(sku: "CAP") == .unique(ProductReference(productID: 700, variationID: 0, skuIsInherited: false)))
    }

    @Test func duplicateSKUIsAmbiguousAndWarned() throws {
        var files = try StoreTestFixtures.files()
        files["products/700.json"] = StoreTestFixtures.bytes(#"{"id": 700, "type": "simple", "sku": "RUN-42", "manage_stock": false}"#)
        let snapshot = try StoreSnapshotLoader.load(files: files)
        let expected = [ProductReference(productID: 410, variationID: 412, skuIsInherited: false),
                        ProductReference(productID: 700, variationID: 0, skuIsInherited: false)]
        #expect(snapshot.resolve(sku: "RUN-42") == .ambiguous(expected))
        #expect(snapshot.warnings.contains(.duplicateSKU(sku: "RUN-42", holders: expected)))
    }

    @Test func variationFromAProductsListNeedsItsParent() throws {
        let (products, variations) = try StoreSnapshotLoader.parseProducts(bytes: StoreTestFixtures.bytes("""
            [{"id": 22, "type": "variable", "sku": "SHIRT-h1"},
             {"id": 23, "type": "variation", "parent_id": 22, "sku": "SHIRT-h1-S", "manage_stock": true, "stock_quantity": 10}]
            """), file: "products/by-sku.json")
        #expect(products.map(\.id) == [22])
        #expect(variations.map(\.id) == [23])
        #expect(variations.first?.parentID == 22)
    }

    @Test func orphanVariationIsWarnedAndNotInherited() throws {
        let snapshot = try StoreSnapshotLoader.load(files: [
            "products/800.variations.json": StoreTestFixtures.bytes(#"[{"id": 801, "sku": "X", "manage_stock": "parent"}]"#),
        ])
        #expect(snapshot.warnings == [.variationParentMissing(variationID: 801, parentID: 800)])
        #expect(snapshot.resolve(sku: "X") == .unique(ProductReference(productID: 800, variationID: 801, skuIsInherited: false)))
        guard case .unknown = snapshot.stockHolder(productID: 800, variationID: 801) else {
            Issue.record("the parent holding 801's stock is not in the snapshot")
            return
        }
    }
}
