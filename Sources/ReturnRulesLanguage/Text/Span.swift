/// A byte range in one source file. Line and column are derived only for display.
public struct Span: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The `SourceFile.id` this span points into.
    public var file: Int
    /// Byte offset of the first byte.
    public var start: Int
    /// Number of bytes; zero for a point such as "end of file".
    public var length: Int

    public init(file: Int, start: Int, length: Int) {
        self.file = file
        self.start = start
        self.length = max(0, length)
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
        (lhs.file, lhs.start, lhs.length) < (rhs.file, rhs.start, rhs.length)
    }

    public var description: String { "\(file):\(start)+\(length)" }
}
