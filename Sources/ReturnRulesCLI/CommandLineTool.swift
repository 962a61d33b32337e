import Foundation

/// The `returnrules` command line: parses the subcommand and runs it. Every subcommand is a
/// plain function from arguments and streams to an exit code, so tests call it directly.
public enum CommandLineTool {
    public static let version = "0.1.0"

    struct Command: Sendable {
        let name: String
        let summary: String
        let spec: OptionSpec
        let help: String
        let run: @Sendable (ParsedArguments, ToolIO) throws(UsageError) -> ExitCode
    }

    static let commands: [Command] = [
        Command(name: "check", summary: "check rule files (syntax, names, types, domain lints)", spec: CheckCommand.spec, help: CheckCommand.help, run: CheckCommand.run),
        Command(name: "diff", summary: "which domain cells and sample events two versions of a rule file decide differently", spec: DiffCommand.spec, help: DiffCommand.help, run: DiffCommand.run),
        Command(name: "explain", summary: "which rule fired for each event, and why the others did not", spec: ExplainCommand.spec, help: ExplainCommand.help, run: ExplainCommand.run),
        Command(name: "fmt", summary: "format rule files in the canonical layout", spec: FmtCommand.spec, help: FmtCommand.help, run: FmtCommand.run),
        Command(name: "test", summary: "run golden-plan tests (*.tests.json) with coverage", spec: TestCommand.spec, help: TestCommand.help, run: TestCommand.run),
        Command(name: "plan", summary: "dry-run events: the exact WooCommerce requests they imply", spec: PlanCommand.spec, help: PlanCommand.help, run: PlanCommand.run),
        Command(name: "run", summary: "the event runner: events in, requests to the outbox, exactly once", spec: RunCommand.spec, help: RunCommand.help, run: RunCommand.run),
        Command(name: "ack", summary: "mark outbox requests applied, with the WooCommerce id", spec: AckCommand.spec, help: AckCommand.help, run: AckCommand.run),
        Command(name: "holds", summary: "restock holds waiting for an inspection; release one by hand", spec: HoldsCommand.spec, help: HoldsCommand.help, run: HoldsCommand.run),
        Command(name: "review", summary: "the manual-review queue: list, show, resolve", spec: ReviewCommand.spec, help: ReviewCommand.help, run: ReviewCommand.run),
        Command(name: "state", summary: "what the runner's state holds (counts, journal)", spec: StateCommand.spec, help: StateCommand.help, run: StateCommand.run),
        Command(name: "drift", summary: "holds, refunds, acknowledgements and reviews waiting too long", spec: DriftCommand.spec, help: DriftCommand.help, run: DriftCommand.run),
        Command(name: "ledger", summary: "every refund and credit in a period, for finance (csv, json)", spec: LedgerCommand.spec, help: LedgerCommand.help, run: LedgerCommand.run),
        Command(name: "replay", summary: "run dead letters again after a rule or mapping fix", spec: ReplayCommand.spec, help: ReplayCommand.help, run: ReplayCommand.run),
        Command(name: "dev", summary: "testing tools: synthetic Reveni events, raw fsync rate", spec: DevCommand.spec, help: DevCommand.help, run: DevCommand.run),
    ]

    static var overview: String {
        var text = """
        returnrules \(version): Reveni returns → WooCommerce actions, from one rule file per client.

        Usage: returnrules <command> [options]

        Commands:

        """
        for command in commands { text += "  \(command.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(command.summary)\n" }
        text += """
          help       show help for a command: returnrules help check

        Run `returnrules help <command>` for a command's options. Exit codes and the flags shared by
        every command are in the README.

        """
        return text
    }

    /// Runs the tool; `arguments` excludes the program name.
    public static func run(_ arguments: [String], io: ToolIO) -> Int32 {
        defer { io.flush() }
        guard let first = arguments.first else {
            io.write(overview, to: .stderr)
            return ExitCode.usage.rawValue
        }
        switch first {
        case "--help", "-h", "help":
            if first == "help", arguments.count > 1 {
                guard let command = commands.first(where: { $0.name == arguments[1] }) else {
                    io.write("error: unknown command '\(arguments[1])'\n", to: .stderr)
                    return ExitCode.usage.rawValue
                }
                io.write(command.help + "\n")
                return ExitCode.success.rawValue
            }
            io.write(overview)
            return ExitCode.success.rawValue
        case "--version", "version":
            io.write("returnrules \(version)\n")
            return ExitCode.success.rawValue
        default:
            break
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            let names = commands.map(\.name)
            var message = "error: unknown command '\(first)'"
            if let close = names.min(by: { editDistance(first, $0) < editDistance(first, $1) }), editDistance(first, close) <= 2 {
                message += " (did you mean '\(close)'?)"
            }
            io.write(message + "\nRun 'returnrules --help' for the commands.\n", to: .stderr)
            return ExitCode.usage.rawValue
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            io.write(command.help + "\n")
            return ExitCode.success.rawValue
        }
        do {
            let parsed = try command.spec.parse(rest)
            return try command.run(parsed, io).rawValue
        } catch {
            io.write("error: \(error.message)\n\n\(command.help)\n", to: .stderr)
            return ExitCode.usage.rawValue
        }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
