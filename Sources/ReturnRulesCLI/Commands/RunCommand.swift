import Foundation
import Checksums
import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage
import ReturnRulesRunner

/// Set by SIGINT/SIGTERM: the runner stops after the event in hand, commits and exits.
nonisolated(unsafe) var runnerStopRequested: sig_atomic_t = 0

/// `returnrules run`: the production event runner.
enum RunCommand {
    static let spec = OptionSpec(
        valued: ["rules", "state", "store", "events", "sync", "format", "poll-ms", "exit-when-idle", "batch-records", "batch-ms",
                 "snapshot-every", "segment-mb"],
        flags: ["follow", "shadow", "no-progress", "show-bodies"],
        choices: ["sync": ["every", "batch"], "format": ["human", "json"]]
    )

    static let help = """
    Usage: returnrules run --rules FILE --state DIR --events PATH|- [--store DIR] [options]

    Plans each event with the rules against the store snapshot and the runner's state, journals
    the decision, and writes the WooCommerce requests to DIR/outbox.jsonl for an executor: every
    request exactly once, whatever is redelivered, reordered or interrupted. Acknowledge applied
    requests with `returnrules ack`: while this runner holds DIR, `ack` queues them in
    DIR/ack-inbox/ and the runner records them at its next commit, or within --poll-ms when idle.

    Events come from JSON Lines on standard input (`-`), event files, or directories of them,
    planned in the order they arrive. A redelivered event (same id, or the same content under a
    new id) or a stale one changes nothing and is recorded as such. Input that cannot be read or
    mapped goes to DIR/dead-letters.jsonl and the run goes on.

    Options:
      --rules FILE          the client's rule file (required)
      --state DIR           the state directory (created if needed; one runner at a time)
      --events PATH|-       events: `-` (JSON Lines on stdin), a file, or a directory (repeatable)
      --store DIR           a WooCommerce snapshot; without it requests are marked unverified
      --follow              watch the --events directory: each new file is processed once, then
                            moved to DIR/spool-done/ (write files under a temporary name and
                            rename them into the directory). Stops on SIGINT or SIGTERM.
      --shadow              plan and print, against the current state, but write nothing
      --sync every|batch    one fdatasync per event, or per group of events (default: batch)
      --format human|json   the summary at the end (with --shadow: the plans too)
      --exit-when-idle S    with --follow: stop after S seconds without new files
      --poll-ms N           with --follow: look for new files every N ms; when the input is
                            idle, take queued acknowledgements this often (default 500)
      --no-progress         no progress line on a terminal
    Tuning (rarely needed):
      --batch-records N --batch-ms N   group-commit limits (default 4096 records, 20 ms)
      --snapshot-every N               records between snapshots (default 100000)
      --segment-mb N                   journal segment size (default 64)

    Exit: 0 done (dead letters are counted in the summary), 1 damaged or locked state, bad
    rules, 64 usage, 74 the state directory cannot be written (permissions, disk full).
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        guard let rulesPath = arguments.value("rules") else { throw UsageError("run needs --rules FILE") }
        guard arguments.value("state") != nil else { throw UsageError("run needs --state DIR") }
        let eventPaths = arguments.all("events") + arguments.positional
        guard !eventPaths.isEmpty else { throw UsageError("run needs --events PATH (or - for standard input)") }
        RunAllocatorTuning.apply()
        let follow = arguments.has("follow")
        let shadow = arguments.has("shadow")
        if follow {
            guard eventPaths.count == 1, eventPaths[0] != "-" else { throw UsageError("--follow watches one directory: --events DIR") }
            guard FileManager.default.fileExists(atPath: io.absolute(eventPaths[0])) else { throw UsageError("no such directory: \(eventPaths[0])") }
        }
        var sync = Runner.Sync.defaultBatch
        if arguments.value("sync") == "every" {
            sync = .every
        } else if case .batch(var records, let bytes, var milliseconds) = sync {
            if let text = arguments.value("batch-records") {
                guard let value = Int(text), value > 0 else { throw UsageError("--batch-records must be a positive number") }
                records = value
            }
            if let text = arguments.value("batch-ms") {
                guard let value = Int(text), value >= 0 else { throw UsageError("--batch-ms must be a number of milliseconds") }
                milliseconds = value
            }
            sync = .batch(records: records, bytes: bytes, milliseconds: milliseconds)
        }
        var options = StateStore.Options()
        if let text = arguments.value("snapshot-every") {
            guard let value = Int(text), value > 0 else { throw UsageError("--snapshot-every must be a positive number") }
            options.snapshotEvery = value
            options.snapshotOnCloseAfter = min(options.snapshotOnCloseAfter, value)
        }
        if let text = arguments.value("segment-mb") {
            guard let value = Int(text), value > 0 else { throw UsageError("--segment-mb must be a positive number") }
            options.segmentBytes = value << 20
        }
        // For measurements: RETURNRULES_RUN_THREADS=1 keeps the work of an event on one thread
        // (the commit thread still writes), RETURNRULES_RENDER_LINES=here renders its lines there.
        if io.environment["RETURNRULES_RUN_THREADS"] == "1" || io.environment["RETURNRULES_RENDER_LINES"] == "here" {
            options.rendersLinesOnCommitThread = false
        }
        let pollMS = Int(arguments.value("poll-ms") ?? "500") ?? 500
        let idleExit = arguments.value("exit-when-idle").flatMap(Double.init)

        let rules: CompiledRuleSet
        let snapshot: StoreSnapshot?
        do {
            rules = try RuleSetLoading.load(rulesPath, io: io)
            snapshot = try RuleSetLoading.store(arguments.value("store"), io: io)
        } catch {
            return error.exitCode
        }
        let faults = TestFaults(io: io)
        let store: StateStore
        switch try RunnerCommandSupport.open(arguments, mode: shadow ? .shadow : .readWrite, io: io, options: options, fileSystem: faults.fileSystem) {
        case .failure(let code): return code
        case .success(let opened): store = opened
        }
        let runner = Runner(store: store, planner: Planner(rules: rules, store: snapshot), rulesDigest: Runner.rulesDigest(rules), sync: sync)
        let json = RunnerCommandSupport.isJSON(arguments)
        let renderer = PlanHumanRenderer(useColor: io.useColor(for: .stdout), showBodies: arguments.has("show-bodies"))
        var planEncoder = PlanJSONEncoder(pretty: false)
        var planSummary = PlanSummary()
        if shadow, json { planEncoder.begin(client: rules.program.client, rulesFile: rulesPath) }
        let visit: (EventPlan) -> Void = { plan in
            guard shadow else { return }
            planSummary.add(plan)
            if json {
                planEncoder.add(plan)
                io.write(contentsOf: planEncoder.drain())
            } else {
                io.write(renderer.render(plan))
            }
        }
        let progress = Progress(io: io, enabled: io.stderrIsTerminal && !arguments.has("no-progress"))
        runner.onProgress = { progress.update($0) }
        runner.onWarning = { message in
            progress.clear()
            io.write("warning: \(message)\n", to: .stderr)
        }
        installStopHandlers()
        do {
            if !shadow {
                try runner.startSession(rulesPath: io.absolute(rulesPath), storePath: arguments.value("store").map(io.absolute),
                                        version: CommandLineTool.version, pid: Int(getpid()))
            }
            if follow {
                try followSpool(io.absolute(eventPaths[0]), runner: runner, io: io, pollMS: pollMS, idleExit: idleExit, visit: visit)
            } else {
                for path in eventPaths {
                    if runnerStopRequested != 0 { break }
                    try feed(path, runner: runner, io: io, pollMS: pollMS, visit: visit)
                }
            }
            try runner.finish()
        } catch {
            progress.clear()
            faults.finish()
            return RunnerCommandSupport.report(error, io: io)
        }
        progress.clear()
        faults.finish()
        for warning in store.warnings.dropFirst(0) where warning.hasPrefix("snapshot not written") { io.write("warning: \(warning)\n", to: .stderr) }
        if shadow {
            if json {
                planEncoder.finish(summary: planSummary)
                io.write(contentsOf: planEncoder.drain())
            } else {
                io.write(renderer.renderSummary(planSummary, atEnd: true))
            }
            io.write("shadow run: nothing was written to \(store.directory)\n", to: .stderr)
            return .success
        }
        if json {
            RunnerCommandSupport.writeJSON(io) { writeSummary(runner.summary, store: store, into: &$0) }
        } else {
            io.write(humanSummary(runner.summary, store: store, io: io))
        }
        if runner.summary.deadLetters > 0 {
            io.write("warning: \(RunnerCommandSupport.plural(runner.summary.deadLetters, "event")) could not be read or mapped: see \(store.path.deadLetters), then `returnrules replay`\n", to: .stderr)
        }
        return .success
    }

    // MARK: - Input

    static func feed(_ path: String, runner: Runner, io: ToolIO, pollMS: Int, visit: (EventPlan) -> Void) throws {
        if path == "-" {
            try feedLines(fd: 0, display: "<stdin>", runner: runner, idlePollMS: pollMS, visit: visit)
            return
        }
        for file in try EventReader.files(at: io.absolute(path)) {
            if runnerStopRequested != 0 { return }
            let shown = file.hasPrefix(io.currentDirectory + "/") ? String(file.dropFirst(io.currentDirectory.count + 1)) : file
            try feedFile(file, shown: shown, runner: runner, visit: visit)
        }
    }

    /// One event file: JSON Lines through our own descriptor (kept open for the whole read),
    /// JSON (one event or an array) through the event reader.
    static func feedFile(_ file: String, shown: String, runner: Runner, visit: (EventPlan) -> Void) throws {
        if file.hasSuffix(".jsonl") || file.hasSuffix(".ndjson") {
            let fd = Glibc.open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw InputError(path: shown, message: "cannot open for reading: \(String(cString: strerror(errno)))") }
            defer { Glibc.close(fd) }
            if isRegularFile(fd), PreparingReader.isWorthwhile(environment: ProcessInfo.processInfo.environment) {
                try feedPrepared(fd: fd, display: shown, runner: runner, visit: visit)
            } else {
                try feedLines(fd: fd, display: shown, runner: runner, idlePollMS: nil, visit: visit)
            }
        } else {
            try EventReader.read(file, displayPath: shown) { incoming in
                if runnerStopRequested != 0 { return }
                visit(try runner.process(incoming))
            }
        }
    }

    /// JSON Lines from a regular file, read, parsed and mapped on a second thread while this
    /// one plans and journals (`PreparingReader`): the same records and lines as `feedLines`.
    static func feedPrepared(fd: Int32, display: String, runner: Runner, visit: (EventPlan) -> Void) throws {
        do {
            try PreparingReader.forEach(source: display, planner: runner.planner, makeLines: { JSONLineReader(fileDescriptor: fd, blockSize: 1 << 20) }) { prepared in
                if runnerStopRequested != 0 { return false }
                visit(try runner.process(prepared))
                return true
            }
        } catch let error as JSONLineReader.ReadError {
            throw InputError(path: display, message: "read failed: \(String(cString: strerror(error.code)))")
        }
    }

    static func isRegularFile(_ fd: Int32) -> Bool {
        var info = stat()
        return fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// JSON Lines from a descriptor. On a pipe (`idlePollMS` set), pending records are committed
    /// before a read that would block, so a slow producer never waits for a group to fill, and
    /// while nothing comes queued acknowledgements are taken every `idlePollMS`.
    static func feedLines(fd: Int32, display: String, runner: Runner, idlePollMS: Int?, visit: (EventPlan) -> Void) throws {
        var reader = JSONLineReader(blockSize: 1 << 20) { buffer in
            while true {
                if runnerStopRequested != 0 { return 0 }
                if let idlePollMS {
                    var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    if poll(&descriptor, 1, 0) == 0 {
                        try runner.flush()
                        // Ready, at the end, or a signal (-1) ends the wait; a timeout is a tick.
                        while runnerStopRequested == 0, poll(&descriptor, 1, Int32(max(10, idlePollMS))) == 0 { try runner.takeQueuedAcks() }
                        if runnerStopRequested != 0 { return 0 }
                    }
                }
                let got = read(fd, buffer.baseAddress, buffer.count)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw InputError(path: display, message: "read failed: \(String(cString: strerror(errno)))")
                }
                return got
            }
        }
        while let line = try reader.next() {
            if runnerStopRequested != 0 { return }
            visit(try runner.process(EventReader.parse(line.bytes, source: EventSource(file: display, line: line.number))))
        }
    }

    /// Watches a spool directory until stopped (or idle for `idleExit` seconds).
    static func followSpool(_ spool: String, runner: Runner, io: ToolIO, pollMS: Int, idleExit: Double?, visit: (EventPlan) -> Void) throws {
        let store = runner.store
        let done = store.path.spoolDone
        try store.fs.makeDirectory(done)
        var idleSince = Date()
        while runnerStopRequested == 0 {
            var worked = false
            let names = try store.fs.list(spool).filter { !$0.hasPrefix(".") && EventReader.isEventFile($0) }.sorted()
            for name in names {
                if runnerStopRequested != 0 { break }
                let path = PathText.join(spool, name)
                guard !store.fs.isDirectory(path), let bytes = try? store.fs.readAll(path) else { continue }
                let digest = SHA256.hash(bytes)
                if store.state.consumedSpool[name] == digest { continue }
                try feedFile(path, shown: name, runner: runner, visit: visit)
                if runnerStopRequested != 0 { break }
                try runner.flush()
                var target = PathText.join(done, name)
                if store.fs.size(target) != nil { target += ".\(store.state.lastSequence)" }
                do {
                    try store.fs.rename(path, to: target)
                } catch {
                    // Another file system, or no right to move it: remember it as consumed.
                    try store.append(.spoolConsumed(SpoolEntry(name: name, digest: digest)))
                    try runner.flush()
                }
                worked = true
            }
            if worked {
                idleSince = Date()
                continue
            }
            if let idleExit, Date().timeIntervalSince(idleSince) >= idleExit { break }
            try runner.takeQueuedAcks()
            usleep(useconds_t(max(10, pollMS) * 1000))
        }
    }

    static func installStopHandlers() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in runnerStopRequested = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0 // no SA_RESTART: a blocking read returns, and the runner stops
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        // A parent may have started us with them blocked (the mask is inherited): unblock them.
        var stops = sigset_t()
        sigemptyset(&stops)
        sigaddset(&stops, SIGINT)
        sigaddset(&stops, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &stops, nil)
    }

    // MARK: - Output

    static func humanSummary(_ s: RunSummary, store: StateStore, io: ToolIO) -> String {
        let g = RunnerCommandSupport.grouped
        let p: (Int, String) -> String = { RunnerCommandSupport.plural($0, $1) }
        var parts = [p(s.events, "event"), "\(g(s.planned)) planned", p(s.duplicates, "duplicate"), "\(g(s.stale)) stale", p(s.deadLetters, "dead letter")]
        if s.repeatedDeadLetters > 0 { parts.append("\(g(s.repeatedDeadLetters)) already dead-lettered") }
        var out = "Run: " + parts.joined(separator: " · ") + "\n"
        let kinds = s.requests.sorted { $0.key < $1.key }.map { "\(g($0.value)) \($0.key)" }
        out += "  requests: \(g(s.requestCount))" + (kinds.isEmpty ? "" : " (\(kinds.joined(separator: " · ")))") + "\n"
        if !s.refundTotals.isEmpty {
            out += "  refunds: " + s.refundTotals.sorted { $0.key < $1.key }.map { "\($0.key) \(RunnerCommandSupport.money($0.value, $0.key))" }.joined(separator: " + ") + "\n"
        }
        out += "  review items: \(g(s.reviewItems)) · restock holds: \(g(s.holdsOpened))"
        if s.suppressed > 0 { out += " · \(g(s.suppressed)) already in the outbox" }
        out += "\n"
        if s.acksRecorded + s.acksRepeated + s.acksRejected > 0 {
            out += "  queued acknowledgements: \(g(s.acksRecorded)) recorded"
            if s.acksRepeated > 0 { out += " · \(g(s.acksRepeated)) already recorded" }
            if s.acksRejected > 0 { out += " · \(g(s.acksRejected)) not recorded (kept in \(AckInbox.directory(of: store.directory)))" }
            out += "\n"
        }
        out += "  outbox: \(store.path.outbox) (\(g(store.state.outbox.count)) requests in all)\n"
        if s.deadLetters > 0 { out += "  dead letters: \(store.path.deadLetters)\n" }
        let seconds = Double(s.elapsedMilliseconds) / 1000
        out += "  \(String(format: "%.2f", seconds)) s · \(g(Int(s.eventsPerSecond))) events/s · \(p(s.commits, "commit"))\n"
        return out
    }

    static func writeSummary(_ s: RunSummary, store: StateStore, into w: inout JSONWriter) {
        w.beginObject()
        w.key("run_format_version")
        w.int(1)
        for (key, value) in [("events", s.events), ("planned", s.planned), ("duplicates", s.duplicates), ("stale", s.stale),
                             ("dead_letters", s.deadLetters), ("repeated_dead_letters", s.repeatedDeadLetters), ("requests", s.requestCount),
                             ("review_items", s.reviewItems), ("holds_opened", s.holdsOpened), ("suppressed", s.suppressed),
                             ("replayed", s.replayed), ("commits", s.commits), ("acks_recorded", s.acksRecorded),
                             ("acks_repeated", s.acksRepeated), ("acks_rejected", s.acksRejected)] {
            w.key(key)
            w.int(value)
        }
        w.key("requests_by_kind")
        w.beginObject()
        for (kind, count) in s.requests.sorted(by: { $0.key < $1.key }) {
            w.key(kind)
            w.int(count)
        }
        w.endObject()
        w.key("steps_by_kind")
        w.beginObject()
        for (kind, count) in s.steps.sorted(by: { $0.key < $1.key }) {
            w.key(kind)
            w.int(count)
        }
        w.endObject()
        w.key("refund_totals")
        w.beginObject()
        for (code, total) in s.refundTotals.sorted(by: { $0.key < $1.key }) {
            w.key(code)
            w.string(RunnerCommandSupport.money(total, code))
        }
        w.endObject()
        w.key("elapsed_ms")
        w.int(s.elapsedMilliseconds)
        w.key("state")
        w.beginObject()
        w.key("directory")
        w.string(store.directory)
        w.key("last_sequence")
        w.uint(store.state.lastSequence)
        w.key("outbox_requests")
        w.int(store.state.outbox.count)
        w.endObject()
        w.key("warnings")
        w.beginArray()
        for warning in store.warnings { w.string(warning) }
        w.endArray()
        w.endObject()
    }
}

/// The progress line on a terminal: at most four updates a second.
final class Progress {
    let io: ToolIO
    let enabled: Bool
    var last = Date.distantPast
    var shown = false

    init(io: ToolIO, enabled: Bool) {
        self.io = io
        self.enabled = enabled
    }

    func update(_ s: RunSummary) {
        guard enabled, Date().timeIntervalSince(last) >= 0.25 else { return }
        last = Date()
        shown = true
        let g = RunnerCommandSupport.grouped
        io.write("\r\u{1B}[K\(g(s.events)) events · \(g(Int(s.eventsPerSecond)))/s · \(g(s.requestCount)) requests · \(g(s.reviewItems)) reviews · \(g(s.deadLetters)) dead letters",
                 to: .stderr)
    }

    func clear() {
        if shown { io.write("\r\u{1B}[K", to: .stderr) }
    }
}

/// Fault injection for the crash tests (never set in production):
///
///     RETURNRULES_FAULT_CRASH_AT=N        SIGKILL at the N-th write-side file operation
///     RETURNRULES_FAULT_PARTIAL=0.5       …after writing this fraction of an append
///     RETURNRULES_FAULT_DISK_FULL_AFTER=N appends fail with ENOSPC after N bytes
///     RETURNRULES_FAULT_COUNT_FILE=PATH   write the number of operations there at the end
struct TestFaults {
    let fileSystem: RunnerFileSystem
    let injector: FaultInjectingFileSystem?
    let countFile: String?

    init(io: ToolIO) {
        let env = io.environment
        countFile = env["RETURNRULES_FAULT_COUNT_FILE"]
        guard env["RETURNRULES_FAULT_CRASH_AT"] != nil || env["RETURNRULES_FAULT_DISK_FULL_AFTER"] != nil || countFile != nil else {
            fileSystem = PosixFileSystem()
            injector = nil
            return
        }
        let injector = FaultInjectingFileSystem()
        injector.crashAtOperation = env["RETURNRULES_FAULT_CRASH_AT"].flatMap { Int($0) }
        injector.crashPartialFraction = env["RETURNRULES_FAULT_PARTIAL"].flatMap { Double($0) } ?? 0
        injector.diskFullAfterBytes = env["RETURNRULES_FAULT_DISK_FULL_AFTER"].flatMap { Int($0) }
        self.injector = injector
        fileSystem = injector
    }

    func finish() {
        guard let countFile, let injector else { return }
        try? "\(injector.operations)\n".write(toFile: countFile, atomically: true, encoding: .utf8)
    }
}
