import ReturnRulesLanguage

/// Checks a rule file against the returns schema and runs the domain lints: the one entry point
/// `check`, `plan`, `run` and `test` share.
public enum RuleFileChecker {
    public static func check(root: SourceFile, sources: SourceMap, loader: (any SourceLoader)?) -> CheckResult {
        Checker.check(root: root, sources: sources, schema: ReturnSchema.schema, loader: loader)
    }
}
