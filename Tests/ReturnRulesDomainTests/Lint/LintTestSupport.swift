import ReturnRulesDomain
import ReturnRulesLanguage

/// Checks rule-file text with the real returns schema and lints, in memory.
enum Lint {
    /// The header the lint tests share: what Reveni does for this client, grades A–C, A and B restockable.
    static let header = """
    returnrules 1
    client "lint-shop"
    currency EUR
    rounding half_up
    grades A, B, C
    restock_grades A, B
    reveni {
      pays_bank_transfers yes
      issues_store_credit no
      restocks_on_accept no
      creates_exchange_orders no
    }

    """

    /// A decision table that handles every accepted and partly accepted return.
    static let decided = """
    on return accepted, partly_accepted match first {
      rule decide
        otherwise
        then review "finance" reason: "decide by hand"
    }

    """

    struct Outcome {
        var result: CheckResult
        var sources: SourceMap

        var diagnostics: [Diagnostic] { result.diagnostics }
        var codes: [String] { diagnostics.map(\.code.rawValue) }
        func with(_ code: DiagnosticCode) -> [Diagnostic] { diagnostics.filter { $0.code == code } }
        var rendered: String { HumanDiagnosticRenderer().render(diagnostics, sources: sources) }
        /// Every note's text, for witness assertions.
        func notes(_ code: DiagnosticCode) -> [String] { with(code).flatMap { $0.notes.map(\.message) } }
        /// The source text a diagnostic underlines.
        func underlined(_ diagnostic: Diagnostic) -> String { sources.file(for: diagnostic.span)?.text(of: diagnostic.span) ?? "" }
    }

    static func check(_ body: String, header: String = Lint.header, store: StoreSnapshot? = nil, files: [String: String] = [:]) -> Outcome {
        let sources = SourceMap()
        let root = sources.add(path: "client.rules", text: header + body)
        let result = RuleFileChecker.check(root: root, sources: sources, loader: InMemorySourceLoader(files), store: store)
        return Outcome(result: result, sources: sources)
    }

    static func program(_ body: String, header: String = Lint.header) -> CheckedProgram? {
        check(body, header: header).result.program
    }
}
