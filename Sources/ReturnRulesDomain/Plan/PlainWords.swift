/// Identifiers shown to people as words (`partly_accepted` → `partly accepted`).
///
/// Byte-level on purpose: Foundation's `replacingOccurrences` goes through NSString and cost
/// about 8% of the planning thread of `run` (status notes, restock details, refund reasons).
enum PlainWords {
    static func of(_ identifier: String, replacing separator: UInt8 = UInt8(ascii: "_")) -> String {
        guard identifier.utf8.contains(separator) else { return identifier }
        return String(decoding: identifier.utf8.map { $0 == separator ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }
}
