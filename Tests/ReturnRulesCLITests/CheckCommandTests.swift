import Foundation
import Testing
@testable import ReturnRulesCLI
import ReturnRulesTestSupport

/// `returnrules check` through `CommandLineTool.run(_:io:)`: exit codes, output formats,
/// directories, usage errors and help.
@Suite("CLI: check")
struct CheckCommandTests {
    // MARK: - Exit codes

    @Test func aCleanFileExitsZero() throws {
        let scratch = try ScratchDirectory(["clean.rules": RuleTexts.clean])
        let run = CLI.run(["check", "clean.rules"], in: scratch.path)
        #expect(run.code == 0)
        #expect(run.stdout == "")
        #expect(run.stderr == "checked 1 file: 0 errors, 0 warnings\n")
    }

    @Test func errorsExitOne() throws {
        let scratch = try ScratchDirectory(["bad.rules": RuleTexts.withError])
        let run = CLI.run(["check", "bad.rules"], in: scratch.path)
        #expect(run.code == 1)
        #expect(run.stdout.hasPrefix("bad.rules:13:26: error[RR0205]: an amount compared with a bare number\n"), "\(run.stdout)")
        #expect(run.stdout.contains("   |                          ^^^ this has no currency\n"))
        #expect(!run.stdout.contains("\u{1B}["), "no colour when not on a terminal")
        #expect(run.stderr == "checked 1 file: 1 error, 0 warnings\n")
    }

    @Test func warningsOnlyExitTwo() throws {
        let scratch = try ScratchDirectory(["warn.rules": RuleTexts.withWarning])
        let run = CLI.run(["check", "warn.rules"], in: scratch.path)
        #expect(run.code == 2)
        #expect(run.stdout.contains("warning[RR0232]: constant `spare_limit` is never used"))
        #expect(run.stderr == "checked 1 file: 0 errors, 1 warning\n")
    }

    @Test func warningsAsErrorsExitOne() throws {
        let scratch = try ScratchDirectory(["warn.rules": RuleTexts.withWarning, "clean.rules": RuleTexts.clean])
        #expect(CLI.run(["check", "--warnings-as-errors", "warn.rules"], in: scratch.path).code == 1)
        #expect(CLI.run(["check", "warn.rules", "--warnings-as-errors"], in: scratch.path).code == 1)
        #expect(CLI.run(["check", "--warnings-as-errors", "clean.rules"], in: scratch.path).code == 0)
    }

    @Test func errorsInAnyFileMakeTheRunFail() throws {
        let scratch = try ScratchDirectory(["a.rules": RuleTexts.clean, "b.rules": RuleTexts.withError, "c.rules": RuleTexts.withWarning])
        let run = CLI.run(["check", "a.rules", "b.rules", "c.rules"], in: scratch.path)
        #expect(run.code == 1)
        #expect(run.stderr == "checked 3 files: 1 error, 1 warning\n")
    }

    // MARK: - Usage errors

    @Test func noArgumentsIsAUsageError() {
        let run = CLI.run([])
        #expect(run.code == 64)
        #expect(run.stderr.contains("Usage: returnrules <command> [options]"))
        let check = CLI.run(["check"])
        #expect(check.code == 64)
        #expect(check.stderr.hasPrefix("error: check needs at least one FILE or DIR\n"))
        #expect(check.stderr.contains("Usage: returnrules check"), "the command's help follows the error")
    }

    @Test func unknownOptionSuggestsTheClosest() throws {
        let scratch = try ScratchDirectory(["clean.rules": RuleTexts.clean])
        let run = CLI.run(["check", "--warning-as-errors", "clean.rules"], in: scratch.path)
        #expect(run.code == 64)
        #expect(run.stderr.hasPrefix("error: unknown option --warning-as-errors (did you mean --warnings-as-errors?)\n"), "\(run.stderr)")
        let far = CLI.run(["check", "--zzzzzzzzzz", "clean.rules"], in: scratch.path)
        #expect(far.code == 64)
        #expect(far.stderr.hasPrefix("error: unknown option --zzzzzzzzzz\n"))
    }

    @Test func badFormatIsAUsageError() throws {
        let scratch = try ScratchDirectory(["clean.rules": RuleTexts.clean])
        let run = CLI.run(["check", "--format", "xml", "clean.rules"], in: scratch.path)
        #expect(run.code == 64)
        #expect(run.stderr.hasPrefix("error: --format must be one of human, json, sarif, github, not 'xml'\n"), "\(run.stderr)")
        let missing = CLI.run(["check", "clean.rules", "--format"], in: scratch.path)
        #expect(missing.code == 64)
        #expect(missing.stderr.hasPrefix("error: option --format needs a value\n"))
        let flagWithValue = CLI.run(["check", "--warnings-as-errors=yes", "clean.rules"], in: scratch.path)
        #expect(flagWithValue.code == 64)
        #expect(flagWithValue.stderr.hasPrefix("error: option --warnings-as-errors takes no value\n"))
    }

