import BenchmarkSpec
import Foundation

/// `machine`: what the report says about the machine and the run, read from /proc and /etc at
/// the end of the run, with the load average the script noted at its start.
enum MachineProbe {
    static let usage = "machine --out FILE --load-start \"$(cat /proc/loadavg)\" --swift-version TEXT [--fact KEY=VALUE]..."

    static func run(_ arguments: [String]) {
        let options = CommandOptions(arguments, usage: usage)
        let facts = options.all("fact").map { text -> MachineDescription.Fact in
            guard let equals = text.firstIndex(of: "=") else { fail("--fact needs KEY=VALUE, not \(text)") }
            return MachineDescription.Fact(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let description = MachineDescription(
            dateUTC: formatter.string(from: Date()),
            processors: ProcessInfo.processInfo.activeProcessorCount,
            cpuModel: cpuModel(),
            memory: memory(),
            kernel: firstLine("/proc/sys/kernel/osrelease") ?? "unknown",
            operatingSystem: operatingSystem(),
            swiftVersion: options.value("swift-version") ?? "unknown",
            loadAtStart: loadAverage(options.value("load-start")),
            loadAtEnd: loadAverage(firstLine("/proc/loadavg")),
            facts: facts)
        let path = options.required("out")
        do {
            try description.save(to: path)
        } catch {
            fail("cannot write \(path): \(error)", code: 74)
        }
    }

    static func firstLine(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The first three fields of /proc/loadavg.
    static func loadAverage(_ line: String?) -> String {
        guard let line else { return "unknown" }
        return line.split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return "unknown"
    }

    static func memory() -> String {
        guard let line = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8))?.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
              let kilobytes = line.split(separator: " ").compactMap({ Double($0) }).first else { return "unknown" }
        return String(format: "%.1f GiB", kilobytes / 1_048_576)
    }

    static func operatingSystem() -> String {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return "Linux" }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return "Linux"
    }
}
