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
                                         (the folder `plan --store` takes): RR04xx

    Formats: human (rustc-style, with source lines), json (versioned, see the README), sarif
    (SARIF 2.1.0 for code scanning: `github/codeql-action/upload-sarif`), github (workflow
    commands that annotate the pull request: `::error file=…,line=…::…`).

    The domain lints (RR03xx) are exact over the finite domain: return type × status × mode ×
    refund method × who pays × refund status, and for `on item inspected` grade × validation ×
    outcome; other conditions (amounts, SKUs) are unknowns that may go either way. Each finding
    names a witness case (`type=refund status=accepted method=bank_transfer executed_by=reveni`).
    Silence one with a written reason before the rule: `@allow(RR0303, reason: "…")`; an
    `@allow` that silences nothing is a warning.

      RR0301  a decision point (accepted, partly accepted, item inspected) leaves cells unhandled
      RR0302  a status with a table leaves cells unhandled (warning)
      RR0303  money moves twice for the same units over a return's lifecycle
      RR0304  a unit is restocked and sent to review
      RR0305  a rule never fires under its table's hit policy
      RR0306  a condition is always true (an error when it hides later rules)
      RR0307  a condition is never true (warning)
      RR0308  a restock in `on item inspected` that does not test the grade
      RR0309  an exchange refunded without a replacement order (warning)
      RR0310  a refund with `restock: yes`
      RR0311  money or stock Reveni already handles for this client, done again
      RR0312  a customer note about a refund Reveni handles (warning)
      RR0313  a gateway refund not limited to the original payment method
      RR0314  an `@allow` that suppresses nothing (warning)
      RR0401  an SKU in the rules is not in the store          (with --store)
      RR0402  an alias points at nothing in the store          (with --store)
      RR0403  an SKU in the rules matches several records      (with --store)
      RR0404  the store has duplicate SKUs (warning)           (with --store)
      RR0405  variations show their parent's SKU (warning)     (with --store)

    Exit: 0 clean, 1 errors (or warnings with --warnings-as-errors), 2 warnings only, 64 usage.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        guard !arguments.positional.isEmpty else { throw UsageError("check needs at least one FILE or DIR") }
        CheckAllocatorTuning.apply()
        let files = try RuleFileDiscovery.files(in: arguments.positional, io: io)
        guard !files.isEmpty else { throw UsageError("no .rules files under \(arguments.positional.joined(separator: ", "))") }
        var store: StoreSnapshot?
        if let storePath = arguments.value("store") {
            do {
                let snapshot = try StoreSnapshotLoader.load(directory: io.absolute(storePath))
                // Duplicate SKUs are reported as RR0404 with the rule file's diagnostics.
                for warning in snapshot.warnings {
                    if case .duplicateSKU = warning { continue }
                    io.write("warning: store \(storePath): \(warning)\n", to: .stderr)
                }
                store = snapshot
            } catch {
                io.write("error: store \(storePath): \(error)\n", to: .stderr)
                return .failure
            }
        }
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
            let result = RuleFileChecker.check(root: root, sources: sources, loader: FileSourceLoader(baseDirectory: io.currentDirectory), store: store)
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
        // The checked programs are not needed any more: freeing them is left to another thread.
        BackgroundRelease.drop(consume results)
        if errors > 0 { return .failure }
        if warnings > 0 { return arguments.has("warnings-as-errors") ? .failure : .warningsOrChanges }
        return .success
    }

    static func canonical(_ path: String, io: ToolIO) -> String {
        URL(fileURLWithPath: io.absolute(path)).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