    @Test func missingFilesAndEmptyDirectories() throws {
        let scratch = try ScratchDirectory(["notes/readme.txt": "not rules"])
        let missing = CLI.run(["check", "nope.rules"], in: scratch.path)
        #expect(missing.code == 64)
        #expect(missing.stderr.hasPrefix("error: no such file or directory: nope.rules\n"))
        let empty = CLI.run(["check", "notes"], in: scratch.path)
        #expect(empty.code == 64)
        #expect(empty.stderr.hasPrefix("error: no .rules files under notes\n"))
    }

    /// A file that is not a regular file is read up to one byte past the limit: a device that
    /// never ends is a rule file too large, not a read that never ends.
    @Test func aDeviceThatNeverEndsIsTooLarge() {
        let run = CLI.run(["check", "/dev/zero"])
        #expect(run.code == 1)
        #expect(run.stdout.contains("error[RR0110]: rule file is 4096 KiB; the limit is 4 MiB"), "\(run.stdout)\(run.stderr)")
    }

    @Test func unknownCommandSuggestsTheClosest() {
        let run = CLI.run(["chek", "x.rules"])
        #expect(run.code == 64)
        #expect(run.stderr.hasPrefix("error: unknown command 'chek' (did you mean 'check'?)\n"))
    }

    // MARK: - JSON

