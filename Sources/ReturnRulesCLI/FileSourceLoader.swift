import Foundation
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
enum FileReading {
    static func read(_ path: String) throws(SourceLoadError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw SourceLoadError("no such file") }
        if isDirectory.boolValue { throw SourceLoadError("it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else { throw SourceLoadError("permission denied or unreadable") }
        return [UInt8](data)
    }
}
