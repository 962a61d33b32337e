/// JUnit XML for CI dashboards: one `testsuite` per suite file, one `testcase` per case.
enum JUnitWriter {
    static func render(_ results: [TestRunner.CaseResult]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let failures = results.filter { !$0.passed }.count
        out += "<testsuites name=\"returnrules\" tests=\"\(results.count)\" failures=\(quote(String(failures)))>\n"
        let bySuite = Dictionary(grouping: results, by: \.suite)
        for suite in bySuite.keys.sorted() {
            let cases = bySuite[suite]!
            let time = cases.reduce(0) { $0 + $1.seconds }
            out += "  <testsuite name=\(quote(suite)) tests=\"\(cases.count)\" failures=\"\(cases.filter { !$0.passed }.count)\" time=\"\(format(time))\">\n"
            for result in cases {
                out += "    <testcase classname=\(quote(suite)) name=\(quote(result.name)) time=\"\(format(result.seconds))\""
                if result.passed {
                    out += "/>\n"
                } else {
                    out += ">\n      <failure message=\(quote(String((result.message ?? "failed").prefix(200))))>\(escape(result.message ?? ""))</failure>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    static func format(_ seconds: Double) -> String {
        let millis = Int((seconds * 1000).rounded())
        return "\(millis / 1000).\(String(format: "%03d", millis % 1000))"
    }

    static func quote(_ text: String) -> String { "\"" + escape(text) + "\"" }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if scalar.value < 0x20, scalar != "\n", scalar != "\t" { out += "&#\(scalar.value);" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
