import ReturnRulesLanguage

/// Why the rules decided what they did for one event: for each table the event triggers, which
/// rule fired and, for each rule that did not, the first condition that failed with its actual
/// and expected values. Pure; the planner's own decisions (duplicates, safety) are in the plan.
public struct Explainer: Sendable {
    public let rules: CompiledRuleSet

    public init(rules: CompiledRuleSet) { self.rules = rules }

    public struct EventExplanation: Sendable {
        public var tables: [TableExplanation]
    }

    public struct TableExplanation: Sendable {
        /// `on return accepted, partly_accepted (match first)`, or with the item for item triggers.
        public var title: String
        public var location: String
        public var rules: [RuleExplanation]
    }

    public struct RuleExplanation: Sendable {
        public enum Outcome: Sendable {
            case fired
            /// The first failing condition, as written, with what it compared.
            case failed(condition: String, detail: String)
            case notEvaluated(String)
            case error(String)
        }
        public var name: String
        public var location: String
        public var outcome: Outcome
        /// The full evaluation trace (for `--trace`), one line per node, indented.
        public var trace: [String]
    }

    public func explain(_ event: ReturnEvent) -> EventExplanation {
        let program = rules.program
        let frame = rules.makeFrame(event.record)
        var tables: [TableExplanation] = []
        for block in rules.blocks(subject: "return", event: event.status) {
            tables.append(explainTable(block, frame: frame, title: "on return \(event.status)"))
        }
        let inspected = rules.blocks(subject: "item", event: "inspected")
        if !inspected.isEmpty {
            for index in event.itemIndices {
                let item = event.item(index)
                guard let grade = item.grade else { continue }
                frame.bindTriggerElement(collection: ReturnSchema.itemsSlot, index: index)
                for block in inspected {
                    tables.append(explainTable(block, frame: frame, title: "on item inspected: \(item.sku ?? item.identity) graded \(grade)"))
                }
            }
        }
        _ = program
        return EventExplanation(tables: tables)
    }

    func location(_ span: Span) -> String {
        let sources = rules.program.sources
        guard let file = sources.file(for: span) else { return "?" }
        let location = file.location(of: span.start)
        return "\(file.path):\(location.line):\(location.column)"
    }

    func text(_ span: Span) -> String { rules.program.sources.file(for: span)?.text(of: span) ?? "?" }

    func explainTable(_ blockIndex: Int, frame: EvaluationFrame, title: String) -> TableExplanation {
        let block = rules.program.blocks[blockIndex]
        var explanations: [RuleExplanation] = []
        var firedAny = false
        var stopped = false
        for (index, rule) in block.rules.enumerated() {
            let place = location(rule.nameSpan)
            if stopped {
                explanations.append(RuleExplanation(name: rule.name, location: place, outcome: .notEvaluated("an earlier rule fired (match first)"), trace: []))
                continue
            }
            guard rule.condition != nil, let (result, trace) = rules.explain(block: blockIndex, rule: index, frame: frame) else {
                explanations.append(RuleExplanation(name: rule.name, location: place, outcome: .notEvaluated("otherwise: decided after the other rules"), trace: []))
                continue
            }
            let lines = render(trace, depth: 0)
            switch result {
            case .failure(let error):
                explanations.append(RuleExplanation(name: rule.name, location: place, outcome: .error(error.message), trace: lines))
                stopped = true
            case .success(true):
                explanations.append(RuleExplanation(name: rule.name, location: place, outcome: .fired, trace: lines))
                firedAny = true
                if block.policy == .first { stopped = true }
            case .success(false):
                let failing = firstFailure(trace)
                explanations.append(RuleExplanation(name: rule.name, location: place,
                                                    outcome: .failed(condition: text(failing.span), detail: failing.detail ?? "is \(failing.value)"), trace: lines))
            }
        }
        // The catch-all fires only when no other rule did.
        if let otherwise = block.rules.firstIndex(where: { $0.condition == nil }), !stopped || !firedAny {
            explanations[otherwise].outcome = firedAny ? .notEvaluated("another rule fired") : .fired
        }
        let events = block.events.joined(separator: ", ")
        let heading = title.hasPrefix("on return") ? "on return \(events) (match \(block.policy.rawValue))" : "\(title) (match \(block.policy.rawValue))"
        return TableExplanation(title: heading, location: location(block.triggerSpan), rules: explanations)
    }

    /// Follows `no` values down through `and` (and `or`, whose every branch failed) to the
    /// smallest condition that failed.
    func firstFailure(_ trace: Interpreter.Trace) -> Interpreter.Trace {
        if let child = trace.children.first(where: { $0.value == "no" }) { return firstFailure(child) }
        return trace
    }

    func render(_ trace: Interpreter.Trace, depth: Int) -> [String] {
        var line = String(repeating: "  ", count: depth) + "\(text(trace.span)) → \(trace.value)"
        if let detail = trace.detail { line += "   (\(detail))" }
        return [line] + trace.children.flatMap { render($0, depth: depth + 1) }
    }
}
