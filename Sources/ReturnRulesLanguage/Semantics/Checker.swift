/// The result of checking: the program when there were no errors, and every diagnostic.
public struct CheckResult: Sendable {
    public var program: CheckedProgram?
    public var diagnostics: [Diagnostic]
    public var sources: SourceMap

    /// True when there are no errors; warnings are allowed.
    public var passed: Bool { !diagnostics.hasErrors }
}

/// Resolves names, types every expression, merges includes and checks actions against the
/// domain's schema. Everything is reported and checking goes on, so one run shows all errors.
///
/// Order: settings first (they declare enums such as `grade` and fix the currency), then
/// constants, the payload mapping, aliases, and finally the decision tables.
public struct Checker: Sendable {
    let schema: LanguageSchema
    let loaded: LoadedProgram
    var diagnostics: DiagnosticSink

    // Header, filled by `checkSettings`.
    var languageVersion = 1
    var client = ""
    var currency: Currency = Currency.iso4217("EUR")!
    var currencyDeclared = false
    var rounding: RoundingMode = .halfUp
    var settings: [String: SettingValue] = [:]
    var settingSpans: [String: Span] = [:]
    var enums: [String: [String]]
    var payloadFormat: String?

    // Constants in definition order.
    var constants: [String: CheckedConstant] = [:]
    var constantOrigins: [String: (file: Int, depth: Int)] = [:]
    var usedConstants: Set<String> = []
    /// How deep each constant's expression is once the constants it uses are written in.
    var constantDepths: [String: Int] = [:]

    var blocks: [CheckedBlock] = []
    /// Where each rule name lives: block index, rule index, file and depth of its definition.
    var ruleIndex: [String: (block: Int, rule: Int, file: Int, span: Span)] = [:]

    /// The schema's event fields, probed by a path's two halves (`refund`, `amount`), each with
    /// its typed leaf built once. An indirect enum case is a heap box that copies share, so
    /// every `refund.amount` in a file points to one box instead of allocating its own (a
    /// 10,000-rule file has tens of thousands of field references).
    let eventFieldPaths: NameTable<(spec: FieldSpec, kind: TypedExprKind)>
    /// Each enumeration member, probed by enumeration and member name, with its constant built
    /// once (shared as above); rebuilt when a setting declares an enumeration's members (grades).
    var enumMemberIndex = NameTable<TypedExprKind>([])
    /// The schema's actions by name (a file has an action per rule).
    let actionSignatures: NameTable<ActionSignature>

    /// Names that start a field path (`return`, `refund`, `items`), computed once: the schema
    /// derives them from every field, and the checker asks for each name it meets.
    let rootNames: Set<String>
    /// Codes an `@allow` may name; built on the first annotation, since most files have none.
    lazy var allowableCodes: Set<String> = Set((DiagnosticCode.languageCodes + schema.domainCodes).map(\.rawValue))

    public static func check(_ loaded: LoadedProgram, schema: LanguageSchema, diagnostics: DiagnosticSink = DiagnosticSink()) -> CheckResult {
        var checker = Checker(schema: schema, loaded: loaded, diagnostics: diagnostics, enums: schema.enums)
        let program = checker.run()
        let sorted = checker.diagnostics.sorted()
        return CheckResult(program: sorted.hasErrors ? nil : program, diagnostics: sorted, sources: loaded.sources)
    }

    /// Convenience: parse, load includes and check one root file.
    public static func check(root: SourceFile, sources: SourceMap, schema: LanguageSchema, loader: (any SourceLoader)?) -> CheckResult {
        var sink = DiagnosticSink()
        let loaded = ProgramLoader.load(root: root, sources: sources, loader: loader, diagnostics: &sink)
        let result = check(loaded, schema: schema, diagnostics: sink)
        // The syntax trees are not needed any more; their many nodes are freed later, elsewhere.
        BackgroundRelease.drop(consume loaded)
        return result
    }

    init(schema: LanguageSchema, loaded: LoadedProgram, diagnostics: DiagnosticSink, enums: [String: [String]]) {
        self.schema = schema
        self.loaded = loaded
        self.diagnostics = diagnostics
        self.enums = enums
        rootNames = schema.rootNames
        actionSignatures = NameTable(schema.actions.map { ($0.key, $0.value) })
        eventFieldPaths = NameTable(schema.eventFields.map { ($0.key, (spec: $0.value, kind: .eventField(slot: $0.value.slot, name: $0.key))) })
        indexEnumMembers()
    }

    /// The key of a member in `enumMemberIndex`: enumeration, a zero byte, member.
    static let enumMemberSeparator: UInt8 = 0

    mutating func indexEnumMembers() {
        var entries: [(String, TypedExprKind)] = []
        for (name, members) in enums {
            for (index, member) in members.enumerated() {
                entries.append((name + "\u{0}" + member, .constant(.enumMember(enumName: name, index: index, name: member))))
            }
        }
        enumMemberIndex = NameTable(entries)
    }

    mutating func run() -> CheckedProgram? {
        checkVersions()
        checkSettings()
        checkConstants()
        let mapping = checkMapping()
        let aliases = checkAliases()
        checkRuleBlocks()
        reportUnusedConstants()
        return CheckedProgram(
            languageVersion: languageVersion, client: client, currency: currency, rounding: rounding,
            settings: settings, enums: enums, constants: constants, mapping: mapping, aliases: aliases,
            blocks: blocks, sources: loaded.sources, rootPath: loaded.root.path
        )
    }

    /// Every file must say which language version it is written in.
    mutating func checkVersions() {
        for unit in loaded.units {
            var found = false
            for item in unit.tree.items {
                guard case .version(let decl) = item.kind else { continue }
                if found {
                    diagnostics.report(.duplicateDefinition, "the language version is declared twice", at: item.span)
                }
                found = true
                guard let text = decl.version else { continue }
                if text != "1" {
                    diagnostics.report(.unsupportedLanguageVersion, "language version `\(text)` is not supported", at: decl.versionSpan,
                                       help: "this returnrules understands version 1")
                }
            }
            let hasContent = unit.tree.items.contains { if case .invalid = $0.kind { false } else { true } }
            if !found, hasContent || unit.tree.items.isEmpty == false {
                let file = unit.tree.file
                diagnostics.report(.missingLanguageVersion, "`\(file.path)` does not declare its language version",
                                   at: Span(file: file.id, start: 0, length: 0),
                                   help: "start the file with `returnrules 1`")
            }
        }
    }

    /// Items of every file in effect order, with the unit they come from.
    var allItems: [(unit: LoadedUnit, item: Item)] {
        loaded.units.flatMap { unit in unit.tree.items.map { (unit, $0) } }
    }
}
