import Testing
@testable import ReturnRulesDomain

/// Condition shapes are numbered by value: the same shape gets its id back whatever buffer
/// held its tokens, and any difference (a token, the unknowns, the item depth) is a new id.
@Suite("Lint: condition shape table")
struct ShapeTableTests {
    @Test func equalShapesShareAnIdAndDifferentOnesDoNot() {
        let table = ShapeTable()
        let refund: [ShapeToken] = [.and, .compare(.equal), .eventField(0), .member(0), .unknown(0)]
        let exchange: [ShapeToken] = [.and, .compare(.equal), .eventField(0), .member(1), .unknown(0)]
        let first = table.id(tokens: refund, unknownCount: 1, itemDepth: nil)
        #expect(table.id(tokens: exchange, unknownCount: 1, itemDepth: nil) != first)
        #expect(table.id(tokens: refund, unknownCount: 2, itemDepth: nil) != first)
        #expect(table.id(tokens: refund, unknownCount: 1, itemDepth: 0) != first)
        // Written into the reused buffer, as the abstraction does.
        var buffer = table.takeBuffer()
        #expect(buffer.isEmpty)
        buffer.append(contentsOf: refund)
        #expect(table.id(tokens: buffer, unknownCount: 1, itemDepth: nil) == first)
        table.returnBuffer(buffer)
        let again = table.takeBuffer()
        #expect(again.isEmpty && again.capacity >= refund.count)
        #expect(table.id(of: ConditionShape(tokens: exchange, unknownCount: 1, itemDepth: nil)) == first + 1)
    }

    @Test func manyShapesKeepTheirIds() {
        let table = ShapeTable()
        let shapes = (0..<2_000).map { [ShapeToken.compare(.greater), .eventField($0 % 7), .money(Int64($0))] }
        let ids = shapes.map { table.id(tokens: $0, unknownCount: 0, itemDepth: nil) }
        #expect(ids == Array(0..<2_000))
        #expect(shapes.map { table.id(tokens: $0, unknownCount: 0, itemDepth: nil) } == ids)
    }
}
