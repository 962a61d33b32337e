import JSONBytes
import ReturnRulesRunner

/// `returnrules state`: counts, and the journal's files; `--rebuild` rewrites the projections.
enum StateCommand {
    static let spec = OptionSpec(valued: ["state", "format"], flags: ["rebuild"], choices: ["format": ["human", "json"]])

    static let help = """
    Usage: returnrules state --state DIR [--format human|json]
           returnrules state --state DIR --rebuild

    What the runner's state holds: events seen (planned, duplicate, stale), dead letters,
    requests by kind and status (planned → emitted → acknowledged), open restock holds, open
    review items by queue, acknowledgements queued in DIR/ack-inbox/ for a running runner (and
    queued files kept because a line could not be recorded), and the journal (segments, size,
    snapshots).

    --rebuild writes outbox.jsonl, decisions.jsonl and dead-letters.jsonl again from the journal
    (possible while the journal still starts at record 1, i.e. before the first compaction).

    Exit: 0, 1 no or damaged state, 64 usage.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        guard arguments.positional.isEmpty else { throw UsageError("state takes no arguments") }
        if arguments.has("rebuild") {
            guard let directory = arguments.value("state") else { throw UsageError("needs --state DIR") }
            do {
                let report = try StateStore.rebuildProjections(directory: io.absolute(directory))
                io.write("rebuilt from \(RunnerCommandSupport.plural(report.records, "journal record")): \(RunnerCommandSupport.plural(report.outboxLines, "outbox line")), "
                         + "\(RunnerCommandSupport.plural(report.decisionLines, "decision")), \(RunnerCommandSupport.plural(report.deadLetterLines, "dead letter"))\n")
                return .success
            } catch {
                return RunnerCommandSupport.report(error, io: io)
            }
        }
        let store: StateStore
        switch try RunnerCommandSupport.open(arguments, mode: .readOnly, io: io) {
        case .failure(let code): return code
        case .success(let opened): store = opened
        }
        let emitted = Int64(store.fs.size(store.path.outbox) ?? 0)
        let counts = StateQueries.counts(store.state, emittedBytes: emitted)
        let journal = store.journalInfo
        let c = counts.counters
        // Unreadable inbox: shown as empty here; the runner reports it when it takes the inbox.
        let inboxWaiting = (try? AckInbox.waiting(stateDirectory: store.directory, fs: store.fs))?.count ?? 0
        let inboxRejected = (try? AckInbox.rejected(stateDirectory: store.directory, fs: store.fs))?.count ?? 0
        if RunnerCommandSupport.isJSON(arguments) {
            RunnerCommandSupport.writeJSON(io) { w in
                w.beginObject()
                w.key("state_format_version")
                w.int(1)
                w.key("directory")
                w.string(store.directory)
                w.key("last_sequence")
                w.uint(counts.lastSequence)
                w.key("last_record_at")
                if counts.lastTime > 0 { w.string(Timestamp.iso(counts.lastTime)) } else { w.null() }
                w.key("events")
                w.beginObject()
                for (key, value) in [("total", c.events), ("planned", c.planned), ("duplicates", c.duplicates), ("stale", c.stale)] {
                    w.key(key)
                    w.int(value)
                }
                w.endObject()
                w.key("returns")
                w.int(counts.returns)
                w.key("dead_letters")
                w.beginObject()
                w.key("total")
                w.int(counts.deadLetters)
                w.key("open")
                w.int(counts.deadLettersOpen)
                w.endObject()
                w.key("requests")
                w.beginObject()
                w.key("total")
                w.int(store.state.outbox.count)
                w.key("by_kind")
                w.beginObject()
                for (kind, count) in counts.requests.sorted(by: { $0.key < $1.key }) {
                    w.key(kind)
                    w.int(count)
                }
                w.endObject()
                w.key("by_status")
                w.beginObject()
                for status in ["planned", "emitted", "acknowledged"] {
                    w.key(status)
                    w.int(counts.requestsByStatus[status] ?? 0)
                }
                w.endObject()
                w.endObject()
                w.key("holds")
                w.beginObject()
                w.key("open")
                w.int(counts.openHolds)
                w.key("total")
                w.int(counts.holds)
                w.endObject()
                w.key("reviews")
                w.beginObject()
                w.key("open")
                w.int(counts.openReviews.values.reduce(0, +))
                w.key("open_by_queue")
                w.beginObject()
                for (queue, count) in counts.openReviews.sorted(by: { $0.key < $1.key }) {
                    w.key(queue)
                    w.int(count)
                }
                w.endObject()
                w.key("total")
                w.int(counts.reviews)
                w.endObject()
                w.key("ack_inbox")
                w.beginObject()
                w.key("waiting_files")
                w.int(inboxWaiting)
                w.key("rejected_files")
                w.int(inboxRejected)
                w.endObject()
                w.key("journal")
                w.beginObject()
                w.key("segments")
                w.int(journal.segments)
                w.key("bytes")
                w.int(journal.bytes)
                w.key("first_sequence")
                if let first = journal.firstSequence { w.uint(first) } else { w.null() }
                w.key("snapshots")
                w.beginArray()
                for snapshot in journal.snapshots { w.uint(snapshot) }
                w.endArray()
                w.endObject()
                w.key("rules")
                if let session = counts.session {
                    w.beginObject()
                    w.key("file")
                    w.string(session.rulesPath)
                    w.key("sha256")
                    w.string(session.rulesDigest.hex)
                    w.key("client")
                    w.string(session.client)
                    w.endObject()
                } else {
                    w.null()
                }
                w.endObject()
            }
            return .success
        }
        let g = RunnerCommandSupport.grouped
        var out = "State \(store.directory): record \(g(Int(counts.lastSequence)))" + (counts.lastTime > 0 ? " at \(Timestamp.iso(counts.lastTime))" : "") + "\n"
        out += "  events:       \(g(c.events)) (\(g(c.planned)) planned · \(g(c.duplicates)) duplicate · \(g(c.stale)) stale) across \(g(counts.returns)) returns\n"
        out += "  dead letters: \(g(counts.deadLetters)) (\(g(counts.deadLettersOpen)) not replayed)\n"
        let kinds = counts.requests.sorted { $0.key < $1.key }.map { "\(g($0.value)) \($0.key)" }.joined(separator: " · ")
        out += "  requests:     \(g(store.state.outbox.count))" + (kinds.isEmpty ? "" : " (\(kinds))") + "\n"
        out += "                \(g(counts.requestsByStatus["planned"] ?? 0)) planned · \(g(counts.requestsByStatus["emitted"] ?? 0)) emitted · \(g(counts.requestsByStatus["acknowledged"] ?? 0)) acknowledged\n"
        out += "  holds:        \(g(counts.openHolds)) open of \(g(counts.holds))\n"
        let queues = counts.openReviews.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: " · ")
        out += "  reviews:      \(g(counts.openReviews.values.reduce(0, +))) open of \(g(counts.reviews))" + (queues.isEmpty ? "" : " (\(queues))") + "\n"
        if inboxWaiting + inboxRejected > 0 {
            out += "  ack inbox:    \(RunnerCommandSupport.plural(inboxWaiting, "file")) waiting for the runner · \(g(inboxRejected)) rejected"
                + " (\(AckInbox.directory(of: store.directory)))\n"
        }
        out += "  journal:      \(RunnerCommandSupport.plural(journal.segments, "segment")), \(g(journal.bytes / 1024)) KiB"
        if let first = journal.firstSequence { out += ", from record \(g(Int(first)))" }
        out += journal.snapshots.isEmpty ? ", no snapshot\n" : ", snapshot at record \(g(Int(journal.snapshots.last!)))\n"
        if let session = counts.session { out += "  rules:        \(session.rulesPath) (\(session.client), SHA-256 \(session.rulesDigest.hex.prefix(16))…)\n" }
        io.write(out)
        return .success
    }
}
