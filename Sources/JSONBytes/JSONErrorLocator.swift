// Turns a parser failure (kind + offset) into a located error by walking the input again up
// to the offset. Runs only when parsing has failed, so the fast path pays nothing for line,
// column or path. Everything before the offset was accepted by the parser, which is what lets
// this walk be a simple bracket-and-comma tracker.

enum JSONErrorLocator {
    static func locate(_ failure: RawSyntaxError, in bytes: UnsafeBufferPointer<UInt8>) -> JSONSyntaxError {
        let (line, column) = lineAndColumn(of: failure.offset, in: bytes)
        var path = pathAt(failure.offset, in: bytes)
        if case .duplicateKey(let key) = failure.kind {
            path = path.appending(.key(JSONKey(key)))
        }
        return JSONSyntaxError(kind: failure.kind, byteOffset: failure.offset, line: line, column: column,
                               path: path.description)
    }

    /// 1-based line and column (in Unicode scalars) of `offset`; lines end at `\n`.
    static func lineAndColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        let offset = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<offset where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        var column = 1
        for i in lineStart..<offset where bytes[i] & 0xC0 != 0x80 {
            column += 1
        }
        return (line, column)
    }

    private enum Frame {
        case object(key: [UInt8]?, expectingKey: Bool)
        case array(index: Int)
    }

    /// The path of the value being read at `offset`: the keys and indexes of the containers
    /// open there. In an array the index is the number of commas seen; in an object the key
    /// is the last one read since the last comma.
    static func pathAt(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> JSONPath {
        guard let p = bytes.baseAddress else { return JSONPath(isAbsolute: true, segments: []) }
        let end = bytes.count
        var stack: [Frame] = []
        var i = 0
        walk: while i < min(offset, end) {
            switch p[i] {
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < end && p[j] != UInt8(ascii: "\"") {
                    j += p[j] == UInt8(ascii: "\\") ? 2 : 1
                }
                // The failure is inside this string (or at its closing quote): stop here.
                guard j < offset else { break walk }
                if case .object(_, true)? = stack.last {
                    stack[stack.count - 1] = .object(key: unescapedBytes(p, start: i + 1, end: j), expectingKey: false)
                }
                i = j + 1
            case UInt8(ascii: "{"):
                stack.append(.object(key: nil, expectingKey: true))
                i += 1
            case UInt8(ascii: "["):
                stack.append(.array(index: 0))
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
                i += 1
            case UInt8(ascii: ","):
                switch stack.last {
                case .array(let index)?: stack[stack.count - 1] = .array(index: index + 1)
                case .object?: stack[stack.count - 1] = .object(key: nil, expectingKey: true)
                case nil: break
                }
                i += 1
            default:
                i += 1
            }
        }
        var segments: [JSONPath.Segment] = []
        segments.reserveCapacity(stack.count)
        for frame in stack {
            switch frame {
            case .array(let index): segments.append(.index(index))
            case .object(let key?, _): segments.append(.key(JSONKey(utf8: key)))
            case .object(nil, _): break
            }
        }
        return JSONPath(isAbsolute: true, segments: segments)
    }
}
