/// A unified line diff, for `returnrules fmt --check` to show what formatting would change.
public enum FormatDiff {
    private enum Edit: Equatable {
        case same(Int, Int)
        case delete(Int)
        case insert(Int)
    }

    /// The unified diff (`---`, `+++`, `@@ -a,b +c,d @@` hunks) from `old` to `new`, or nil when
    /// they are equal. At most `maximumLines` lines of hunks are printed.
    public static func unified(old: String, new: String, oldName: String, newName: String,
                               context: Int = 3, maximumLines: Int = 200) -> String? {
        guard old != new else { return nil }
        let a = lines(old)
        let b = lines(new)
        let edits = script(a, b)
        var out = "--- \(oldName)\n+++ \(newName)\n"
        var printed = 0
        var index = 0
        while index < edits.count {
            guard !isSame(edits[index]) else { index += 1; continue }
            // A hunk: changes closer than 2 * context lines apart, with context around them.
            var last = index
            var scan = index
            while scan < edits.count, scan - last <= 2 * context {
                if !isSame(edits[scan]) { last = scan }
                scan += 1
            }
            let start = max(0, index - context)
            let end = min(edits.count, last + context + 1)
            let hunk = edits[start..<end]
            let oldStart = hunk.lazy.compactMap(oldIndex).first ?? oldPosition(edits, start)
            let newStart = hunk.lazy.compactMap(newIndex).first ?? newPosition(edits, start)
            let oldCount = hunk.filter { oldIndex($0) != nil }.count
            let newCount = hunk.filter { newIndex($0) != nil }.count
            out += "@@ -\(oldCount == 0 ? oldStart : oldStart + 1),\(oldCount) +\(newCount == 0 ? newStart : newStart + 1),\(newCount) @@\n"
            for edit in hunk {
                if printed >= maximumLines {
                    out += "… (diff cut short)\n"
                    return out
                }
                switch edit {
                case .same(let i, _): out += " \(a[i])\n"
                case .delete(let i): out += "-\(a[i])\n"
                case .insert(let j): out += "+\(b[j])\n"
                }
                printed += 1
            }
            index = end
        }
        if a == b { out += "(only the final line break differs)\n" }
        return out
    }

    private static func isSame(_ edit: Edit) -> Bool {
        if case .same = edit { return true }
        return false
    }

    private static func oldIndex(_ edit: Edit) -> Int? {
        switch edit {
        case .same(let i, _), .delete(let i): i
        case .insert: nil
        }
    }

    private static func newIndex(_ edit: Edit) -> Int? {
        switch edit {
        case .same(_, let j), .insert(let j): j
        case .delete: nil
        }
    }

    /// Old-side lines before `position` in the script (where an empty old side starts).
    private static func oldPosition(_ edits: [Edit], _ position: Int) -> Int {
        edits[..<position].filter { oldIndex($0) != nil }.count
    }

    private static func newPosition(_ edits: [Edit], _ position: Int) -> Int {
        edits[..<position].filter { newIndex($0) != nil }.count
    }

    static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if text.hasSuffix("\n") { result.removeLast() }
        return result
    }

    /// An edit script over the longest common subsequence of the lines between the common
    /// prefix and suffix; a very large middle is shown as replaced outright.
    private static func script(_ a: [String], _ b: [String]) -> [Edit] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        var edits: [Edit] = (0..<prefix).map { .same($0, $0) }
        let aMiddle = prefix..<(a.count - suffix)
        let bMiddle = prefix..<(b.count - suffix)
        let n = aMiddle.count, m = bMiddle.count
        if n > 0, m > 0, n * m <= 4_000_000 {
            // lengths[i][j]: LCS length of a[i...] and b[j...] within the middles.
            var lengths = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lengths[i][j] = a[prefix + i] == b[prefix + j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, a[prefix + i] == b[prefix + j] {
                    edits.append(.same(prefix + i, prefix + j)); i += 1; j += 1
                } else if i < n, j == m || lengths[i + 1][j] >= lengths[i][j + 1] {
                    edits.append(.delete(prefix + i)); i += 1
                } else {
                    edits.append(.insert(prefix + j)); j += 1
                }
            }
        } else {
            edits += aMiddle.map { .delete($0) }
            edits += bMiddle.map { .insert($0) }
        }
        edits += (0..<suffix).map { .same(a.count - suffix + $0, b.count - suffix + $0) }
        return edits
    }
}
