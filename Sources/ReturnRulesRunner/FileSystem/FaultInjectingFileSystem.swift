#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file system that fails on purpose, for tests: a disk that fills up after so many bytes, a
/// directory that refuses writes, or a process that dies (SIGKILL, no clean-up of any kind) at
/// the Nth write-side operation, optionally after writing only part of the bytes.
///
/// Operations counted: open for append, append, sync, rename, remove, truncate, directory sync.
public final class FaultInjectingFileSystem: RunnerFileSystem {
    public let base: RunnerFileSystem
    /// Appends fail with ENOSPC once this many bytes have been appended in total (the bytes
    /// that still fit are written first, as a real disk does).
    public var diskFullAfterBytes: Int?
    /// Syncs fail with this error code (EIO, ENOSPC) from this sync on (1-based).
    public var failSyncFrom: (count: Int, code: Int32)?
    /// Paths under these prefixes refuse to be created or written (EACCES).
    public var deniedPrefixes: [String] = []
    /// The process kills itself at this operation (1-based).
    public var crashAtOperation: Int?
    /// At a crash on an append, write this fraction (0…1) of the bytes first.
    public var crashPartialFraction: Double = 0
    public private(set) var operations = 0
    public private(set) var bytesAppended = 0
    public private(set) var syncs = 0
    /// The commit thread and the snapshot thread write at the same time: the counts are
    /// changed under this lock.
    private let counting = NSLock()

    public init(base: RunnerFileSystem = PosixFileSystem()) {
        self.base = base
    }

    func denied(_ path: String) -> Bool { deniedPrefixes.contains { path.hasPrefix($0) } }

    /// Counts an operation; dies when it is the chosen one (after `beforeDying`).
    func tick(_ beforeDying: () -> Void = {}) {
        counting.lock()
        operations += 1
        let count = operations
        counting.unlock()
        if let crash = crashAtOperation, count == crash {
            beforeDying()
            kill(getpid(), SIGKILL)
            while true { pause() }
        }
    }

    public func makeDirectory(_ path: String) throws(FileSystemError) {
        if denied(path), !base.isDirectory(path) { throw FileSystemError("create directory", path, code: EACCES) }
        try base.makeDirectory(path)
    }

    public func openAppend(_ path: String) throws(FileSystemError) -> AppendFile {
        if denied(path) { throw FileSystemError("open for writing", path, code: EACCES) }
        tick()
        return FaultyAppendFile(file: try base.openAppend(path), owner: self)
    }

    public func readAll(_ path: String) throws(FileSystemError) -> [UInt8] { try base.readAll(path) }
    public func size(_ path: String) -> Int? { base.size(path) }
    public func isDirectory(_ path: String) -> Bool { base.isDirectory(path) }
    public func list(_ directory: String) throws(FileSystemError) -> [String] { try base.list(directory) }

    public func rename(_ from: String, to: String) throws(FileSystemError) {
        if denied(to) { throw FileSystemError("rename to \(to):", from, code: EACCES) }
        tick()
        try base.rename(from, to: to)
    }

    public func remove(_ path: String) throws(FileSystemError) {
        if denied(path) { throw FileSystemError("remove", path, code: EACCES) }
        tick()
        try base.remove(path)
    }

    public func syncDirectory(_ path: String) throws(FileSystemError) {
        tick()
        try base.syncDirectory(path)
    }

    public func truncate(_ path: String, to size: Int) throws(FileSystemError) {
        if denied(path) { throw FileSystemError("truncate", path, code: EACCES) }
        tick()
        try base.truncate(path, to: size)
    }

    public func lock(_ path: String, owner: String) throws(LockError) -> FileLock {
        if denied(path) { throw LockError(path: path, holder: nil, underlying: FileSystemError("create lock file", path, code: EACCES)) }
        return try base.lock(path, owner: owner)
    }
}

final class FaultyAppendFile: AppendFile {
    let file: AppendFile
    unowned let owner: FaultInjectingFileSystem

    init(file: AppendFile, owner: FaultInjectingFileSystem) {
        self.file = file
        self.owner = owner
    }

    var path: String { file.path }
    var size: Int { file.size }

    func append(_ bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
        owner.tick {
            let partial = Int(Double(bytes.count) * owner.crashPartialFraction)
            if partial > 0 { try? file.append(UnsafeRawBufferPointer(rebasing: bytes[0..<partial])) }
        }
        if let limit = owner.diskFullAfterBytes {
            // The bytes that still fit are reserved under the lock, then written.
            let fits = owner.reserveBytes(bytes.count, limit: limit)
            if fits < bytes.count {
                if fits > 0 { try file.append(UnsafeRawBufferPointer(rebasing: bytes[0..<fits])) }
                throw FileSystemError("write", path, code: ENOSPC)
            }
            try file.append(bytes)
            return
        }
        try file.append(bytes)
        owner.bytesAppendedAdd(bytes.count)
    }

    func sync() throws(FileSystemError) {
        owner.tick()
        let syncs = owner.syncCounted()
        if let fail = owner.failSyncFrom, syncs >= fail.count { throw FileSystemError("sync", path, code: fail.code) }
        try file.sync()
    }

    func truncate(to size: Int) throws(FileSystemError) {
        owner.tick()
        try file.truncate(to: size)
    }

    func close() { file.close() }
}

extension FaultInjectingFileSystem {
    func bytesAppendedAdd(_ count: Int) {
        counting.lock()
        bytesAppended += count
        counting.unlock()
    }

    /// Counts up to `count` more bytes against `limit`; returns how many fit.
    func reserveBytes(_ count: Int, limit: Int) -> Int {
        counting.lock()
        defer { counting.unlock() }
        let fits = min(count, max(0, limit - bytesAppended))
        bytesAppended += fits
        return fits
    }

    /// Counts a sync; returns the count so far.
    func syncCounted() -> Int {
        counting.lock()
        defer { counting.unlock() }
        syncs += 1
        return syncs
    }
}
