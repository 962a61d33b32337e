#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the runner does to disk, behind one protocol, so tests can make a disk fill up,
/// a directory refuse writes, or the process die in the middle of a write.
public protocol RunnerFileSystem: AnyObject {
    /// Creates a directory and its parents (no error when it exists).
    func makeDirectory(_ path: String) throws(FileSystemError)
    /// Opens (creating it if needed) a file for appending.
    func openAppend(_ path: String) throws(FileSystemError) -> AppendFile
    /// The whole content of a file.
    func readAll(_ path: String) throws(FileSystemError) -> [UInt8]
    /// The whole content of a file that nothing changes in place (a snapshot: written once,
    /// renamed into place): mapped, where the file system can, rather than copied.
    func readImmutable(_ path: String) throws(FileSystemError) -> FileBytes
    /// The size of a file, nil when there is none.
    func size(_ path: String) -> Int?
    func isDirectory(_ path: String) -> Bool
    /// The names in a directory (no `.` and `..`), unsorted.
    func list(_ directory: String) throws(FileSystemError) -> [String]
    func rename(_ from: String, to: String) throws(FileSystemError)
    func remove(_ path: String) throws(FileSystemError)
    /// Makes a directory's entries (created, renamed, removed files) durable.
    func syncDirectory(_ path: String) throws(FileSystemError)
    func truncate(_ path: String, to size: Int) throws(FileSystemError)
    /// Takes an exclusive lock on a file; fails at once when another process holds it.
    func lock(_ path: String, owner: String) throws(LockError) -> FileLock
}

extension RunnerFileSystem {
    public func readImmutable(_ path: String) throws(FileSystemError) -> FileBytes { FileBytes(try readAll(path)) }
}

/// A file's bytes: read into memory, or mapped (unmapped when this goes away).
public final class FileBytes {
    private let array: [UInt8]
    private let mapping: UnsafeMutableRawPointer?
    public let count: Int

    init(_ bytes: [UInt8]) {
        array = bytes
        mapping = nil
        count = bytes.count
    }

    init(mapping: UnsafeMutableRawPointer, count: Int) {
        array = []
        self.mapping = mapping
        self.count = count
    }

    deinit {
        if let mapping { munmap(mapping, count) }
    }

    public func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        if let mapping { return try body(UnsafeRawBufferPointer(start: mapping, count: count)) }
        var result: Result<R, E>?
        array.withUnsafeBytes { raw in
            do throws(E) { result = .success(try body(raw)) } catch { result = .failure(error) }
        }
        return try result!.get()
    }
}

/// A file opened for appending.
public protocol AppendFile: AnyObject {
    var path: String { get }
    /// The file's size, including everything appended.
    var size: Int { get }
    /// Appends all bytes, or throws (then some of them may have been written).
    func append(_ bytes: UnsafeRawBufferPointer) throws(FileSystemError)
    /// Makes everything appended durable (fdatasync).
    func sync() throws(FileSystemError)
    func truncate(to size: Int) throws(FileSystemError)
    func close()
}

