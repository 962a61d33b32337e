import Foundation
import ReturnRulesDomain
import ReturnRulesLanguage
import ReturnRulesRunner

/// `returnrules dev`: tools for tests, the soak script and benchmarks. Not for production.
enum DevCommand {
    static let spec = OptionSpec(valued: ["returns", "events", "seed", "window", "duplicates", "new-ids", "out-of-order", "malformed",
                                          "count", "bytes", "output", "rules", "store", "state", "sync", "sample-every", "snapshot-every"],
                                 flags: ["fsync", "no-snapshots", "memory"])

    static let help = """
    Usage: returnrules dev synth [--events N] [--returns N] [--seed S] [--output FILE]
           returnrules dev fsync DIR [--count N] [--bytes 200] [--fsync]
           returnrules dev bench --rules FILE --state DIR [--events N --returns N --seed S] [--sync every|batch]
           returnrules dev replay --state DIR [--no-snapshots] [--memory]

    synth   writes a seeded stream of Reveni-shaped events as JSON Lines (default to standard
            output): several events per return through its lifecycle, redeliveries under the
            same id (--duplicates PCT, default 8), re-sends under a new id (--new-ids PCT, 4),
            out-of-order deliveries (--out-of-order PCT per return, 10), and malformed lines
            (--malformed PER-MILLE, 5). Orders are 100000 + the return's number. Once every
            return has been through its lifecycle, the rest of the stream redelivers old events.
    fsync   measures raw appends of --bytes bytes (default 200), each followed by fdatasync
            (--fsync: fsync), in a scratch file in DIR: the disk's commit rate.
    bench   runs synthetic events (generated in memory) through a runner on a fresh state
            directory and prints events/s, CPU time and resident memory every --sample-every
            events (default 100000).
    replay  times opening a state directory (snapshot + journal replay); --no-snapshots
            replays the whole journal; --memory prints the heap bytes of each part of the
            loaded state instead.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        switch arguments.positional.first {
        case "synth":
            var options = SyntheticEvents.Options()
            func int(_ name: String) throws(UsageError) -> Int? {
                guard let text = arguments.value(name) else { return nil }
                guard let value = Int(text), value >= 0 else { throw UsageError("--\(name) must be a number") }
                return value
            }
            if let value = try int("events") { options.events = value }
            if let value = try int("returns") { options.returns = max(1, value) }
            if let value = try int("seed") { options.seed = UInt64(value) }
            if let value = try int("window") { options.window = max(1, value) }
            if let value = try int("duplicates") { options.duplicatePercent = value }
            if let value = try int("new-ids") { options.newIDPercent = value }
            if let value = try int("out-of-order") { options.outOfOrderPercent = value }
            if let value = try int("malformed") { options.malformedPerMille = value }
            var handle: FileHandle?
            if let output = arguments.value("output") {
                _ = FileManager.default.createFile(atPath: io.absolute(output), contents: nil)
                handle = FileHandle(forWritingAtPath: io.absolute(output))
                guard handle != nil else {
                    io.write("error: cannot write \(output)\n", to: .stderr)
                    return .ioError
                }
            }
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20)
            func flush() {
                if let handle { handle.write(Data(buffer)) } else { io.write(contentsOf: buffer) }
                buffer.removeAll(keepingCapacity: true)
            }
            for line in SyntheticEvents(options: options) {
                buffer.append(contentsOf: line)
                buffer.append(0x0A)
                if buffer.count >= 1 << 20 { flush() }
            }
            flush()
            try? handle?.close()
            return .success
        case "fsync":
            guard arguments.positional.count == 2 else { throw UsageError("dev fsync needs a DIR") }
            let count = Int(arguments.value("count") ?? "2000") ?? 2000
            let size = Int(arguments.value("bytes") ?? "200") ?? 200
            let path = io.absolute(arguments.positional[1]) + "/.returnrules-fsync-\(getpid())"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                io.write("error: cannot create \(path): \(String(cString: strerror(errno)))\n", to: .stderr)
                return .ioError
            }
            defer {
                close(fd)
                unlink(path)
            }
            let record = [UInt8](repeating: 0x61, count: size)
            let start = Date()
            for _ in 0..<count {
                _ = record.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if arguments.has("fsync") { fsync(fd) } else { fdatasync(fd) }
            }
            let seconds = Date().timeIntervalSince(start)
            io.write(String(format: "%d appends of %d bytes + %@: %.2f s, %.0f/s\n", count, size, arguments.has("fsync") ? "fsync" : "fdatasync",
                            seconds, Double(count) / seconds))
            return .success
        case "bench":
            guard let rulesPath = arguments.value("rules"), let state = arguments.value("state") else { throw UsageError("dev bench needs --rules FILE --state DIR") }
            var options = SyntheticEvents.Options()
            options.events = Int(arguments.value("events") ?? "1000000") ?? 1_000_000
            options.returns = Int(arguments.value("returns") ?? "10000") ?? 10_000
            options.seed = UInt64(arguments.value("seed") ?? "1") ?? 1
            let rules: CompiledRuleSet
            let snapshot: StoreSnapshot?
            do {
                rules = try RuleSetLoading.load(rulesPath, io: io)
                snapshot = try RuleSetLoading.store(arguments.value("store"), io: io)
            } catch {
                return error.exitCode
            }
            var storeOptions = StateStore.Options()
            if let every = arguments.value("snapshot-every").flatMap(Int.init) { storeOptions.snapshotEvery = every }
            let sync: Runner.Sync = arguments.value("sync") == "every" ? .every : .defaultBatch
            do {
                let result = try RunnerBenchmark.throughput(lines: SyntheticEvents(options: options), rules: rules, store: snapshot,
                                                            directory: io.absolute(state), sync: sync, options: storeOptions,
                                                            sampleEvery: Int(arguments.value("sample-every") ?? "100000") ?? 100_000)
                io.write(String(format: "%d events (%d returns), %d requests, %d commits: %.2f s wall, %.2f s CPU, %.0f events/s\n",
                                result.events, options.returns, result.requests, result.commits, result.seconds, result.cpuSeconds, result.eventsPerSecond))
                for (events, bytes) in result.residentSamples { io.write("  RSS after \(events) events: \(bytes / 1_048_576) MiB\n") }
            } catch {
                return RunnerCommandSupport.report(error, io: io)
            }
            return .success
        case "replay":
            guard let state = arguments.value("state") else { throw UsageError("dev replay needs --state DIR") }
            do {
                if arguments.has("memory") {
                    let parts = try RunnerBenchmark.memoryBreakdown(directory: io.absolute(state))
                    for (part, bytes) in parts { io.write(String(format: "%10.1f MiB  ", Double(abs(bytes)) / 1_048_576) + part + "\n") }
                    io.write(String(format: "%10.1f MiB  in all\n", Double(parts.reduce(0) { $0 + max(0, $1.bytes) }) / 1_048_576))
                    return .success
                }
                let result = try RunnerBenchmark.replay(directory: io.absolute(state), ignoringSnapshots: arguments.has("no-snapshots"))
                io.write(String(format: "opened in %.3f s: %d journal records replayed", result.seconds, result.records)
                         + (result.fromSnapshot.map { " after snapshot \($0)" } ?? " (no snapshot)") + "\n")
            } catch {
                return RunnerCommandSupport.report(error, io: io)
            }
            return .success
        default:
            throw UsageError("dev needs an action: synth, fsync, bench or replay")
        }
    }
}
