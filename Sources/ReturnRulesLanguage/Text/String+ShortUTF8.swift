extension String {
    /// The string of some UTF-8 bytes, exactly as `String(decoding: bytes, as: UTF8.self)` makes
    /// it (ill-formed bytes repaired), for the short texts of events: ids, codes, SKUs.
    ///
    /// Up to 15 bytes are copied straight into the string's inline storage, where the standard
    /// library validates (and repairs) them in place; `String(decoding:)` takes the general path
    /// for them (validation, then a second pass that builds the string), about three times the
    /// instructions. Longer text goes through `String(decoding:)` itself. `ShortUTF8Tests`
    /// holds the two to the same bytes, ill-formed input included.
    @inline(__always)
    public init(shortUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, bytes.count > 0, bytes.count <= 15 else {
            self = String(decoding: bytes, as: UTF8.self)
            return
        }
        let count = bytes.count
        self = String(unsafeUninitializedCapacity: count) { out in
            out.baseAddress!.initialize(from: base, count: count)
            return count
        }
    }
}
