/// How the language library gets the text of an `include`d file.
///
/// The library never touches the file system itself: the caller (the CLI, a test, an editor)
/// passes a loader, so includes can come from disk, from memory or from a bundle.
public protocol SourceLoader: Sendable {
    /// Resolves `path` as written in an include of `includer` to a canonical key that identifies
    /// the file (used to detect include cycles), and its display path.
    func resolve(_ path: String, from includer: SourceFile) -> (key: String, displayPath: String)
    /// Reads the file behind a key returned by `resolve`. Throws `SourceLoadError` when it cannot.
    func load(key: String) throws -> [UInt8]
}

/// Why an included file could not be read; reported as a diagnostic on the include.
public struct SourceLoadError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// A loader over an in-memory dictionary of path → text, for tests and for built-in files.
public struct InMemorySourceLoader: SourceLoader {
    public var files: [String: String]

    public init(_ files: [String: String]) { self.files = files }

    public func resolve(_ path: String, from includer: SourceFile) -> (key: String, displayPath: String) {
        let key = PathText.join(directory: PathText.directory(of: includer.path), path)
        return (key, key)
    }

    public func load(key: String) throws -> [UInt8] {
        guard let text = files[key] else { throw SourceLoadError("no such file") }
        return Array(text.utf8)
    }
}

/// Path arithmetic on plain strings (`/`-separated), so the library needs no file system.
public enum PathText {
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// Joins and normalises `.` and `..` segments; an absolute `path` ignores `directory`.
    public static func join(directory: String, _ path: String) -> String {
        let combined = path.hasPrefix("/") || directory.isEmpty ? path : directory + "/" + path
        let absolute = combined.hasPrefix("/")
        var parts: [Substring] = []
        for part in combined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if part == "..", absolute, parts.isEmpty { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
