import Foundation
import Testing
import JSONBytes

/// (line number, text) pairs, the way both splitters should report them.
private func split(_ text: String) -> [(Int, String)] {
    let bytes = Array(text.utf8)
    return JSONLines(bytes).map { ($0.number, String(decoding: bytes[$0.range], as: UTF8.self)) }
}

private func read(_ bytes: [UInt8], blockSize: Int) throws -> [(Int, Int, String)] {
    var reader = JSONLineReader(bytes: bytes, blockSize: blockSize)
    var lines: [(Int, Int, String)] = []
    while let line = try reader.next() {
        lines.append((line.number, line.byteOffset, String(decoding: line.bytes, as: UTF8.self)))
    }
    return lines
}

@Suite("JSON Lines")
struct JSONLinesTests {
    @Test func splitsOnNewlinesAndCountsBlankLines() {
        let lines = split("{\"a\":1}\n\n  \n{\"a\":2}\r\n\r\n[3]\n")
        #expect(lines.map(\.0) == [1, 4, 6])
        #expect(lines.map(\.1) == ["{\"a\":1}", "{\"a\":2}", "[3]"])
    }

    @Test func yieldsALastLineWithoutNewline() {
        #expect(split("1\n2").map(\.1) == ["1", "2"])
        #expect(split("1\r\n2\r").map(\.1) == ["1", "2"])
        #expect(split("").isEmpty)
        #expect(split("\n\n").isEmpty)
        #expect(split("\t \r\n").isEmpty)
    }

    @Test func aTruncatedLastLineFailsWithItsLineNumber() throws {
        let bytes = Array("{\"a\":1}\n{\"a\":2}\n{\"a\":".utf8)
        var parser = JSONParser()
        var failures: [JSONSyntaxError] = []
        for line in JSONLines(bytes) {
            do {
                _ = try parser.parse(bytes[line.range])
            } catch {
                failures.append(error.relocated(toLine: line.number, lineStart: line.range.lowerBound))
            }
        }
        #expect(failures.count == 1)
        #expect(failures.first?.line == 3)
        #expect(failures.first?.byteOffset == bytes.count)
        #expect(failures.first?.kind == .unexpectedEndOfInput)
    }

    @Test func rangesIndexTheSliceGiven() {
        let bytes = Array("xx\n[1]\n[2]".utf8)
        let lines = Array(JSONLines(bytes[3...], firstLineNumber: 2))
        #expect(lines == [JSONLines.Line(number: 2, range: 3..<6), JSONLines.Line(number: 3, range: 7..<10)])
    }

    @Test func readerMatchesSplitterAtEveryBlockSize() throws {
        let text = "{\"a\":1}\r\n\n{\"b\":[1,2,3]}\n   \n\"a longer line than most of the blocks\"\r\n[]\n{}"
        let bytes = Array(text.utf8)
        let expected = JSONLines(bytes).map { ($0.number, $0.range.lowerBound, String(decoding: bytes[$0.range], as: UTF8.self)) }
        for blockSize in 1...(bytes.count + 2) {
            let lines = try read(bytes, blockSize: blockSize)
            #expect(lines.map(\.0) == expected.map(\.0), "block size \(blockSize)")
            #expect(lines.map(\.1) == expected.map(\.1), "block size \(blockSize)")
            #expect(lines.map(\.2) == expected.map(\.2), "block size \(blockSize)")
        }
    }

    @Test func chunkBoundaryAtEveryPosition() throws {
        // One short first read ending at `cut`, then the rest in one go: the only block
        // boundary falls at each position in turn, inside and between lines and at "\r\n".
        let bytes = Array("[1]\n{\"k\":\"v\"}\r\n\n[2,3]\n4".utf8)
        let expected = ["[1]", "{\"k\":\"v\"}", "[2,3]", "4"]
        for cut in 1...bytes.count {
            var offset = 0
            var reads = 0
            var reader = JSONLineReader(blockSize: 64) { destination in
                reads += 1
                let n = min(destination.count, reads == 1 ? cut : bytes.count - offset)
                bytes[offset..<(offset + n)].withUnsafeBytes { destination.copyMemory(from: $0) }
                offset += n
                return n
            }
            var lines: [String] = []
            var numbers: [Int] = []
            while let line = try reader.next() {
                lines.append(String(decoding: line.bytes, as: UTF8.self))
                numbers.append(line.number)
            }
            #expect(lines == expected, "cut at \(cut)")
            #expect(numbers == [1, 2, 4, 5], "cut at \(cut)")
        }
    }

