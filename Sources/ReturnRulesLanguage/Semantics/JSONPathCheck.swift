import JSONBytes

/// Validates the JSON path text of a mapping entry with the same parser the intake uses.
enum JSONPathCheck {
    /// A description of what is wrong, or nil when the path is valid.
    static func problem(in text: String, relative: Bool) -> String? {
        if relative, text.hasPrefix("$") { return "an element field's path is relative to the element; drop the leading `$`" }
        if !relative, !text.hasPrefix("$") { return "the path must start with `$` (the payload root)" }
        do {
            _ = try JSONPath(text)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
