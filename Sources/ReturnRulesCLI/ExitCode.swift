/// Exit codes, the same for every subcommand (the README keeps the table).
public enum ExitCode: Int32, Sendable {
    /// Success; for `check`, no errors and no warnings.
    case success = 0
    /// Errors: diagnostics in a rule file, a failed plan, a failed test.
    case failure = 1
    /// `check`: warnings only. `plan --detailed-exitcode`: actions planned.
    case warningsOrChanges = 2
    /// The command line was wrong.
    case usage = 64
    /// A file or directory could not be read or written.
    case ioError = 74
}
