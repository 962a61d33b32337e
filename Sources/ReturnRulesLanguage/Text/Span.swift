/// A byte range in one source file. Line and column are derived only for display.
public struct Span: Hashable, Sendable, Comparable, CustomStringConvertible {
    // Stored in 32 bits each (12 bytes, not 24): every token, syntax node and typed expression
    // carries a span, and a rule file is at most a few MiB, so offsets fit with room to spare.
    private var storedFile: Int32
    private var storedStart: Int32
    private var storedLength: Int32

    /// The `SourceFile.id` this span points into.
    public var file: Int {
        get { Int(storedFile) }
        set { storedFile = Int32(clamping: newValue) }
    }
    /// Byte offset of the first byte.
    public var start: Int {
        get { Int(storedStart) }
        set { storedStart = Int32(clamping: newValue) }
    }
    /// Number of bytes; zero for a point such as "end of file".
    public var length: Int {
        get { Int(storedLength) }
        set { storedLength = Int32(clamping: newValue) }
    }

    public init(file: Int, start: Int, length: Int) {
        storedFile = Int32(clamping: file)
        storedStart = Int32(clamping: start)
        storedLength = Int32(clamping: max(0, length))
    }

    /// A span with no source, for things the tool invents (built-in defaults).
    public static let none = Span(file: -1, start: 0, length: 0)

    public var end: Int { start + length }
    public var isNone: Bool { file < 0 }

    /// The smallest span covering both; spans from different files keep `self`.
    public func through(_ other: Span) -> Span {
        guard other.file == file, !other.isNone else { return self }
        if isNone { return other }
        let lower = min(start, other.start)
        let upper = max(end, other.end)
        return Span(file: file, start: lower, length: upper - lower)
    }

    public static func < (lhs: Span, rhs: Span) -> Bool {
        (lhs.storedFile, lhs.storedStart, lhs.storedLength) < (rhs.storedFile, rhs.storedStart, rhs.storedLength)
    }

    public var description: String { "\(file):\(start)+\(length)" }
}
