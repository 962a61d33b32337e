import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ReturnRulesLanguage

/// Reads included rule files from disk, relative to the including file.
struct FileSourceLoader: SourceLoader {
    /// The directory display paths are relative to (the working directory by default).
    var baseDirectory: String = FileManager.default.currentDirectoryPath

    func resolve(_ path: String, from includer: SourceFile) -> (key: String, displayPath: String) {
        let display = PathText.join(directory: PathText.directory(of: includer.path), path)
        let absolute = display.hasPrefix("/") ? display : (baseDirectory as NSString).appendingPathComponent(display)
        let key = URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
        return (key, display)
    }

    func load(key: String) throws -> [UInt8] {
        try FileReading.read(key)
    }
}

/// File reading with messages a consultant can act on.
///
/// Read straight into the array the lexer uses: going through `FileManager.contents` read the
/// file into `Data` and then copied it, two fresh buffers the size of the file.
enum FileReading {
    static func read(_ path: String) throws(SourceLoadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SourceLoadError(message(errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw SourceLoadError(message(errno)) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw SourceLoadError("it is a directory") }
        // The size is a hint: a file that grows is read to its end. Anything but a regular file
        // (a pipe, `/dev/stdin`, a device that never ends) is read up to one byte past the
        // largest rule file, which the parser then reports as too large.
        let isRegular = (status.st_mode & S_IFMT) == S_IFREG
        let limit = isRegular ? Int.max : Parser.maximumFileSize + 1
        var bytes = [UInt8](repeating: 0, count: min(max(Int(status.st_size), 0) + 1, limit))
        var count = 0
        while count < limit {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: min(max(bytes.count, 4096), limit - count))) }
            let read = bytes.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if read == 0 { break }
            if read < 0 {
                if errno == EINTR { continue }
                throw SourceLoadError(message(errno))
            }
            count += read
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    // `read` here would be this type's own.
    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
        #else
        Darwin.read(descriptor, buffer, count)
        #endif
    }

    private static func message(_ code: Int32) -> String {
        switch code {
        case ENOENT, ENOTDIR: "no such file"
        case EACCES, EPERM: "permission denied or unreadable"
        case EISDIR: "it is a directory"
        default: "unreadable: \(String(cString: strerror(code)))"
        }
    }
}
