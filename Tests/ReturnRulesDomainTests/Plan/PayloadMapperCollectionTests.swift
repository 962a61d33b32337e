import Foundation
import JSONBytes
import ReturnRulesLanguage
import Testing
@testable import ReturnRulesDomain

/// The mapper appends all of a collection's elements at once (in chunks from a ready buffer of
/// missing values): element k of n identical items must map exactly as element 0, for any n.
@Suite("Intake: collection elements appended at once")
struct PayloadMapperCollectionTests {
    struct NoIncludes: SourceLoader {
        func resolve(_ path: String, from includer: SourceFile) -> (key: String, displayPath: String) { (path, path) }
        func load(key: String) throws -> [UInt8] { throw SourceLoadError("no includes in tests") }
    }

    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    @Test(arguments: [0, 1, 3, 60])
    func identicalItemsMapIdentically(count: Int) throws {
        let sources = SourceMap()
        let rulesData = try #require(FileManager.default.contents(atPath: Self.repository + "/examples/returns.rules"))
        let root = sources.add(path: "examples/returns.rules", bytes: [UInt8](rulesData))
        let program = try #require(RuleFileChecker.check(root: root, sources: sources, loader: NoIncludes()).program)
        let planner = Planner(rules: CompiledRuleSet(program), store: nil)

        let eventData = try #require(FileManager.default.contents(atPath: Self.repository + "/examples/events/01-plain-refund.json"))
        let object = try JSONSerialization.jsonObject(with: eventData)
        var json = try #require(object as? [String: Any])
        var data = try #require(json["data"] as? [String: Any])
        var ret = try #require(data["return"] as? [String: Any])
        let items = try #require(ret["items"] as? [Any])
        ret["items"] = Array(repeating: items[0], count: count)
        data["return"] = ret
        json["data"] = data
        let bytes = [UInt8](try JSONSerialization.data(withJSONObject: json))

        var prepared = planner.prepare(EventReader.parse(bytes[...], source: EventSource(file: "t.json")))
        let taken = prepared.takeRecord()
        let record = try #require(taken)
        var total = 0
        for range in record.ranges {
            #expect(Int(range.start) == total)
            total += Int(range.count) * Int(range.stride)
        }
        #expect(total == record.elements.count)
        let itemRanges = record.ranges.filter { Int($0.count) == count }
        #expect(!itemRanges.isEmpty)
        if count > 0, let range = record.ranges.first(where: { Int($0.count) == count && $0.stride > 0 }) {
            let stride = Int(range.stride), start = Int(range.start)
            let first = Array(record.elements[start..<start + stride])
            #expect(first.contains { !$0.isMissing })
            for k in 1..<count {
                let element = Array(record.elements[start + k * stride..<start + (k + 1) * stride])
                // Texts are spans of the event's bytes; compare them as text.
                #expect(element.map { record.string($0) ?? $0.description } == first.map { record.string($0) ?? $0.description }, "item \(k)")
            }
        }
    }
}
