import Foundation

/// Turns `FILE|DIR...` arguments into rule files: a directory means every `*.rules` file under
/// it (sorted, hidden folders skipped); a file is taken as named.
enum RuleFileDiscovery {
    static func files(in paths: [String], io: ToolIO) throws(UsageError) -> [String] {
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: io.absolute(path), isDirectory: &isDirectory) else {
                throw UsageError("no such file or directory: \(path)")
            }
            if !isDirectory.boolValue {
                result.append(path)
                continue
            }
            var found: [String] = []
            if let enumerator = FileManager.default.enumerator(atPath: io.absolute(path)) {
                while let relative = enumerator.nextObject() as? String {
                    let name = (relative as NSString).lastPathComponent
                    if name.hasPrefix(".") || name == ".build" { enumerator.skipDescendants(); continue }
                    if relative.hasSuffix(".rules") { found.append(PathJoin.join(path, relative)) }
                }
            }
            result.append(contentsOf: found.sorted())
        }
        return result
    }
}

enum PathJoin {
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
