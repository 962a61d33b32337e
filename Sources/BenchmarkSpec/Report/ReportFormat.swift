import Foundation

/// How the report writes numbers: rates with k/M, times in ms or s, thousands grouped.
public enum ReportFormat {
    public static func value(_ x: Double, _ unit: FigureUnit) -> String {
        guard x.isFinite else { return "–" }
        switch unit {
        case .milliseconds:
            if x >= 1000 { return String(format: "%.2f s", x / 1000) }
            return x < 10 ? String(format: "%.1f ms", x) : String(format: "%.0f ms", x)
        case .decisionsPerSecond, .eventsPerSecond, .appendsPerSecond: return rate(x) + "/s"
        case .megabytesPerSecond: return String(format: "%.1f MB/s", x)
        case .mebibytes: return String(format: "%.0f MiB", x)
        case .ratio: return ratio(x)
        }
    }

    /// 2.32 M, 101 k, 40.5 k, 2,938, 101.
    public static func rate(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        if x >= 1e6 { return String(format: "%.2f M", x / 1e6) }
        if x >= 1e5 { return String(format: "%.0f k", x / 1e3) }
        if x >= 1e4 { return String(format: "%.1f k", x / 1e3) }
        if x >= 10 { return grouped(Int(x.rounded())) }
        return String(format: "%.1f", x)
    }

    public static func ratio(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        if x >= 100 { return grouped(Int(x.rounded())) + "×" }
        return x >= 10 ? String(format: "%.0f×", x) : String(format: "%.2f×", x)
    }

    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// "median", "min – max" of a figure in its unit.
    public static func spread(_ figure: BenchmarkResults.Figure) -> String {
        "\(value(figure.min, figure.unit)) – \(value(figure.max, figure.unit))"
    }

    /// Text safe inside a Markdown table cell.
    public static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
