/// Masks personal data in text written to the decision log: e-mail addresses keep their first
/// character and their domain (`l***@example.es`), anything that looks like an IBAN keeps its
/// country code and last four characters (`ES** **** 7890`).
public enum Masking {
    public static func mask(_ text: String) -> String {
        guard mayNeedMasking(text) else { return text }
        var utf8 = Array(text.utf8)
        var changed = maskEmails(&utf8)
        changed = maskIBANs(&utf8) || changed
        return changed ? String(decoding: utf8, as: UTF8.self) : text
    }

    public static func maskEmail(_ email: String) -> String { mask(email) }

    /// A quick scan: an `@`, or two capitals followed by two digits, somewhere in the text.
    static func mayNeedMasking(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "@") { return true }
                if isUpper(b), index + 3 < bytes.count, isUpper(bytes[index + 1]), isDigit(bytes[index + 2]), isDigit(bytes[index + 3]) { return true }
                index += 1
            }
            return false
        }
    }

    static func isLocal(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "%") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
    }

    static func isDomain(_ b: UInt8) -> Bool { isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") }

    static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b >= 0x80
    }

    static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func maskEmails(_ bytes: inout [UInt8]) -> Bool {
        var changed = false
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "@") else {
                index += 1
                continue
            }
            var start = index
            while start > 0, isLocal(bytes[start - 1]) { start -= 1 }
            var end = index + 1
            var dot = false
            while end < bytes.count, isDomain(bytes[end]) {
                if bytes[end] == UInt8(ascii: ".") { dot = true }
                end += 1
            }
            guard start < index, end > index + 1, dot else {
                index += 1
                continue
            }
            // Keep the first character of the local part.
            let replacement: [UInt8] = [bytes[start]] + Array("***".utf8)
            bytes.replaceSubrange(start + 1..<index, with: replacement.dropFirst())
            changed = true
            index = start + replacement.count + 1
            while index < bytes.count, isDomain(bytes[index]) { index += 1 }
        }
        return changed
    }

    /// Two capital letters, two digits, then 11–30 letters or digits, optionally in groups
    /// separated by single spaces: the shape of an IBAN.
    static func maskIBANs(_ bytes: inout [UInt8]) -> Bool {
        var changed = false
        var index = 0
        while index + 4 <= bytes.count {
            let boundary = index == 0 || !isAlnum(bytes[index - 1])
            guard boundary, isUpper(bytes[index]), isUpper(bytes[index + 1]), isDigit(bytes[index + 2]), isDigit(bytes[index + 3]) else {
                index += 1
                continue
            }
            var end = index + 4
            var characters = 4
            var digits = 2
            while end < bytes.count {
                if isDigit(bytes[end]) || isUpper(bytes[end]) {
                    if isDigit(bytes[end]) { digits += 1 }
                    characters += 1
                    end += 1
                } else if bytes[end] == UInt8(ascii: " "), end + 1 < bytes.count, isDigit(bytes[end + 1]) || isUpper(bytes[end + 1]) {
                    end += 1
                } else {
                    break
                }
                if characters == 34 { break }
            }
            if end < bytes.count, isAlnum(bytes[end]) || characters < 15 || digits < 8 {
                index += 1
                continue
            }
            // Keep the country code and the last four characters.
            var kept: [UInt8] = []
            var seen = 0
            var tail: [UInt8] = []
            for b in bytes[index..<end] where b != UInt8(ascii: " ") {
                seen += 1
                if seen > characters - 4 { tail.append(b) }
            }
            kept = Array(bytes[index..<index + 2]) + Array("** **** ".utf8) + tail
            bytes.replaceSubrange(index..<end, with: kept)
            changed = true
            index += kept.count
        }
        return changed
    }
}
