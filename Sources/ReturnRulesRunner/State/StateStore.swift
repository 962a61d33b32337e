#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Checksums
import ReturnRulesDomain

/// Why the state directory cannot be used. The message names the file and what to do.
public struct StateError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// Another process holds the lock.
        case locked
        /// A file could not be read or written (permissions, a full disk).
        case io
        /// The journal or a snapshot is damaged in a way that cannot be repaired safely.
        case damaged
        /// There is no state in the directory (read-only commands).
        case missing
        /// What was asked cannot be done with this directory as it is (a full journal replay
        /// once the early segments were compacted into a snapshot): a precondition, not damage.
        case unavailable
    }

    public var kind: Kind
    public var message: String
    /// For `.locked`: what the lock holder wrote into the lock file (`pid … on host, since …`).
    public var holder: String?

    public init(_ kind: Kind, _ message: String, holder: String? = nil) {
        self.kind = kind
        self.message = message
        self.holder = holder
    }

    public var description: String { message }
}

/// The state directory: one append-only journal, snapshots, and the projections derived from
/// them (outbox, decision log, dead letters).
///
///     DIR/lock                   flock: one writer at a time (holds "pid … on host since …")
///     DIR/journal/<seq>.rrj      the write-ahead journal, segment files
///     DIR/snapshots/<seq>.rrs    the whole derived state after record <seq>
///     DIR/outbox.jsonl           requests for the executor            (projection)
///     DIR/decisions.jsonl        the decision log, one line per event (projection)
///     DIR/dead-letters.jsonl     input that could not be read/mapped  (projection)
///     DIR/spool-done/            spool files already processed (run --follow)
///     DIR/ack-inbox/             acknowledgements queued while the lock was held (`AckInbox`)
///
/// Projections are written only after the records they come from are durable, and are
/// completed from the journal when a crash left them short: their content is always a prefix
/// of what the journal says, and always ends up equal to it.
public final class StateStore {
    public enum Mode: Sendable {
        /// Locks the directory, repairs a torn journal tail and short projections, appends.
        case readWrite
        /// Reads what is committed; changes nothing, takes no lock (a runner may be writing).
        case readOnly
        /// Loads the state if there is one, then keeps every change in memory only (`run --shadow`).
        case shadow
    }

    public struct Options: Sendable {
        /// A new journal segment starts once the current one is this large.
        public var segmentBytes = 64 << 20
        /// A snapshot is written after this many records.
        public var snapshotEvery = 100_000
        /// On close, a snapshot is written if at least this many records came since the last one.
        public var snapshotOnCloseAfter = 10_000
        /// Snapshots kept; journal segments older than the oldest kept one are deleted.
        public var keepSnapshots = 2
        /// Delete journal segments covered by the kept snapshots.
        public var compact = true
        /// Projection lines of committed records are written once this many bytes are waiting,
        /// or this long after the last write (and always on `flushProjections()`, before a
        /// snapshot and on close): with one commit per event, not three more writes per event.
        public var projectionFlushBytes = 256 << 10
        public var projectionFlushMilliseconds: Int64 = 50
        /// Render events' outbox and decision lines on the commit thread (off the planning
        /// thread); false renders them where they are planned (to measure one against the other).
        public var rendersLinesOnCommitThread = true

        public init() {}
    }

    public static let outboxFile = "outbox.jsonl"
    public static let decisionsFile = "decisions.jsonl"
    public static let deadLettersFile = "dead-letters.jsonl"
    public static let journalDirectory = "journal"
    public static let snapshotDirectory = "snapshots"
    public static let spoolDoneDirectory = "spool-done"
    public static let lockFile = "lock"

    public let directory: String
    public let mode: Mode
    public let fs: RunnerFileSystem
    public let options: Options
    public let clock: RunnerClock
    public internal(set) var state: RunnerState
    /// Things found and fixed (or ignored) while opening: a cut-off journal tail, a completed outbox.
    public private(set) var warnings: [String] = []
    /// Records replayed from the journal at open (after the snapshot).
    public private(set) var replayedRecords = 0
    public private(set) var loadedSnapshot: UInt64?
    /// Queued acknowledgements recorded when the directory was opened for writing.
    public private(set) var ackInboxAtOpen = AckInbox.Report()

