import Foundation

/// One subcommand's arguments: `--name value` options (repeatable), `--flag`s, and everything
/// after `--` (a command to run).
struct CommandOptions {
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []
    private(set) var trailing: [String] = []
    let usage: String

    init(_ arguments: [String], flags known: Set<String> = [], usage: String) {
        self.usage = usage
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                trailing = Array(arguments[(index + 1)...])
                break
            }
            guard argument.hasPrefix("--") else { fail("unexpected \(argument)\nusage: \(usage)") }
            let name = String(argument.dropFirst(2))
            if known.contains(name) {
                flags.insert(name)
                index += 1
                continue
            }
            guard index + 1 < arguments.count else { fail("--\(name) needs a value\nusage: \(usage)") }
            values[name, default: []].append(arguments[index + 1])
            index += 2
        }
    }

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func required(_ name: String) -> String {
        guard let value = value(name) else { fail("--\(name) is required\nusage: \(usage)") }
        return value
    }

    func int(_ name: String, default fallback: Int) -> Int {
        guard let text = value(name) else { return fallback }
        guard let number = Int(text), number >= 0 else { fail("--\(name) must be a whole number, not \(text)") }
        return number
    }
}

func fail(_ message: String, code: Int32 = 64) -> Never {
    FileHandle.standardError.write(Data("returnrules-bench: \(message)\n".utf8))
    exit(code)
}
