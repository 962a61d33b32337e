import Foundation
import ReturnRulesDomain
import ReturnRulesLanguage

/// `returnrules explain`: which rule fired for each event, and why the others did not.
enum ExplainCommand {
    static let spec = OptionSpec(valued: ["rules", "events", "store"], flags: ["trace"])

    static let help = """
    Usage: returnrules explain --rules FILE --events FILE [--store DIR] [--trace]

    For each event: every decision table the event triggers, which rule fired, and for each rule
    that did not, the first condition that failed with its actual and expected values. Then the
    plan the event leads to (events are planned in order, so a later event sees the earlier ones).

    Options:
      --rules FILE    the client's rule file (required)
      --events FILE   events (a JSON file, an array file, JSON Lines, a directory) (required)
      --store DIR     a store snapshot, as for `plan`
      --trace         print every condition's value, not just the first failure

    Exit: 0 explained, 1 errors (rule file, unreadable or rejected events), 64 usage.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        guard let rulesPath = arguments.value("rules") else { throw UsageError("explain needs --rules FILE") }
        let eventPaths = arguments.all("events") + arguments.positional
        guard !eventPaths.isEmpty else { throw UsageError("explain needs --events FILE") }
        let rules: CompiledRuleSet
        let store: StoreSnapshot?
        do {
            rules = try RuleSetLoading.load(rulesPath, io: io)
            store = try RuleSetLoading.store(arguments.value("store"), io: io)
        } catch {
            return error.exitCode
        }
        let planner = Planner(rules: rules, store: store)
        let explainer = Explainer(rules: rules)
        var session = PlanSession(planner: planner)
        let renderer = PlanHumanRenderer(useColor: io.useColor(for: .stdout), showBodies: false)
        let color = io.useColor(for: .stdout)
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        var rejected = 0
        do {
            for path in eventPaths {
                try PlanCommand.forEachEvent(path, io: io) { incoming in
                    guard case .success(let document) = incoming.document, case .success(let record) = planner.mapper.map(document.root) else {
                        let (plan, _) = session.plan(incoming)
                        rejected += 1
                        io.write(renderer.render(plan))
                        return
                    }
                    let event = ReturnEvent(record: record, enums: rules.program.enums)
                    io.write(paint("\(event.eventID) · return \(event.returnID) \(event.status) · order \(event.orderReference)", "1") + "   (\(incoming.source))\n")
                    let explanation = explainer.explain(event)
                    if explanation.tables.isEmpty { io.write("  no decision table is triggered by `\(event.status)`\n") }
                    for table in explanation.tables {
                        io.write("  \(table.title)   \(table.location)\n")
                        let width = table.rules.map(\.name.count).max() ?? 0
                        for rule in table.rules {
                            let name = rule.name.padding(toLength: width, withPad: " ", startingAt: 0)
                            switch rule.outcome {
                            case .fired: io.write("    " + paint("✓ \(name)  fired", "32") + "\n")
                            case .failed(let condition, let detail): io.write("    ✗ \(name)  \(condition): \(detail)\n")
                            case .notEvaluated(let why): io.write("    " + paint("· \(name)  \(why)", "2") + "\n")
                            case .error(let message): io.write("    " + paint("! \(name)  error: \(message)", "31") + "\n")
                            }
                            if arguments.has("trace") { for line in rule.trace { io.write("        \(line)\n") } }
                        }
                    }
                    let (plan, _) = session.plan(incoming)
                    io.write("  plan:\n")
                    for line in renderer.render(plan).split(separator: "\n").dropFirst() { io.write("  \(line)\n") }
                    io.write("\n")
                }
            }
        } catch {
            io.write("error: \(error)\n", to: .stderr)
            return .ioError
        }
        return rejected > 0 ? .failure : .success
    }
}
