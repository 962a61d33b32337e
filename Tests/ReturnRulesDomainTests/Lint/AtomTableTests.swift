import Testing
@testable import ReturnRulesDomain

/// Unknown conditions are numbered by their text's bytes: the same text is the same unknown,
/// every other text a new one, past the table's first size too.
@Suite("Lint: unknown conditions table")
struct AtomTableTests {
    @Test func theSameTextIsTheSameUnknown() {
        let table = AtomTable(expected: 2)
        let texts = (0..<500).map { "refund.amount > \($0).00 EUR" } + ["any(items, item.reason == \"damaged\")", "é ≠ e"]
        let ids = texts.map { table.atom(Array($0.utf8)).id }
        #expect(ids == Array(0..<texts.count))
        #expect(table.texts == texts)
        // Again, in reverse: nothing new, each text its own id and its string back.
        for (id, text) in zip(ids, texts).reversed() {
            let found = table.atom(Array(text.utf8))
            #expect(found.id == id && found.text == text)
        }
        #expect(table.count == texts.count)
        // A prefix or an extension of a known text is a different unknown.
        #expect(table.atom(Array("refund.amount > 1.00 EU".utf8)).id == texts.count)
        #expect(table.atom(Array("refund.amount > 1.00 EURO".utf8)).id == texts.count + 1)
    }
}
