/// A readable line diff for golden-file and long-string failures.
///
/// It aligns the two texts on their longest common subsequence of lines and prints the first
/// differences with a little context, `-` for expected and `+` for actual lines, each with its
/// line number, so a failure says at a glance what changed.
public enum TextDiff {
    /// Nil when the texts are equal; otherwise the first `maximumHunks` differences.
    public static func diff(expected: String, actual: String, context: Int = 2, maximumHunks: Int = 3) -> String? {
        guard expected != actual else { return nil }
        let old = lines(expected)
        let new = lines(actual)
        if old == new {
            return "the texts differ only in their final line break (expected \(expected.hasSuffix("\n") ? "one" : "none"), got \(actual.hasSuffix("\n") ? "one" : "none"))"
        }
        let edits = align(old, new)
        // Group edits into hunks with context.
        var output: [String] = []
        var hunks = 0
        var index = 0
        while index < edits.count {
            guard edits[index].kind != .same else { index += 1; continue }
            hunks += 1
            if hunks > maximumHunks {
                output.append("… more differences not shown")
                break
            }
            let start = max(0, index - context)
            var end = index
            // Extend while changes keep coming within 2 * context lines.
            var lastChange = index
            while end < edits.count, end - lastChange <= 2 * context {
                if edits[end].kind != .same { lastChange = end }
                end += 1
            }
            end = min(edits.count, lastChange + context + 1)
            let first = edits[start]
            output.append("@@ expected line \(first.oldLine + 1), actual line \(first.newLine + 1) @@")
            for edit in edits[start..<end] {
                switch edit.kind {
                case .same: output.append("  \(edit.text)")
                case .removed: output.append("- \(edit.text)")
                case .added: output.append("+ \(edit.text)")
                }
            }
            index = end
        }
        return output.joined(separator: "\n")
    }

    static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    struct Edit {
        enum Kind { case same, removed, added }
        var kind: Kind
        var text: String
        /// Line indices (0-based) in the old and new text at this point.
        var oldLine: Int
        var newLine: Int
    }

    /// LCS alignment; texts beyond a few thousand lines fall back to a positional comparison.
    static func align(_ old: [String], _ new: [String]) -> [Edit] {
        // Trim the common prefix and suffix: most golden diffs are a few lines in the middle.
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        let a = Array(old[prefix..<(old.count - suffix)])
        let b = Array(new[prefix..<(new.count - suffix)])
        var edits: [Edit] = []
        for line in 0..<prefix { edits.append(Edit(kind: .same, text: old[line], oldLine: line, newLine: line)) }
        if a.count * b.count > 4_000_000 {
            for (offset, line) in a.enumerated() { edits.append(Edit(kind: .removed, text: line, oldLine: prefix + offset, newLine: prefix)) }
            for (offset, line) in b.enumerated() { edits.append(Edit(kind: .added, text: line, oldLine: prefix + a.count, newLine: prefix + offset)) }
        } else {
            // lengths[i][j]: LCS length of a[i...] and b[j...].
            var lengths = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in stride(from: a.count - 1, through: 0, by: -1) {
                for j in stride(from: b.count - 1, through: 0, by: -1) {
                    lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
                }
            }
            var i = 0, j = 0
            while i < a.count || j < b.count {
                if i < a.count, j < b.count, a[i] == b[j] {
                    edits.append(Edit(kind: .same, text: a[i], oldLine: prefix + i, newLine: prefix + j))
                    i += 1; j += 1
                } else if i < a.count, j == b.count || lengths[i + 1][j] >= lengths[i][j + 1] {
                    // Removed lines first, then the lines that replace them, as `diff -u` prints.
                    edits.append(Edit(kind: .removed, text: a[i], oldLine: prefix + i, newLine: prefix + j))
                    i += 1
                } else {
                    edits.append(Edit(kind: .added, text: b[j], oldLine: prefix + i, newLine: prefix + j))
                    j += 1
                }
            }
        }
        for offset in 0..<suffix {
            edits.append(Edit(kind: .same, text: old[old.count - suffix + offset], oldLine: old.count - suffix + offset, newLine: new.count - suffix + offset))
        }
        return edits
    }
}
