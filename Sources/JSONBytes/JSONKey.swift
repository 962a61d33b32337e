/// An object key encoded once as UTF-8 and reused for many lookups, so a hot loop that reads
/// the same fields from every event does no String work per lookup.
///
/// ```swift
/// static let status: JSONKey = "status"
/// let value = event.root.member(status)
/// ```
public struct JSONKey: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The key's decoded text as UTF-8; compared byte for byte with decoded object keys.
    public let utf8: [UInt8]

    /// Encodes `text`.
    public init(_ text: String) {
        self.utf8 = Array(text.utf8)
    }

    /// Wraps UTF-8 bytes of a key's text as they are.
    public init(utf8: [UInt8]) {
        self.utf8 = utf8
    }

    /// Encodes a string literal.
    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The key's text.
    public var description: String {
        String(decoding: utf8, as: UTF8.self)
    }
}
