#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import BenchmarkSpec
import Foundation

/// `time`: runs a command several times as its own process and records, per run, the wall time
/// from start to exit (monotonic clock) and the peak resident set size the kernel reports for it
/// (`wait4`'s ru_maxrss: what `/usr/bin/time -f %M` prints). Whole-process figures: start-up,
/// reading the input and writing the output are part of them, as for a user.
enum ProcessTiming {
    static let usage = """
    time --id ID --label TEXT [--runs 5] [--warmup 0] [--events N] [--input FILE] [--fresh-dir DIR] \
    [--ok-exit 0] [--stdout FILE] [--log FILE] [--shown-as CMD] [--results FILE] -- COMMAND ARGS...
    """

    struct Sample {
        var seconds: Double
        var peakKilobytes: Int
    }

    static func run(_ arguments: [String]) {
        let options = CommandOptions(arguments, usage: usage)
        let id = options.required("id"), label = options.required("label")
        let command = options.trailing
        guard !command.isEmpty else { fail("no command after --\nusage: \(usage)") }
        let runs = max(1, options.int("runs", default: 5)), warmup = options.int("warmup", default: 0)
        let okExits = Set((options.value("ok-exit") ?? "0").split(separator: ",").compactMap { Int32($0) })
        // Standard error (and standard output unless --stdout says otherwise) of the last run.
        let log = options.value("log") ?? "/dev/null"
        let standardOutput = options.value("stdout") ?? log
        let freshDirectory = options.value("fresh-dir")
        let events = options.value("events").flatMap(Int.init)
        var inputBytes: Int?
        if let input = options.value("input") {
            guard let size = (try? FileManager.default.attributesOfItem(atPath: input))?[.size] as? NSNumber else { fail("cannot stat \(input)", code: 74) }
            inputBytes = size.intValue
        }

        var samples: [Sample] = []
        for index in 0..<(warmup + runs) {
            if let freshDirectory { resetDirectory(freshDirectory) }
            let (sample, status) = spawnAndWait(command, standardOutput: standardOutput, standardError: log)
            guard okExits.contains(status) else {
                let tail = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
                fail("\(command.joined(separator: " ")) exited with \(status) (accepted: \(okExits.sorted()))\n\(tail)", code: 1)
            }
            if index >= warmup { samples.append(sample) }
        }

        let shown = options.value("shown-as") ?? command.joined(separator: " ")
        let seconds = samples.map(\.seconds)
        var figures = [
            BenchmarkResults.Figure(id: FigureID.wall(id), label: label, unit: .milliseconds, samples: seconds.map { $0 * 1000 },
                                    command: shown, count: events),
            BenchmarkResults.Figure(id: FigureID.rss(id), label: label + ": peak RSS", unit: .mebibytes,
                                    samples: samples.map { Double($0.peakKilobytes) / 1024 }, command: shown, count: events),
        ]
        if let events {
            figures.append(BenchmarkResults.Figure(id: FigureID.eventsPerSecond(id), label: label + ": events/s", unit: .eventsPerSecond,
                                                   samples: seconds.map { Double(events) / $0 }, command: shown, count: events))
        }
        if let inputBytes {
            figures.append(BenchmarkResults.Figure(id: FigureID.megabytesPerSecond(id), label: label + ": MB/s of input",
                                                   unit: .megabytesPerSecond, samples: seconds.map { Double(inputBytes) / 1e6 / $0 },
                                                   command: shown, count: events))
        }
        for figure in figures {
            print("\(figure.label): median \(ReportFormat.value(figure.median, figure.unit)), \(ReportFormat.spread(figure)) over \(runs) runs")
        }
        if let path = options.value("results") {
            do {
                try BenchmarkResults.update(path) { results in figures.forEach { results.record($0) } }
            } catch {
                fail("cannot write \(path): \(error)", code: 74)
            }
        }
    }

    /// Empties `path` (a state directory) so each run starts from nothing; untimed.
    static func resetDirectory(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            fail("cannot create \(path): \(error)", code: 74)
        }
    }

    /// Starts `command` with its output going to the files given, waits for it, and returns its
    /// wall time, its peak RSS and its exit status (128 + signal when killed).
    static func spawnAndWait(_ command: [String], standardOutput: String, standardError: String) -> (Sample, Int32) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if standardError == standardOutput {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }

        var pid: pid_t = 0
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        let spawned = posix_spawnp(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else { fail("cannot start \(command[0]): \(String(cString: strerror(spawned)))", code: 74) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { fail("wait4: \(String(cString: strerror(errno)))", code: 74) }
        }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        // The wait status: low 7 bits the signal (0 when it exited), the next byte the exit code.
        let signal = status & 0x7F
        let exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return (Sample(seconds: seconds, peakKilobytes: Int(usage.ru_maxrss)), exitStatus)
    }
}