    var journal: Journal?
    var lock: FileLock?
    var projections: [ProjectionWriter] = []
    var outbox: ProjectionWriter? { projections.first }
    var lastSnapshotSequence: UInt64 = 0
    /// The size of the last snapshot written (what the next one reserves).
    /// The snapshot being written in the background, if any (one at a time).
    var snapshotJob: SnapshotJob?
    /// Records applied before their lines were rendered, oldest first from `awaitingHead`
    /// (their lengths come back from the commit thread, in order).
    var awaitingLines: [AwaitingLines] = []
    var awaitingHead = 0
    /// Renders lines on this thread when there is no journal (`--shadow`).
    var localRenderer = RecordRenderer()
    var failed: Error?
    var ignoreSnapshots = false
    var lastProjectionFlush: Int64 = 0

    public var path: (journal: String, snapshots: String, outbox: String, decisions: String, deadLetters: String, spoolDone: String) {
        (PathText.join(directory, StateStore.journalDirectory), PathText.join(directory, StateStore.snapshotDirectory),
         PathText.join(directory, StateStore.outboxFile), PathText.join(directory, StateStore.decisionsFile),
         PathText.join(directory, StateStore.deadLettersFile), PathText.join(directory, StateStore.spoolDoneDirectory))
    }

    private init(directory: String, mode: Mode, fs: RunnerFileSystem, options: Options, clock: RunnerClock) {
        self.directory = directory
        self.mode = mode
        self.fs = fs
        self.options = options
        self.clock = clock
        state = RunnerState()
    }

    /// Opens a state directory (creating it in read-write mode).
    ///
    /// - Parameter ignoreSnapshots: replay the whole journal (read-only; for measurements and checks).
    public static func open(directory: String, mode: Mode, fileSystem: RunnerFileSystem = PosixFileSystem(),
                            options: Options = Options(), clock: RunnerClock = SystemClock(), ignoreSnapshots: Bool = false) throws(StateError) -> StateStore {
        let store = StateStore(directory: directory, mode: mode, fs: fileSystem, options: options, clock: clock)
        store.ignoreSnapshots = ignoreSnapshots && mode == .readOnly
        switch mode {
        case .readWrite:
            try store.openForWriting()
        case .readOnly, .shadow:
            guard fileSystem.isDirectory(directory) else {
                if mode == .shadow { return store }
                throw StateError(.missing, "\(directory) holds no runner state (no such directory); run `returnrules run --state \(directory)` first")
            }
            // A runner may compact while we read: try again when a file vanished under us.
            var attempt = 0
            while true {
                do {
                    try store.load(repair: false)
                    break
                } catch let error where attempt < 3 && error.kind == .io {
                    attempt += 1
                    store.state = RunnerState()
                    store.warnings = []
                }
            }
        }
        return store
    }

    private func openForWriting() throws(StateError) {
        do {
            try fs.makeDirectory(directory)
        } catch {
            throw StateError(.io, "cannot create the state directory \(directory): \(error.reason)")
        }
        do {
            lock = try fs.lock(PathText.join(directory, StateStore.lockFile), owner: StateStore.ownerText(clock: clock))
        } catch {
            if let underlying = error.underlying {
                throw StateError(.io, "the state directory \(directory) is not writable: \(underlying.reason) (\(underlying.path))")
            }
            throw StateError(.locked, "the state directory \(directory) is in use by another returnrules process"
                             + (error.holder.map { " (\($0))" } ?? "") + "; wait for it to finish, or stop it, before starting another",
                             holder: error.holder)
        }
        do {
            try fs.makeDirectory(path.journal)
            try fs.makeDirectory(path.snapshots)
        } catch {
            lock?.release()
            throw StateError(.io, "the state directory \(directory) is not writable: \(error.reason) (\(error.path))")
        }
        do {
            try load(repair: true)
            try takeInboxAtOpen()
        } catch {
            lock?.release()
            lock = nil
            throw error
        }
    }

