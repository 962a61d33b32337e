import Foundation
@testable import ReturnRulesCLI
import Testing

/// `returnrules fmt`: stdout mode, `--check` exit codes and `--write` rewriting only what changed.
@Suite struct FormatCommandTests {
    static let formatted = """
    returnrules 1

    client "acme"
    currency EUR

    let limit = 400.00 EUR

    """
    static let messy = "returnrules   1\nclient \"acme\"\ncurrency   EUR\nlet limit=400.00 EUR"
    static let broken = "returnrules 1\nlet = 3\n"

    /// A fresh directory with the given files; removed by the caller.
    private func directory(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fmt-command-\(UUID().uuidString)").path
        for (name, text) in files {
            let path = (root as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return root
    }

    private final class Capture: @unchecked Sendable {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var out: String { String(decoding: stdout, as: UTF8.self) }
        var err: String { String(decoding: stderr, as: UTF8.self) }
    }

    private func run(_ arguments: [String], in directory: String, stdin: String? = nil) -> (ExitCode, Capture) {
        let capture = Capture()
        var input: FileHandle?
        if let stdin {
            let pipe = Pipe()
            pipe.fileHandleForWriting.write(Data(stdin.utf8))
            try? pipe.fileHandleForWriting.close()
            input = pipe.fileHandleForReading
        }
        let io = ToolIO(stdout: { capture.stdout += $0 }, stderr: { capture.stderr += $0 }, stdin: { input },
                        currentDirectory: directory)
        let code: ExitCode
        do {
            code = try FmtCommand.run(FmtCommand.spec.parse(arguments), io: io)
        } catch {
            capture.stderr += Array("error: \(error)\n".utf8)
            code = .usage
        }
        io.flush()
        return (code, capture)
    }

    private func read(_ directory: String, _ name: String) -> String {
        (try? String(contentsOfFile: (directory as NSString).appendingPathComponent(name), encoding: .utf8)) ?? "<missing>"
    }

    @Test func printsTheFormattedTextOfOneFile() throws {
        let root = try directory(["a.rules": FormatCommandTests.messy])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (code, capture) = run(["a.rules"], in: root)
        #expect(code == .success)
        #expect(capture.out == FormatCommandTests.formatted)
        #expect(read(root, "a.rules") == FormatCommandTests.messy, "stdout mode never writes")
    }

    @Test func readsStandardInput() throws {
        let root = try directory([:])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (code, capture) = run(["-"], in: root, stdin: FormatCommandTests.messy)
        #expect(code == .success)
        #expect(capture.out == FormatCommandTests.formatted)
    }

    @Test func checkExitsZeroWhenEverythingIsFormatted() throws {
        let root = try directory(["a.rules": FormatCommandTests.formatted, "sub/b.rules": FormatCommandTests.formatted])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (code, capture) = run(["--check", "."], in: root)
        #expect(code == .success)
        #expect(capture.out == "")
    }

    @Test func checkListsUnformattedFilesWithADiffAndExitsOne() throws {
        let root = try directory(["a.rules": FormatCommandTests.formatted, "sub/b.rules": FormatCommandTests.messy])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (code, capture) = run(["--check", "."], in: root)
        #expect(code == .failure)
        #expect(capture.out == "./sub/b.rules\n")
        #expect(capture.err.contains("--- ./sub/b.rules\n+++ ./sub/b.rules (formatted)\n@@ -1,"))
        #expect(capture.err.contains("-returnrules   1\n"))
        #expect(capture.err.contains("+returnrules 1\n"))
        #expect(capture.err.contains("1 of 2 files not formatted"))
        #expect(read(root, "sub/b.rules") == FormatCommandTests.messy, "--check never writes")
    }

    @Test func writeRewritesOnlyChangedFiles() throws {
        let root = try directory(["a.rules": FormatCommandTests.formatted, "b.rules": FormatCommandTests.messy, "notes.txt": "x  y"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let aPath = (root as NSString).appendingPathComponent("a.rules")
        // Mark the formatted file so a rewrite (a new inode from the rename) would show.
        let before = try FileManager.default.attributesOfItem(atPath: aPath)[.systemFileNumber] as? Int
        let (code, capture) = run(["--write", "."], in: root)
        #expect(code == .success)
        #expect(capture.out == "./b.rules\n")
        #expect(read(root, "b.rules") == FormatCommandTests.formatted)
        #expect(read(root, "a.rules") == FormatCommandTests.formatted)
        #expect(read(root, "notes.txt") == "x  y")
        let after = try FileManager.default.attributesOfItem(atPath: aPath)[.systemFileNumber] as? Int
        #expect(before == after, "an already formatted file is not rewritten")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers == [])
        // A second run has nothing to do.
        let (again, secondCapture) = run(["--write", "."], in: root)
        #expect(again == .success)
        #expect(secondCapture.out == "")
        #expect(run(["--check", "."], in: root).0 == .success)
    }

    @Test func writeKeepsPermissions() throws {
        let root = try directory(["b.rules": FormatCommandTests.messy])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = (root as NSString).appendingPathComponent("b.rules")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        #expect(run(["--write", "b.rules"], in: root).0 == .success)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o640)
    }

    @Test func syntaxErrorsPrintDiagnosticsAndExitOne() throws {
        let root = try directory(["bad.rules": FormatCommandTests.broken, "b.rules": FormatCommandTests.messy])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (code, capture) = run(["bad.rules"], in: root)
        #expect(code == .failure)
        #expect(capture.out == "")
        #expect(capture.err.contains("bad.rules:2:5: error[RR0106]"))
        #expect(capture.err.contains("bad.rules: not formatted: 1 syntax error"))
        // --write leaves the broken file alone and still formats the others.
        let (writeCode, _) = run(["--write", "."], in: root)
        #expect(writeCode == .failure)
        #expect(read(root, "bad.rules") == FormatCommandTests.broken)
        #expect(read(root, "b.rules") == FormatCommandTests.formatted)
        #expect(run(["--check", "bad.rules"], in: root).0 == .failure)
    }

    @Test func usageErrors() throws {
        let root = try directory(["a.rules": FormatCommandTests.formatted, "b.rules": FormatCommandTests.formatted])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(run([], in: root).0 == .usage)
        #expect(run(["--check", "--write", "a.rules"], in: root).0 == .usage)
        #expect(run(["a.rules", "b.rules"], in: root).0 == .usage, "stdout mode takes one file")
        #expect(run(["."], in: root).0 == .usage, "stdout mode takes a file, not a directory")
        #expect(run(["missing.rules"], in: root).0 == .usage)
        #expect(run(["--check", "missing"], in: root).0 == .usage)
        #expect(run(["--write", "-"], in: root).0 == .usage)
        #expect(run(["--frobnicate", "a.rules"], in: root).0 == .usage)
        let (code, capture) = run(["--check", "--write", "a.rules"], in: root)
        #expect(code == .usage)
        #expect(capture.err.contains("--check and --write cannot be used together"))
    }

    @Test func helpExplainsEveryOption() {
        for option in FmtCommand.spec.flags.sorted() + Array(FmtCommand.spec.valued) {
            #expect(FmtCommand.help.contains("--\(option)"), "the help does not explain --\(option)")
        }
        #expect(FmtCommand.help.contains("Exit:"))
    }
}
