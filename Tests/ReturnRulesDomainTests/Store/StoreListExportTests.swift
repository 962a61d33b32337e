import JSONBytes
import ReturnRulesLanguage
import Testing
@testable import ReturnRulesDomain

@Suite("List exports and duplicates")
struct StoreListExportTests {
    static let twoOrders = """
        [
          {"id": 6001, "status": "completed", "currency": "EUR", "total": "24.20",
           "line_items": [{"id": 1, "product_id": 301, "quantity": 1, "total": "20.00", "total_tax": "4.20"}]},
          {"id": 6002, "status": "processing", "currency": "EUR", "total": "12.10",
           "line_items": [{"id": 2, "product_id": 610, "quantity": 1, "total": "10.00", "total_tax": "2.10"}]}
        ]
        """

    @Test func arrayFileOfTwoOrders() throws {
        let snapshot = try StoreSnapshotLoader.load(files: ["orders/page-1.json": StoreTestFixtures.bytes(Self.twoOrders)])
        #expect(snapshot.orders.map(\.id) == [6001, 6002])
        #expect(snapshot.order(6002)?.total == (try StoreTestFixtures.eur("12.10")))
        #expect(snapshot.warnings.isEmpty)
        #expect(try StoreSnapshotLoader.parseOrders(bytes: StoreTestFixtures.bytes(Self.twoOrders),
                                                    file: "orders/page-1.json").count == 2)
    }

    @Test func errorsInAListNameTheElement() {
        let error = #expect(throws: StoreLoadError.self) {
            _ = try StoreSnapshotLoader.parseOrders(bytes: StoreTestFixtures.bytes("""
                [{"id": 1, "status": "completed", "currency": "EUR", "total": "1.00"},
                 {"id": 2, "status": "completed", "currency": "EUR", "total": "1.005"}]
                """), file: "orders/page-2.json")
        }
        #expect(error?.description == #"orders/page-2.json: $[1].total: amount "1.005" has 3 decimals; EUR has 2"#)
    }

    @Test func duplicateOrderKeepsTheFirstFile() throws {
        var files = try StoreTestFixtures.files()
        files["orders/page-1.json"] = StoreTestFixtures.bytes("""
            [{"id": 5123, "status": "cancelled", "currency": "EUR", "total": "0.00"}]
            """)
        let snapshot = try StoreSnapshotLoader.load(files: files)
        #expect(snapshot.order(5123)?.status == "completed")  // "orders/5123.json" sorts first
        #expect(snapshot.warnings.contains(.duplicateOrder(id: 5123, keptFile: "orders/5123.json", ignoredFile: "orders/page-1.json")))
    }

    @Test func fileNamedForAnotherID() throws {
        let snapshot = try StoreSnapshotLoader.load(files: ["orders/5123.json": StoreTestFixtures.bytes("""
            {"id": 5124, "status": "completed", "currency": "EUR", "total": "1.00"}
            """)])
        #expect(snapshot.order(5124) != nil)
        #expect(snapshot.warnings == [.fileNameMismatch(file: "orders/5123.json", nameID: 5123, jsonID: 5124)])
    }

    @Test func productListAndSeveralRefundFilesMerge() throws {
        var files = try StoreTestFixtures.files()
        files["products/all.json"] = StoreTestFixtures.bytes("""
            [{"id": 900, "type": "simple", "sku": "GIFT", "manage_stock": true, "stock_quantity": 2},
             {"id": 901, "type": "simple", "sku": "GIFT-2"}]
            """)
        files["orders/5129.refunds.extra.json"] = StoreTestFixtures.bytes("""
            {"id": 5160, "amount": "5.00", "meta_data": [{"key": "reveni_return_id", "value": "abc"}]}
            """)
        let snapshot = try StoreSnapshotLoader.load(files: files)
        #expect(snapshot.stockHolder(productID: 900, variationID: 0) == .product(productID: 900, stockQuantity: 2))
        #expect(snapshot.refunds(ofOrder: 5129).map(\.id) == [5150, 5160])
        #expect(snapshot.refundedAmount(orderID: 5129) == (try StoreTestFixtures.eur("25.00")))
        #expect(snapshot.remainingRefundable(orderID: 5129) == (try StoreTestFixtures.eur("5.00")))
        #expect(snapshot.warnings.contains(.refundMissingFromOrder(orderID: 5129, refundID: 5160)))
    }

    @Test func sameRefundInTwoFilesIsKeptOnce() throws {
        var files = try StoreTestFixtures.files()
        files["orders/5129.refunds.5150.json"] = files["orders/5129.refunds.json"]
        let snapshot = try StoreSnapshotLoader.load(files: files)
        #expect(snapshot.refunds(ofOrder: 5129).count == 1)
        #expect(snapshot.refundedQuantity(orderID: 5129, lineItemID: 851) == 2)
        #expect(snapshot.warnings.contains(.duplicateRefund(orderID: 5129, refundID: 5150,
                                                            keptFile: "orders/5129.refunds.5150.json",
                                                            ignoredFile: "orders/5129.refunds.json")))
    }

    @Test func filesOutsideTheLayoutAreIgnored() throws {
        let snapshot = try StoreSnapshotLoader.load(files: [
            "README.md": StoreTestFixtures.bytes("not json"),
            "orders/notes.txt": StoreTestFixtures.bytes("not json"),
            "orders/.5123.json": StoreTestFixtures.bytes("not json"),
            "orders/old/5123.json": StoreTestFixtures.bytes("not json"),
        ])
        #expect(snapshot.orders.isEmpty)
    }
}
