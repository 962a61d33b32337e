import Foundation
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage

/// `returnrules plan`: dry-run events against the rules and a store snapshot.
enum PlanCommand {
    static let spec = OptionSpec(
        valued: ["rules", "events", "store", "format"],
        flags: ["detailed-exitcode", "show-bodies"],
        choices: ["format": ["human", "json"]]
    )

    static let help = """
    Usage: returnrules plan --rules FILE --events PATH [--events PATH...] [--store DIR] [options]

    Plans the WooCommerce requests a set of Reveni events implies, without sending anything: per
    event, each refund, replacement order, restock, store credit, note and review item, with the
    exact REST request, its idempotency key and the rule that produced it.

    Events come from JSON files (one event or an array), JSON Lines files (.jsonl, .ndjson),
    directories of those, or `-` for JSON Lines on standard input. JSON Lines are planned as
    they arrive, in constant memory (a late event of a return is then a stale no-op); events
    given as .json files are planned in envelope-time order, then lifecycle order.

    Options:
      --rules FILE          the client's rule file (required)
      --events PATH|-       events to plan (required, repeatable)
      --store DIR           a WooCommerce snapshot (orders, refunds, products, variations as REST
                            v3 returns them); without it every request is marked unverified
      --format human|json   human (default) or the versioned JSON plan
      --show-bodies         print each request's JSON body in human output
      --detailed-exitcode   exit 0 when nothing is to be done, 2 when actions are planned

    Exit: 0 planned (or nothing to do), 1 errors (rule file, unreadable or rejected events),
    2 actions planned with --detailed-exitcode, 64 usage.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        guard let rulesPath = arguments.value("rules") else { throw UsageError("plan needs --rules FILE") }
        let eventPaths = arguments.all("events") + arguments.positional
        guard !eventPaths.isEmpty else { throw UsageError("plan needs --events PATH") }
        let rules: CompiledRuleSet
        let store: StoreSnapshot?
        do {
            rules = try RuleSetLoading.load(rulesPath, io: io)
            store = try RuleSetLoading.store(arguments.value("store"), io: io)
        } catch {
            return error.exitCode
        }
        var session = PlanSession(planner: Planner(rules: rules, store: store))
        let json = arguments.value("format") == "json"
        let renderer = PlanHumanRenderer(useColor: io.useColor(for: .stdout), showBodies: arguments.has("show-bodies"))
        var encoder = PlanJSONEncoder(pretty: false)
        if json { encoder.begin(client: rules.program.client, rulesFile: rulesPath) }
        var summary = PlanSummary()
        // JSON Lines stream in arrival order and constant memory; .json files are sorted first.
        let streaming = eventPaths.contains { $0 == "-" || $0.hasSuffix(".jsonl") || $0.hasSuffix(".ndjson") }
        let fromStandardInput = eventPaths.contains("-")
        if streaming {
            // Standard input: plan and print each event as it arrives; the summary comes last.
            let output = PlanStreamOutput(session: session, encoder: encoder, json: json, fromStandardInput: fromStandardInput,
                                          renderer: renderer, io: io)
            do {
                if PlanPipeline.isWorthwhile(paths: eventPaths, environment: io.environment) {
                    // Files: read, parse and map on a second thread while this one plans.
                    try PlanPipeline.run(planner: session.planner, paths: eventPaths.map(io.absolute), currentDirectory: io.currentDirectory) { prepared in
                        output.plan(&prepared)
                    }
                } else if !fromStandardInput {
                    // One thread, files: still in batches, whose digests are computed together.
                    try PlanPipeline.runOnThisThread(planner: session.planner, paths: eventPaths.map(io.absolute), currentDirectory: io.currentDirectory) { prepared in
                        output.plan(&prepared)
                    }
                } else {
                    for path in eventPaths {
                        try forEachEvent(path, io: io) { incoming in output.plan(incoming) }
                    }
                }
            } catch {
                // What was planned before the error is printed, as it would have been event by event.
                if json { output.encoder.drain { io.write(contentsOf: $0) } }
                io.write("error: \(error)\n", to: .stderr)
                return .ioError
            }
            summary = output.summary
            encoder = output.encoder
            // The plan state (thousands of returns, freed one allocation at a time) is left to
            // the release thread, which a short process outlives.
            BackgroundRelease.drop(consume output)
            if json {
                encoder.finish(summary: summary)
                encoder.drain { io.write(contentsOf: $0) }
            } else {
                io.write(renderer.renderSummary(summary, atEnd: true))
            }
        } else {
            var batch: [IncomingEvent] = []
            do {
                for path in eventPaths { try forEachEvent(path, io: io) { batch.append($0) } }
            } catch {
                io.write("error: \(error)\n", to: .stderr)
                return .ioError
            }
            let plans = session.plan(batch: batch)
            for plan in plans { summary.add(plan) }
            if json {
                for plan in plans { encoder.add(plan) }
                encoder.finish(summary: summary)
                io.write(contentsOf: encoder.drain())
            } else {
                io.write(renderer.renderSummary(summary, atEnd: false))
                for plan in plans { io.write(renderer.render(plan)) }
            }
        }
        if summary.rejected > 0 {
            io.write("error: \(summary.rejected) event\(summary.rejected == 1 ? "" : "s") could not be read or mapped\n", to: .stderr)
            return .failure
        }
        if arguments.has("detailed-exitcode") { return summary.hasChanges ? .warningsOrChanges : .success }
        return .success
    }

    /// Every event behind a path (a file, a directory, or `-`).
    static func forEachEvent(_ path: String, io: ToolIO, _ body: (IncomingEvent) throws -> Void) throws {
        if path == "-" {
            try EventReader.read("-", standardInput: io.standardInput, body)
            return
        }
        for file in try EventReader.files(at: io.absolute(path)) {
            let shown = file.hasPrefix(io.currentDirectory + "/") ? String(file.dropFirst(io.currentDirectory.count + 1)) : file
            try EventReader.read(file, displayPath: shown, body)
        }
    }
}