    @Test func aLineLongerThanTheBlockGrowsTheBufferOnlyAsNeeded() throws {
        let long = "[" + String(repeating: "1,", count: 5_000) + "1]"
        let bytes = Array((long + "\n[2]\n" + long + "\n").utf8)
        var reader = JSONLineReader(bytes: bytes, blockSize: 64)
        var parser = JSONParser()
        var counts: [Int] = []
        var numbers: [Int] = []
        while let line = try reader.next() {
            counts.append(try parser.parse(line.bytes).root.count)
            numbers.append(line.number)
        }
        #expect(counts == [5_001, 1, 5_001])
        #expect(numbers == [1, 2, 3])
        // Bounded by the longest line (about 10 kB), not the input (about 20 kB).
        #expect(reader.bufferCapacity < 2 * long.utf8.count + 128)
    }

    @Test func memoryStaysBoundedOnALargeStream() throws {
        let line = Array(#"{"event_id":"evt_1","items":[{"sku":"RV-1","quantity":2}]}"#.utf8) + [0x0A]
        let count = 20_000
        var produced = 0
        var reader = JSONLineReader(blockSize: 4096) { destination in
            // Streams `count` copies of `line` without ever holding them all.
            var written = 0
            while written < destination.count && produced < count * line.count {
                let position = produced % line.count
                let n = min(destination.count - written, line.count - position)
                line[position..<(position + n)].withUnsafeBytes {
                    UnsafeMutableRawBufferPointer(rebasing: destination[written..<(written + n)]).copyMemory(from: $0)
                }
                written += n
                produced += n
            }
            return written
        }
        var parser = JSONParser()
        var seen = 0
        while let next = try reader.next() {
            seen += 1
            #expect(next.number == seen)
            #expect(next.byteOffset == (seen - 1) * line.count)
            _ = try parser.parse(next.bytes)
        }
        #expect(seen == count)
        #expect(reader.bufferCapacity == 4096)
    }

    @Test func readsAFileDescriptorAndAFileHandle() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jsonbytes-\(UInt64.random(in: 0...UInt64.max)).jsonl")
        let body = (1...1000).map { #"{"n":\#($0)}"# }.joined(separator: "\n") + "\n"
        try Data(body.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var reader = JSONLineReader(fileHandle: handle, blockSize: 100)
        var parser = JSONParser()
        var total: Int64 = 0
        while let line = try reader.next() {
            total += try parser.parse(line.bytes).root.member("n")?.int64Value ?? 0
        }
        #expect(total == 500_500)
    }

    /// A caller may keep only the reader: the handle it was made from must stay open (its
    /// descriptor is closed when the handle is freed, and reads then fail with EBADF or, worse,
    /// read whatever file got the descriptor number next).
    @Test func keepsItsFileHandleAliveWhileReading() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jsonbytes-\(UInt64.random(in: 0...UInt64.max)).jsonl")
        let body = (1...1000).map { #"{"n":\#($0)}"# }.joined(separator: "\n") + "\n"
        try Data(body.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        var reader = try Self.readerWithoutTheHandle(url)
        var parser = JSONParser()
        var total: Int64 = 0
        while let line = try reader.next() {
            total += try parser.parse(line.bytes).root.member("n")?.int64Value ?? 0
        }
        #expect(total == 500_500)
    }

    /// A reader over a handle that nobody else keeps.
    static func readerWithoutTheHandle(_ url: URL) throws -> JSONLineReader {
        JSONLineReader(fileHandle: try FileHandle(forReadingFrom: url), blockSize: 100)
    }

    @Test func readErrorsAreThrown() {
        var reader = JSONLineReader(fileDescriptor: -1)
        #expect(throws: JSONLineReader.ReadError.self) { _ = try reader.next() }
    }
}
