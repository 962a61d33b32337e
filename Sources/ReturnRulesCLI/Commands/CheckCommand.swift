import Foundation
import ReturnRulesDomain
import ReturnRulesLanguage

/// `returnrules check FILE|DIR...`: parse, check and lint rule files, as CI runs before deploy.
enum CheckCommand {
    static let spec = OptionSpec(
        valued: ["format", "store"],
        flags: ["warnings-as-errors"],
        choices: ["format": ["human", "json", "sarif", "github"]]
    )

    static let help = """
    Usage: returnrules check [options] FILE|DIR...

    Checks rule files: syntax, names, types, actions, the payload mapping, and the domain lints.
    A directory means every *.rules file under it; a file that another checked file includes is
    checked through its includer (a house template need not stand alone).

    Options:
      --format human|json|sarif|github   how to print diagnostics (default human)
      --warnings-as-errors               exit 1 on warnings too
      --store DIR                        also check SKUs and aliases against a store snapshot

    Exit: 0 clean, 1 errors (or warnings with --warnings-as-errors), 2 warnings only, 64 usage.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        guard !arguments.positional.isEmpty else { throw UsageError("check needs at least one FILE or DIR") }
        let files = try RuleFileDiscovery.files(in: arguments.positional, io: io)
        guard !files.isEmpty else { throw UsageError("no .rules files under \(arguments.positional.joined(separator: ", "))") }
        let sources = SourceMap()
        var diagnostics: [Diagnostic] = []
        var seen = Set<String>()
        var included = Set<String>()
        var results: [(path: String, result: CheckResult, includes: Set<String>)] = []
        for path in files {
            let root: SourceFile
            do {
                root = sources.add(path: path, bytes: try FileReading.read(io.absolute(path)))
            } catch {
                io.write("error: cannot read \(path): \(error.message)\n", to: .stderr)
                return .ioError
            }
            let result = RuleFileChecker.check(root: root, sources: sources, loader: FileSourceLoader())
            let includes = Set(sources.files.filter { $0.id != root.id && $0.id > root.id }.map { canonical($0.path, io: io) })
            results.append((path, result, includes))
            included.formUnion(includes)
        }
        var checkedCount = 0
        for (path, result, _) in results {
            if included.contains(canonical(path, io: io)), results.count > 1 { continue }
            checkedCount += 1
            for diagnostic in result.diagnostics {
                let key = "\(sources.file(for: diagnostic.span)?.path ?? "")|\(diagnostic.span.start)|\(diagnostic.code.rawValue)|\(diagnostic.message)"
                if seen.insert(key).inserted { diagnostics.append(diagnostic) }
            }
        }
        let format = arguments.value("format") ?? "human"
        let output = DiagnosticOutput.render(diagnostics, sources: sources, format: format, files: checkedCount, io: io)
        io.write(output)
        let errors = diagnostics.errors.count
        let warnings = diagnostics.warnings.count
        if format == "human" {
            let summary = "checked \(checkedCount) file\(checkedCount == 1 ? "" : "s"): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
            io.write(summary, to: .stderr)
        }
        if errors > 0 { return .failure }
        if warnings > 0 { return arguments.has("warnings-as-errors") ? .failure : .warningsOrChanges }
        return .success
    }

    static func canonical(_ path: String, io: ToolIO) -> String {
        URL(fileURLWithPath: io.absolute(path)).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
