/// Collects diagnostics from every phase of one check, up to a cap.
///
/// Phases report and carry on (the parser recovers, the checker skips what it cannot type), so
/// one run shows every independent problem. Past `limit` errors the sink keeps counting but
/// stops storing, as cel-go does, so a garbage file cannot flood the terminal.
public struct DiagnosticSink: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []
    public private(set) var droppedCount = 0
    public let limit: Int
    private var seen: Set<Diagnostic> = []
    /// Errors in `diagnostics`, kept as they are added: counting them on every report made a
    /// file with thousands of diagnostics quadratic.
    private var storedErrorCount = 0

    public init(limit: Int = 100) { self.limit = limit }

    public var errorCount: Int { storedErrorCount + droppedCount }
    public var hasErrors: Bool { errorCount > 0 }

    public mutating func report(_ diagnostic: Diagnostic) {
        guard seen.insert(diagnostic).inserted else { return }
        if diagnostic.severity == .error {
            if storedErrorCount >= limit {
                droppedCount += 1
                return
            }
            storedErrorCount += 1
        }
        diagnostics.append(diagnostic)
    }

    public mutating func report(
        _ code: DiagnosticCode,
        _ message: String,
        at span: Span,
        label: String? = nil,
        notes: [DiagnosticNote] = [],
        help: String? = nil,
        severity: Severity? = nil
    ) {
        report(Diagnostic(code, message, at: span, label: label, notes: notes, help: help, severity: severity))
    }

    public mutating func append(contentsOf other: DiagnosticSink) {
        for diagnostic in other.diagnostics { report(diagnostic) }
        droppedCount += other.droppedCount
    }

    /// Everything kept, sorted by location, with a closing note when some were dropped.
    public func sorted() -> [Diagnostic] {
        var result = diagnostics.sortedByLocation()
        if droppedCount > 0 {
            result.append(Diagnostic(
                .tooManyErrors,
                "\(droppedCount) more error\(droppedCount == 1 ? "" : "s") not shown (the limit is \(limit))",
                at: .none,
                severity: .note
            ))
        }
        return result
    }
}
