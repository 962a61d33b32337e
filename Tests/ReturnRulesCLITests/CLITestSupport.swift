import Foundation
import ReturnRulesCLI

/// Runs the command line in-process with captured streams.
struct ToolRun {
    var code: Int32
    var stdout: String
    var stderr: String
}

/// Collects what a `ToolIO` writes.
final class Capture: @unchecked Sendable {
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
}

enum CLI {
    static func run(
        _ arguments: [String],
        in directory: String = FileManager.default.currentDirectoryPath,
        terminal: Bool = false,
        environment: [String: String] = [:]
    ) -> ToolRun {
        let capture = Capture()
        let io = ToolIO(
            stdout: { capture.stdout += $0 },
            stderr: { capture.stderr += $0 },
            stdoutIsTerminal: terminal,
            stderrIsTerminal: terminal,
            environment: environment,
            currentDirectory: directory
        )
        let code = CommandLineTool.run(arguments, io: io)
        return ToolRun(code: code, stdout: String(decoding: capture.stdout, as: UTF8.self), stderr: String(decoding: capture.stderr, as: UTF8.self))
    }
}

/// A scratch directory of rule files, removed when the test is done with it.
final class ScratchDirectory {
    let path: String

    init(_ files: [String: String] = [:]) throws {
        path = NSTemporaryDirectory() + "returnrules-cli-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
    }

    func write(_ name: String, _ text: String) throws {
        let full = path + "/" + name
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Rule-file texts for the CLI tests, checked against the real returns schema.
enum RuleTexts {
    static let header = """
    returnrules 1
    client "cli-shop"
    currency EUR
    rounding half_up
    reveni {
      pays_bank_transfers yes
      issues_store_credit no
      restocks_on_accept no
      creates_exchange_orders no
    }

    """

    static let clean = header + """
    on return accepted, partly_accepted match first {
      rule everything
        otherwise
        then review "finance" reason: "look at it"
    }

    """

    /// One error: an amount compared with a bare number.
    static let withError = header + """
    on return accepted, partly_accepted match first {
      rule over_limit
        when refund.amount > 400
        then review "finance" reason: "big"
    }

    """

    /// One warning: a constant nobody uses.
    static let withWarning = clean + "let spare_limit = 10.00 EUR\n"
}
