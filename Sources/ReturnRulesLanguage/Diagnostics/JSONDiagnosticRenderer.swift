import JSONBytes

/// `--format json`: a versioned document for tools.
///
///     {"format_version": 1, "diagnostics": [{"code": "RR0205", "name": "…", "severity": "error",
///      "message": "…", "file": "rules/acme.rules", "line": 12, "column": 8, "end_line": 12,
///      "end_column": 27, "offset": 301, "length": 19, "label": …, "notes": […], "help": …}],
///      "summary": {"errors": 1, "warnings": 0, "files": 2}}
public struct JSONDiagnosticRenderer: Sendable {
    /// Bumped only when a field changes meaning or disappears; new fields may appear.
    public static let formatVersion = 1

    public init() {}

    public func render(_ diagnostics: [Diagnostic], sources: SourceMap, files: Int? = nil) -> String {
        var writer = JSONWriter(style: .pretty)
        writer.beginObject()
        writer.key("format_version")
        writer.int(JSONDiagnosticRenderer.formatVersion)
        writer.key("diagnostics")
        writer.beginArray()
        for diagnostic in diagnostics { write(diagnostic, sources: sources, into: &writer) }
        writer.endArray()
        writer.key("summary")
        writer.beginObject()
        writer.key("errors")
        writer.int(diagnostics.errors.count)
        writer.key("warnings")
        writer.int(diagnostics.warnings.count)
        if let files {
            writer.key("files")
            writer.int(files)
        }
        writer.endObject()
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self) + "\n"
    }

    func write(_ diagnostic: Diagnostic, sources: SourceMap, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("code")
        writer.string(diagnostic.code.rawValue)
        writer.key("name")
        writer.string(diagnostic.code.name)
        writer.key("severity")
        writer.string(diagnostic.severity.rawValue)
        writer.key("message")
        writer.string(diagnostic.message)
        writeLocation(diagnostic.span, sources: sources, into: &writer, withEnd: true)
        if let label = diagnostic.label {
            writer.key("label")
            writer.string(label)
        }
        writer.key("notes")
        writer.beginArray()
        for note in diagnostic.notes {
            writer.beginObject()
            writer.key("message")
            writer.string(note.message)
            if let span = note.span { writeLocation(span, sources: sources, into: &writer, withEnd: false) }
            writer.endObject()
        }
        writer.endArray()
        if let help = diagnostic.help {
            writer.key("help")
            writer.string(help)
        }
        writer.endObject()
    }

    func writeLocation(_ span: Span, sources: SourceMap, into writer: inout JSONWriter, withEnd: Bool) {
        guard let file = sources.file(for: span) else { return }
        let start = file.location(of: span.start)
        writer.key("file")
        writer.string(file.path)
        writer.key("line")
        writer.int(start.line)
        writer.key("column")
        writer.int(start.column)
        if withEnd {
            let end = file.location(of: span.end)
            writer.key("end_line")
            writer.int(end.line)
            writer.key("end_column")
            writer.int(end.column)
            writer.key("offset")
            writer.int(span.start)
            writer.key("length")
            writer.int(span.length)
        }
    }
}
