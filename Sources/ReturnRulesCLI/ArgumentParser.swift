/// A small hand-rolled argument parser (the project is Foundation only).
///
/// Options are `--name value`, `--name=value` or boolean `--flag`; `--` ends options; anything
/// else is positional. Unknown options and missing values are usage errors naming the option.
public struct ParsedArguments: Sendable {
    public var positional: [String] = []
    public var values: [String: [String]] = [:]
    public var flags: Set<String> = []

    public func value(_ name: String) -> String? { values[name]?.last }
    public func all(_ name: String) -> [String] { values[name] ?? [] }
    public func has(_ name: String) -> Bool { flags.contains(name) }
}

public struct UsageError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a subcommand accepts.
public struct OptionSpec: Sendable {
    /// Options that take a value, e.g. `rules`, `format`.
    public var valued: Set<String>
    /// Boolean flags, e.g. `warnings-as-errors`.
    public var flags: Set<String>
    /// Allowed values for some valued options.
    public var choices: [String: [String]] = [:]

    public init(valued: Set<String> = [], flags: Set<String> = [], choices: [String: [String]] = [:]) {
        self.valued = valued
        self.flags = flags
        self.choices = choices
    }

    public func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        var result = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("--") || argument == "-" {
                result.positional.append(argument)
                continue
            }
            if argument == "--" { optionsEnded = true; continue }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if flags.contains(name) {
                if inlineValue != nil { throw UsageError("option --\(name) takes no value") }
                result.flags.insert(name)
            } else if valued.contains(name) {
                guard let value = inlineValue ?? (index < arguments.count ? arguments[index] : nil) else {
                    throw UsageError("option --\(name) needs a value")
                }
                if inlineValue == nil { index += 1 }
                if let allowed = choices[name], !allowed.contains(value) {
                    throw UsageError("--\(name) must be one of \(allowed.joined(separator: ", ")), not '\(value)'")
                }
                result.values[name, default: []].append(value)
            } else {
                let known = (valued.map { "--\($0)" } + flags.map { "--\($0)" }).sorted()
                var message = "unknown option --\(name)"
                if let close = closest(name, known.map { String($0.dropFirst(2)) }) { message += " (did you mean --\(close)?)" }
                throw UsageError(message)
            }
        }
        return result
    }

    private func closest(_ word: String, _ candidates: [String]) -> String? {
        candidates.min { distance(word, $0) < distance(word, $1) }.flatMap { distance(word, $0) <= 2 ? $0 : nil }
    }

    private func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
