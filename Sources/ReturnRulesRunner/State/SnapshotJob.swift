import Foundation

/// Writes one snapshot on a thread of its own while the runner goes on planning.
///
/// The state is a value: the job keeps a copy of it as it was after the last committed
/// record, and the runner's next changes copy (once) only the tables they touch. Encoding a
/// large state takes seconds; with the runner waiting for it, every snapshot was a stall.
///
/// The snapshot becomes visible (renamed into place) only once the projection files are
/// durable up to the byte counts it records, exactly as when written on the runner's thread.
final class SnapshotJob: @unchecked Sendable {
    // @unchecked: `fs` and the files are used by this job's thread only until it is done
    // (the projection files are only synced, which is safe while the commit thread appends);
    // `outcome` is touched under `condition`.
    enum Outcome {
        case written(sequence: UInt64, bytes: Int)
        case failed(FileSystemError)
    }

    let sequence: UInt64
    private let condition = NSCondition()
    private var outcome: Outcome?
    private let fs: RunnerFileSystem
    private let projectionFiles: [AppendFile]

    init(state: RunnerState, fs: RunnerFileSystem, directory: String, projectionFiles: [AppendFile]) {
        sequence = state.lastSequence
        self.fs = fs
        self.projectionFiles = projectionFiles
        let thread = Thread { [self] in
            finish(SnapshotJob.write(state, fs: self.fs, directory: directory, projectionFiles: self.projectionFiles))
        }
        thread.name = "returnrules-snapshot"
        thread.stackSize = 8 << 20
        thread.start()
    }

    var isDone: Bool {
        condition.lock()
        defer { condition.unlock() }
        return outcome != nil
    }

    /// Waits until the snapshot is written (or failed).
    func wait() -> Outcome {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return outcome!
    }

    private func finish(_ result: Outcome) {
        condition.lock()
        outcome = result
        condition.broadcast()
        condition.unlock()
    }

    /// Syncs the projections, then writes `snapshots/<sequence>.rrs` through a synced
    /// temporary file and a rename.
    static func write(_ state: RunnerState, fs: RunnerFileSystem, directory: String, projectionFiles: [AppendFile]) -> Outcome {
        let name = SnapshotCodec.fileName(state.lastSequence)
        let temporary = PathText.join(directory, ".tmp-" + name)
        do throws(FileSystemError) {
            // The projections must be durable up to the watermarks the snapshot records.
            for file in projectionFiles { try file.sync() }
            let file = try fs.openAppend(temporary)
            defer { file.close() }
            if file.size > 0 { try file.truncate(to: 0) }
            // Written as it is encoded, a few megabytes at a time (never whole in memory).
            var failure: FileSystemError?
            let size = SnapshotCodec.encode(state) { piece in
                guard failure == nil else { return }
                do throws(FileSystemError) { try file.append(piece) } catch { failure = error }
            }
            if let failure { throw failure }
            try file.sync()
            try fs.rename(temporary, to: PathText.join(directory, name))
            try fs.syncDirectory(directory)
            return .written(sequence: state.lastSequence, bytes: size)
        } catch {
            try? fs.remove(temporary)
            return .failed(error)
        }
    }
}
