import ReturnRulesLanguage

/// `check --format github`: GitHub Actions workflow commands, one per diagnostic, so findings
/// show on the pull request's diff:
///
///     ::error file=rules/acme.rules,line=12,col=8,endLine=12,endColumn=27,title=RR0303::message
///
/// Notes (with their location) and the help follow the message on their own lines. Errors
/// are `::error`, warnings `::warning`, notes `::notice`; a diagnostic without a location has
/// no `file`.
struct GitHubAnnotationRenderer {
    func render(_ diagnostics: [Diagnostic], sources: SourceMap) -> String {
        var out = ""
        for diagnostic in diagnostics {
            let command = switch diagnostic.severity {
            case .error: "error"
            case .warning: "warning"
            case .note: "notice"
            }
            var properties: [String] = []
            if let file = sources.file(for: diagnostic.span) {
                let start = file.location(of: diagnostic.span.start)
                let end = file.location(of: diagnostic.span.end)
                properties += ["file=\(property(file.path))", "line=\(start.line)", "col=\(start.column)",
                               "endLine=\(end.line)", "endColumn=\(max(end.column, start.column + (diagnostic.span.length == 0 ? 1 : 0)))"]
            }
            properties.append("title=\(property(diagnostic.code.rawValue))")
            var message = diagnostic.message
            if let label = diagnostic.label { message += " (\(label))" }
            for note in diagnostic.notes {
                var whereText = ""
                if let span = note.span, let file = sources.file(for: span) {
                    let location = file.location(of: span.start)
                    whereText = " (\(file.path):\(location.line):\(location.column))"
                }
                message += "\nnote: \(note.message)\(whereText)"
            }
            if let help = diagnostic.help { message += "\nhelp: \(help)" }
            out += "::\(command) \(properties.joined(separator: ","))::\(data(message))\n"
        }
        return out
    }

    /// Escaping for the message (workflow command data).
    func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escaping for a property value.
    func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