    @Test func jsonOutputIsVersionedAndCounts() throws {
        let scratch = try ScratchDirectory(["bad.rules": RuleTexts.withError, "warn.rules": RuleTexts.withWarning, "clean.rules": RuleTexts.clean])
        let run = CLI.run(["check", "--format", "json", "bad.rules", "warn.rules", "clean.rules"], in: scratch.path)
        #expect(run.code == 1)
        #expect(run.stderr == "", "no human summary in JSON mode")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(document["format_version"] as? Int == 1)
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 1)
        #expect(summary["warnings"] as? Int == 1)
        #expect(summary["files"] as? Int == 3)
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 2)
        let error = try #require(diagnostics.first { $0["code"] as? String == "RR0205" })
        #expect(error["name"] as? String == "money-compared-with-number")
        #expect(error["severity"] as? String == "error")
        #expect(error["file"] as? String == "bad.rules")
        #expect(error["line"] as? Int == 13)
        #expect(error["column"] as? Int == 26)
        #expect(error["end_column"] as? Int == 29)
        #expect(error["length"] as? Int == 3)
        #expect(error["label"] as? String == "this has no currency")
        #expect(error["help"] as? String == "write `400.00 EUR`")
        #expect((error["notes"] as? [Any])?.isEmpty == true)
        let warning = try #require(diagnostics.first { $0["code"] as? String == "RR0232" })
        #expect(warning["severity"] as? String == "warning")
    }

    @Test func jsonForACleanFile() throws {
        let scratch = try ScratchDirectory(["clean.rules": RuleTexts.clean])
        let run = CLI.run(["check", "--format=json", "clean.rules"], in: scratch.path)
        #expect(run.code == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(document["format_version"] as? Int == 1)
        #expect((document["diagnostics"] as? [Any])?.isEmpty == true)
        #expect((document["summary"] as? [String: Int]) == ["errors": 0, "warnings": 0, "files": 1])
    }

    // MARK: - Directories and includes

    /// A house template that cannot stand alone (it has no client), two clients that include it,
    /// a hidden folder and a file that is not a rule file.
    static func agency() throws -> ScratchDirectory {
        try ScratchDirectory([
            "rules/house/base.rules": """
            returnrules 1
            currency EUR
            rounding half_up
            reveni {
              pays_bank_transfers yes
              issues_store_credit no
              restocks_on_accept no
              creates_exchange_orders no
            }
            let review_threshold = 250.00 EUR
            on return accepted, partly_accepted match first {
              rule big
                when refund.amount > review_threshold
                then review "finance" reason: "big"
              rule fallback
                otherwise
                then ignore "small"
            }

            """,
            "rules/clients/acme.rules": "returnrules 1\ninclude \"../house/base.rules\"\nclient \"acme\"\n",
            "rules/clients/nested/beta.rules": "returnrules 1\ninclude \"../../house/base.rules\"\nclient \"beta\"\noverride let review_threshold = 100.00 EUR\n",
            "rules/.drafts/broken.rules": "this is not a rule file\n",
            "rules/README.txt": "not a rule file\n",
        ])
    }

    @Test func aDirectoryChecksItsRuleFilesRecursively() throws {
        let scratch = try CheckCommandTests.agency()
        let run = CLI.run(["check", scratch.file("rules")], in: scratch.path)
        #expect(run.code == 0, "\(run.stdout)")
        // The template is checked through its includers only; hidden folders are skipped.
        #expect(run.stderr == "checked 2 files: 0 errors, 0 warnings\n")
        #expect(run.stdout == "")
    }

    @Test func theTemplateAloneIsStillCheckedWhenNamedAlone() throws {
        let scratch = try CheckCommandTests.agency()
        let run = CLI.run(["check", scratch.file("rules/house/base.rules")], in: scratch.path)
        #expect(run.code == 1)
        #expect(run.stdout.contains("error[RR0228]: the rule file does not say which client it is for"))
    }

    @Test func anErrorInATemplateIsReportedOnceForAllItsIncluders() throws {
        let scratch = try CheckCommandTests.agency()
        try scratch.write("rules/house/base.rules", (try String(contentsOfFile: scratch.file("rules/house/base.rules"), encoding: .utf8))
            .replacingOccurrences(of: "> review_threshold", with: "> 250"))
        let run = CLI.run(["check", scratch.file("rules")], in: scratch.path)
        #expect(run.code == 1)
        #expect(run.stdout.components(separatedBy: "error[RR0205]").count == 2, "\(run.stdout)")
        #expect(run.stdout.contains("rules/house/base.rules:13:26: error[RR0205]"))
        // The template's constant is now unused: no warning there (templates define constants
        // for clients that may not need them), but beta's override of it is a warning.
        #expect(run.stderr == "checked 2 files: 1 error, 1 warning\n")
        #expect(run.stdout.contains("rules/clients/nested/beta.rules:4:14: warning[RR0232]: constant `review_threshold` is never used"))
    }

    @Test func anIncludeCycleThroughTheRootIsOneError() throws {
        let scratch = try ScratchDirectory([
            "main.rules": RuleTexts.clean + "include \"lib/b.rules\"\nlet used_limit = 1.00 EUR\n"
                + "on return rejected match first {\n  rule r when refund.amount > used_limit then ignore \"x\"\n}\n",
            "lib/b.rules": "returnrules 1\ninclude \"c.rules\"\n",
            "lib/c.rules": "returnrules 1\ninclude \"../main.rules\"\n",
        ])
        let run = CLI.run(["check", scratch.file("main.rules")], in: scratch.path)
        #expect(run.code == 1)
        let codes = run.stdout.split(separator: "\n").filter { $0.contains("error[") }.map { line in
            String(line[line.range(of: "error[")!.upperBound...].prefix(6))
        }
        #expect(codes == ["RR0217"], "\(run.stdout)")
        #expect(run.stdout.contains("lib/c.rules:2:9: error[RR0217]: include cycle"))
    }

    @Test func relativeIncludesResolveAgainstTheToolsWorkingDirectory() throws {
        // In-process callers (tests, an editor) pass their own working directory in `ToolIO`;
        // includes resolve against it, not against the process's.
        let scratch = try CheckCommandTests.agency()
        let run = CLI.run(["check", "rules/clients/acme.rules"], in: scratch.path)
        #expect(run.code == 0, "\(run.stdout)")
    }

    // MARK: - Colour

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() throws {
        let scratch = try ScratchDirectory(["bad.rules": RuleTexts.withError])
        #expect(CLI.run(["check", "bad.rules"], in: scratch.path, terminal: true).stdout.contains("\u{1B}[1;31merror[RR0205]\u{1B}[0m"))
        #expect(!CLI.run(["check", "bad.rules"], in: scratch.path, terminal: true, environment: ["NO_COLOR": "1"]).stdout.contains("\u{1B}["))
        #expect(!CLI.run(["check", "bad.rules"], in: scratch.path, terminal: true, environment: ["TERM": "dumb"]).stdout.contains("\u{1B}["))
    }

    // MARK: - Help

    static var checkOptions: [String] { (CheckCommand.spec.valued.sorted() + CheckCommand.spec.flags.sorted()).map { "--" + $0 } }

    @Test func helpListsEveryCommand() {
        let run = CLI.run(["--help"])
        #expect(run.code == 0)
        for command in CommandLineTool.commands.map(\.name) + ["help"] {
            #expect(run.stdout.contains("  \(command) "), "`returnrules --help` does not list `\(command)`")
        }
        #expect(CLI.run(["-h"]).stdout == run.stdout)
        #expect(CLI.run(["help"]).stdout == run.stdout)
    }

    @Test(arguments: [["help", "check"], ["check", "--help"], ["check", "-h"], ["check", "x.rules", "--help"]])
    func checkHelpMentionsEveryOption(_ arguments: [String]) {
        let run = CLI.run(arguments)
        #expect(run.code == 0)
        #expect(run.stdout.hasPrefix("Usage: returnrules check [options] FILE|DIR..."))
        #expect(!CheckCommandTests.checkOptions.isEmpty)
        for option in CheckCommandTests.checkOptions {
            #expect(run.stdout.contains(option), "`\(arguments.joined(separator: " "))` does not mention \(option)")
        }
        for format in CheckCommand.spec.choices["format"] ?? [] {
            #expect(run.stdout.contains(format), "the help does not list format `\(format)`")
        }
        for code in ["0", "1", "2", "64"] {
            #expect(run.stdout.contains(code), "the help does not explain exit code \(code)")
        }
    }

    @Test func helpForAnUnknownCommand() {
        let run = CLI.run(["help", "nope"])
        #expect(run.code == 64)
        #expect(run.stderr == "error: unknown command 'nope'\n")
    }

    @Test func version() {
        let run = CLI.run(["--version"])
        #expect(run.code == 0)
        #expect(run.stdout == "returnrules \(CommandLineTool.version)\n")
    }
}
