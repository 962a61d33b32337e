/// Taking the acknowledgements `ack` queued while the lock was held (see `AckInbox`).
extension StateStore {
    /// Journals every queued acknowledgement, waits until the records are durable, then removes
    /// the inbox files. A line that cannot be recorded is reported (`file:line: reason`) and its
    /// file kept as `<name>.rejected`. Only a read-write store takes the inbox; others return
    /// an empty report.
    public func takeQueuedAcks() throws -> AckInbox.Report {
        var report = AckInbox.Report()
        guard mode == .readWrite, journal != nil else { return report }
        if let failed { throw failed }
        let names = try AckInbox.waiting(stateDirectory: directory, fs: fs)
        guard !names.isEmpty else { return report }
        let inbox = AckInbox.directory(of: directory)
        var rejectedFiles = Set<String>()
        for name in names {
            let file = PathText.join(inbox, name)
            for (line, parsed) in AckLines.parse(try fs.readAll(file), file: file) {
                let request: AckRequest
                switch parsed {
                case .failure(let problem):
                    report.rejected.append(problem.description)
                    rejectedFiles.insert(name)
                    continue
                case .success(let found): request = found
                }
                // Checked against the state as it is now, earlier lines of this inbox included.
                switch StateOperations.check(request, in: state) {
                case .failure(let error):
                    report.rejected.append("\(file):\(line): \(error.message)")
                    rejectedFiles.insert(name)
                case .success(let ack) where ack.alreadyAcknowledged:
                    report.already.append(ack.key)
                case .success(let ack):
                    try append(.ack(AckEntry(key: ack.key, wooID: request.wooID, note: request.note, by: request.by)))
                    report.recorded.append(ack.key)
                }
            }
        }
        // Durable first: a crash before the files are gone takes them again, as repeats.
        try commit()
        try drain()
        for name in names {
            let file = PathText.join(inbox, name)
            if rejectedFiles.contains(name) {
                try fs.rename(file, to: file + AckInbox.rejectedSuffix)
            } else {
                try fs.remove(file)
            }
        }
        return report
    }
}
