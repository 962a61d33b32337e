import Testing
import ReturnRulesLanguage

/// One diagnostic a test expects, swift-format style: where it starts (a marker in the source),
/// its code, and optionally a piece of its message, its severity and the text it underlines.
///
///     assertDiagnostics(
///         source: TestSchema.header + "on order paid match first { rule r when order.total > 1️⃣400 then … }",
///         specs: [DiagnosticSpec("1️⃣", code: .moneyComparedWithNumber, message: "bare number")]
///     )
public struct DiagnosticSpec: Sendable, CustomStringConvertible {
    /// The marker at the diagnostic's span start; nil for a diagnostic with no place (RR0901).
    public var marker: String?
    public var code: DiagnosticCode
    /// A substring of the message, if the test cares about the wording.
    public var message: String?
    public var severity: Severity?
    /// The path of the in-memory include the marker is in; nil for the root file.
    public var file: String?
    /// The exact source text the span covers, if the test cares about the span's end too.
    public var highlight: String?
    /// A substring of the help text.
    public var help: String?

    public init(
        _ marker: String,
        code: DiagnosticCode,
        message: String? = nil,
        severity: Severity? = nil,
        in file: String? = nil,
        highlight: String? = nil,
        help: String? = nil
    ) {
        self.marker = marker
        self.code = code
        self.message = message
        self.severity = severity
        self.file = file
        self.highlight = highlight
        self.help = help
    }

    /// A diagnostic that points nowhere, such as the closing "too many errors" note.
    public static func unlocated(code: DiagnosticCode, message: String? = nil, severity: Severity? = nil) -> DiagnosticSpec {
        var spec = DiagnosticSpec("", code: code, message: message, severity: severity)
        spec.marker = nil
        return spec
    }

    public var description: String {
        "\(code.rawValue) at \(marker ?? "<nowhere>")\(file.map { " in \($0)" } ?? "")\(message.map { " (\"\($0)\")" } ?? "")"
    }
}

/// How far a test source goes through the pipeline.
public enum DiagnosticPhase: Sendable {
    /// Lexer and parser only (no includes, no schema).
    case parse
    /// Load includes, parse and check against a schema.
    case check
}

/// A source run through the pipeline, with what a test needs to look at the result.
public struct CheckedSource: @unchecked Sendable {
    /// Sorted diagnostics, as the checker returns them.
    public let diagnostics: [Diagnostic]
    /// The checked program when there were no errors (phase `.check` only).
    public let program: CheckedProgram?
    public let sources: SourceMap
    public let root: SourceFile
    /// The syntax tree of the root (phase `.parse` only).
    public let tree: SyntaxTree?
    /// The marked texts by file path (the root under its own path).
    public let marked: [String: MarkedText]

    /// `line:column` of a diagnostic, for messages and assertions.
    public func location(of diagnostic: Diagnostic) -> ReturnRulesLanguage.SourceLocation? {
        sources.file(for: diagnostic.span)?.location(of: diagnostic.span.start)
    }

    /// The diagnostics as the CLI prints them (no colour).
    public var rendered: String { HumanDiagnosticRenderer().render(diagnostics, sources: sources) }

    public var codes: [DiagnosticCode] { diagnostics.map(\.code) }
}

/// Runs sources through the pipeline without asserting anything.
public enum LanguageHarness {
    public static func run(
        source: String,
        includes: [String: String] = [:],
        schema: LanguageSchema = TestSchema.schema,
        phase: DiagnosticPhase = .check,
        rootPath: String = "main.rules"
    ) -> CheckedSource {
        let rootMarked = MarkedText(source)
        var marked = [rootPath: rootMarked]
        var plainIncludes: [String: String] = [:]
        for (path, text) in includes {
            let includeMarked = MarkedText(text)
            marked[path] = includeMarked
            plainIncludes[path] = includeMarked.text
        }
        let sources = SourceMap()
        let root = sources.add(path: rootPath, text: rootMarked.text)
        switch phase {
        case .parse:
            var sink = DiagnosticSink()
            let tree = Parser.parse(root, diagnostics: &sink)
            return CheckedSource(diagnostics: sink.sorted(), program: nil, sources: sources, root: root, tree: tree, marked: marked)
        case .check:
            let result = Checker.check(root: root, sources: sources, schema: schema, loader: InMemorySourceLoader(plainIncludes))
            return CheckedSource(diagnostics: result.diagnostics, program: result.program, sources: sources, root: root, tree: nil, marked: marked)
        }
    }

    /// Parses a plain source and returns its tree and diagnostics.
    public static func parse(_ source: String, path: String = "main.rules") -> (SyntaxTree, [Diagnostic]) {
        let sources = SourceMap()
        let file = sources.add(path: path, text: source)
        var sink = DiagnosticSink()
        let tree = Parser.parse(file, diagnostics: &sink)
        return (tree, sink.sorted())
    }
}

