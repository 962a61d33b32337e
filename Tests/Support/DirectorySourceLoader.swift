import Foundation
import ReturnRulesLanguage

/// Reads includes from one directory tree, with every path kept relative to its root.
///
/// The snippet corpus uses it so that paths in diagnostics (and so in the goldens) read
/// `errors/RR0216-include-not-found.rules` on every machine, whatever the checkout's location.
/// The key of a file is its normalised relative path, so include cycles are found by key.
public struct DirectorySourceLoader: SourceLoader {
    public let root: String

    public init(root: String) { self.root = root }

    public func resolve(_ path: String, from includer: SourceFile) -> (key: String, displayPath: String) {
        let key = PathText.join(directory: PathText.directory(of: includer.path), path)
        return (key, key)
    }

    public func load(key: String) throws -> [UInt8] {
        let full = key.hasPrefix("/") ? key : root + "/" + key
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { throw SourceLoadError("no such file") }
        guard !isDirectory.boolValue else { throw SourceLoadError("it is a directory") }
        guard let data = FileManager.default.contents(atPath: full) else { throw SourceLoadError("unreadable") }
        return [UInt8](data)
    }
}
