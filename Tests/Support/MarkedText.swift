/// Source text with position markers, as swift-format's tests write them.
///
/// A test writes emoji markers (`1️⃣`, `2️⃣`, … `🔟`) straight into a Swift string literal where a
/// diagnostic should start:
///
///     let marked = MarkedText("when refund.amount > 1️⃣400")
///     marked.text          // "when refund.amount > 400"
///     marked.offsets["1️⃣"] // 21, the byte offset of `400`
///
/// The markers are removed; each one's UTF-8 byte offset in the stripped text is recorded, which
/// is exactly what a `Span.start` holds.
public struct MarkedText: Sendable {
    /// The markers a test may use, in order.
    public static let markers: [String] = ["0️⃣", "1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"]

    /// The text with every marker removed.
    public let text: String
    /// Byte offset in `text` of each marker.
    public let offsets: [String: Int]
    /// Markers in the order they appear (a marker used twice is a mistake in the test).
    public let duplicates: [String]

    public init(_ textWithMarkers: String) {
        let markerSet = Set(MarkedText.markers.map { Character($0) })
        var text = ""
        var offsets: [String: Int] = [:]
        var duplicates: [String] = []
        var byteOffset = 0
        for character in textWithMarkers {
            if markerSet.contains(character) {
                let marker = String(character)
                if offsets[marker] != nil { duplicates.append(marker) }
                offsets[marker] = byteOffset
                continue
            }
            text.append(character)
            byteOffset += character.utf8.count
        }
        self.text = text
        self.offsets = offsets
        self.duplicates = duplicates
    }

    /// The offset of `marker`, or nil if the text does not contain it.
    public subscript(marker: String) -> Int? { offsets[marker] }
}
