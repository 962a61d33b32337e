#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lexing a large file on two cores: the first half here, the second (from a line start near
/// the middle) on another core, then stitched.
///
/// No token, string or comment spans a line break, so each half lexes as it would in one pass;
/// only the trivia at the seam differs, and the stitch puts it right: the first half's trailing
/// line breaks and comments belong to the second half's first comment or token.
extension Lexer {
    /// Below this many bytes the second core is not worth waking.
    static let halvesMinimumBytes = 256 * 1024

    /// The second half's result: its tokens (ending with end of file), what it reported, and the
    /// line breaks before its first comment or token.
    struct Half: Sendable {
        var tokens: [Token]
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
        let secondRange = split..<range.upperBound
        let second = BackgroundResult { () -> Half in
            // Unlimited: the caller's sink applies its limit when these are replayed.
            var sink = DiagnosticSink(limit: .max)
            var lexer = Lexer(file: file, range: secondRange)
            lexer.run(&sink)
            return Half(tokens: lexer.tokens, diagnostics: sink.diagnostics, newlinesBeforeFirst: lexer.newlinesBeforeFirst ?? 0)
        }
        var first = Lexer(file: file, range: range.lowerBound..<split)
        first.run(&diagnostics, endsFile: false)
        var half = second.value
        for diagnostic in half.diagnostics { diagnostics.report(diagnostic) }
        // The seam: trivia the first half ended with goes before the second half's first event.
        var head = half.tokens[0]
        var leading = head.leadingComments
        if leading.isEmpty {
            head.newlinesBefore += first.newlines
        } else {
            leading[0].blankLinesBefore = max(0, first.newlines + half.newlinesBeforeFirst - 1)
        }
        if !first.pendingComments.isEmpty || !leading.isEmpty {
            head.leadingComments = first.pendingComments + leading
        }
        half.tokens[0] = head
        var tokens = first.tokens
        tokens.append(contentsOf: half.tokens)
        return tokens
    }
}
