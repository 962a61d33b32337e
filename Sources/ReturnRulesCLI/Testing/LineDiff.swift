/// A readable line diff for golden-file failures: `-` expected, `+` actual, with context.
enum LineDiff {
    static func render(expected: String, actual: String, context: Int = 2, limit: Int = 60) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Longest common subsequence table (goldens are small).
        guard a.count * b.count <= 4_000_000 else { return "(too large to diff: \(a.count) vs \(b.count) lines)" }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var lines: [(Character, String)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] { lines.append((" ", a[i])); i += 1; j += 1 }
            else if j < b.count, i == a.count || table[i][j + 1] >= table[i + 1][j] { lines.append(("+", b[j])); j += 1 }
            else { lines.append(("-", a[i])); i += 1 }
        }
        var keep = [Bool](repeating: false, count: lines.count)
        for (index, line) in lines.enumerated() where line.0 != " " {
            for k in max(0, index - context)...min(lines.count - 1, index + context) { keep[k] = true }
        }
        var out: [String] = []
        var skipped = false
        for (index, line) in lines.enumerated() {
            if keep[index] {
                out.append("\(line.0) \(line.1)")
                skipped = false
            } else if !skipped {
                out.append("  …")
                skipped = true
            }
            if out.count >= limit { out.append("  … (diff cut at \(limit) lines)"); break }
        }
        return out.joined(separator: "\n")
    }
}
