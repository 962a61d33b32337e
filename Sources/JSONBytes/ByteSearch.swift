// Finding a byte fast. libc's memchr is vectorised on every platform we build for; it is the
// one C function this module uses, and only in line splitting.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Index of the first `byte` in `p[from..<to]`, or nil.
@inline(__always)
func firstIndex(of byte: UInt8, in p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
    guard from < to else { return nil }
    #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
    guard let found = memchr(p + from, Int32(byte), to - from) else { return nil }
    return UnsafeRawPointer(found) - UnsafeRawPointer(p)
    #else
    var i = from
    while i < to {
        if p[i] == byte { return i }
        i += 1
    }
    return nil
    #endif
}

/// Whether `p[from..<to]` holds only JSON whitespace (a blank line).
@inline(__always)
func isBlank(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Bool {
    var i = from
    while i < to {
        if !isJSONWhitespace(p[i]) { return false }
        i += 1
    }
    return true
}
