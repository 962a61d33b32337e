import Foundation
import Testing
@testable import ReturnRulesLanguage

/// A large file's rules are parsed in segments on a second core; the tree and the diagnostics
/// must be those of parsing in order, and the parser must not wait long on a stalled helper.
@Suite("Parser: segments on a second core")
struct SpeculativeParseTests {
    /// Enough rules for several segments, with errors sprinkled in (some inside a segment,
    /// one that sends the parser into recovery across a segment start).
    static func largeFile(rules: Int) -> String {
        var text = "returnrules 1\nclient \"big\"\ncurrency EUR\n\non return accepted match first {\n"
        for index in 0..<rules {
            text += "  rule r\(index)\n"
            switch index % 97 {
            case 13: text += "    when return.type == refund and\n    then note internal \"broken guard \(index)\"\n\n"
            case 41: text += "    when refund.amount > \(index).00 EUR\n    then note internal \"missing brace {return.id\"\n\n"
            case 70: text += "    when ( return.mode == instant\n    then note internal \"unclosed \(index)\"\n\n"
            default:
                text += "    when return.type == refund and return.mode == instant and refund.amount > \(index).\(index % 100) EUR\n"
                text += "    then note internal \"rule \(index): {return.id}\"\n\n"
            }
        }
        return text + "}\n"
    }

    @Test func segmentsParseAsInOrder() {
        let file = SourceFile(id: 0, path: "big.rules", bytes: Array(Self.largeFile(rules: 3_000).utf8))
        var reference = DiagnosticSink(limit: .max)
        let inOrder = Parser.parse(file, diagnostics: &reference, speculating: false)
        for _ in 0..<3 {
            var sink = DiagnosticSink(limit: .max)
            let segmented = Parser.parse(file, diagnostics: &sink, speculating: true)
            #expect(segmented.items.count == inOrder.items.count)
            #expect(segmented.structure == inOrder.structure)
            #expect(sink.diagnostics == reference.diagnostics)
            #expect(!reference.diagnostics.isEmpty)
        }
    }

    @Test func theParserStopsWaitingForAStalledHelper() {
        let segments = SpeculativeSegments(starts: [10, 20, 30])
        #expect(segments.claimForHelper() == 2)
        // The helper never stores segment 2: the parser gives up after its patience.
        let started = Date()
        #expect(segments.take(2, patience: 0.05) == nil)
        #expect(Date().timeIntervalSince(started) >= 0.04)
        // The segment is the parser's now; the helper's late result is dropped.
        segments.store(Parser.SegmentParse(rules: [], diagnostics: [], end: 30), at: 2)
        #expect(segments.take(2) == nil)
        // The helper goes on down with the segments nobody has claimed.
        #expect(segments.claimForHelper() == 1)
    }

    @Test func aStoredSegmentIsTakenWithoutWaiting() {
        let segments = SpeculativeSegments(starts: [10, 20])
        #expect(segments.claimForHelper() == 1)
        segments.store(Parser.SegmentParse(rules: [], diagnostics: [], end: 20), at: 1)
        #expect(segments.take(1, patience: 10)?.end == 20)
    }
}
