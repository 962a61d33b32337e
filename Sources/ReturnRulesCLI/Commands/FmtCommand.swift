import Foundation
import ReturnRulesLanguage

/// `returnrules fmt [--check|--write] FILE|DIR...`: the canonical layout of rule files.
enum FmtCommand {
    static let spec = OptionSpec(flags: ["check", "write"])

    static let help = """
    Usage: returnrules fmt [--check | --write] FILE|DIR...

    Formats rule files in the one canonical layout: two-space indentation, one setting, entry,
    rule clause or action per line, single spaces around operators, aligned alias and value
    tables, long `when` conditions broken before `and`/`or`. Comments stay where they were.
    Formatting never changes what a file means, and a file with syntax errors is not formatted.

    With no option, prints the formatted text of one FILE (`-` reads standard input).
    A directory means every *.rules file under it (with --check or --write).

    Options:
      --check   format nothing; print the path of every file that is not formatted, with a
                diff of what formatting would change, and exit 1 if there is any (for CI)
      --write   rewrite the files that are not formatted, in place (atomically: a temporary
                file renamed over the original); prints the paths it rewrote

    Exit: 0 formatted (or printed), 1 syntax errors or (--check) files not formatted,
    64 usage, 74 a file could not be read or written.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        let check = arguments.has("check")
        let write = arguments.has("write")
        if check && write { throw UsageError("--check and --write cannot be used together") }
        guard !arguments.positional.isEmpty else { throw UsageError("fmt needs a FILE or DIR") }
        if !check && !write {
            guard arguments.positional.count == 1 else {
                throw UsageError("fmt prints one file; use --write or --check for several")
            }
            return try printOne(arguments.positional[0], io: io)
        }
        if write, arguments.positional.contains("-") { throw UsageError("--write cannot rewrite standard input") }
        var files: [String] = []
        for path in arguments.positional {
            if path == "-" { files.append(path); continue }
            files += try RuleFileDiscovery.files(in: [path], io: io)
        }
        guard !files.isEmpty else { throw UsageError("no .rules files under \(arguments.positional.joined(separator: ", "))") }
        var status = ExitCode.success
        var unformatted = 0
        var rewritten = 0
        for path in files {
            let source: SourceFile
            do {
                source = try read(path, io: io)
            } catch {
                io.write("error: cannot read \(path): \(error.message)\n", to: .stderr)
                status = .ioError
                continue
            }
            guard let formatted = format(source, io: io) else {
                if status == .success { status = .failure }
                continue
            }
            let original = String(decoding: source.bytes, as: UTF8.self)
            // Compare bytes: invalid UTF-8 never gets here (it is a syntax error).
            guard Array(formatted.utf8) != source.bytes else { continue }
            if check {
                unformatted += 1
                io.write("\(path)\n")
                if let diff = FormatDiff.unified(old: original, new: formatted, oldName: path, newName: "\(path) (formatted)", maximumLines: 40) {
                    io.write(diff, to: .stderr)
                }
                if status == .success { status = .failure }
            } else {
                do {
                    try replace(io.absolute(path), with: formatted)
                    rewritten += 1
                    io.write("\(path)\n")
                } catch {
                    io.write("error: cannot write \(path): \(error.message)\n", to: .stderr)
                    status = .ioError
                }
            }
        }
        if check, unformatted > 0 {
            io.write("\(unformatted) of \(files.count) file\(files.count == 1 ? "" : "s") not formatted; run `returnrules fmt --write` to fix\n", to: .stderr)
        }
        return status
    }

    /// Default mode: the formatted text of one file on standard output.
    private static func printOne(_ path: String, io: ToolIO) throws(UsageError) -> ExitCode {
        if path != "-" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: io.absolute(path), isDirectory: &isDirectory) else {
                throw UsageError("no such file or directory: \(path)")
            }
            if isDirectory.boolValue { throw UsageError("\(path) is a directory; use --write or --check for directories") }
        }
        let source: SourceFile
        do {
            source = try read(path, io: io)
        } catch {
            io.write("error: cannot read \(path): \(error.message)\n", to: .stderr)
            return .ioError
        }
        guard let formatted = format(source, io: io) else { return .failure }
        io.write(formatted)
        return .success
    }

    /// The formatted text, or nil after printing why the file was not formatted.
    private static func format(_ source: SourceFile, io: ToolIO) -> String? {
        switch RuleFormatter.format(source) {
        case .success(let text):
            return text
        case .failure(.syntaxErrors(let diagnostics)):
            let sources = SourceMap()
            sources.add(path: source.path, bytes: source.bytes)
            io.write(HumanDiagnosticRenderer(useColor: io.useColor(for: .stderr)).render(diagnostics, sources: sources), to: .stderr)
            io.write("\(source.path): not formatted: \(diagnostics.errors.count) syntax error\(diagnostics.errors.count == 1 ? "" : "s")\n", to: .stderr)
            return nil
        case .failure(.internalInconsistency(let message)):
            io.write("error: internal formatter error: \(message); the file is left unchanged (please report it)\n", to: .stderr)
            return nil
        }
    }

    private static func read(_ path: String, io: ToolIO) throws(SourceLoadError) -> SourceFile {
        if path == "-" {
            let data = io.standardInput?.readDataToEndOfFile() ?? Data()
            return SourceFile(id: 0, path: "<stdin>", bytes: [UInt8](data))
        }
        return SourceFile(id: 0, path: path, bytes: try FileReading.read(io.absolute(path)))
    }

    /// Writes `text` to a temporary file next to `path`, with `path`'s permissions, and renames
    /// it over `path`, so a reader never sees a half-written file.
    private static func replace(_ path: String, with text: String) throws(SourceLoadError) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (directory as NSString).appendingPathComponent(".\(name).fmt-\(getpid()).tmp")
        let manager = FileManager.default
        let permissions = (try? manager.attributesOfItem(atPath: path))?[.posixPermissions]
        guard manager.createFile(atPath: temporary, contents: Data(text.utf8),
                                 attributes: permissions.map { [.posixPermissions: $0] }) else {
            throw SourceLoadError("cannot create a temporary file in \(directory.isEmpty ? "." : directory)")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? manager.removeItem(atPath: temporary)
            throw SourceLoadError(reason)
        }
    }
}
