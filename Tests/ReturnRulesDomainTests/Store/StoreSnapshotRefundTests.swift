import JSONBytes
import ReturnRulesLanguage
import Testing
@testable import ReturnRulesDomain

@Suite("Store snapshot refund queries")
struct StoreSnapshotRefundTests {
    @Test func remainingRefundableAfterPartialRefund() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.refundedAmount(orderID: 5129) == (try StoreTestFixtures.eur("20.00")))
        #expect(snapshot.remainingRefundable(orderID: 5129) == (try StoreTestFixtures.eur("10.00")))
    }

    @Test func fullyRefundedOrderHasNothingLeft() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.refundedAmount(orderID: 5125) == (try StoreTestFixtures.eur("29.15")))
        #expect(snapshot.remainingRefundable(orderID: 5125) == (try StoreTestFixtures.eur("0.00")))
    }

    @Test func untouchedOrdersCanBeRefundedInFull() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.remainingRefundable(orderID: 5123) == (try StoreTestFixtures.eur("174.35")))
        #expect(snapshot.remainingRefundable(orderID: 5130) == .zero(.eur))
        #expect(snapshot.remainingRefundable(orderID: 4242) == StoreSnapshot.unknownOrderAmount)
        #expect(snapshot.refundedAmount(orderID: 4242).isZero)
        #expect(snapshot.refundedAmount(orderID: 4242).currency.code == "XXX")
        #expect(throws: MoneyError.self) {
            _ = try snapshot.remainingRefundable(orderID: 4242).adding(try StoreTestFixtures.eur("1.00"))
        }
    }

    @Test func refundedQuantityPerLine() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.refundedQuantity(orderID: 5129, lineItemID: 851) == 2)
        #expect(snapshot.remainingQuantity(orderID: 5129, lineItemID: 851) == 1)
        #expect(snapshot.refundedQuantity(orderID: 5125, lineItemID: 811) == 1)
        #expect(snapshot.remainingQuantity(orderID: 5125, lineItemID: 811) == 0)
        #expect(snapshot.refundedQuantity(orderID: 5123, lineItemID: 801) == 0)
        #expect(snapshot.remainingQuantity(orderID: 5123, lineItemID: 801) == 3)
        #expect(snapshot.remainingQuantity(orderID: 5123, lineItemID: 999) == nil)
    }

    @Test func refundDetailFlags() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.hasRefundDetail(orderID: 5123))  // empty refunds file
        #expect(snapshot.hasRefundDetail(orderID: 5125))
        #expect(snapshot.hasRefundDetail(orderID: 5129))
        #expect(snapshot.hasRefundDetail(orderID: 5126))  // no file, but nothing refunded
        #expect(!snapshot.hasRefundDetail(orderID: 4242))
    }

    @Test func summariesWithoutRefundsFileGiveAmountsButNoLines() throws {
        var files = try StoreTestFixtures.files()
        files["orders/5125.refunds.json"] = nil
        let snapshot = try StoreSnapshotLoader.load(files: files)
        #expect(!snapshot.hasRefundDetail(orderID: 5125))
        #expect(snapshot.refunds(ofOrder: 5125).isEmpty)
        #expect(snapshot.refundedAmount(orderID: 5125) == (try StoreTestFixtures.eur("29.15")))
        #expect(snapshot.remainingRefundable(orderID: 5125) == .zero(.eur))
        #expect(snapshot.refundedQuantity(orderID: 5125, lineItemID: 811) == nil)
        #expect(snapshot.remainingQuantity(orderID: 5125, lineItemID: 811) == nil)
    }

    @Test func refundNewerThanTheOrderExportWinsAsTheLargerTotal() throws {
        var files = try StoreTestFixtures.files()
        files["orders/5123.refunds.json"] = StoreTestFixtures.bytes("[" + WooRefundParsingTests.w4Response + "]")
        let snapshot = try StoreSnapshotLoader.load(files: files)
        let refunded = try StoreTestFixtures.eur("48.40")
        #expect(snapshot.refundedAmount(orderID: 5123) == refunded)
        #expect(snapshot.remainingRefundable(orderID: 5123) == (try StoreTestFixtures.eur("125.95")))
        #expect(snapshot.refundedQuantity(orderID: 5123, lineItemID: 801) == 2)
        #expect(snapshot.refundedQuantity(orderID: 5123, lineItemID: 802) == 0)
        #expect(snapshot.warnings.contains(.refundMissingFromOrder(orderID: 5123, refundID: 5131)))
        #expect(snapshot.warnings.contains(.refundTotalsDisagree(orderID: 5123, fromSummaries: .zero(.eur),
                                                                 fromRefunds: refunded)))
    }

    @Test func refundListedOnOrderButMissingFromFileMakesDetailUnknown() throws {
        var files = try StoreTestFixtures.files()
        files["orders/5125.refunds.json"] = StoreTestFixtures.bytes("[]")
        let snapshot = try StoreSnapshotLoader.load(files: files)
        #expect(!snapshot.hasRefundDetail(orderID: 5125))
        #expect(snapshot.refundedQuantity(orderID: 5125, lineItemID: 811) == nil)
        // The larger figure (the order's own) is kept, so nothing more is refundable.
        #expect(snapshot.refundedAmount(orderID: 5125) == (try StoreTestFixtures.eur("29.15")))
        #expect(snapshot.warnings.contains(.refundMissingFromDetail(orderID: 5125, refundID: 5140)))
        #expect(snapshot.warnings.contains(.refundTotalsDisagree(
            orderID: 5125, fromSummaries: try StoreTestFixtures.eur("29.15"), fromRefunds: .zero(.eur))))
    }

    @Test func refundLineWithoutRefundedItemMakesDetailUnknown() throws {
        var files = try StoreTestFixtures.files()
        files["orders/5129.refunds.json"] = StoreTestFixtures.bytes("""
            [{"id": 5150, "amount": "20.00", "line_items": [{"id": 5151, "quantity": -2, "total": "-16.53", "total_tax": "-3.47"}]}]
            """)
        let snapshot = try StoreSnapshotLoader.load(files: files)
        #expect(!snapshot.hasRefundDetail(orderID: 5129))
        #expect(snapshot.refundedQuantity(orderID: 5129, lineItemID: 851) == nil)
        #expect(snapshot.remainingRefundable(orderID: 5129) == (try StoreTestFixtures.eur("10.00")))
        #expect(snapshot.warnings.contains(.refundLineWithoutItem(orderID: 5129, refundID: 5150, refundLineID: 5151)))
    }

    @Test func overRefundedQuantityIsReported() throws {
        var files = try StoreTestFixtures.files()
        files["orders/5129.refunds.json"] = StoreTestFixtures.bytes("""
            [{"id": 5150, "amount": "20.00", "line_items": [{"id": 5151, "quantity": -5, "total": "-16.53",
              "meta_data": [{"key": "_refunded_item_id", "value": 851}]}]}]
            """)
        let snapshot = try StoreSnapshotLoader.load(files: files)
        #expect(snapshot.refundedQuantity(orderID: 5129, lineItemID: 851) == 5)
        #expect(snapshot.remainingQuantity(orderID: 5129, lineItemID: 851) == 0)
        #expect(snapshot.warnings.contains(.refundedQuantityExceedsOrdered(orderID: 5129, lineItemID: 851,
                                                                           ordered: 3, refunded: 5)))
    }

    @Test func refundsAboveTheTotalLeaveNothingRefundable() throws {
        let snapshot = try StoreSnapshotLoader.load(files: ["orders/1.json": StoreTestFixtures.bytes("""
            {"id": 1, "status": "completed", "currency": "EUR", "total": "10.00",
             "refunds": [{"id": 2, "reason": "", "total": "-8.00"}, {"id": 3, "reason": "", "total": "-4.00"}]}
            """)])
        #expect(snapshot.remainingRefundable(orderID: 1) == .zero(.eur))
        #expect(snapshot.warnings == [.refundsExceedTotal(orderID: 1, refunded: try StoreTestFixtures.eur("12.00"),
                                                          total: try StoreTestFixtures.eur("10.00"))])
    }

    @Test func refundsFoundByMeta() throws {
        var files = try StoreTestFixtures.files()
        files["orders/5123.refunds.json"] = StoreTestFixtures.bytes(WooRefundParsingTests.w4Response)
        let snapshot = try StoreSnapshotLoader.load(files: files)
        let byReturn = snapshot.refunds(withMetaKey: "reveni_return_id", value: "5d41402abc4b2a76b9719d911017c592")
        #expect(byReturn.map(\.id) == [5131])
        // A numeric meta value matches its text.
        #expect(snapshot.refunds(withMetaKey: "rr_idempotency_key", value: "77").map(\.id) == [5131])
        #expect(snapshot.refunds(ofOrder: 5123, withMetaKey: "rr_idempotency_key", value: "77").map(\.id) == [5131])
        #expect(snapshot.refunds(ofOrder: 5129, withMetaKey: "rr_idempotency_key", value: "77").isEmpty)
        #expect(snapshot.refunds(withMetaKey: "reveni_return_id", value: "other").isEmpty)
    }

    @Test func replacementOrderFoundByMeta() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        let replacements = snapshot.orders(withMetaKey: "reveni_original_order_id", value: "5123")
        #expect(replacements.map(\.id) == [5130])
        let replacement = try #require(replacements.first)
        #expect(replacement.total == .zero(.eur))
        #expect(replacement.metaString("reveni_return_id") == "7d793037a0760186574b0282f2f435e7")
        #expect(replacement.lineItems.first?.variationID == 413)
        #expect(snapshot.orders(withMetaKey: "reveni_return_id", value: "7d793037a0760186574b0282f2f435e7").map(\.id) == [5130])
        #expect(snapshot.orders(withMetaKey: "reveni_original_order_id", value: "5125").isEmpty)
    }

    @Test func refundForAnOrderNotInTheSnapshotIsDroppedWithAWarning() throws {
        let order = try StoreSnapshotLoader.parseOrder(bytes: StoreTestFixtures.bytes("""
            {"id": 1, "status": "completed", "currency": "EUR", "total": "10.00"}
            """), file: "orders/1.json")
        let stray = WooRefund(id: 9, orderID: 2, dateCreated: "", amount: try StoreTestFixtures.eur("1.00"), reason: "",
                              refundedBy: nil, refundedPayment: false, metaData: [], lineItems: [])
        let snapshot = StoreSnapshot(orders: [order], refunds: [stray], refundDetailOrderIDs: [1, 2],
                                     products: [], variations: [])
        #expect(snapshot.refunds(ofOrder: 2).isEmpty)
        #expect(snapshot.hasRefundDetail(orderID: 1))
        #expect(snapshot.warnings == [.refundWithoutOrder(orderID: 2, refundID: 9)])
    }
}
