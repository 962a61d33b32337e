/// Every file read in one check: the root file and whatever it includes.
///
/// Diagnostics carry only spans; the map turns them back into paths, lines and source text.
public final class SourceMap: @unchecked Sendable {
    // Appended to only while a program is being loaded, on one thread.
    public private(set) var files: [SourceFile] = []

    public init() {}

    /// Adds a file and returns it with its id set.
    @discardableResult
    public func add(path: String, bytes: [UInt8]) -> SourceFile {
        let file = SourceFile(id: files.count, path: path, bytes: bytes)
        files.append(file)
        return file
    }

    @discardableResult
    public func add(path: String, text: String) -> SourceFile {
        add(path: path, bytes: Array(text.utf8))
    }

    public func file(_ id: Int) -> SourceFile? {
        id >= 0 && id < files.count ? files[id] : nil
    }

    public func file(for span: Span) -> SourceFile? { file(span.file) }
}
