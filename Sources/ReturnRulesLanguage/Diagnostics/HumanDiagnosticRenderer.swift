/// Renders diagnostics the way rustc and Cedar do:
///
///     rules/acme.rules:12:8: error[RR0205]: money compared with a bare number
///        |
///     12 |   when refund.amount > 400
///        |        ^^^^^^^^^^^^^^^^^^^ `400` has no currency
///        = help: write `400.00 EUR`
///
/// Colour (ANSI) only when the caller says the output is a terminal.
public struct HumanDiagnosticRenderer: Sendable {
    public var useColor: Bool

    public init(useColor: Bool = false) { self.useColor = useColor }

    public func render(_ diagnostics: [Diagnostic], sources: SourceMap) -> String {
        var out = ""
        for diagnostic in diagnostics {
            render(diagnostic, sources: sources, into: &out)
        }
        return out
    }

    public func render(_ diagnostic: Diagnostic, sources: SourceMap, into out: inout String) {
        let header = "\(severityText(diagnostic.severity))[\(diagnostic.code.rawValue)]"
        guard let file = sources.file(for: diagnostic.span) else {
            out += "\(paint(header, diagnostic.severity)): \(bold(diagnostic.message))\n"
            renderNotes(diagnostic, sources: sources, gutter: "", into: &out)
            return
        }
        let start = file.location(of: diagnostic.span.start)
        out += "\(file.path):\(start.line):\(start.column): \(paint(header, diagnostic.severity)): \(bold(diagnostic.message))\n"
        let gutterWidth = String(start.line).count
        let gutter = String(repeating: " ", count: gutterWidth)
        out += "\(gutter) \(blue("|"))\n"
        let line = file.lineText(start.line)
        out += "\(blue(String(start.line))) \(blue("|")) \(line)\n"
        let underline = caretLine(for: diagnostic.span, in: file, line: start.line)
        var marker = paint(underline, diagnostic.severity)
        if let label = diagnostic.label { marker += " " + paint(label, diagnostic.severity) }
        out += "\(gutter) \(blue("|")) \(marker)\n"
        renderNotes(diagnostic, sources: sources, gutter: gutter, into: &out)
    }

    private func renderNotes(_ diagnostic: Diagnostic, sources: SourceMap, gutter: String, into out: inout String) {
        for note in diagnostic.notes {
            var whereText = ""
            if let span = note.span, let file = sources.file(for: span) {
                let loc = file.location(of: span.start)
                whereText = " (\(file.path):\(loc.line):\(loc.column))"
            }
            out += "\(gutter) \(blue("=")) \(bold("note")): \(note.message)\(whereText)\n"
        }
        if let help = diagnostic.help {
            out += "\(gutter) \(blue("=")) \(bold("help")): \(help)\n"
        }
    }

    /// Carets under the span's part on its first line; a span running past the line end gets
    /// carets to the end of the line, a zero-length span one caret. Laid out in display columns
    /// of the line as printed (invalid UTF-8 repaired, wide characters two columns), not in
    /// bytes or scalars, so the carets sit under what they point at.
    private func caretLine(for span: Span, in file: SourceFile, line: Int) -> String {
        let lineStart = file.lineStarts[line - 1]
        let lineEndOffset = line < file.lineStarts.count ? file.lineStarts[line] - 1 : file.bytes.count
        let start = min(max(span.start, lineStart), file.bytes.count)
        let endOffset = min(span.end, max(lineEndOffset, start))
        // Tabs in the prefix are echoed so the carets line up in any terminal.
        var prefix = ""
        for scalar in String(decoding: file.bytes[lineStart..<start], as: UTF8.self).unicodeScalars {
            prefix += scalar == "\t" ? "\t" : String(repeating: " ", count: DisplayWidth.of(scalar))
        }
        var width = 0
        for scalar in String(decoding: file.bytes[start..<max(start, endOffset)], as: UTF8.self).unicodeScalars {
            width += scalar == "\t" ? 1 : DisplayWidth.of(scalar)
        }
        return prefix + String(repeating: "^", count: max(1, width))
    }

    private func severityText(_ severity: Severity) -> String { severity.rawValue }

    private func paint(_ text: String, _ severity: Severity) -> String {
        guard useColor else { return text }
        let code = switch severity {
        case .error: "\u{1B}[1;31m"
        case .warning: "\u{1B}[1;33m"
        case .note: "\u{1B}[1;36m"
        }
        return code + text + "\u{1B}[0m"
    }

    private func bold(_ text: String) -> String { useColor ? "\u{1B}[1m" + text + "\u{1B}[0m" : text }
    private func blue(_ text: String) -> String { useColor ? "\u{1B}[1;34m" + text + "\u{1B}[0m" : text }
}
