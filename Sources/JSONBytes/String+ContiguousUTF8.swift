extension String {
    /// Calls `body` with the string's UTF-8 in place: a native string is contiguous already,
    /// only a bridged one is copied first.
    @inlinable
    package func withContiguousUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
