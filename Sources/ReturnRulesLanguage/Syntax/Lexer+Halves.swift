#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lexing a large file on two cores: the first half here, the second (from a line start near
/// the middle) on another core, both into one array, then stitched.
///
/// No token, string or comment spans a line break, so each half lexes as it would in one pass;
/// only the trivia at the seam differs, and the stitch puts it right: the first half's trailing
/// line breaks and comments belong to the second half's first comment or token.
extension Lexer {
    /// Below this many bytes the second core is not worth waking.
    static let halvesMinimumBytes = 256 * 1024

    /// What the second half reported and the line breaks before its first comment or token;
    /// its tokens are in the shared array.
    struct Half: Sendable {
        var count: Int
        var diagnostics: [Diagnostic]
        var newlinesBeforeFirst: Int
    }

    /// The first byte of a line near the middle of `range`, or nil for a small range.
    static func halvesSplit(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        guard range.count >= halvesMinimumBytes else { return nil }
        let middle = range.lowerBound + range.count / 2
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress,
                  let found = memchr(base + middle, Int32(UInt8(ascii: "\n")), range.upperBound - middle) else { return nil }
            let split = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
            return split < range.upperBound ? split : nil
        }
    }

    static func tokenizeInHalves(_ file: SourceFile, _ range: Range<Int>, split: Int, diagnostics: inout DiagnosticSink) -> [Token] {
        let firstRange = range.lowerBound..<split
        let secondRange = split..<range.upperBound
        // The first half's tokens go at the start, the second's after the most the first can have.
        let secondOffset = firstRange.count
        return Array(unsafeUninitializedCapacity: maximumTokens(firstRange) + maximumTokens(secondRange)) { buffer, initialized in
            let base = buffer.baseAddress!
            let secondOutput = UncheckedPointer(base + secondOffset)
            let second = BackgroundResult { () -> Half in
                // Unlimited: the caller's sink applies its limit when these are replayed.
                var sink = DiagnosticSink(limit: .max)
                var lexer = Lexer(file: file, range: secondRange)
                lexer.output = secondOutput.pointer
                lexer.run(&sink)
                return Half(count: lexer.count, diagnostics: sink.diagnostics, newlinesBeforeFirst: lexer.newlinesBeforeFirst ?? 0)
            }
            var first = Lexer(file: file, range: firstRange)
            first.output = base
            first.run(&diagnostics, endsFile: false)
            let half = second.value
            for diagnostic in half.diagnostics { diagnostics.report(diagnostic) }
            // The seam: trivia the first half ended with goes before the second half's first event.
            let head = base + secondOffset
            var leading = head.pointee.leadingComments
            if leading.isEmpty {
                head.pointee.newlinesBefore += first.newlines
            } else {
                leading[0].blankLinesBefore = max(0, first.newlines + half.newlinesBeforeFirst - 1)
            }
            if !first.pendingComments.isEmpty || !leading.isEmpty {
                head.pointee.leadingComments = first.pendingComments + leading
            }
            // Close the gap; tokens move bitwise, so no reference counting.
            (base + first.count).moveInitialize(from: head, count: half.count)
            initialized = first.count + half.count
        }
    }
}

/// The second half's output pointer, handed to the other core; the caller waits for that core
/// before it touches the memory again.
private struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Token>
    init(_ pointer: UnsafeMutablePointer<Token>) { self.pointer = pointer }
}
