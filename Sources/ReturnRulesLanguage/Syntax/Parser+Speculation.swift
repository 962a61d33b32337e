import Foundation

/// Parsing a large file on two cores.
///
/// The rules of a large file are cut into segments, each starting at a `rule` at the start of a
/// line, a few thousand tokens apart. A helper parses segments on another core, last first:
/// from its start, the rules of that block's rule loop up to the next segment's start. The
/// parser itself goes on from the start of the file as usual; whenever it stands at the top of
/// a block's rule loop, not in panic mode, on a segment's start, it is exactly where the helper
/// started that segment, in the same state (the parser's state between two rules is its
/// position). It then either claims the segment and parses it itself (the helper has not come
/// that far down), or takes the helper's rules and replays its diagnostics in order: the tree
/// and the diagnostics are those of parsing in order. They meet once, so the parser waits for
/// at most one segment, and for that one only a moment (`SpeculativeSegments.patience`) before
/// it parses the segment itself, however slowly the helper runs on a loaded machine.
extension Parser {
    /// Below this many tokens the second core is not worth waking.
    static let speculationMinimumTokens = 20_000
    /// Tokens between segment starts: about 150 ordinary rules.
    static let segmentTokens = 4_096

    /// What the helper found from a segment's start.
    struct SegmentParse: Sendable {
        var rules: [RuleDecl]
        var diagnostics: [Diagnostic]
        /// Where it stopped: the next segment's start, or where the rule loop met something else.
        var end: Int
    }

    /// `rule` tokens about `segmentTokens` apart that a block's rule loop would stand on (at the
    /// start of a line, not after `override` or an annotation); none for a small file.
    static func segmentStarts(in tokens: [Token]) -> [Int] {
        guard tokens.count >= speculationMinimumTokens else { return [] }
        var starts: [Int] = []
        var index = segmentTokens
        while index < tokens.count - 1 {
            if tokens[index].kind == .kwRule, tokens[index].newlinesBefore > 0,
               tokens[index - 1].kind != .kwOverride, tokens[index - 1].kind != .rightParen {
                starts.append(index)
                index += segmentTokens
            } else {
                index += 1
            }
        }
        return starts
    }

    /// The helper's parse of one segment: rules while the loop meets only rules, up to `stop`.
    static func parseSegment(file: SourceFile, tokens: [Token], from start: Int, to stop: Int) -> SegmentParse {
        // Unlimited: the parser applies its own limit when it replays these.
        var parser = Parser(file: file, tokens: tokens, diagnostics: DiagnosticSink(limit: .max))
        parser.position = start
        var rules: [RuleDecl] = []
        while !parser.atEnd, parser.position < stop, parser.kind == .kwRule || parser.kind == .at || parser.kind == .kwOverride {
            parser.parseRuleEntry(into: &rules)
            if parser.panicking { parser.synchronizeRules() }
        }
        return SegmentParse(rules: rules, diagnostics: parser.diagnostics.diagnostics, end: parser.position)
    }

    /// Starts the helper on a large file's segments; nil for a small file.
    static func startSpeculation(file: SourceFile, tokens: [Token]) -> SpeculativeSegments? {
        let starts = segmentStarts(in: tokens)
        guard !starts.isEmpty else { return nil }
        let segments = SpeculativeSegments(starts: starts)
        DispatchQueue.global(qos: .userInitiated).async {
            WorkerThreadSetup.run()
            while let index = segments.claimForHelper() {
                let stop = index + 1 < starts.count ? starts[index + 1] : tokens.count
                segments.store(parseSegment(file: file, tokens: tokens, from: starts[index], to: stop), at: index)
            }
        }
        return segments
    }

    /// At the top of a block's rule loop: the helper's rules, when a segment it parsed starts here.
    mutating func adoptSpeculativeRules() -> [RuleDecl]? {
        guard let speculation, !panicking else { return nil }
        let starts = speculation.starts
        while nextSegment < starts.count, starts[nextSegment] < position { nextSegment += 1 }
        guard nextSegment < starts.count, starts[nextSegment] == position else { return nil }
        let index = nextSegment
        nextSegment += 1
        guard let found = speculation.take(index) else { return nil }
        for diagnostic in found.diagnostics { diagnostics.report(diagnostic) }
        position = found.end
        return found.rules
    }
}

/// Who parses which segment, and the helper's results. The parser claims segments in order
/// from the first, the helper from the last; each segment is parsed once.
final class SpeculativeSegments: @unchecked Sendable {
    let starts: [Int]

    private enum Owner { case nobody, parser, helper }

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var owners: [Owner]
    private var results: [Parser.SegmentParse?]
    private var helperNext: Int

    init(starts: [Int]) {
        self.starts = starts
        owners = Array(repeating: .nobody, count: starts.count)
        results = Array(repeating: nil, count: starts.count)
        helperNext = starts.count - 1
    }

    /// The next segment for the helper, going down; nil once it meets the parser's.
    func claimForHelper() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard helperNext >= 0, owners[helperNext] == .nobody else { return nil }
        owners[helperNext] = .helper
        helperNext -= 1
        return helperNext + 1
    }

    /// How long the parser waits for a segment the helper is on before it parses the segment
    /// itself: a little more than parsing one takes (about a millisecond). On a VM whose host
    /// backs memory lazily, the helper can stall tens of milliseconds in one page fault, and the
    /// parser went idle all that time.
    static let patience: TimeInterval = 0.002

    func store(_ result: Parser.SegmentParse, at index: Int) {
        condition.lock()
        // The parser may have stopped waiting and parsed the segment itself: drop this one.
        guard owners[index] == .helper else {
            condition.unlock()
            return
        }
        results[index] = result
        condition.broadcast()
        condition.unlock()
    }

    /// The helper's parse of segment `index`, waiting for it (up to `patience`) if the helper is
    /// on it; nil when the parser is to parse the segment itself (it is now the parser's).
    func take(_ index: Int, patience: TimeInterval = SpeculativeSegments.patience) -> Parser.SegmentParse? {
        condition.lock()
        defer { condition.unlock() }
        switch owners[index] {
        case .nobody:
            owners[index] = .parser
            return nil
        case .parser:
            return nil
        case .helper:
            let deadline = Date(timeIntervalSinceNow: patience)
            while results[index] == nil {
                if !condition.wait(until: deadline), results[index] == nil {
                    owners[index] = .parser
                    return nil
                }
            }
            let found = results[index]
            results[index] = nil
            return found
        }
    }

    /// The parser is done: the helper starts nothing more.
    func finish() {
        condition.lock()
        for index in owners.indices where owners[index] == .nobody { owners[index] = .parser }
        condition.unlock()
    }
}
