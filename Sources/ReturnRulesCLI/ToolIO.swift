import Foundation

/// The CLI's standard streams. The real process writes to file descriptors; tests capture text.
/// Output is buffered and flushed in large writes, because `plan` can print hundreds of MB.
public final class ToolIO {
    public enum Stream { case stdout, stderr }

    private var stdoutBuffer: [UInt8] = []
    private var stderrBuffer: [UInt8] = []
    private let stdoutSink: ([UInt8]) -> Void
    /// The real process's standard output, written from the caller's memory: a large piece
    /// (a plan's 64 KiB drains) then goes out without first being copied into the buffer.
    private var stdoutDirect: ((UnsafeBufferPointer<UInt8>) -> Void)?
    private let stderrSink: ([UInt8]) -> Void
    private let stdinSource: () -> FileHandle?
    public let stdoutIsTerminal: Bool
    public let stderrIsTerminal: Bool
    public let environment: [String: String]
    public let currentDirectory: String

    public init(
        stdout: @escaping ([UInt8]) -> Void,
        stderr: @escaping ([UInt8]) -> Void,
        stdin: @escaping () -> FileHandle? = { nil },
        stdoutIsTerminal: Bool = false,
        stderrIsTerminal: Bool = false,
        environment: [String: String] = [:],
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.stdoutSink = stdout
        self.stderrSink = stderr
        self.stdinSource = stdin
        self.stdoutIsTerminal = stdoutIsTerminal
        self.stderrIsTerminal = stderrIsTerminal
        self.environment = environment
        self.currentDirectory = currentDirectory
    }

    /// The real process: file descriptors 0, 1 and 2.
    public static func process() -> ToolIO {
        let io = ToolIO(
            stdout: { bytes in ToolIO.writeAll(1, bytes) },
            stderr: { bytes in ToolIO.writeAll(2, bytes) },
            stdin: { FileHandle.standardInput },
            stdoutIsTerminal: isatty(1) == 1,
            stderrIsTerminal: isatty(2) == 1,
            environment: ProcessInfo.processInfo.environment
        )
        io.stdoutDirect = { bytes in ToolIO.writeAll(1, UnsafeRawBufferPointer(bytes)) }
        return io
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeAll(descriptor, $0) }
    }

    static func writeAll(_ descriptor: Int32, _ raw: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < raw.count {
            let written = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            if written <= 0 {
                if written < 0, errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    /// Colour is used only on a terminal, and never when `NO_COLOR` is set.
    public func useColor(for stream: Stream) -> Bool {
        guard environment["NO_COLOR"] == nil, environment["TERM"] != "dumb" else { return false }
        return stream == .stdout ? stdoutIsTerminal : stderrIsTerminal
    }

    public func write(_ text: String, to stream: Stream = .stdout) {
        write(bytes: Array(text.utf8), to: stream)
    }

    public func write(bytes: [UInt8], to stream: Stream = .stdout) {
        switch stream {
        case .stdout:
            stdoutBuffer.append(contentsOf: bytes)
            if stdoutBuffer.count >= 1 << 20 { flush() }
        case .stderr:
            stderrBuffer.append(contentsOf: bytes)
            flush()
        }
    }

    /// Appends directly from a writer's buffer (one copy of memory; the generic version below
    /// copied byte by byte, about a byte per instruction).
    public func write(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        if let stdoutDirect, bytes.count >= ToolIO.directWriteMinimum {
            // What is buffered goes first, so the output keeps its order.
            flush()
            stdoutDirect(bytes)
            return
        }
        stdoutBuffer.append(contentsOf: bytes)
        if stdoutBuffer.count >= 1 << 20 { flush() }
    }

    /// Appends directly from a writer's buffer without an intermediate String.
    public func write<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        stdoutBuffer.append(contentsOf: bytes)
        if stdoutBuffer.count >= 1 << 20 { flush() }
    }

    /// Pieces at least this large skip the buffer (when the stream allows it).
    static let directWriteMinimum = 1 << 16

    public func flush() {
        if !stdoutBuffer.isEmpty {
            stdoutSink(stdoutBuffer)
            stdoutBuffer.removeAll(keepingCapacity: true)
        }
        if !stderrBuffer.isEmpty {
            stderrSink(stderrBuffer)
            stderrBuffer.removeAll(keepingCapacity: true)
        }
    }

    public var standardInput: FileHandle? { stdinSource() }

    /// An absolute path for `path` relative to the working directory.
    public func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (currentDirectory as NSString).appendingPathComponent(path)
    }
}
