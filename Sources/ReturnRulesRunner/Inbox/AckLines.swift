import JSONBytes

/// The JSON Lines form of acknowledgements, read by `ack --file` and written to the ack inbox:
///
///     {"key": "67683b8935af611752e3ebb0a36b1c19", "woo_id": 123, "note": "…", "by": "executor"}
///
/// `woo_id` (a whole number, or its text), `note` and `by` are optional.
public enum AckLines {
    /// A line that is not an acknowledgement, with the file and line it is on.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String

        public var description: String { "\(file):\(line): \(message)" }
    }

    /// Every non-blank line: the acknowledgement it holds, or why it holds none.
    public static func parse(_ bytes: [UInt8], file: String) -> [(line: Int, request: Result<AckRequest, Problem>)] {
        JSONLines(bytes).map { line in (line.number, parse(bytes[line.range], file: file, line: line.number)) }
    }

    static func parse(_ text: ArraySlice<UInt8>, file: String, line: Int) -> Result<AckRequest, Problem> {
        let document: JSONDocument
        do {
            document = try JSONDocument(parsing: text)
        } catch {
            return .failure(Problem(file: file, line: line, message: "not JSON: \(error.message)"))
        }
        guard let key = document.root["key"]?.stringValue else { return .failure(Problem(file: file, line: line, message: "no \"key\"")) }
        var request = AckRequest(key: key, note: document.root["note"]?.stringValue)
        if let node = document.root["woo_id"], !node.isNull {
            guard let id = node.int64Value ?? node.stringValue.flatMap({ Int64($0) }) else {
                return .failure(Problem(file: file, line: line, message: "\"woo_id\" must be a whole number"))
            }
            request.wooID = id
        }
        request.by = document.root["by"]?.stringValue
        return .success(request)
    }

    /// One line, newline included.
    public static func encode(_ request: AckRequest) -> [UInt8] {
        var w = JSONWriter(style: .compact, reservingCapacity: 128)
        w.beginObject()
        w.key("key")
        w.string(request.key)
        if let id = request.wooID {
            w.key("woo_id")
            w.int(id)
        }
        if let note = request.note {
            w.key("note")
            w.string(note)
        }
        if let by = request.by {
            w.key("by")
            w.string(by)
        }
        w.endObject()
        return w.bytes + [0x0A]
    }
}
