import ReturnRulesLanguage

/// Checks a rule file against the returns schema and runs the domain lints: the one entry point
/// `check`, `plan`, `run` and `test` share.
///
/// The program is kept when only the domain lints report errors: `check` is the gate CI runs
/// before a deploy, while `plan` and `test` still work on a file a lint rejects (the planner
/// enforces its own safety rules at run time).
public enum RuleFileChecker {
    public static func check(root: SourceFile, sources: SourceMap, loader: (any SourceLoader)?, store: StoreSnapshot? = nil) -> CheckResult {
        var result = Checker.check(root: root, sources: sources, schema: ReturnSchema.schema, loader: loader)
        guard let program = result.program else { return result }
        let snapshot = store ?? (loader as? any StoreSnapshotProviding)?.storeSnapshot(for: root)
        let (language, lints) = DomainLinter(program: program, store: snapshot).run(languageDiagnostics: result.diagnostics)
        result.diagnostics = (language + lints).sortedByLocation()
        return result
    }
}

/// A source loader that can also hand over the store snapshot a rule file is checked against
/// (for the RR04xx catalog checks), when the caller passes none.
public protocol StoreSnapshotProviding {
    func storeSnapshot(for file: SourceFile) -> StoreSnapshot?
}
