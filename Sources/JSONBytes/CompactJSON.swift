/// Compact JSON written straight into a `JSONWriter`'s buffer (`JSONWriter.compactValue`), for
/// output of a fixed shape: the caller writes the punctuation and keys itself as literals
/// (`{"source":`), so a member costs one copy rather than a key call with its checks. Strings
/// are escaped and integers formatted exactly as `JSONWriter` does, so the bytes are the same.
public struct CompactJSON {
    @usableFromInline let output: JSONOutputBuffer

    init(_ output: JSONOutputBuffer) {
        self.output = output
    }

    /// Room for `count` more bytes; where they go.
    @inlinable @inline(__always)
    func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        output.reserve(count)
        return output.base + output.count
    }

    /// JSON text written as it is: punctuation and keys, which the caller guarantees are valid
    /// JSON in place (no escaping is done). Inlinable: a call per literal cost about as much as
    /// the copy.
    @inlinable @inline(__always)
    public mutating func raw(_ text: StaticString) {
        let count = text.utf8CodeUnitCount
        copyBytes(reserve(count), text.utf8Start, count)
        output.count += count
    }

    /// JSON text given as bytes, written as it is (see `raw(_: StaticString)`).
    @inline(__always)
    public mutating func raw(utf8 text: UnsafeBufferPointer<UInt8>) {
        guard let base = text.baseAddress else { return }
        copyBytes(reserve(text.count), base, text.count)
        output.count += text.count
    }

    /// A string value, escaped as `JSONWriter.string` escapes it.
    public mutating func string(_ value: String) {
        value.withContiguousUTF8 { string(utf8: $0) }
    }

    /// A string literal value (escaped).
    public mutating func string(_ value: StaticString) {
        string(utf8: UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
    }

    /// A string value given as UTF-8 (which must be valid UTF-8).
    public mutating func string(utf8 value: UnsafeBufferPointer<UInt8>) {
        let out = reserve(6 * value.count + 2)
        output.count += JSONWriter.writeEscaped(value, into: out)
    }

    /// A string value, or `null`.
    public mutating func optional(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// An integer in decimal.
    public mutating func int(_ value: Int) {
        let out = reserve(21)
        var n = 0
        if value < 0 {
            out[0] = UInt8(ascii: "-")
            n = 1
        }
        output.count += n + JSONWriter.writeDecimal(UInt64(value.magnitude), into: out + n)
    }

    @inlinable
    public mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    @inlinable
    public mutating func null() { raw("null") }

    /// Number text exactly as given. Traps unless it is a JSON number.
    public mutating func rawNumber(_ text: String) {
        var text = text
        text.withUTF8 { text in
            precondition(isJSONNumber(text), "CompactJSON: rawNumber() needs JSON number text")
            copyBytes(reserve(text.count), text.baseAddress!, text.count)
            output.count += text.count
        }
    }

    /// A member key (escaped) and its colon, after a comma when `comma` is true.
    public mutating func key(_ key: String, comma: Bool) {
        if comma { raw(",") }
        string(key)
        raw(":")
    }
}
