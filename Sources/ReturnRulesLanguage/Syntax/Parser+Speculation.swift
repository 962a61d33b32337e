/// Parsing a large file on two cores.
///
/// A second parser starts at a `rule` near the middle of the tokens and parses from there: the
/// rest of that block's rules, then the items after it. The first parser parses from the start
/// as usual; when it reaches that `rule` at the top of a block's rule loop and not in panic mode,
/// it is exactly where the second one started, in the same state (the parser's state between two
/// rules is its position), so it takes the second parser's rules and items and replays its
/// diagnostics in order: the tree and the diagnostics are those of parsing in order. If it never
/// lands there (the split fell inside something else), it parses on and ignores the other half.
extension Parser {
    /// Below this many tokens the second core is not worth waking.
    static let speculationMinimumTokens = 20_000

    /// What the second parser found from `start`.
    struct SpeculativeParse: Sendable {
        /// Where it started: a `rule` token.
        var start: Int
        /// The rules it read in the block it started in, and where that rule loop stopped.
        var rules: [RuleDecl]
        var rulesEnd: Int
        var ruleDiagnostics: [Diagnostic]
        /// Where the items after the block start (after its `}`), if it got that far, the items,
        /// and the position it ended at.
        var itemsStart: Int?
        var items: [Item]
        var itemDiagnostics: [Diagnostic]
        var end: Int
    }

    /// A `rule` at the start of a line, near the middle of the tokens, that a block's rule loop
    /// would stand on (not after `override` or an annotation); nil for a small file.
    static func speculationSplit(in tokens: [Token]) -> Int? {
        guard tokens.count >= speculationMinimumTokens else { return nil }
        var index = tokens.count / 2
        let limit = min(tokens.count - 1, index + 5_000)
        while index < limit {
            if tokens[index].kind == .kwRule, tokens[index].newlinesBefore > 0,
               tokens[index - 1].kind != .kwOverride, tokens[index - 1].kind != .rightParen {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The second parser: rules from `start` while the block's loop meets only rules, then, if
    /// the block ends, the items after it.
    static func speculate(file: SourceFile, tokens: [Token], from start: Int) -> SpeculativeParse {
        // Unlimited: the first parser applies its own limit when it replays these.
        var parser = Parser(file: file, tokens: tokens, diagnostics: DiagnosticSink(limit: .max))
        parser.position = start
        var rules: [RuleDecl] = []
        while !parser.atEnd, parser.kind == .kwRule || parser.kind == .at || parser.kind == .kwOverride {
            parser.parseRuleEntry(into: &rules)
            if parser.panicking { parser.synchronizeRules() }
        }
        let rulesEnd = parser.position
        let ruleDiagnostics = parser.diagnostics.diagnostics
        var itemsStart: Int?
        if parser.kind == .rightBrace {
            parser.advance()
            itemsStart = parser.position
        } else if Parser.startsItem(parser.kind) {
            itemsStart = parser.position
        }
        var items: [Item] = []
        if itemsStart != nil {
            while !parser.atEnd {
                let before = parser.position
                items.append(parser.parseItem())
                if parser.position == before { parser.advance() }
            }
        }
        return SpeculativeParse(start: start, rules: rules, rulesEnd: rulesEnd, ruleDiagnostics: ruleDiagnostics,
                                itemsStart: itemsStart, items: items,
                                itemDiagnostics: Array(parser.diagnostics.diagnostics.dropFirst(ruleDiagnostics.count)),
                                end: parser.position)
    }

    /// At the top of a block's rule loop: the second parser's rules, when it started right here.
    mutating func adoptSpeculativeRules() -> [RuleDecl]? {
        guard let speculation, !speculationRulesTaken, position == speculationStart, !panicking else { return nil }
        let found = speculation.value
        speculationRulesTaken = true
        for diagnostic in found.ruleDiagnostics { diagnostics.report(diagnostic) }
        position = found.rulesEnd
        return found.rules
    }

    /// At the top of the file's item loop: the second parser's items, when its rules were taken
    /// and the items start right here.
    mutating func adoptSpeculativeItems() -> [Item]? {
        guard let speculation, speculationRulesTaken, !panicking else { return nil }
        let found = speculation.value
        guard let itemsStart = found.itemsStart, position == itemsStart else { return nil }
        self.speculation = nil
        for diagnostic in found.itemDiagnostics { diagnostics.report(diagnostic) }
        position = found.end
        return found.items
    }
}