    /// Acknowledgements queued while another process held the lock are recorded by whoever
    /// opens the directory next.
    private func takeInboxAtOpen() throws(StateError) {
        do {
            ackInboxAtOpen = try takeQueuedAcks()
        } catch let error as FileSystemError {
            throw StateError(.io, "cannot take the queued acknowledgements in \(AckInbox.directory(of: directory)): \(error)")
        } catch {
            throw StateError(.io, "cannot take the queued acknowledgements in \(AckInbox.directory(of: directory)): \(error)")
        }
        for rejection in ackInboxAtOpen.rejected { warnings.append("acknowledgement not recorded: \(rejection) (its file is kept as .rejected)") }
    }

    static func ownerText(clock: RunnerClock) -> String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "pid \(getpid()) on \(name), since \(Timestamp.iso(clock.now()))"
    }

    // MARK: - Loading

    func load(repair: Bool) throws(StateError) {
        // 1. The newest snapshot that reads back whole.
        var snapshotSequence: UInt64 = 0
        if !ignoreSnapshots, fs.isDirectory(path.snapshots) {
            let names: [String]
            do { names = try fs.list(path.snapshots) } catch { throw StateError(.io, error.description) }
            let candidates = names.compactMap { name in SnapshotCodec.sequence(ofFile: name).map { ($0, name) } }.sorted { $0.0 > $1.0 }
            for (sequence, name) in candidates {
                let file = PathText.join(path.snapshots, name)
                do {
                    let bytes = try fs.readImmutable(file)
                    state = try bytes.withBytes { raw throws(DecodeError) in try SnapshotCodec.decode(raw) }
                    snapshotSequence = sequence
                    loadedSnapshot = sequence
                    break
                } catch let error as DecodeError {
                    warnings.append("snapshot \(name) is unusable (\(error.message)): using an older one or the journal")
                } catch let error as FileSystemError {
                    if error.isMissing { throw StateError(.io, error.description) }
                    warnings.append("snapshot \(name) cannot be read (\(error.reason)): using an older one or the journal")
                } catch {
                    warnings.append("snapshot \(name) is unusable: \(error)")
                }
            }
        }
        lastSnapshotSequence = snapshotSequence
        if ignoreSnapshots { try checkFullJournal() }
        // 2. What the projection files hold now, to complete them from the journal.
        let projectionPaths = [path.outbox, path.decisions, path.deadLetters]
        let sizes = projectionPaths.map { Int64(fs.size($0) ?? 0) }
        var repairs = [ProjectionRepair](repeating: ProjectionRepair(), count: 3)
        if repair {
            let expected = [state.outboxBytes, state.decisionBytes, state.deadLetterBytes]
            for index in 0..<3 where sizes[index] < expected[index] {
                throw StateError(.damaged, "\(projectionPaths[index]) has \(sizes[index]) bytes, but snapshot \(snapshotSequence) says \(expected[index]) were written and synced: "
                                 + "the file was truncated or replaced outside returnrules; run `returnrules state --state \(directory) --rebuild` to rebuild it from the journal")
            }
        }
        // 3. Replay the journal after the snapshot.
        let outcome: JournalScan.Outcome
        do {
            var state = self.state
            var replayed = 0
            outcome = try JournalScan.scan(fs: fs, directory: path.journal, after: snapshotSequence, repair: repair) { payload in
                let record = try JournalCodec.decode(payload, lines: false)
                if repair {
                    let before = [state.outboxBytes, state.decisionBytes, state.deadLetterBytes]
                    let lengths = ProjectionLines.lengths(record.entry)
                    if (0..<3).contains(where: { before[$0] + lengths[$0] > sizes[$0] }) {
                        // A projection misses (part of) this record's lines: take them from the journal.
                        let lines = ProjectionLines.of(try JournalCodec.decode(payload, lines: true).entry)
                        for index in 0..<3 { repairs[index].consider(lines[index], at: before[index], fileSize: sizes[index]) }
                    }
                }
                state.apply(record)
                replayed += 1
            }
            self.state = state
            replayedRecords = replayed
        } catch let damage as JournalScan.Damage {
            throw StateError(.damaged, "\(damage.description). Nothing was changed. Restore the state directory from a backup, "
                             + "or move the damaged segment away and replay the events again.")
        } catch let error as DecodeError {
            throw StateError(.damaged, "a journal record with a valid checksum cannot be decoded (\(error.message)): written by a newer returnrules?")
        } catch let error as FileSystemError {
            throw StateError(.io, error.description)
        } catch {
            throw StateError(.io, "\(error)")
        }
        warnings += outcome.warnings
        if outcome.lastSequence < snapshotSequence {
            throw StateError(.damaged, "the journal ends at record \(outcome.lastSequence) but snapshot \(snapshotSequence) is newer: journal segments are missing from \(path.journal)")
        }
        guard mode == .readWrite else { return }
        // 4. Complete (or cut back) the projections.
        let expected = [state.outboxBytes, state.decisionBytes, state.deadLetterBytes]
        do {
            for index in 0..<3 {
                let name = PathText.name(projectionPaths[index])
                if sizes[index] > expected[index] {
                    warnings.append("\(name) had \(sizes[index] - expected[index]) bytes the journal does not account for: cut off")
                    try fs.truncate(projectionPaths[index], to: Int(expected[index]))
                }
                if let from = repairs[index].from {
                    warnings.append("\(name) was missing \(repairs[index].lines) line\(repairs[index].lines == 1 ? "" : "s") (a crash before they were written): completed from the journal")
                    if fs.size(projectionPaths[index]) != nil { try fs.truncate(projectionPaths[index], to: Int(from)) }
                }
                let writer = ProjectionWriter(file: try fs.openAppend(projectionPaths[index]))
                if !repairs[index].bytes.isEmpty {
                    writer.add(repairs[index].bytes)
                    try writer.flush()
                    try writer.sync()
                }
                guard Int64(writer.file.size) == expected[index] else {
                    throw StateError(.damaged, "\(name) has \(writer.file.size) bytes after repair, the journal says \(expected[index])")
                }
                projections.append(writer)
            }
            journal = try Journal(fs: fs, directory: path.journal, scan: outcome, segmentLimit: options.segmentBytes)
            journal?.projectionFiles = projections.map(\.file)
            journal?.projectionFlushBytes = options.projectionFlushBytes
        } catch let error as StateError {
            throw error
        } catch let error as FileSystemError {
            throw StateError(.io, "cannot write the state directory: \(error)")
        } catch {
            throw StateError(.io, "\(error)")
        }
    }

    /// A full replay needs every segment from record 1; after a snapshot the runner removes
    /// the segments it covers (compaction), which is expected, not damage.
    private func checkFullJournal() throws(StateError) {
        let segments: [Journal.Segment]
        do { segments = try JournalScan.listSegments(fs: fs, directory: path.journal) } catch { throw StateError(.io, error.description) }
        guard let first = segments.first, first.firstSequence > 1 else { return }
        throw StateError(.unavailable, "the journal segments before record \(first.firstSequence) were compacted into a snapshot, "
                         + "so a full replay of the journal (--no-snapshots) is not possible for \(directory). "
                         + "Open it from its snapshot instead (without --no-snapshots); to keep every segment, run with a large "
                         + "--snapshot-every (for example `returnrules run --snapshot-every 1000000000`).")
    }

    // MARK: - Writing

    /// The header the next record gets.
    public func nextHeader() -> RecordHeader {
        guard let journal else {
            return RecordHeader(sequence: state.lastSequence + 1, batchStart: state.lastSequence + 1, time: clock.now())
        }
        return RecordHeader(sequence: journal.nextSequence, batchStart: journal.batchStart, time: clock.now())
    }

    /// Adds a record: queued in the pending write group (the commit thread encodes it) and
    /// applied to the state. It is durable after the next `commit()`.
    ///
    /// - Parameter plannerApplied: the record's state changes are already applied to
    ///   `state.planner` (the runner planned in place); only the runner's own state is updated.
    @discardableResult
    public func append(_ entry: JournalEntry, header: RecordHeader? = nil, plannerApplied: Bool = false) throws -> RecordHeader {
        if let failed { throw failed }
        if let journal {
            // Lines sit in their files in record order: those still rendering come first.
            if hasAwaitingLines, ProjectionLines.hasLines(entry) {
                try settleAllLines()
            }
            let header = header ?? nextHeader()
            precondition(header.sequence == journal.nextSequence, "records are appended in order")
            journal.add(.ready(header, entry))
            state.apply(entry, header: header, plannerApplied: plannerApplied)
            return header
        }
        let header = header ?? nextHeader()
        state.apply(entry, header: header, plannerApplied: plannerApplied)
        return header
    }

    /// Adds an event planned in place whose outbox and decision lines the commit thread
    /// renders (`UnrenderedEvent`); the same record as `append(.event(…))` with its lines.
    func append(_ event: UnrenderedEvent, header: RecordHeader) throws {
        if let failed { throw failed }
        guard let journal, options.rendersLinesOnCommitThread else {
            try append(.event(localRenderer.render(event, header: header)), header: header, plannerApplied: true)
            return
        }
        precondition(header.sequence == journal.nextSequence, "records are appended in order")
        journal.add(.event(header, event))
        awaitingLines.append(state.applyAwaitingLines(event: event.entry, header: header))
    }

    /// Adds a dead letter whose line the commit thread renders.
    func appendDeadLetter(_ letter: DeadLetterEntry, header: RecordHeader) throws {
        if let failed { throw failed }
        guard let journal, options.rendersLinesOnCommitThread else {
            try append(.deadLetter(localRenderer.render(letter, header: header)), header: header)
            return
        }
        precondition(header.sequence == journal.nextSequence, "records are appended in order")
        journal.add(.deadLetter(header, letter))
        awaitingLines.append(state.applyAwaitingLines(.deadLetter(letter), header: header))
    }

    var hasAwaitingLines: Bool { awaitingHead < awaitingLines.count }

    /// Takes the line lengths the commit thread reported so far into the state.
    func settleRenderedLines() {
        guard let journal else { return }
        for lengths in journal.takeRendered() {
            var cursor = 0
            while cursor < lengths.count {
                cursor = state.settleLines(awaitingLines[awaitingHead], lengths: lengths, from: cursor)
                awaitingHead += 1
            }
        }
        if awaitingHead == awaitingLines.count {
            awaitingLines.removeAll(keepingCapacity: true)
            awaitingHead = 0
        } else if awaitingHead >= 1 << 14 {
            awaitingLines.removeFirst(awaitingHead)
            awaitingHead = 0
        }
    }

    /// Commits what is pending and waits until every line is rendered and its length known.
    func settleAllLines() throws {
        guard let journal else { return }
        do {
            if journal.hasPending { try journal.commit(flushProjections: false) }
            try journal.drain()
        } catch {
            failed = error
            throw error
        }
        settleRenderedLines()
        precondition(!hasAwaitingLines, "every rendered line's length came back")
    }

    public var hasPending: Bool { journal?.hasPending ?? false }
    public var pendingRecords: Int { journal?.pendingCount ?? 0 }
    public var pendingBytes: Int { journal?.pendingBytes ?? 0 }

    /// Whether the outbox has a request with this key. Looked up through an inout access: a
    /// plain read of the index (a struct in this class) copies it for the call, retaining each
    /// of its tables, and this runs for every planned request.
    func outboxContains(_ key: String) -> Bool {
        OutboxIndex.contains(key, in: &state.outbox)
    }

    /// Lends the planner's state to `body` to plan in place (no copy of the per-return table).
    public func planInPlace<R>(_ body: (inout PlannerState) throws -> R) rethrows -> R {
        try body(&state.planner)
    }

    /// Makes every added record durable (one write, one fdatasync, on the commit thread), then
    /// writes their projection lines (when due: see `projectionFlushBytes`). Returns once the
    /// group is handed over; `drain()` waits for it. Writes a snapshot when one is due.
    public func commit() throws {
        if let failed { throw failed }
        guard let journal, journal.hasPending else { return }
        let now = clock.now()
        // The commit thread also writes them once `projectionFlushBytes` wait.
        let flush = now - lastProjectionFlush >= options.projectionFlushMilliseconds
        if flush { lastProjectionFlush = now }
        do {
            try journal.commit(flushProjections: flush)
        } catch {
            failed = error
            throw error
        }
        settleRenderedLines()
        try settleSnapshot(waiting: false)
        if snapshotJob == nil, state.lastSequence - lastSnapshotSequence >= UInt64(options.snapshotEvery) { try startSnapshot() }
    }

    /// Waits until every committed record is durable and its projection lines are written.
    public func drain() throws {
        if let failed { throw failed }
        do {
            try journal?.drain()
        } catch {
            failed = error
            throw error
        }
        settleRenderedLines()
    }

    /// Writes the projection lines of every committed record now (an executor tailing the
    /// outbox sees them). Lines of records not yet committed are never written.
    public func flushProjections() throws {
        if let failed { throw failed }
        guard let journal, !journal.hasPending else { return }
        lastProjectionFlush = clock.now()
        do {
            try journal.commit(flushProjections: true)
            try journal.drain()
        } catch {
            failed = error
            throw error
        }
        settleRenderedLines()
    }

    /// Writes a snapshot of the state after the last committed record, then compacts; returns
    /// when it is done.
    public func writeSnapshot() throws {
        try startSnapshot()
        try settleSnapshot(waiting: true)
    }

    /// Starts writing a snapshot of the state after the last committed record, on a thread of
    /// its own (`SnapshotJob`); `settleSnapshot` takes its outcome and compacts.
    func startSnapshot() throws {
        guard let journal, mode == .readWrite else { return }
        if let failed { throw failed }
        try settleSnapshot(waiting: true)
        try flushAllForSnapshot()
        guard state.lastSequence > lastSnapshotSequence, journal.lastCommitted == state.lastSequence, !hasAwaitingLines else { return }
        snapshotJob = SnapshotJob(state: state, fs: fs, directory: path.snapshots,
                                  projectionFiles: projections.map(\.file))
    }

    /// Takes the outcome of the background snapshot, if it is done (or `waiting`): compacts
    /// after a written one; a failed one is a warning (a snapshot is an optimisation: the
    /// journal has everything), unless the disk is full (then the next write fails anyway).
    func settleSnapshot(waiting: Bool) throws {
        guard let job = snapshotJob, waiting || job.isDone else { return }
        let outcome = job.wait()
        snapshotJob = nil
        let failure: FileSystemError
        switch outcome {
        case .written(let sequence, _):
            lastSnapshotSequence = sequence
            guard options.compact else { return }
            do {
                // Segments are listed by the commit thread too: let it finish what it has.
                try journal?.drain()
                try compact()
                return
            } catch {
                failure = error
            }
        case .failed(let error):
            failure = error
        }
        if failure.isDiskFull {
            failed = failure
            throw failure
        }
        warnings.append("snapshot not written: \(failure)")
    }

    /// Everything committed, durable and in the projection files (the state a snapshot describes).
    func flushAllForSnapshot() throws {
        guard let journal else { return }
        if journal.hasPending {
            do {
                try journal.commit(flushProjections: false)
            } catch {
                failed = error
                throw error
            }
        }
        try flushProjections()
    }

    /// Keeps the newest snapshots, deletes older ones and the journal segments they cover.
    func compact() throws(FileSystemError) {
        let names = try fs.list(path.snapshots)
        var sequences = names.compactMap(SnapshotCodec.sequence(ofFile:)).sorted(by: >)
        for name in names where name.hasPrefix(".tmp-") { try fs.remove(PathText.join(path.snapshots, name)) }
        guard sequences.count >= options.keepSnapshots else { return }
        let kept = Array(sequences.prefix(options.keepSnapshots))
        sequences.removeFirst(min(options.keepSnapshots, sequences.count))
        for old in sequences { try fs.remove(PathText.join(path.snapshots, SnapshotCodec.fileName(old))) }
        if !sequences.isEmpty { try fs.syncDirectory(path.snapshots) }
        if let oldestKept = kept.last { try journal?.removeSegments(coveredBy: oldestKept) }
    }

    /// Commits, writes a snapshot when enough records came since the last one, releases the lock.
    public func close() throws {
        defer {
            // A snapshot thread still writing into the directory is waited for, whatever happened.
            _ = snapshotJob?.wait()
            snapshotJob = nil
            journal?.close()
            for writer in projections { writer.file.close() }
            lock?.release()
            lock = nil
        }
        guard mode == .readWrite, failed == nil else { return }
        try settleSnapshot(waiting: true)
        try flushAllForSnapshot()
        if state.lastSequence - lastSnapshotSequence >= UInt64(max(1, options.snapshotOnCloseAfter)) { try writeSnapshot() }
    }

    /// Bytes of outbox.jsonl written so far (requests below it are emitted).
    public var emittedOutboxBytes: Int64 {
        guard let outbox else { return state.outboxBytes }
        return Int64(outbox.file.size)
    }
}

