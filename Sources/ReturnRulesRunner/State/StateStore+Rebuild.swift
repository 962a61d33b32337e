/// Rebuilding the projections (outbox, decision log, dead letters) from the journal.
extension StateStore {
    public struct RebuildReport: Sendable {
        public var records: Int
        public var outboxLines: Int
        public var decisionLines: Int
        public var deadLetterLines: Int
    }

    /// Writes every projection file again from the journal (which must start at record 1: not
    /// compacted), each to a temporary file that replaces the old one once it is synced.
    /// Takes the lock; the state itself is not changed.
    public static func rebuildProjections(directory: String, fileSystem fs: RunnerFileSystem = PosixFileSystem(),
                                          clock: RunnerClock = SystemClock()) throws -> RebuildReport {
        let lock: FileLock
        do {
            lock = try fs.lock(PathText.join(directory, lockFile), owner: ownerText(clock: clock))
        } catch {
            throw StateError(.locked, "cannot rebuild while another returnrules process uses \(directory)" + (error.holder.map { " (\($0))" } ?? ""))
        }
        defer { lock.release() }
        let journalPath = PathText.join(directory, journalDirectory)
        let segments = try JournalScan.listSegments(fs: fs, directory: journalPath)
        guard let first = segments.first else { throw StateError(.missing, "\(directory) has no journal") }
        guard first.firstSequence == 1 else {
            throw StateError(.damaged, "the journal was compacted: it starts at record \(first.firstSequence), so the projections cannot be rebuilt from it "
                             + "(the records before exist only as the snapshot's summary)")
        }
        let names = [outboxFile, decisionsFile, deadLettersFile]
        var buffers: [[UInt8]] = [[], [], []]
        var counts = [0, 0, 0]
        var records = 0
        do {
            _ = try JournalScan.scan(fs: fs, directory: journalPath, after: 0, repair: false) { payload in
                let record = try JournalCodec.decode(payload, lines: true)
                let lines = ProjectionLines.of(record.entry)
                for index in 0..<3 {
                    for line in lines[index] { buffers[index].append(contentsOf: line) }
                    counts[index] += lines[index].count
                }
                records += 1
            }
        } catch let damage as JournalScan.Damage {
            throw StateError(.damaged, damage.description)
        }
        for index in 0..<3 {
            let final = PathText.join(directory, names[index])
            let temporary = PathText.join(directory, ".rebuild-" + names[index])
            let file = try fs.openAppend(temporary)
            if file.size > 0 { try file.truncate(to: 0) }
            try file.append(buffers[index])
            try file.sync()
            file.close()
            try fs.rename(temporary, to: final)
        }
        try fs.syncDirectory(directory)
        return RebuildReport(records: records, outboxLines: counts[0], decisionLines: counts[1], deadLetterLines: counts[2])
    }

    /// The journal's files, for `returnrules state`.
    public struct JournalInfo: Sendable {
        public var segments: Int
        public var bytes: Int
        public var firstSequence: UInt64?
        public var snapshots: [UInt64]
    }

    public var journalInfo: JournalInfo {
        let segments = (try? JournalScan.listSegments(fs: fs, directory: path.journal)) ?? []
        let bytes = segments.reduce(0) { $0 + (fs.size($1.path) ?? 0) }
        let snapshots = ((try? fs.list(path.snapshots)) ?? []).compactMap(SnapshotCodec.sequence(ofFile:)).sorted()
        return JournalInfo(segments: segments.count, bytes: bytes, firstSequence: segments.first?.firstSequence, snapshots: snapshots)
    }
}
