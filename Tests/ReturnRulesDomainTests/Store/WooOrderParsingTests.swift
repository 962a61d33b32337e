import JSONBytes
import ReturnRulesLanguage
import Testing
@testable import ReturnRulesDomain

@Suite("WooCommerce order parsing")
struct WooOrderParsingTests {
    @Test func everyFixtureLoads() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.orders.map(\.id) == [5123, 5125, 5126, 5127, 5128, 5129, 5130])
        #expect(snapshot.products.map(\.id) == [301, 410, 520, 610])
        #expect([411, 412, 413, 521, 522].allSatisfy { snapshot.variation($0) != nil })
        #expect(snapshot.variations(ofProduct: 410).map(\.id) == [411, 412, 413])
    }

    @Test func exampleStoreHasExactlyTheStaleParentWarning() throws {
        let snapshot = try StoreTestFixtures.snapshot()
        #expect(snapshot.warnings == [.parentDoesNotManageStock(variationID: 411, parentID: 410)])
    }

    @Test func w1NumbersAreExact() throws {
        let order = try #require(try StoreTestFixtures.snapshot().order(5123))
        #expect(order.status == "completed")
        #expect(order.currency == .eur)
        #expect(order.pricesIncludeTax)
        #expect(order.total == (try StoreTestFixtures.eur("174.35")))
        #expect(order.totalTax == (try StoreTestFixtures.eur("30.26")))
        #expect(order.shippingTotal == (try StoreTestFixtures.eur("4.09")))
        #expect(order.discountTotal == .zero(.eur))
        #expect(order.customerID == 57)
        #expect(order.transactionID == "ch_3PqX8sL2eZvKYlo21Gk7aBcD")
        #expect(order.dateCreated == "2026-02-20T18:03:11")

        let line = try #require(order.lineItem(id: 801))
        #expect(line.quantity == 3)
        #expect(line.productID == 301 && line.variationID == 0)
        #expect(line.total == (try StoreTestFixtures.eur("60.00")))
        #expect(line.totalTax == (try StoreTestFixtures.eur("12.60")))
        #expect(line.taxes.count == 1)
        #expect(line.taxes[0].rateID == 1)
        // Kept exactly as written: "12.6", scale 1, not rounded to Money.
        #expect(line.taxes[0].total == ExactDecimal(significand: 126, scale: 1))
        #expect(line.taxes[0].total?.description == "12.6")
        // price is a JSON number, 20.
        #expect(line.price == ExactDecimal(20))
        #expect(line.price?.description == "20")
        #expect(line.reducedStock == 3)

        let shoe = try #require(order.lineItem(id: 802))
        #expect(shoe.variationID == 412 && shoe.sku == "RUN-42")
        #expect(shoe.metaData.first(key: "pa_talla")?.stringValue == "42")

        let shipping = try #require(order.shippingLines.first)
        #expect(shipping.id == 804 && shipping.methodID == "flat_rate")
        #expect(shipping.totalTax == (try StoreTestFixtures.eur("0.86")))
        #expect(shipping.taxes[0].total == ExactDecimal(significand: 8589, scale: 4))
        #expect(shipping.taxes[0].subtotal == nil)  // "" means absent
    }

    @Test func addressesAreKeptVerbatim() throws {
        let order = try #require(try StoreTestFixtures.snapshot().order(5123))
        #expect(order.billing?["email"] == .string("lucia.martin@example.es"))
        #expect(order.billing?["address_2"] == .string("3º B"))
        #expect(order.shipping?["city"] == .string("Madrid"))
    }

    @Test func fractionalPriceStaysExact() throws {
        let order = try #require(try StoreTestFixtures.snapshot().order(5129))
        let line = try #require(order.lineItem(id: 851))
        #expect(line.price?.description == "8.264462666666667")
        #expect(line.taxes[0].total?.description == "5.206612")
        #expect(order.refundSummaries == [WooRefundSummary(id: 5150, reason: "Devolución parcial: 2 bolsas",
                                                            total: try StoreTestFixtures.eur("20.00"))])
    }

    @Test func refundSummaryTotalIsStoredPositive() throws {
        let order = try #require(try StoreTestFixtures.snapshot().order(5125))
        #expect(order.status == "refunded")
        #expect(order.refundSummaries.count == 1)
        #expect(order.refundSummaries[0].id == 5140)
        #expect(order.refundSummaries[0].reason == "Order fully refunded.")
        #expect(order.refundSummaries[0].total == (try StoreTestFixtures.eur("29.15")))
    }

    @Test func pluginStatusAndMinimalOrderAreAccepted() throws {
        let order = try StoreSnapshotLoader.parseOrder(bytes: StoreTestFixtures.bytes("""
            {"id": 9001, "status": "wc-awaiting-shipment", "currency": "JPY", "total": "1500",
             "line_items": [{"id": 1, "quantity": 2, "total": "1500"}],
             "refunds": [{"id": 9002, "reason": "", "total": "-0"}]}
            """), file: "orders/9001.json")
        #expect(order.status == "wc-awaiting-shipment")
        #expect(order.total == Money(minorUnits: 1500, currency: .jpy))
        #expect(order.number == "9001")
        #expect(order.billing == nil)
        // Documented defaults for a trimmed line.
        #expect(order.lineItems[0].subtotal == order.lineItems[0].total)
        #expect(order.lineItems[0].totalTax == .zero(.jpy))
        #expect(order.lineItems[0].price == nil)
        #expect(order.refundSummaries[0].total == .zero(.jpy))
    }

    @Test func minusZeroRefundSummaryIsZero() throws {
        let order = try StoreSnapshotLoader.parseOrder(bytes: StoreTestFixtures.bytes("""
            {"id": 26, "status": "processing", "currency": "EUR", "total": "40.00",
             "refunds": [{"id": 29, "reason": "", "total": "-0.00"}, {"id": 30, "reason": "", "total": "-5.00"}]}
            """), file: "orders/26.json")
        #expect(order.refundSummaries.map(\.total) == [.zero(.eur), try StoreTestFixtures.eur("5.00")])
    }

    @Test func metaHelpersReadStringsAndNumbers() {
        #expect(WooMeta(id: nil, key: "k", value: .string("801")).intValue == 801)
        #expect(WooMeta(id: nil, key: "k", value: .number("801")).intValue == 801)
        #expect(WooMeta(id: nil, key: "k", value: .string("801.0")).intValue == nil)
        #expect(WooMeta(id: nil, key: "k", value: .string("")).intValue == nil)
        #expect(WooMeta(id: nil, key: "k", value: .string("+801")).intValue == nil)
        #expect(WooMeta(id: nil, key: "k", value: .number("5123")).stringValue == "5123")
        #expect(WooMeta(id: nil, key: "k", value: .bool(true)).stringValue == nil)
        let metas = [WooMeta(id: 1, key: "a", value: .number("7")), WooMeta(id: 2, key: "a", value: "8")]
        #expect(metas.first(key: "a")?.id == 1)
        #expect(metas.contains(key: "a", value: "8"))
        #expect(!metas.contains(key: "b", value: "7"))
    }
}