extension AppendFile {
    public func append(_ bytes: [UInt8]) throws(FileSystemError) {
        var failure: FileSystemError?
        bytes.withUnsafeBytes { raw in
            do throws(FileSystemError) { try append(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}

/// A failed file-system call, with the path and the system's reason.
public struct FileSystemError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32

    public init(_ operation: String, _ path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }
    public var isPermission: Bool { code == EACCES || code == EPERM || code == EROFS }
    public var isMissing: Bool { code == ENOENT }

    public var reason: String {
        switch code {
        case ENOSPC: return "no space left on device"
        case EDQUOT: return "disk quota exceeded"
        case EACCES, EPERM: return "permission denied"
        case EROFS: return "read-only file system"
        case ENOENT: return "no such file or directory"
        case EIO: return "input/output error"
        default: return String(cString: strerror(code))
        }
    }

    public var description: String { "cannot \(operation) \(path): \(reason)" }
}

/// The state directory is locked by another process.
public struct LockError: Error, Sendable, CustomStringConvertible {
    public var path: String
    /// What the holder wrote into the lock file: `pid 1234 on host, since …`.
    public var holder: String?
    public var underlying: FileSystemError?

    public var description: String {
        if let underlying { return underlying.description }
        return "\(path) is locked by another returnrules process" + (holder.map { " (\($0))" } ?? "")
    }
}

/// An exclusive lock, released on `release()` or when the process ends.
public protocol FileLock: AnyObject {
    func release()
}

/// The real thing: POSIX calls.
public final class PosixFileSystem: RunnerFileSystem {
    public init() {}

    public func makeDirectory(_ path: String) throws(FileSystemError) {
        if isDirectory(path) { return }
        let parent = PathText.parent(path)
        if !parent.isEmpty, parent != path, !isDirectory(parent) { try makeDirectory(parent) }
        if mkdir(path, 0o755) != 0, errno != EEXIST { throw FileSystemError("create directory", path, code: errno) }
    }

    public func openAppend(_ path: String) throws(FileSystemError) -> AppendFile {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystemError("open for writing", path, code: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw FileSystemError("stat", path, code: code)
        }
        return PosixAppendFile(fd: fd, path: path, size: Int(info.st_size))
    }

    public func readAll(_ path: String) throws(FileSystemError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("open", path, code: errno) }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileSystemError("stat", path, code: errno) }
        // The size stat gave, read into uninitialised storage (a snapshot is hundreds of
        // megabytes: zeroing it first cost as much as reading it), then whatever a writer
        // appended since, block by block.
        let size = Int(info.st_size)
        var failure: Int32 = 0
        var ended = false
        var result = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var filled = 0
            while filled < size {
                let got = read(fd, buffer.baseAddress! + filled, size - filled)
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if got == 0 {
                    ended = true
                    break
                }
                filled += got
            }
            initialized = filled
        }
        if failure != 0 { throw FileSystemError("read", path, code: failure) }
        guard !ended else { return result }
        var block = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = block.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress!, raw.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("read", path, code: errno)
            }
            if got == 0 { break }
            result.append(contentsOf: block[0..<got])
        }
        return result
    }

    /// Mapped read-only: the bytes come straight from the page cache, with no copy and no
    /// fresh memory to fault in (a snapshot is hundreds of megabytes; a restart reads it once).
    public func readImmutable(_ path: String) throws(FileSystemError) -> FileBytes {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("open", path, code: errno) }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileSystemError("stat", path, code: errno) }
        let size = Int(info.st_size)
        guard size > 0 else { return FileBytes([]) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else { return FileBytes(try readAll(path)) }
        return FileBytes(mapping: mapped, count: size)
    }

    public func size(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    public func isDirectory(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR
    }

    public func list(_ directory: String) throws(FileSystemError) -> [String] {
        guard let dir = opendir(directory) else { throw FileSystemError("list", directory, code: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    public func rename(_ from: String, to: String) throws(FileSystemError) {
        if Glibc.rename(from, to) != 0 { throw FileSystemError("rename to \(to):", from, code: errno) }
    }

    public func remove(_ path: String) throws(FileSystemError) {
        if unlink(path) != 0, errno != ENOENT { throw FileSystemError("remove", path, code: errno) }
    }

    public func syncDirectory(_ path: String) throws(FileSystemError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("open directory", path, code: errno) }
        defer { Glibc.close(fd) }
        if fsync(fd) != 0, errno != EINVAL { throw FileSystemError("sync directory", path, code: errno) }
    }

    public func truncate(_ path: String, to size: Int) throws(FileSystemError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("open for truncating", path, code: errno) }
        defer { Glibc.close(fd) }
        if ftruncate(fd, off_t(size)) != 0 { throw FileSystemError("truncate", path, code: errno) }
        if fsync(fd) != 0 { throw FileSystemError("sync", path, code: errno) }
    }

    public func lock(_ path: String, owner: String) throws(LockError) -> FileLock {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LockError(path: path, holder: nil, underlying: FileSystemError("create lock file", path, code: errno)) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            var holder: String?
            if code == EWOULDBLOCK {
                var buffer = [UInt8](repeating: 0, count: 512)
                let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
                if got > 0 {
                    holder = String(decoding: buffer[0..<got], as: UTF8.self).trimmingWhitespace()
                }
                Glibc.close(fd)
                throw LockError(path: path, holder: holder?.isEmpty == false ? holder : nil, underlying: nil)
            }
            Glibc.close(fd)
            throw LockError(path: path, holder: nil, underlying: FileSystemError("lock", path, code: code))
        }
        // Who holds it, for the message a second runner prints.
        _ = ftruncate(fd, 0)
        let text = Array((owner + "\n").utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return PosixFileLock(fd: fd)
    }
}

final class PosixFileLock: FileLock {
    private var fd: Int32
    init(fd: Int32) { self.fd = fd }
    func release() {
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        Glibc.close(fd)
        fd = -1
    }
    deinit { release() }
}

final class PosixAppendFile: AppendFile {
    let fd: Int32
    let path: String
    private(set) var size: Int
    private var closed = false

    init(fd: Int32, path: String, size: Int) {
        self.fd = fd
        self.path = path
        self.size = size
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                size += offset
                throw FileSystemError("write", path, code: errno)
            }
            if written == 0 {
                size += offset
                throw FileSystemError("write", path, code: ENOSPC)
            }
            offset += written
        }
        size += offset
    }

    func sync() throws(FileSystemError) {
        if fdatasync(fd) != 0 { throw FileSystemError("sync", path, code: errno) }
    }

    func truncate(to newSize: Int) throws(FileSystemError) {
        if ftruncate(fd, off_t(newSize)) != 0 { throw FileSystemError("truncate", path, code: errno) }
        size = newSize
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    deinit { close() }
}

/// Path helpers without Foundation's NSString.
public enum PathText {
    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    public static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    public static func name(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
