import Foundation
import JSONBytes

/// One event as read from its source: parsed JSON, or why it could not be parsed.
public struct IncomingEvent: Sendable {
    public var source: EventSource
    public var document: Result<JSONDocument, IntakeError>
    /// The raw bytes, kept for the dead-letter file.
    public var raw: ArraySlice<UInt8>
}

/// Reads Reveni events from JSON files (one event, or an array of events), JSON Lines files
/// (`.jsonl`, `.ndjson`, one event per line), directories of those, or standard input (JSON
/// Lines). Streams: memory is bounded by the longest line, not the file.
///
/// A line or file that is not valid JSON is still yielded, as an `IntakeError` naming the file,
/// the line and the position, so the caller can dead-letter it and go on.
public enum EventReader {
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// The files a path stands for: itself, or the event files of a directory (sorted, recursive).
    public static func files(at path: String) throws(ReadError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReadError(path: path, message: "no such file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        var found: [String] = []
        if let enumerator = FileManager.default.enumerator(atPath: path) {
            while let relative = enumerator.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") { enumerator.skipDescendants(); continue }
                if isEventFile(name) { found.append((path as NSString).appendingPathComponent(relative)) }
            }
        }
        return found.sorted()
    }

    public static func isEventFile(_ name: String) -> Bool {
        name.hasSuffix(".json") || name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson")
    }

    static func isLines(_ path: String) -> Bool { path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") || path == "-" }

    /// Calls `body` for every event of one file (or `-` for standard input).
    public static func read(_ path: String, displayPath: String? = nil, standardInput: FileHandle? = nil,
                            _ body: (IncomingEvent) throws -> Void) throws {
        let shown = displayPath ?? (path == "-" ? "<stdin>" : path)
        if isLines(path) {
            let handle: FileHandle
            if path == "-" {
                handle = standardInput ?? FileHandle.standardInput
            } else {
                guard let opened = FileHandle(forReadingAtPath: path) else { throw ReadError(path: shown, message: "cannot open for reading") }
                handle = opened
            }
            // The reader holds only the descriptor: keep the handle (which closes it) alive.
            try withExtendedLifetime(handle) {
                var reader = JSONLineReader(fileHandle: handle)
                // One parser for the stream: each line reuses the tape of the one before once
                // `body` has let go of it.
                var parser = JSONParser()
                try reader.forEachLine { line in
                    let source = EventSource(file: shown, line: line.number)
                    try body(parse(line.bytes, source: source, with: &parser))
                    // Unless `body` kept the document, the reader's buffer is unshared again.
                    parser.releaseInput()
                }
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw ReadError(path: shown, message: "cannot read") }
        let bytes = [UInt8](data)
        let document: JSONDocument
        do {
            document = try JSONDocument(parsing: bytes)
        } catch {
            try body(IncomingEvent(source: EventSource(file: shown), document: .failure(syntaxError(error, source: EventSource(file: shown))), raw: bytes[...]))
            return
        }
        if document.root.kind == .array {
            // An array of events: each element is one event, re-parsed on its own so it can be
            // dead-lettered on its own.
            for (index, element) in document.root.elements.enumerated() {
                let source = EventSource(file: shown, index: index)
                try body(parse(element.rawBytes, source: source))
            }
            return
        }
        try body(IncomingEvent(source: EventSource(file: shown), document: .success(document), raw: bytes[...]))
    }

    /// Parses one event's bytes.
    public static func parse(_ bytes: ArraySlice<UInt8>, source: EventSource) -> IncomingEvent {
        var parser = JSONParser()
        return parse(bytes, source: source, with: &parser)
    }

    /// Parses one event's bytes with `parser` (which reuses its memory from event to event).
    public static func parse(_ bytes: ArraySlice<UInt8>, source: EventSource, with parser: inout JSONParser) -> IncomingEvent {
        do {
            let document = try parser.parse(bytes)
            guard document.root.kind == .object else {
                return IncomingEvent(source: source, document: .failure(IntakeError("an event must be a JSON object, found \(document.root.kind)", at: "$",
                                                                                    source: source.file, line: source.line)), raw: bytes)
            }
            return IncomingEvent(source: source, document: .success(document), raw: bytes)
        } catch {
            return IncomingEvent(source: source, document: .failure(syntaxError(error, source: source)), raw: bytes)
        }
    }

    static func syntaxError(_ error: JSONSyntaxError, source: EventSource) -> IntakeError {
        let position = source.line == nil ? "line \(error.line), column \(error.column)" : "column \(error.column)"
        return IntakeError("malformed JSON at \(position): \(error.message)", at: error.path, source: source.file, line: source.line)
    }
}
