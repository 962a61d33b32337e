/// Why an event could not be read or mapped: names the JSON path (and, from the reader, the
/// file and line) so a consultant can find it. Such events go to the dead-letter file.
public struct IntakeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `$.data.return.items[2].quantity`, or `$` for the whole event.
    public var jsonPath: String
    public var message: String
    /// Set by the event reader: where the event came from.
    public var source: String?
    public var line: Int?

    public init(_ message: String, at jsonPath: String, source: String? = nil, line: Int? = nil) {
        self.message = message
        self.jsonPath = jsonPath
        self.source = source
        self.line = line
    }

    public var description: String {
        var location = source ?? "<input>"
        if let line { location += ":\(line)" }
        return "\(location): \(jsonPath): \(message)"
    }
}
