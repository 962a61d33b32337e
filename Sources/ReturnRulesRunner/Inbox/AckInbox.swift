#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The acknowledgement inbox: how `ack` reaches a runner that holds the state directory's lock.
///
///     DIR/ack-inbox/<ms>-<pid>-<random>.jsonl   one file per `ack` call (`AckLines` format)
///     DIR/ack-inbox/<name>.rejected             a taken file with lines that could not be recorded
///
/// `ack` writes its file under a temporary name, syncs it, renames it into place and syncs the
/// directory: a queued file is whole or absent, and once `ack` says "queued" it survives a
/// crash of either process. The lock holder takes the files in name order (the runner at its
/// commits and poll ticks, any writer when it opens the directory), journals one ack record per
/// line, waits until they are durable, and only then removes the file. A crash in between takes
/// the file again, and acknowledging a key again with the same id is a no-op: a queued
/// acknowledgement is recorded exactly once. A line that cannot be recorded (an unknown key, a
/// conflicting WooCommerce id) is reported and its file kept as `.rejected`, never dropped.
public enum AckInbox {
    public static let directoryName = "ack-inbox"
    static let queuedSuffix = ".jsonl"
    public static let rejectedSuffix = ".rejected"
    static let temporaryPrefix = ".tmp-"

    /// What taking the inbox did.
    public struct Report: Sendable {
        /// Keys acknowledged now.
        public var recorded: [String] = []
        /// Keys already acknowledged with the same id (the line was a repeat).
        public var already: [String] = []
        /// Lines not recorded, as `file:line: reason`.
        public var rejected: [String] = []

        public init() {}

        public var isEmpty: Bool { recorded.isEmpty && already.isEmpty && rejected.isEmpty }
    }

    public static func directory(of stateDirectory: String) -> String { PathText.join(stateDirectory, directoryName) }

    /// Queues acknowledgements for the lock holder. Returns the file written.
    public static func queue(_ requests: [AckRequest], stateDirectory: String, fs: RunnerFileSystem, clock: RunnerClock) throws(FileSystemError) -> String {
        let inbox = directory(of: stateDirectory)
        try fs.makeDirectory(inbox)
        // Names sort in queueing order; pid and a random part keep concurrent `ack`s apart.
        let time = String(clock.now())
        let name = String(repeating: "0", count: max(0, 15 - time.count)) + time + "-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" + queuedSuffix
        let temporary = PathText.join(inbox, temporaryPrefix + name)
        let final = PathText.join(inbox, name)
        var bytes: [UInt8] = []
        for request in requests { bytes += AckLines.encode(request) }
        do {
            let file = try fs.openAppend(temporary)
            defer { file.close() }
            if file.size > 0 { try file.truncate(to: 0) }
            try file.append(bytes)
            try file.sync()
        } catch {
            try? fs.remove(temporary)
            throw error
        }
        try fs.rename(temporary, to: final)
        try fs.syncDirectory(inbox)
        return final
    }

    /// Queued files waiting to be taken, oldest first (none when there is no inbox yet).
    public static func waiting(stateDirectory: String, fs: RunnerFileSystem) throws(FileSystemError) -> [String] {
        try names(stateDirectory: stateDirectory, fs: fs).filter { $0.hasSuffix(queuedSuffix) }
    }

    /// Taken files kept because some of their lines could not be recorded.
    public static func rejected(stateDirectory: String, fs: RunnerFileSystem) throws(FileSystemError) -> [String] {
        try names(stateDirectory: stateDirectory, fs: fs).filter { $0.hasSuffix(rejectedSuffix) }
    }

    /// Names in the inbox, sorted, without temporary files (an `ack` still writing, or one
    /// that died before its rename: it never said "queued").
    static func names(stateDirectory: String, fs: RunnerFileSystem) throws(FileSystemError) -> [String] {
        do {
            return try fs.list(directory(of: stateDirectory)).filter { !$0.hasPrefix(".") }.sorted()
        } catch where error.isMissing {
            return []
        }
    }
}
