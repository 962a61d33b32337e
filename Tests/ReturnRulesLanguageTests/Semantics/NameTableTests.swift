import Testing
@testable import ReturnRulesLanguage

/// The checker's name lookups: every name is found with its value, every other name is not,
/// whether probed whole or as a dotted path's two halves.
@Suite("Name table")
struct NameTableTests {
    @Test func findsEveryNameAndNothingElse() {
        // Enough names to fill the table's slots with collisions and wrap-arounds.
        let names = (0..<500).map { "field_\($0)" } + ["return.type", "refund.amount", "a", ""]
        let table = NameTable(names.enumerated().map { ($0.element, $0.offset) })
        for (index, name) in names.enumerated() {
            #expect(table.value(name) == index)
        }
        for missing in ["field_500", "field_", "Field_1", "return.typ", "return.types", "b", " "] {
            #expect(table.value(missing) == nil)
        }
    }

    @Test func entriesAddedOneByOneKeepTheirIndexPastEachGrowth() {
        var table = NameTable<String>(expected: 2)
        let names = (0..<300).map { "n\($0)" }
        for (index, name) in names.enumerated() {
            let bytes = Array(name.utf8)
            #expect(bytes.withUnsafeBufferPointer { table.index(of: $0) } == nil)
            #expect(bytes.withUnsafeBufferPointer { table.insert($0, name) } == index)
        }
        #expect(table.count == names.count)
        for (index, name) in names.enumerated() {
            #expect(Array(name.utf8).withUnsafeBufferPointer { table.index(of: $0) } == index)
            #expect(table[index] == name && table.value(name) == name)
        }
    }

    @Test func findsADottedPathByItsHalves() {
        let table = NameTable([("refund.amount", 1), ("return.type", 2), ("grade\u{0}A", 3)])
        #expect(table.value("refund", UInt8(ascii: "."), "amount") == 1)
        #expect(table.value("return", UInt8(ascii: "."), "type") == 2)
        #expect(table.value("grade", 0, "A") == 3)
        // The probe is the three pieces joined, whatever the split.
        #expect(table.value("refun", UInt8(ascii: "d"), ".amount") == 1)
        #expect(table.value("refund.", UInt8(ascii: "."), "amount") == nil)
        #expect(table.value("refund", UInt8(ascii: "_"), "amount") == nil)
        #expect(table.value("return", UInt8(ascii: "."), "typ") == nil)
        #expect(table.value("grade", 0, "B") == nil)
    }

    @Test func aRepeatedNameKeepsItsFirstValue() {
        let table = NameTable([("A", 0), ("B", 1), ("A", 2)])
        #expect(table.value("A") == 0)
        #expect(table.value("B") == 1)
    }

    @Test func anEmptyTableFindsNothing() {
        let table = NameTable<Int>([])
        #expect(table.isEmpty)
        #expect(table.value("anything") == nil)
        #expect(table.value("a", UInt8(ascii: "."), "b") == nil)
    }

    @Test func aLongNameIsFoundThroughItsHeapBytes() {
        let long = String(repeating: "segment_", count: 20)
        let table = NameTable([(long + "." + long, 7)])
        #expect(table.value(long + "." + long) == 7)
        #expect(table.value(long, UInt8(ascii: "."), long) == 7)
    }
}
