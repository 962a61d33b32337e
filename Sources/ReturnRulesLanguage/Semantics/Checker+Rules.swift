/// Decision tables, rules, actions and annotations.
extension Checker {
    /// Checks every block and `override rule` in effect order. A rule name is unique across the
    /// program; an included rule is replaced only by an explicit top-level `override rule`.
    mutating func checkRuleBlocks() {
        var blockScopes: [Scope] = []
        // Large files: every block's rules checked ahead on two cores, taken here in order.
        let prechecked = precheckRules()
        var nextPrechecked = 0
        if let prechecked { ruleIndex.reserveCapacity(prechecked.count) }
        for (unit, item) in allItems {
            let fileID = unit.tree.file.id
            switch item.kind {
            case .ruleBlock(let block):
                guard let (checked, scope) = checkBlockHeader(block, annotations: item.annotations) else {
                    // Still check the rules for errors in their own right, with no trigger scope.
                    for rule in block.rules { _ = checkRule(rule, in: Scope(place: "in this rule"), subject: nil) }
                    continue
                }
                let blockIndex = blocks.count
                var emptyBlock = checked
                emptyBlock.rules.reserveCapacity(block.rules.count)
                blocks.append(emptyBlock)
                blockScopes.append(scope)
                // By index: only the name is needed when the rule was checked ahead.
                for index in block.rules.indices {
                    let checkedRule: CheckedRule
                    if let prechecked {
                        let ahead = prechecked[nextPrechecked]
                        nextPrechecked += 1
                        for diagnostic in ahead.diagnostics { diagnostics.report(diagnostic) }
                        checkedRule = ahead.rule
                    } else {
                        checkedRule = checkRule(block.rules[index], in: scope, subject: checked.subject)
                    }
                    let ruleName = block.rules[index].name
                    let name = ruleName.name
                    guard !name.isEmpty else { continue }
                    if let earlier = ruleIndex[name] {
                        if earlier.file == fileID {
                            diagnostics.report(.duplicateDefinition, "rule `\(name)` is defined twice", at: ruleName.span,
                                               notes: [DiagnosticNote("first defined here", at: earlier.span)],
                                               help: "rule names identify rules in plans, tests and `@allow`; give each its own")
                        } else if !Checker.isMisplacedOverride(block.rules[index], in: unit.tree) {
                            // (A misplaced `override rule` was reported by the parser, RR0113: it
                            // says the same thing, and what to do.)
                            diagnostics.report(.redefinitionWithoutOverride, "rule `\(name)` is already defined in an included file", at: ruleName.span,
                                               notes: [DiagnosticNote("defined here", at: earlier.span)],
                                               help: "to replace it, write `override rule \(name) …` at the top level; to add a rule, give it a new name")
                        }
                        continue
                    }
                    ruleIndex[name] = (blockIndex, blocks[blockIndex].rules.count, fileID, ruleName.span)
                    blocks[blockIndex].rules.append(checkedRule)
                }
            case .ruleOverride(let rule):
                let name = rule.name.name
                guard let original = ruleIndex[name] else {
                    diagnostics.report(.overrideWithoutOriginal, "`override rule \(name)` but no included file defines rule `\(name)`", at: rule.name.span,
                                       help: Suggestions.help(for: name, in: ruleIndex.keys) ?? "put a new rule inside an `on … match …` block instead")
                    _ = checkRule(rule, in: Scope(place: "in this rule"), subject: nil)
                    continue
                }
                if original.file == fileID {
                    diagnostics.report(.overrideWithoutOriginal, "`override rule \(name)` replaces a rule of the same file", at: rule.name.span,
                                       notes: [DiagnosticNote("the rule is here", at: original.span)], help: "edit that rule instead")
                    continue
                }
                var checkedRule = checkRule(rule, in: blockScopes[original.block], subject: blocks[original.block].subject)
                checkedRule.overridden = true
                blocks[original.block].rules[original.rule] = checkedRule
                ruleIndex[name] = (original.block, original.rule, fileID, rule.name.span)
            default:
                continue
            }
        }
    }

    /// Whether a rule in a block was written `override rule` (which belongs at the top level).
    static func isMisplacedOverride(_ rule: RuleDecl, in tree: SyntaxTree) -> Bool {
        let first = rule.tokenRange.lowerBound
        return first > 0 && first <= tree.tokens.count && tree.tokens[first - 1].kind == .kwOverride
    }

