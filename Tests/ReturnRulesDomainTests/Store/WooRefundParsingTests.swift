import JSONBytes
import ReturnRulesLanguage
import Testing
@testable import ReturnRulesDomain

@Suite("WooCommerce refund parsing")
struct WooRefundParsingTests {
    /// W4's 201 answer: the refund R2 maps to.
    static let w4Response = """
        {
          "id": 5131, "date_created": "2026-03-05T17:40:05", "date_created_gmt": "2026-03-05T16:40:05",
          "amount": "48.40", "reason": "Reveni return 5d41402abc4b2a76b9719d911017c592 (instant, bank transfer)",
          "refunded_by": 3, "refunded_payment": false,
          "meta_data": [ { "id": 99120, "key": "reveni_return_id", "value": "5d41402abc4b2a76b9719d911017c592" },
                         { "id": 99122, "key": "rr_idempotency_key", "value": 77 } ],
          "line_items": [ { "id": 5132, "name": "Camiseta básica negra M", "product_id": 301, "variation_id": 0, "quantity": -2,
                            "tax_class": "", "subtotal": "-40.00", "subtotal_tax": "-8.40", "total": "-40.00", "total_tax": "-8.40",
                            "taxes": [ { "id": 1, "total": "-8.4", "subtotal": "-8.4" } ],
                            "meta_data": [ { "id": 99121, "key": "_refunded_item_id", "value": "801" } ],
                            "sku": "TSH-BAS-BLK-M", "price": -20 } ]
        }
        """

    @Test func w4ResponseIsReadWithPositiveQuantitiesAndAmounts() throws {
        let refunds = try StoreSnapshotLoader.parseRefunds(
            bytes: StoreTestFixtures.bytes(Self.w4Response), file: "orders/5123.refunds.json", orderID: 5123, currency: .eur)
        #expect(refunds.count == 1)  // a single refund object is accepted
        let refund = refunds[0]
        #expect(refund.id == 5131 && refund.orderID == 5123)
        #expect(refund.amount == (try StoreTestFixtures.eur("48.40")))
        #expect(refund.refundedBy == 3)
        #expect(!refund.refundedPayment)
        #expect(refund.metaString("reveni_return_id") == "5d41402abc4b2a76b9719d911017c592")
        let line = try #require(refund.lineItems.first)
        #expect(line.quantity == 2)
        #expect(line.total == (try StoreTestFixtures.eur("40.00")))
        #expect(line.totalTax == (try StoreTestFixtures.eur("8.40")))
        #expect(line.taxes == [WooLineTax(rateID: 1, total: ExactDecimal(significand: 84, scale: 1),
                                          subtotal: ExactDecimal(significand: 84, scale: 1))])
        #expect(line.refundedItemID == 801)
        #expect(line.price == ExactDecimal(-20))  // verbatim: its sign varies between versions
    }

    @Test func refundedItemIDAsStringInFixture() throws {
        let refund = try #require(try StoreTestFixtures.snapshot().refunds(ofOrder: 5125).first)
        #expect(refund.id == 5140)
        #expect(refund.reason == "Order fully refunded.")
        #expect(refund.amount == (try StoreTestFixtures.eur("29.15")))
        #expect(!refund.refundedPayment)
        let line = try #require(refund.lineItems.first)
        #expect(line.refundedItemID == 811)
        #expect(line.quantity == 1)
        #expect(line.total == (try StoreTestFixtures.eur("20.00")))
    }

    @Test func refundedItemIDAsNumberInFixture() throws {
        let refund = try #require(try StoreTestFixtures.snapshot().refunds(ofOrder: 5129).first)
        #expect(refund.id == 5150 && refund.refundedPayment)
        let line = try #require(refund.lineItems.first)
        #expect(line.refundedItemID == 851)
        #expect(line.quantity == 2)
        #expect(line.total == (try StoreTestFixtures.eur("16.53")))
        #expect(line.totalTax == (try StoreTestFixtures.eur("3.47")))
        #expect(line.price?.description == "-8.265")
    }

    @Test func refundLineWithoutMetaHasNoRefundedItem() throws {
        let refunds = try StoreSnapshotLoader.parseRefunds(bytes: StoreTestFixtures.bytes("""
            [{"id": 28, "amount": "15.00", "line_items": [{"id": 9, "quantity": -1, "total": "-15.00", "meta_data": []}]}]
            """), file: "orders/26.refunds.json", orderID: 26, currency: .eur)
        #expect(refunds[0].lineItems[0].refundedItemID == nil)
        #expect(refunds[0].lineItems[0].totalTax == .zero(.eur))
    }

    @Test func positiveRefundQuantityIsRefused() {
        let error = #expect(throws: StoreLoadError.self) {
            _ = try StoreSnapshotLoader.parseRefunds(bytes: StoreTestFixtures.bytes("""
                [{"id": 28, "amount": "15.00", "line_items": [{"id": 9, "quantity": 1, "total": "-15.00"}]}]
                """), file: "orders/26.refunds.json", orderID: 26, currency: .eur)
        }
        #expect(error?.kind == .invalidValue)
        #expect(error?.jsonPath == "$[0].line_items[0].quantity")
    }

    @Test func positiveRefundLineTotalIsRefused() {
        let error = #expect(throws: StoreLoadError.self) {
            _ = try StoreSnapshotLoader.parseRefunds(bytes: StoreTestFixtures.bytes("""
                {"id": 28, "amount": "15.00", "line_items": [{"id": 9, "quantity": -1, "total": "15.00"}]}
                """), file: "orders/26.refunds.json", orderID: 26, currency: .eur)
        }
        #expect(error?.description == "orders/26.refunds.json: $.line_items[0].total: refunded amount is 15.00; WooCommerce writes refunded amounts as negative")
    }

    @Test func badRefundedItemIDIsRefusedWithItsPath() {
        let error = #expect(throws: StoreLoadError.self) {
            _ = try StoreSnapshotLoader.parseRefunds(bytes: StoreTestFixtures.bytes("""
                [{"id": 28, "amount": "15.00", "line_items": [{"id": 9, "quantity": -1, "total": "-15.00",
                  "meta_data": [{"key": "_refunded_item_id", "value": "six"}]}]}]
                """), file: "orders/26.refunds.json", orderID: 26, currency: .eur)
        }
        #expect(error?.jsonPath == "$[0].line_items[0].meta_data[0].value")
        #expect(error?.kind == .invalidValue)
    }

    @Test func refundOfAnotherOrderIsRefused() {
        let error = #expect(throws: StoreLoadError.self) {
            _ = try StoreSnapshotLoader.parseRefunds(bytes: StoreTestFixtures.bytes("""
                [{"id": 28, "parent_id": 27, "amount": "15.00"}]
                """), file: "orders/26.refunds.json", orderID: 26, currency: .eur)
        }
        #expect(error?.kind == .inconsistent)
        #expect(error?.jsonPath == "$[0].parent_id")
    }
}
