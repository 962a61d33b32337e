import Foundation
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage

/// `returnrules diff OLD NEW`: what a change to a rule file changes, the review artefact for a
/// consultant's pull request.
enum DiffCommand {
    static let spec = OptionSpec(valued: ["events", "store", "format"], choices: ["format": ["human", "json"]])

    static let help = """
    Usage: returnrules diff OLD NEW [--events PATH...] [--store DIR] [--format human|json]

    Compares two versions of a rule file, exactly:
      - domain cells: for every cell of the finite domain (return type × status, and every enum
        field either version's conditions read; × grade for `on item inspected`), the rules
        that fire and their actions, before and after; the cells whose outcome changes are
        listed, merged where a field takes all its values;
      - with --events: each sample event is planned with both versions (and --store, as
        `plan` does); the events whose JSON plan changes are listed with their steps.

    Options:
      --events PATH         events to plan with both versions (files, JSON Lines, directories)
      --store DIR           the store snapshot to plan against
      --format human|json   human (default) or a versioned JSON document

    Exit: 0 nothing changes, 2 something changes, 1 errors (a file does not check, an event
    cannot be read), 64 usage.
    """

    struct EventChange {
        var source: String
        var eventID: String?
        var before: [String]
        var after: [String]
    }

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        guard arguments.positional.count == 2 else { throw UsageError("diff needs two rule files: OLD NEW") }
        let oldPath = arguments.positional[0]
        let newPath = arguments.positional[1]
        guard let old = load(oldPath, io: io), let new = load(newPath, io: io) else { return .failure }
        let domain = RuleFileDiff(old: old, new: new)
        var events: (total: Int, changes: [EventChange])?
        let eventPaths = arguments.all("events")
        if !eventPaths.isEmpty {
            let store: StoreSnapshot?
            do { store = try RuleSetLoading.store(arguments.value("store"), io: io) } catch { return error.exitCode }
            var batch: [IncomingEvent] = []
            do {
                for path in eventPaths { try PlanCommand.forEachEvent(path, io: io) { batch.append($0) } }
            } catch {
                io.write("error: \(error)\n", to: .stderr)
                return .ioError
            }
            events = planDiff(batch, old: old, new: new, paths: [oldPath, newPath], store: store)
        }
        if arguments.value("format") == "json" {
            io.write(json(domain, events: events, old: oldPath, new: newPath))
        } else {
            io.write(human(domain, events: events, old: oldPath, new: newPath))
        }
        let changed = !domain.changes.isEmpty || !(events?.changes.isEmpty ?? true)
        return changed ? .warningsOrChanges : .success
    }

    /// Checks a rule file; prints its errors and returns nil when it does not check.
    static func load(_ path: String, io: ToolIO) -> CheckedProgram? {
        let sources = SourceMap()
        let root: SourceFile
        do {
            root = sources.add(path: path, bytes: try FileReading.read(io.absolute(path)))
        } catch {
            io.write("error: cannot read \(path): \(error.message)\n", to: .stderr)
            return nil
        }
        let result = RuleFileChecker.check(root: root, sources: sources, loader: FileSourceLoader(baseDirectory: io.currentDirectory))
        guard let program = result.program else {
            io.write(HumanDiagnosticRenderer(useColor: io.useColor(for: .stderr)).render(result.diagnostics.errors, sources: sources), to: .stderr)
            io.write("error: \(path) does not check; run `returnrules check \(path)`\n", to: .stderr)
            return nil
        }
        return program
    }

    // MARK: - Events

    static func planDiff(_ batch: [IncomingEvent], old: CheckedProgram, new: CheckedProgram, paths: [String],
                         store: StoreSnapshot?) -> (total: Int, changes: [EventChange]) {
        let plans = [old, new].map { program -> [String: (plan: EventPlan, json: String)] in
            var session = PlanSession(planner: Planner(rules: CompiledRuleSet(program), store: store))
            var result: [String: (EventPlan, String)] = [:]
            for plan in session.plan(batch: batch) { result[plan.source.description] = (plan, normalized(plan, paths: paths)) }
            return result
        }
        var changes: [EventChange] = []
        for incoming in batch {
            let key = incoming.source.description
            guard let before = plans[0][key], let after = plans[1][key], before.json != after.json else { continue }
            changes.append(EventChange(source: key, eventID: before.plan.eventID ?? after.plan.eventID,
                                       before: steps(before.plan), after: steps(after.plan)))
        }
        return (batch.count, changes)
    }

    /// The plan's JSON without what only says where a rule is written (file, line, column).
    static func normalized(_ plan: EventPlan, paths: [String]) -> String {
        var plan = plan
        for index in plan.steps.indices {
            plan.steps[index].rule?.file = ""
            plan.steps[index].rule?.line = 0
            plan.steps[index].rule?.column = 0
        }
        var writer = JSONWriter(style: .compact)
        PlanJSONEncoder.write(plan, into: &writer)
        var text = String(decoding: writer.bytes, as: UTF8.self)
        for path in paths { text = text.replacingOccurrences(of: path, with: "<rules>") }
        return text
    }

    static func steps(_ plan: EventPlan) -> [String] {
        var lines = plan.outcome == .planned ? [] : ["(\(plan.outcome.rawValue)\(plan.reason.map { ": \($0)" } ?? ""))"]
        lines += plan.steps.map { step in "\(step.summary)\(step.rule.map { " [\($0.name)]" } ?? "")" }
        return lines.isEmpty ? ["(nothing to do)"] : lines
    }

    // MARK: - Output

    static func cellText(_ cell: [(label: String, value: String)]) -> String {
        cell.isEmpty ? "every cell" : cell.map { "\($0.label)=\($0.value)" }.joined(separator: " ")
    }

    static func human(_ domain: RuleFileDiff, events: (total: Int, changes: [EventChange])?, old: String, new: String) -> String {
        var out = "--- \(old)\n+++ \(new)\n"
        let changed = domain.changedCells
        out += "domain cells: \(changed) of \(domain.totalCells) change outcome\n"
        for change in domain.changes {
            out += "\n@ \(change.trigger): \(change.count) cell\(change.count == 1 ? "" : "s")\n"
            for cell in change.cells.prefix(8) { out += "  \(cellText(cell))\n" }
            if change.cells.count > 8 { out += "  … and \(change.cells.count - 8) more\n" }
            out += lineDiff(change.before, change.after)
        }
        if let events {
            out += "\nevents: \(events.changes.count) of \(events.total) change plan\n"
            for change in events.changes {
                out += "\n@ \(change.source)\(change.eventID.map { " (\($0))" } ?? "")\n"
                if change.before == change.after {
                    out += "  same steps; request bodies, keys or details differ\n"
                } else {
                    out += lineDiff(change.before, change.after)
                }
            }
        }
        return out
    }

    /// A unified line diff: ` ` kept, `-` before only, `+` after only (longest common subsequence).
    static func lineDiff(_ before: [String], _ after: [String]) -> String {
        let n = before.count, m = after.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = before[i] == after[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var out = ""
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, before[i] == after[j] {
                out += "  \(before[i])\n"
                i += 1
                j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                out += "- \(before[i])\n"
                i += 1
            } else {
                out += "+ \(after[j])\n"
                j += 1
            }
        }
        return out
    }

    static let formatVersion = 1

    static func json(_ domain: RuleFileDiff, events: (total: Int, changes: [EventChange])?, old: String, new: String) -> String {
        var writer = JSONWriter(style: .pretty)
        writer.beginObject()
        writer.key("diff_format_version")
        writer.int(formatVersion)
        writer.key("old")
        writer.string(old)
        writer.key("new")
        writer.string(new)
        writer.key("cells")
        writer.beginObject()
        writer.key("total")
        writer.int(domain.totalCells)
        writer.key("changed")
        writer.int(domain.changedCells)
        writer.key("changes")
        writer.beginArray()
        for change in domain.changes {
            writer.beginObject()
            writer.key("trigger")
            writer.string(change.trigger)
            writer.key("count")
            writer.int(change.count)
            writer.key("cells")
            writer.beginArray()
            for cell in change.cells {
                writer.beginObject()
                for field in cell {
                    writer.key(field.label)
                    writer.string(field.value)
                }
                writer.endObject()
            }
            writer.endArray()
            strings("before", change.before, into: &writer)
            strings("after", change.after, into: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        if let events {
            writer.key("events")
            writer.beginObject()
            writer.key("total")
            writer.int(events.total)
            writer.key("changed")
            writer.int(events.changes.count)
            writer.key("changes")
            writer.beginArray()
            for change in events.changes {
                writer.beginObject()
                writer.key("source")
                writer.string(change.source)
                writer.key("event_id")
                if let id = change.eventID { writer.string(id) } else { writer.null() }
                strings("before", change.before, into: &writer)
                strings("after", change.after, into: &writer)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self) + "\n"
    }

    static func strings(_ key: String, _ values: [String], into writer: inout JSONWriter) {
        writer.key(key)
        writer.beginArray()
        for value in values { writer.string(value) }
        writer.endArray()
    }
}