/// One projection file: lines missing after a crash are completed through it when the state
/// is opened; afterwards the commit thread appends to its file.
final class ProjectionWriter {
    let file: AppendFile
    var pending: [UInt8] = []

    init(file: AppendFile) {
        self.file = file
    }

    func add(_ line: [UInt8]) { pending.append(contentsOf: line) }

    func flush() throws(FileSystemError) {
        guard !pending.isEmpty else { return }
        try file.append(pending)
        pending.removeAll(keepingCapacity: true)
    }

    func sync() throws(FileSystemError) {
        try flush()
        try file.sync()
    }
}

/// The lines a record contributes to each projection: outbox, decisions, dead letters.
enum ProjectionLines {
    static func of(_ entry: JournalEntry) -> [[[UInt8]]] {
        switch entry {
        case .event(let e): return [e.effects.outbox.map(\.line), [e.decisionLine], []]
        case .holdReleased(let h): return [h.effects.outbox.map(\.line), [h.decisionLine], []]
        case .deadLetter(let d): return [[], [], [d.line]]
        default: return [[], [], []]
        }
    }
}

extension ProjectionLines {
    /// Whether a record has projection lines at all.
    static func hasLines(_ entry: JournalEntry) -> Bool {
        switch entry {
        case .event, .holdReleased, .deadLetter: true
        default: false
        }
    }

    /// Bytes a record adds to each projection.
    static func lengths(_ entry: JournalEntry) -> [Int64] {
        switch entry {
        case .event(let e): return [Int64(e.effects.outbox.reduce(0) { $0 + $1.lineLength }), Int64(e.decisionLength), 0]
        case .holdReleased(let h): return [Int64(h.effects.outbox.reduce(0) { $0 + $1.lineLength }), Int64(h.decisionLength), 0]
        case .deadLetter(let d): return [0, 0, Int64(d.lineLength)]
        default: return [0, 0, 0]
        }
    }
}

/// Lines a projection file is missing, found while replaying.
struct ProjectionRepair {
    /// Where the file must be cut back to before the lines are appended.
    var from: Int64?
    var bytes: [UInt8] = []
    var lines = 0

    mutating func consider(_ lines: [[UInt8]], at offset: Int64, fileSize: Int64) {
        var position = offset
        for line in lines {
            let end = position + Int64(line.count)
            if end > fileSize {
                if from == nil { from = position }
                bytes.append(contentsOf: line)
                self.lines += 1
            }
            position = end
        }
    }
}
