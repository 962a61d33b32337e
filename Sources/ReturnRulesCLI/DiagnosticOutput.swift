import ReturnRulesLanguage

/// Renders diagnostics in the format `--format` asked for.
enum DiagnosticOutput {
    static func render(_ diagnostics: [Diagnostic], sources: SourceMap, format: String, files: Int, io: ToolIO) -> String {
        switch format {
        case "json": JSONDiagnosticRenderer().render(diagnostics, sources: sources, files: files)
        case "sarif": SARIFRenderer().render(diagnostics, sources: sources)
        case "github": GitHubAnnotationRenderer().render(diagnostics, sources: sources)
        default: HumanDiagnosticRenderer(useColor: io.useColor(for: .stdout)).render(diagnostics, sources: sources)
        }
    }
}
