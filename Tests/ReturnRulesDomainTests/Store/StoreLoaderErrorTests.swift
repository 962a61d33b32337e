import JSONBytes
import ReturnRulesLanguage
import Testing
@testable import ReturnRulesDomain

@Suite("Store loader errors")
struct StoreLoaderErrorTests {
    /// Loads one order file and returns the error it must raise.
    private func orderError(_ json: String, file: String = "orders/5123.json") -> StoreLoadError? {
        #expect(throws: StoreLoadError.self) {
            _ = try StoreSnapshotLoader.load(files: [file: StoreTestFixtures.bytes(json)])
        }
    }

    @Test func amountWithThreeDecimals() {
        let error = orderError("""
            {"id": 5123, "status": "completed", "currency": "EUR", "total": "174.35",
             "line_items": [{"id": 801, "quantity": 3, "total": "60.00"},
                            {"id": 802, "quantity": 1, "total": "80.001"}]}
            """)
        #expect(error?.description == #"orders/5123.json: $.line_items[1].total: amount "80.001" has 3 decimals; EUR has 2"#)
        #expect(error?.kind == .invalidValue)
    }

    @Test func missingLineItemID() {
        let error = orderError("""
            {"id": 5123, "status": "completed", "currency": "EUR", "total": "60.00",
             "line_items": [{"quantity": 3, "total": "60.00"}]}
            """)
        #expect(error?.description == "orders/5123.json: $.line_items[0].id: required field is missing")
        #expect(error?.kind == .missingField)
    }

    @Test func missingOrderTotalAndNullStatus() {
        let missing = orderError(#"{"id": 1, "status": "completed", "currency": "EUR"}"#, file: "orders/1.json")
        #expect(missing?.description == "orders/1.json: $.total: required field is missing")
        let null = orderError(#"{"id": 1, "status": null, "currency": "EUR", "total": "1.00"}"#, file: "orders/1.json")
        #expect(null?.description == "orders/1.json: $.status: required field is null")
    }

    @Test func unknownCurrency() {
        let error = orderError(#"{"id": 1, "status": "completed", "currency": "EURO", "total": "1.00"}"#, file: "orders/1.json")
        #expect(error?.kind == .invalidValue)
        #expect(error?.jsonPath == "$.currency")
    }

    @Test func quantityMustBeAnInteger() {
        let error = orderError("""
            {"id": 1, "status": "completed", "currency": "EUR", "total": "1.00",
             "line_items": [{"id": 2, "quantity": "1", "total": "1.00"}]}
            """, file: "orders/1.json")
        #expect(error?.description == #"orders/1.json: $.line_items[0].quantity: expected an integer, found string "1""#)
        #expect(error?.kind == .wrongType)
    }

    @Test func malformedJSON() {
        let error = orderError("{\n  \"id\": 5123,\n  \"status\" \"completed\"\n}")
        #expect(error?.kind == .syntax)
        #expect(error?.description == "orders/5123.json: $.status: JSON syntax error at line 3 column 12: expected ':' after object key")
    }

    @Test func manageStockOfUnexpectedType() {
        let error = #expect(throws: StoreLoadError.self) {
            _ = try StoreSnapshotLoader.load(files: [
                "products/301.json": StoreTestFixtures.bytes(#"{"id": 301, "type": "simple", "manage_stock": 1}"#),
            ])
        }
        #expect(error?.description == #"products/301.json: $.manage_stock: expected true, false or "parent", found number 1"#)
        #expect(error?.kind == .wrongType)
    }

    @Test func manageStockOfUnexpectedStringInAVariationList() {
        let error = #expect(throws: StoreLoadError.self) {
            _ = try StoreSnapshotLoader.parseVariations(bytes: StoreTestFixtures.bytes("""
                [{"id": 411, "manage_stock": "parent"}, {"id": 412, "manage_stock": "yes"}]
                """), file: "products/410.variations.json", parentID: 410)
        }
        #expect(error?.description == #"products/410.variations.json: $[1].manage_stock: expected true, false or "parent", found string "yes""#)
    }

    @Test func variationListedUnderTheWrongProduct() {
        let error = #expect(throws: StoreLoadError.self) {
            _ = try StoreSnapshotLoader.parseVariations(bytes: StoreTestFixtures.bytes(#"[{"id": 411, "parent_id": 409}]"#),
                                                        file: "products/410.variations.json", parentID: 410)
        }
        #expect(error?.kind == .inconsistent)
        #expect(error?.jsonPath == "$[0].parent_id")
    }

    @Test func refundsWithoutTheirOrder() {
        let error = #expect(throws: StoreLoadError.self) {
            _ = try StoreSnapshotLoader.load(files: ["orders/5200.refunds.json": StoreTestFixtures.bytes("[]")])
        }
        #expect(error?.kind == .inconsistent)
        #expect(error?.file == "orders/5200.refunds.json")
    }

    @Test func refundsFileNameWithoutOrderID() {
        let error = #expect(throws: StoreLoadError.self) {
            _ = try StoreSnapshotLoader.load(files: ["orders/latest.refunds.json": StoreTestFixtures.bytes("[]")])
        }
        #expect(error?.kind == .inconsistent)
    }

    @Test func savedWooCommerceErrorBody() {
        let error = orderError(#"{"code":"woocommerce_rest_shop_order_invalid_id","message":"Invalid ID.","data":{"status":404}}"#,
                               file: "orders/7777.json")
        #expect(error?.kind == .inconsistent)
        #expect(error?.description.contains("woocommerce_rest_shop_order_invalid_id") == true)
    }

    @Test func topLevelScalarIsRefused() {
        let error = orderError("42", file: "orders/42.json")
        #expect(error?.description == "orders/42.json: $: expected an object or an array of objects, found number 42")
    }

    @Test func missingDirectory() {
        let error = #expect(throws: StoreLoadError.self) {
            _ = try StoreSnapshotLoader.load(directory: StoreTestFixtures.directory + "/no-such-folder")
        }
        #expect(error?.kind == .unreadable)
    }

    @Test func emptyStoreFolderIsAnEmptySnapshot() throws {
        // Fixtures/store/orders exists; it holds no orders/ or products/ folder of its own.
        let snapshot = try StoreSnapshotLoader.load(directory: StoreTestFixtures.directory + "/orders")
        #expect(snapshot.orders.isEmpty && snapshot.products.isEmpty && snapshot.warnings.isEmpty)
    }
}
