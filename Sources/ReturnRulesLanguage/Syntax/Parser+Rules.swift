/// Decision tables: `rule_block = "on" trigger "match" policy "{" { rule } "}"`.
extension Parser {
    mutating func parseRuleBlock() -> RuleBlock {
        let start = position
        advance() // on
        let triggerStart = position
        var subject = Identifier("", span: current.span)
        var events: [Identifier] = []
        if let subjectToken = expect(.identifier, "after `on`", help: "for example `on return accepted match first { … }` or `on item inspected match first { … }`") {
            subject = identifier(subjectToken)
            if let first = expect(.identifier, "after `on \(subject.name)`", help: "name the lifecycle event, e.g. `accepted`") {
                events.append(identifier(first))
                while accept(.comma) != nil {
                    guard let next = expect(.identifier, "after `,` in the trigger") else { break }
                    events.append(identifier(next))
                }
            }
        }
        let trigger = Trigger(subject: subject, events: events, span: span(from: triggerStart))
        var policy = Identifier("", span: current.span)
        if !panicking {
            if expect(.kwMatch, "after the trigger", help: "state the hit policy: `match first` (the first rule that holds) or `match all` (every rule that holds, in order)") != nil {
                if let policyToken = expect(.identifier, "after `match`", help: "`first` or `all`") { policy = identifier(policyToken) }
            }
        }
        // Recover inside the header: find the block's `{` on this line or give up on the block.
        if panicking {
            while !atEnd, kind != .leftBrace, !Parser.startsItem(kind), kind != .kwRule { advance() }
            panicking = false
        }
        var rules: [RuleDecl] = []
        var closing: Int?
        if expect(.leftBrace, "to open the rules of `on \(subject.name) …`") != nil {
            while !atEnd, kind != .rightBrace {
                if let adopted = adoptSpeculativeRules() {
                    rules.append(contentsOf: adopted)
                    continue
                }
                if kind == .kwRule || kind == .at || kind == .kwOverride {
                    parseRuleEntry(into: &rules)
                } else if Parser.startsItem(kind) {
                    break // a missing `}`: the next block starts here
                } else {
                    error(expecting: "`rule` or `}`", "in the rules of `on \(subject.name) …`")
                }
                if panicking { synchronizeRules() }
            }
            if kind == .rightBrace { closing = position }
            expect(.rightBrace, "to close the rules of `on \(subject.name) …`")
        }
        return RuleBlock(trigger: trigger, policy: policy, rules: rules, span: span(from: start), closingBraceToken: closing)
    }

    /// One entry of a block's rule loop: annotations, then the rule.
    mutating func parseRuleEntry(into rules: inout [RuleDecl]) {
        let annotations = parseAnnotations()
        if kind == .kwOverride {
            diagnostics.report(.misplacedOverride, "`override rule` belongs at the top level, not inside a block",
                               at: current.span, help: "move it out of the block: it replaces the included rule where that rule stands")
            advance()
        }
        if kind == .kwRule {
            rules.append(parseRule(isOverride: false, annotations: annotations))
        } else {
            error(expecting: "`rule`", "after the annotation")
        }
    }

    /// Skips to the next `rule`, `}` or top-level keyword.
    mutating func synchronizeRules() {
        while !atEnd {
            if kind == .kwRule || kind == .rightBrace || kind == .at || Parser.startsItem(kind) { break }
            advance()
        }
        panicking = false
    }

    /// `rule = "rule" NAME ( "when" expression | "otherwise" ) action_clause { action_clause }`
    mutating func parseRule(isOverride: Bool, annotations: [Annotation]) -> RuleDecl {
        let start = position
        advance() // rule
        var name = Identifier("", span: current.span)
        if let nameToken = expect(.identifier, "after `rule`", help: "rules have a name: `rule refund_paid_by_reveni when …`") {
            name = identifier(nameToken)
        }
        var condition = RuleCondition.missing
        if kind == .kwWhen {
            advance()
            condition = .when(parseExpression())
        } else if kind == .kwOtherwise {
            condition = .otherwise(advance().span)
        } else if !panicking {
            error(expecting: "`when` or `otherwise`", "after the rule name", help: "`when <condition>`, or `otherwise` for the catch-all")
        }
        var actions: [ActionCall] = []
        actions.reserveCapacity(1)
        if kind != .kwThen, !panicking {
            error(expecting: "`then`", "before the rule's action", help: "for example `then review \"finance\" reason: \"…\"`")
        }
        // Resynchronise on `then` so a broken condition still yields the actions.
        if panicking {
            while !atEnd, kind != .kwThen, kind != .kwRule, kind != .rightBrace, !Parser.startsItem(kind) { advance() }
            panicking = false
        }
        while kind == .kwThen {
            advance()
            if let action = parseAction() { actions.append(action) }
            if panicking {
                while !atEnd, kind != .kwThen, kind != .kwRule, kind != .rightBrace, !Parser.startsItem(kind) { advance() }
                panicking = false
            }
        }
        return RuleDecl(annotations: annotations, isOverride: isOverride, name: name, condition: condition, actions: actions,
                        span: span(from: start), tokenRange: start..<position)
    }

    /// `action = NAME { argument }`, `argument = [ NAME ":" ] expression`
    mutating func parseAction() -> ActionCall? {
        let start = position
        guard let nameToken = expect(.identifier, "after `then`", help: "an action such as `refund`, `restock`, `review`, `note` or `ignore`") else { return nil }
        var arguments: [Argument] = []
        // Most actions take one or two arguments: one allocation instead of growing twice.
        arguments.reserveCapacity(2)
        while Parser.startsArgument(kind) {
            let argumentStart = position
            var label: Identifier?
            if kind == .identifier, peek() == .colon {
                label = identifier(advance())
                advance()
            }
            let value = parseExpression()
            arguments.append(Argument(label: label, value: value, span: span(from: argumentStart)))
            if panicking { break }
        }
        return ActionCall(name: identifier(nameToken), arguments: arguments, span: span(from: start), tokenRange: start..<position)
    }

    static func startsArgument(_ kind: TokenKind) -> Bool {
        switch kind {
        case .identifier, .number, .string, .kwTrue, .kwFalse, .kwYes, .kwNo, .kwNone, .leftParen, .leftBracket, .minus, .kwNot: true
        default: false
        }
    }
}
