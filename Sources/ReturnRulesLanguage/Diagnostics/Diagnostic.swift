/// How serious a diagnostic is. `passed` means no errors; warnings are kept apart.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A secondary message, optionally pointing at its own place in the source.
public struct DiagnosticNote: Sendable, Hashable {
    public var message: String
    public var span: Span?

    public init(_ message: String, at span: Span? = nil) {
        self.message = message
        self.span = span
    }
}

/// One finding about a rule file: the value every phase reports and every renderer prints.
///
/// The `code` is the contract that tests and tools match on; the wording may improve.
public struct Diagnostic: Sendable, Hashable {
    public var code: DiagnosticCode
    public var severity: Severity
    /// Lower-case, states the problem, names the offending item in backticks.
    public var message: String
    /// Where the problem is; the renderer underlines the whole span.
    public var span: Span
    /// A short text printed after the underline.
    public var label: String?
    public var notes: [DiagnosticNote]
    /// What to do about it ("did you mean `accepted`?").
    public var help: String?

    public init(
        _ code: DiagnosticCode,
        _ message: String,
        at span: Span,
        label: String? = nil,
        notes: [DiagnosticNote] = [],
        help: String? = nil,
        severity: Severity? = nil
    ) {
        self.code = code
        self.severity = severity ?? code.defaultSeverity
        self.message = message
        self.span = span
        self.label = label
        self.notes = notes
        self.help = help
    }
}

extension Array where Element == Diagnostic {
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { filter { $0.severity == .warning } }
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by file, then position, then code, so output is stable whatever order phases ran in.
    public func sortedByLocation() -> [Diagnostic] {
        sorted { lhs, rhs in
            if lhs.span != rhs.span { return lhs.span < rhs.span }
            if lhs.code != rhs.code { return lhs.code.rawValue < rhs.code.rawValue }
            return lhs.message < rhs.message
        }
    }
}
