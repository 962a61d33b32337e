import JSONBytes
import ReturnRulesDomain
import ReturnRulesLanguage

/// `check --format sarif`: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).
///
/// One run whose tool driver is `returnrules` with every diagnostic code as a rule (id = code,
/// name = its kebab-case name, default level = its default severity). One result per
/// diagnostic: the primary span as its location, notes with a span as related locations (with
/// the note as their message), and notes without one, then the help, appended to the message.
/// Columns count Unicode code points, as the human output does (`columnKind`).
struct SARIFRenderer {
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"
    static let version = "2.1.0"

    /// Every code a rule can carry, in catalog order (the rule index of a result is its position).
    var codes: [DiagnosticCode] = DiagnosticCode.languageCodes + DiagnosticCode.domainCodes

    func render(_ diagnostics: [Diagnostic], sources: SourceMap) -> String {
        var writer = JSONWriter(style: .pretty)
        writer.beginObject()
        writer.key("$schema")
        writer.string(SARIFRenderer.schema)
        writer.key("version")
        writer.string(SARIFRenderer.version)
        writer.key("runs")
        writer.beginArray()
        writer.beginObject()
        writer.key("tool")
        writer.beginObject()
        writer.key("driver")
        writer.beginObject()
        writer.key("name")
        writer.string("returnrules")
        writer.key("version")
        writer.string(CommandLineTool.version)
        writer.key("semanticVersion")
        writer.string(CommandLineTool.version)
        writer.key("rules")
        writer.beginArray()
        for code in codes {
            writer.beginObject()
            writer.key("id")
            writer.string(code.rawValue)
            writer.key("name")
            writer.string(code.name)
            writer.key("shortDescription")
            writer.beginObject()
            writer.key("text")
            writer.string(code.name.replacingOccurrences(of: "-", with: " "))
            writer.endObject()
            writer.key("defaultConfiguration")
            writer.beginObject()
            writer.key("level")
            writer.string(SARIFRenderer.level(code.defaultSeverity))
            writer.endObject()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.endObject()
        writer.key("columnKind")
        writer.string("unicodeCodePoints")
        writer.key("results")
        writer.beginArray()
        for diagnostic in diagnostics { write(diagnostic, sources: sources, into: &writer) }
        writer.endArray()
        writer.endObject()
        writer.endArray()
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self) + "\n"
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    func write(_ diagnostic: Diagnostic, sources: SourceMap, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("ruleId")
        writer.string(diagnostic.code.rawValue)
        if let index = codes.firstIndex(of: diagnostic.code) {
            writer.key("ruleIndex")
            writer.int(index)
        }
        writer.key("level")
        writer.string(SARIFRenderer.level(diagnostic.severity))
        var text = diagnostic.message
        for note in diagnostic.notes where note.span.flatMap({ sources.file(for: $0) }) == nil { text += "\nnote: " + note.message }
        if let help = diagnostic.help { text += "\nhelp: " + help }
        writer.key("message")
        writer.beginObject()
        writer.key("text")
        writer.string(text)
        writer.endObject()
        writer.key("locations")
        writer.beginArray()
        writeLocation(diagnostic.span, sources: sources, into: &writer, id: nil, message: diagnostic.label)
        writer.endArray()
        let related = diagnostic.notes.filter { note in note.span.flatMap { sources.file(for: $0) } != nil }
        if !related.isEmpty {
            writer.key("relatedLocations")
            writer.beginArray()
            for (index, note) in related.enumerated() {
                _ = writeLocation(note.span!, sources: sources, into: &writer, id: index + 1, message: note.message)
            }
            writer.endArray()
        }
        writer.endObject()
    }

    /// Writes one `location` object; false (and nothing) when the span has no file.
    @discardableResult
    func writeLocation(_ span: Span, sources: SourceMap, into writer: inout JSONWriter, id: Int?, message: String?) -> Bool {
        guard let file = sources.file(for: span) else { return false }
        let start = file.location(of: span.start)
        let end = file.location(of: span.end)
        writer.beginObject()
        if let id {
            writer.key("id")
            writer.int(id)
        }
        writer.key("physicalLocation")
        writer.beginObject()
        writer.key("artifactLocation")
        writer.beginObject()
        writer.key("uri")
        writer.string(SARIFRenderer.uri(file.path))
        writer.endObject()
        writer.key("region")
        writer.beginObject()
        writer.key("startLine")
        writer.int(start.line)
        writer.key("startColumn")
        writer.int(start.column)
        writer.key("endLine")
        writer.int(end.line)
        writer.key("endColumn")
        writer.int(max(end.column, span.length == 0 ? start.column + 1 : end.column))
        writer.endObject()
        writer.endObject()
        if let message {
            writer.key("message")
            writer.beginObject()
            writer.key("text")
            writer.string(message)
            writer.endObject()
        }
        writer.endObject()
        return true
    }

    /// A relative path as a URI reference (percent-encoding what a URI cannot hold).
    static func uri(_ path: String) -> String {
        var out = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", ".", "_", "~", "/", ":": out.unicodeScalars.append(scalar)
            default:
                for byte in String(scalar).utf8 { out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) }
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
