import BenchmarkSpec
import Foundation
import ReturnRulesDomain
import ReturnRulesLanguage

/// The benchmark's inputs: a rule file compiled as `check` compiles it, and the peer harness's
/// JSON Lines events mapped by that file's mapping.
enum SpecInput {
    static func rules(_ path: String) -> CompiledRuleSet {
        let sources = SourceMap()
        guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)", code: 74) }
        let root = sources.add(path: path, bytes: [UInt8](data))
        let result = RuleFileChecker.check(root: root, sources: sources, loader: nil)
        guard let program = result.program else {
            fail("\(path) does not check:\n" + HumanDiagnosticRenderer().render(result.diagnostics, sources: sources), code: 1)
        }
        return CompiledRuleSet(program)
    }

    /// Every event, mapped, with the stream's duplicate flag (SPEC.md's R01).
    static func events(_ path: String, rules: CompiledRuleSet) -> [SpecEvents.Event] {
        guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)", code: 74) }
        do {
            return try SpecEvents.load([UInt8](data), path: path, rules: rules)
        } catch {
            fail(error.description, code: 1)
        }
    }
}