    /// The trigger and hit policy; nil when the trigger is unusable.
    mutating func checkBlockHeader(_ block: RuleBlock, annotations: [Annotation]) -> (CheckedBlock, Scope)? {
        for annotation in annotations {
            diagnostics.report(.invalidAnnotation, "annotations go on rules, not on blocks", at: annotation.span,
                               help: "put `@\(annotation.name.name)(…)` before the `rule` it is about")
        }
        let subject = block.trigger.subject
        guard !subject.name.isEmpty else { return nil }
        guard let spec = schema.triggers[subject.name] else {
            diagnostics.report(.unknownTrigger, "unknown trigger `on \(subject.name)`", at: subject.span,
                               help: Suggestions.help(for: subject.name, in: schema.triggers.keys)
                                   ?? "triggers are \(schema.triggers.keys.sorted().map { "`on \($0) …`" }.joined(separator: ", "))")
            return nil
        }
        var events: [String] = []
        for event in block.trigger.events {
            guard spec.events.contains(event.name) else {
                diagnostics.report(.unknownTrigger, "`\(subject.name)` has no event `\(event.name)`", at: event.span,
                                   help: Suggestions.help(for: event.name, in: spec.events)
                                       ?? "the events of `\(subject.name)` are \(spec.events.map { "`\($0)`" }.joined(separator: ", "))")
                continue
            }
            if events.contains(event.name) {
                diagnostics.report(.duplicateDefinition, "`\(event.name)` is listed twice in this trigger", at: event.span)
                continue
            }
            events.append(event.name)
        }
        let policy: HitPolicy
        if let found = HitPolicy(rawValue: block.policy.name) {
            policy = found
        } else {
            if !block.policy.name.isEmpty {
                diagnostics.report(.unknownHitPolicy, "unknown hit policy `\(block.policy.name)`", at: block.policy.span,
                                   help: "`match first`: the first rule that holds fires; `match all`: every rule that holds fires, in order")
            }
            policy = .first
        }
        var scope = Scope()
        scope.place = "in `on \(subject.name) …`"
        if let binds = spec.binds, let collection = schema.collections[binds.collection] {
            scope.bindings.append(Scope.Binding(name: binds.name, record: collection.record, span: block.trigger.span))
        }
        let checked = CheckedBlock(subject: subject.name, events: events, binds: spec.binds, policy: policy, rules: [],
                                   span: block.span, triggerSpan: block.trigger.span)
        return (checked, scope)
    }

    mutating func checkRule(_ rule: RuleDecl, in scope: Scope, subject: String?) -> CheckedRule {
        var ruleScope = scope
        if !rule.name.name.isEmpty { ruleScope.setRule(rule.name.name) }
        var condition: TypedExpr?
        switch rule.condition {
        case .when(let expr):
            let typed = check(expr, in: ruleScope, expecting: .bool)
            switch typed.type {
            case .bool, .invalid: break
            default:
                diagnostics.report(.guardNotBoolean, "a rule's condition must be yes or no; this is \(Checker.article(typed.type.description))", at: expr.span,
                                   help: typed.type == .money ? "compare it: `refund.amount > 100.00 \(currency.code)`" : "compare it with something, e.g. `… == …`")
            }
            condition = typed
        case .otherwise, .missing:
            condition = nil
        }
        var actions: [CheckedAction] = []
        for action in rule.actions {
            if let checked = checkAction(action, in: ruleScope) { actions.append(checked) }
        }
        let allowed = checkAnnotations(rule.annotations)
        return CheckedRule(name: rule.name.name, nameSpan: rule.name.span, condition: condition, actions: actions, span: rule.span,
                           allowed: allowed, overridden: false)
    }

