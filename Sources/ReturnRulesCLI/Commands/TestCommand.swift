import Foundation

/// `returnrules test [PATH...]`: golden plans for rule files.
enum TestCommand {
    static let spec = OptionSpec(valued: ["junit", "min-coverage"], flags: ["update", "verbose"])

    static let help = """
    Usage: returnrules test [options] [PATH...]

    Runs every *.tests.json under the paths (default: the current directory). A test suite names a
    rule file, a store snapshot and cases; each case's events are planned and the JSON plan is
    compared with its golden file. Prints coverage: the rules that fired and the (return type ×
    status) cells the events exercised.

    Options:
      --update            write missing goldens and rewrite changed ones (review the diff!)
      --min-coverage N    fail when fewer than N% of a rule file's rules fired
      --junit FILE        also write JUnit XML for CI dashboards
      --verbose           list passing cases too

    Exit: 0 all passed, 1 a case failed or coverage is below the minimum, 64 usage.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        let paths = arguments.positional.isEmpty ? ["."] : arguments.positional
        var minimum: Int?
        if let text = arguments.value("min-coverage") {
            guard let value = Int(text.trimmingCharacters(in: CharacterSet(charactersIn: "%"))), (0...100).contains(value) else {
                throw UsageError("--min-coverage takes a percentage from 0 to 100, not '\(text)'")
            }
            minimum = value
        }
        let suites = TestSuite.discover(paths.map { io.absolute($0) })
        guard !suites.isEmpty else {
            io.write("no *.tests.json under \(paths.joined(separator: ", "))\n", to: .stderr)
            return .failure
        }
        var runner = TestRunner(update: arguments.has("update"), io: io)
        for path in suites {
            do {
                var suite = try TestSuite.load(path)
                let relative = path.hasPrefix(io.currentDirectory + "/") ? String(path.dropFirst(io.currentDirectory.count + 1)) : path
                suite.path = relative
                suite.directory = (relative as NSString).deletingLastPathComponent
                if suite.directory.isEmpty { suite.directory = "." }
                runner.run(suite)
            } catch {
                runner.results.append(TestRunner.CaseResult(suite: path, name: "(suite)", passed: false, message: error.description, seconds: 0))
            }
        }
        let failed = runner.results.filter { !$0.passed }
        for result in runner.results where !result.passed || arguments.has("verbose") || result.message != nil {
            let mark = result.passed ? "✓" : "✗"
            io.write("\(mark) \(result.suite): \(result.name)\(result.message.map { result.passed ? " (\($0))" : "" } ?? "")\n")
            if !result.passed, let message = result.message {
                for line in message.split(separator: "\n", omittingEmptySubsequences: false) { io.write("    \(line)\n") }
            }
        }
        var belowMinimum = false
        for (file, coverage) in runner.coverage.sorted(by: { $0.key < $1.key }) {
            let missing = coverage.rulesTotal.subtracting(coverage.rulesFired).sorted()
            io.write("coverage \(file): \(coverage.rulesFired.intersection(coverage.rulesTotal).count)/\(coverage.rulesTotal.count) rules fired (\(coverage.percent)%), \(coverage.cells.count) type × status cells")
            io.write(missing.isEmpty ? "\n" : "; never fired: \(missing.joined(separator: ", "))\n")
            if let minimum, coverage.percent < minimum {
                io.write("coverage \(file): \(coverage.percent)% is below --min-coverage \(minimum)%\n", to: .stderr)
                belowMinimum = true
            }
        }
        io.write("\(runner.results.count - failed.count) passed, \(failed.count) failed\n")
        if let junit = arguments.value("junit") {
            let xml = JUnitWriter.render(runner.results)
            guard FileManager.default.createFile(atPath: io.absolute(junit), contents: Data(xml.utf8)) else {
                io.write("error: cannot write \(junit)\n", to: .stderr)
                return .ioError
            }
        }
        return failed.isEmpty && !belowMinimum ? .success : .failure
    }
}