/// Runs `source` through the pipeline and matches every diagnostic to exactly one spec.
///
/// A diagnostic matches a spec when the codes are equal and the spec's marker sits at the
/// diagnostic's span start (in the spec's file). The test fails for every diagnostic no spec
/// matched and every spec no diagnostic matched, so every diagnostic has to be asserted, and
/// for every message, severity, highlight or help that differs from what the spec says.
@discardableResult
public func assertDiagnostics(
    source: String,
    includes: [String: String] = [:],
    schema: LanguageSchema = TestSchema.schema,
    phase: DiagnosticPhase = .check,
    rootPath: String = "main.rules",
    specs: [DiagnosticSpec],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> CheckedSource {
    let checked = LanguageHarness.run(source: source, includes: includes, schema: schema, phase: phase, rootPath: rootPath)
    func fail(_ text: String) {
        Issue.record(Testing.Comment(rawValue: text), sourceLocation: sourceLocation)
    }
    for (path, marked) in checked.marked where !marked.duplicates.isEmpty {
        fail("marker \(marked.duplicates.joined(separator: ", ")) is used twice in \(path)")
    }

    /// Where a spec points: file id and byte offset, or nil for "nowhere".
    func target(of spec: DiagnosticSpec) -> (file: Int, offset: Int)?? {
        guard let marker = spec.marker else { return .some(nil) }
        let path = spec.file ?? rootPath
        guard let marked = checked.marked[path] else {
            fail("spec \(spec) names file \(path), which the test does not define")
            return nil
        }
        guard let offset = marked[marker] else {
            fail("spec \(spec): marker \(marker) is not in \(path)")
            return nil
        }
        guard let file = checked.sources.files.first(where: { $0.path == path }) else {
            fail("spec \(spec): \(path) was never loaded (is it included?)")
            return nil
        }
        return .some((file.id, offset))
    }

    let targets = specs.map { target(of: $0) }
    var unmatchedSpecs = Array(specs.indices)
    var unmatchedDiagnostics: [Diagnostic] = []
    for diagnostic in checked.diagnostics {
        let candidates = unmatchedSpecs.indices.filter { position in
            let index = unmatchedSpecs[position]
            guard specs[index].code == diagnostic.code, let target = targets[index] else { return false }
            guard let (file, offset) = target else { return diagnostic.span.isNone }
            return !diagnostic.span.isNone && diagnostic.span.file == file && diagnostic.span.start == offset
        }
        // Several specs at one place with one code: prefer the one whose message fits.
        let found = candidates.first { position in
            specs[unmatchedSpecs[position]].message.map { diagnostic.message.contains($0) } ?? true
        } ?? candidates.first
        guard let position = found else {
            unmatchedDiagnostics.append(diagnostic)
            continue
        }
        let spec = specs[unmatchedSpecs.remove(at: position)]
        if let message = spec.message, !diagnostic.message.contains(message) {
            fail("\(spec): the message is \"\(diagnostic.message)\", which does not contain \"\(message)\"")
        }
        if let severity = spec.severity, severity != diagnostic.severity {
            fail("\(spec): the severity is \(diagnostic.severity), not \(severity)")
        }
        if let highlight = spec.highlight {
            let covered = checked.sources.file(for: diagnostic.span)?.text(of: diagnostic.span) ?? ""
            if covered != highlight {
                fail("\(spec): the span covers \"\(covered)\", not \"\(highlight)\"")
            }
        }
        if let help = spec.help, !(diagnostic.help ?? "").contains(help) {
            fail("\(spec): the help is \(diagnostic.help.map { "\"\($0)\"" } ?? "missing"), which does not contain \"\(help)\"")
        }
    }
    let renderer = HumanDiagnosticRenderer()
    for diagnostic in unmatchedDiagnostics {
        var text = ""
        renderer.render(diagnostic, sources: checked.sources, into: &text)
        let marker = MarkedText.markers.first { marker in !specs.contains { $0.marker == marker } } ?? "?"
        fail("unexpected diagnostic (add a spec such as DiagnosticSpec(\"\(marker)\", code: \(diagnostic.code.rawValue)) and its marker):\n\(text)")
    }
    for index in unmatchedSpecs {
        let spec = specs[index]
        var emitted = checked.diagnostics.map { diagnostic -> String in
            let place = checked.location(of: diagnostic).map { "\(checked.sources.file(for: diagnostic.span)!.path):\($0)" } ?? "<nowhere>"
            return "  \(place) \(diagnostic.code.rawValue) \(diagnostic.message)"
        }.joined(separator: "\n")
        if emitted.isEmpty { emitted = "  (none)" }
        var expectedPlace = spec.marker ?? "<nowhere>"
        if let target = targets[index], let (file, offset) = target, let sourceFile = checked.sources.file(file) {
            expectedPlace += " (\(sourceFile.path):\(sourceFile.location(of: offset)))"
        }
        fail("expected \(spec.code.rawValue) at \(expectedPlace) was not emitted; the diagnostics were:\n\(emitted)")
    }
    return checked
}

/// Asserts that a source checks with no diagnostics at all, and returns the program.
@discardableResult
public func assertClean(
    source: String,
    includes: [String: String] = [:],
    schema: LanguageSchema = TestSchema.schema,
    rootPath: String = "main.rules",
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> CheckedProgram? {
    let checked = assertDiagnostics(source: source, includes: includes, schema: schema, rootPath: rootPath, specs: [], sourceLocation: sourceLocation)
    if checked.program == nil, checked.diagnostics.isEmpty {
        Issue.record("the checker returned no program and no diagnostics", sourceLocation: sourceLocation)
    }
    return checked.program
}