    /// `@allow(RR0301, reason: "…")`: suppression needs a known code and a written reason.
    mutating func checkAnnotations(_ annotations: [Annotation]) -> [String: String] {
        var allowed: [String: String] = [:]
        for annotation in annotations {
            guard annotation.name.name == "allow" else {
                diagnostics.report(.invalidAnnotation, "unknown annotation `@\(annotation.name.name)`", at: annotation.name.span,
                                   help: "the only annotation is `@allow(RR0301, reason: \"…\")`")
                continue
            }
            var code: String?
            var reason: String?
            for argument in annotation.arguments {
                switch (argument.label?.name, argument.value.kind) {
                case (nil, .name(let name)) where code == nil: code = name
                case ("reason", .string(let literal)): reason = literal.constantText
                default:
                    diagnostics.report(.invalidAnnotation, "`@allow` takes a diagnostic code and `reason: \"…\"`", at: argument.span)
                }
            }
            guard let code else {
                diagnostics.report(.invalidAnnotation, "`@allow` needs the code it suppresses", at: annotation.span,
                                   help: "for example `@allow(RR0301, reason: \"restock approved by the warehouse lead\")`")
                continue
            }
            guard allowableCodes.contains(code) else {
                diagnostics.report(.invalidAnnotation, "`\(code)` is not a diagnostic code", at: annotation.arguments.first?.span ?? annotation.span,
                                   help: Suggestions.help(for: code, in: allowableCodes))
                continue
            }
            guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                diagnostics.report(.invalidAnnotation, "`@allow(\(code))` needs a written reason", at: annotation.span,
                                   help: "say why, for whoever reads this next: `@allow(\(code), reason: \"…\")`")
                continue
            }
            allowed[code] = reason
        }
        return allowed
    }

    /// Checks an action against its signature: positional parameters in order, then labels.
    mutating func checkAction(_ action: ActionCall, in scope: Scope) -> CheckedAction? {
        guard let signature = actionSignatures.value(action.name.name) else {
            var help = Suggestions.help(for: action.name.name, in: schema.actions.keys)
            if help == nil { help = "the actions are \(schema.actions.keys.sorted().map { "`\($0)`" }.joined(separator: ", "))" }
            diagnostics.report(.unknownAction, "unknown action `\(action.name.name)`", at: action.name.span, help: help)
            // The arguments cannot be typed without the signature; checking them would only cascade.
            return nil
        }
        let parameters = signature.parameters
        var arguments = CheckedArguments(minimumCapacity: action.arguments.count)
        // Parameters by position in the signature (a file has an action per rule: copying each
        // parameter's specification, or its name into a list, cost more than checking it).
        var given: [(parameter: Int, span: Span)] = []
        given.reserveCapacity(action.arguments.count)
        var positional = 0
        for argument in action.arguments {
            let index: Int
            if let label = argument.label {
                guard let found = parameters.firstIndex(where: { $0.name == label.name }) else {
                    diagnostics.report(.unknownArgument, "`\(action.name.name)` has no parameter `\(label.name)`", at: label.span,
                                       help: Suggestions.help(for: label.name, in: parameters.map(\.name))
                                           ?? "its parameters are \(parameters.map { "`\($0.name)`" }.joined(separator: ", "))")
                    _ = check(argument.value, in: scope)
                    continue
                }
                index = found
            } else {
                guard positional < signature.positionalCount else {
                    let labels = parameters.dropFirst(signature.positionalCount).map { "`\($0.name):`" }
                    var help = labels.isEmpty ? nil : "label the others: \(labels.joined(separator: ", "))"
                    // A name on a later line after an `override rule` is usually the next setting.
                    if let file = loaded.sources.file(for: argument.span),
                       file.location(of: argument.span.start).line > file.location(of: action.name.span.start).line {
                        help = "this argument is on a later line than `\(action.name.name)`: newlines do not end an action, so a setting written after a top-level `override rule` is read as one more argument; move the setting before the rule"
                    }
                    diagnostics.report(.unknownArgument, "`\(action.name.name)` takes \(signature.positionalCount == 0 ? "no unlabelled arguments" : "\(signature.positionalCount) unlabelled argument\(signature.positionalCount == 1 ? "" : "s")")",
                                       at: argument.span, help: help)
                    _ = check(argument.value, in: scope)
                    continue
                }
                index = positional
                positional += 1
            }
            if let earlier = given.first(where: { $0.parameter == index })?.span {
                diagnostics.report(.duplicateDefinition, "`\(parameters[index].name)` is given twice", at: argument.span,
                                   notes: [DiagnosticNote("first given here", at: earlier)])
                continue
            }
            given.append((index, argument.span))
            arguments[parameters[index].name] = checkArgument(argument.value, parameter: parameters[index], action: action.name.name, in: scope)
        }
        for index in parameters.indices where parameters[index].required && !given.contains(where: { $0.parameter == index }) {
            let parameter = parameters[index]
            let example = parameter.summary.isEmpty ? "" : " (\(parameter.summary))"
            diagnostics.report(.missingArgument, "`\(action.name.name)` needs `\(parameter.name)`\(example)", at: action.span,
                               help: "add `\(parameter.name): …`")
        }
        return CheckedAction(name: action.name.name, arguments: arguments, span: action.span, nameSpan: action.name.span)
    }

    mutating func checkArgument(_ expr: Expr, parameter: ParameterSpec, action: String, in scope: Scope) -> TypedExpr {
        switch parameter.type {
        case .value(let type):
            let typed = check(expr, in: scope, expecting: type)
            if typed.type.isInvalid || Checker.sameType(typed.type, type) { return typed }
            if type == .money, typed.type == .number {
                diagnostics.report(.moneyComparedWithNumber, "`\(parameter.name)` is an amount; this number has no currency", at: expr.span,
                                   help: "write the amount with its currency, e.g. `10.00 \(currency.code)`")
            } else {
                diagnostics.report(.argumentType, "`\(parameter.name)` of `\(action)` takes \(Checker.article(type.description)), not \(Checker.article(typed.type.description))", at: expr.span,
                                   help: parameter.summary.isEmpty ? nil : parameter.summary)
            }
            return typed
        case .selection(let collectionName):
            let typed = check(expr, in: scope)
            guard let collection = schema.collections[collectionName] else { return typed }
            switch typed.type {
            case .invalid: return typed
            case .record(collection.record), .list(.record(collection.record)): return typed
            default:
                diagnostics.report(.argumentType, "`\(action)` takes \(collectionName): all of them, `\(collectionName) where …`, or `\(collection.elementName)` in an element trigger; this is \(Checker.article(typed.type.description))",
                                   at: expr.span)
                return typed
            }
        }
    }
}
