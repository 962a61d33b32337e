import Foundation
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage
import ReturnRulesRunner

/// What the runner's commands share: opening the state directory with messages people can act
/// on, the clock, and small output helpers.
enum RunnerCommandSupport {
    /// States opened by a command stay alive until the process exits: tearing down a large
    /// state (millions of small objects) costs time and serves nothing.
    static let keepAlive = KeptStates()

    /// The kept states, behind a lock: commands run in-process (tests) may open states at once.
    final class KeptStates: @unchecked Sendable {
        private let lock = NSLock()
        private var stores: [StateStore] = []

        func append(_ store: StateStore) {
            lock.lock()
            defer { lock.unlock() }
            stores.append(store)
        }
    }

    /// Opens `--state DIR`; on failure prints the reason and returns the exit code.
    static func open(_ arguments: ParsedArguments, mode: StateStore.Mode, io: ToolIO, options: StateStore.Options = StateStore.Options(),
                     fileSystem: RunnerFileSystem = PosixFileSystem(), clock: RunnerClock? = nil) throws(UsageError) -> Opened<StateStore> {
        guard let directory = arguments.value("state") else { throw UsageError("needs --state DIR") }
        do {
            let store = try StateStore.open(directory: io.absolute(directory), mode: mode, fileSystem: fileSystem, options: options,
                                            clock: clock ?? SystemClock())
            for warning in store.warnings { io.write("warning: \(warning)\n", to: .stderr) }
            keepAlive.append(store)
            return .success(store)
        } catch {
            io.write("error: \(error.message)\n", to: .stderr)
            return .failure(exitCode(error))
        }
    }

    static func exitCode(_ error: StateError) -> ExitCode {
        switch error.kind {
        case .io: .ioError
        case .locked, .damaged, .missing: .failure
        case .unavailable: .usage
        }
    }

    /// Prints an error from the runner and picks the exit code.
    static func report(_ error: Error, io: ToolIO, state: String? = nil) -> ExitCode {
        switch error {
        case let error as FileSystemError:
            var message = "error: \(error)"
            if error.isDiskFull {
                message += "\nThe journal holds every record committed before this; nothing is half-written. Free some space and run again:"
                message += " the outbox is completed from the journal."
            } else if error.isPermission {
                message += "\nThe state directory must be writable by this user."
            }
            io.write(message + "\n", to: .stderr)
            return .ioError
        case let error as StateError:
            io.write("error: \(error.message)\n", to: .stderr)
            return exitCode(error)
        case let error as OperationError:
            io.write("error: \(error.message)\n", to: .stderr)
            return .failure
        default:
            io.write("error: \(error)\n", to: .stderr)
            return .failure
        }
    }

    /// `--now TIME` (for reproducible ages), else the clock.
    static func now(_ arguments: ParsedArguments) throws(UsageError) -> Int64 {
        guard let text = arguments.value("now") else { return SystemClock().now() }
        guard let time = Timestamp.parse(text) else { throw UsageError("--now must be an ISO 8601 date or time, not '\(text)'") }
        return time
    }

    static func duration(_ arguments: ParsedArguments, _ name: String) throws(UsageError) -> Int64? {
        guard let text = arguments.value(name) else { return nil }
        guard let value = Timestamp.duration(text) else { throw UsageError("--\(name) must be a duration like 7d, 12h, 30m, not '\(text)'") }
        return value
    }

    /// Who did it, for acknowledgements, resolutions and releases: `--by`, else $USER.
    static func actor(_ arguments: ParsedArguments, io: ToolIO) -> String? {
        arguments.value("by") ?? io.environment["USER"] ?? io.environment["LOGNAME"]
    }

    static func isJSON(_ arguments: ParsedArguments) -> Bool { arguments.value("format") == "json" }

    static func writeJSON(_ io: ToolIO, _ build: (inout JSONWriter) -> Void) {
        var writer = JSONWriter(style: .pretty, reservingCapacity: 1 << 12)
        build(&writer)
        writer.newline()
        io.write(contentsOf: writer.bytes)
    }

    static func optional(_ text: String?, _ writer: inout JSONWriter) {
        if let text { writer.string(text) } else { writer.null() }
    }

    static func money(_ minorUnits: Int64, _ code: String) -> String {
        let currency = Currency.iso4217(code) ?? Currency.eur
        return Money(minorUnits: minorUnits, currency: currency).formatted
    }

    /// `12,345`
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    static func plural(_ count: Int, _ word: String, _ pluralWord: String? = nil) -> String {
        "\(grouped(count)) \(count == 1 ? word : (pluralWord ?? word + "s"))"
    }

    /// Pads to a width for tables.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Loads the rules for commands that plan outside `run` (`holds release`, `replay`): `--rules`,
    /// else the rule file of the last run (with a warning when it changed since).
    static func rules(_ arguments: ParsedArguments, store: StateStore, io: ToolIO) throws(UsageError) -> Opened<(CompiledRuleSet, String)> {
        let path: String
        if let given = arguments.value("rules") {
            path = given
        } else if let session = store.state.session {
            path = session.rulesPath
        } else {
            throw UsageError("needs --rules FILE (no run has recorded its rule file in this state yet)")
        }
        do {
            let rules = try RuleSetLoading.load(path, io: io)
            if arguments.value("rules") == nil, let session = store.state.session, Runner.rulesDigest(rules) != session.rulesDigest {
                io.write("warning: \(path) changed since the last run (SHA-256 \(session.rulesDigest.hex.prefix(12))… then, \(Runner.rulesDigest(rules).hex.prefix(12))… now)\n", to: .stderr)
            }
            return .success((rules, path))
        } catch {
            return .failure(error.exitCode)
        }
    }

    static func store(_ arguments: ParsedArguments, state: StateStore, io: ToolIO) -> Opened<StoreSnapshot?> {
        let path = arguments.value("store") ?? (arguments.value("rules") == nil ? state.state.session?.storePath : nil)
        do {
            return .success(try RuleSetLoading.store(path, io: io))
        } catch {
            return .failure(error.exitCode)
        }
    }
}

/// A value, or the exit code of why there is none (the reason is already printed).
enum Opened<Value> {
    case success(Value)
    case failure(ExitCode)
}

/// An input the runner could not read.
struct InputError: Error, CustomStringConvertible {
    var path: String
    var message: String
    var description: String { "\(path): \(message)" }
}
