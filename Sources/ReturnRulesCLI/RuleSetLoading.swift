import Foundation
import ReturnRulesDomain
import ReturnRulesLanguage

/// Loading `--rules FILE` and `--store DIR` the same way for every command that plans.
enum RuleSetLoading {
    struct Failure: Error {
        var exitCode: ExitCode
    }

    /// Reads, checks and compiles a rule file; on errors prints the diagnostics to stderr.
    static func load(_ path: String, io: ToolIO, baseDirectory: String? = nil) throws(Failure) -> CompiledRuleSet {
        let sources = SourceMap()
        let root: SourceFile
        let base = baseDirectory ?? io.currentDirectory
        let absolute = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
        do {
            root = sources.add(path: path, bytes: try FileReading.read(absolute))
        } catch {
            io.write("error: cannot read rules \(path): \(error.message)\n", to: .stderr)
            throw Failure(exitCode: .ioError)
        }
        let result = RuleFileChecker.check(root: root, sources: sources, loader: FileSourceLoader(baseDirectory: base))
        guard let program = result.program else {
            io.write(HumanDiagnosticRenderer(useColor: io.useColor(for: .stderr)).render(result.diagnostics.errors, sources: sources), to: .stderr)
            io.write("error: \(path) has \(result.diagnostics.errors.count) error\(result.diagnostics.errors.count == 1 ? "" : "s"); run `returnrules check \(path)`\n", to: .stderr)
            throw Failure(exitCode: .failure)
        }
        // Warnings do not stop a dry run or a production run, but they should not go unseen.
        let warnings = result.diagnostics.warnings.count
        if warnings > 0 {
            io.write("warning: \(path) has \(warnings) warning\(warnings == 1 ? "" : "s"); run `returnrules check \(path)` to see \(warnings == 1 ? "it" : "them")\n", to: .stderr)
        }
        return CompiledRuleSet(program)
    }

    static func store(_ path: String?, io: ToolIO) throws(Failure) -> StoreSnapshot? {
        guard let path else { return nil }
        do {
            let snapshot = try StoreSnapshotLoader.load(directory: io.absolute(path))
            for warning in snapshot.warnings { io.write("warning: store \(path): \(warning)\n", to: .stderr) }
            return snapshot
        } catch {
            io.write("error: store \(path): \(error)\n", to: .stderr)
            throw Failure(exitCode: .failure)
        }
    }
}
