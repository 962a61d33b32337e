// UTF-8 validation by the well-formed byte sequences of Unicode (Table 3-7): no overlong forms,
// no encoded surrogates, nothing above U+10FFFF. The hot check only answers "how long is the
// valid sequence here"; the slow classifier runs once, on failure, to name the problem.

/// Length (2–4) of the valid multi-byte UTF-8 sequence starting at `p[i]`, or 0 if the bytes
/// from `i` (up to `end`) do not start one. `p[i]` must be 0x80 or above.
@inline(__always)
func validUTF8SequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
    let b0 = p[i]
    if b0 < 0xC2 { return 0 }
    if b0 < 0xE0 {
        guard i + 1 < end, p[i + 1] & 0xC0 == 0x80 else { return 0 }
        return 2
    }
    if b0 < 0xF0 {
        guard i + 2 < end else { return 0 }
        let b1 = p[i + 1]
        guard p[i + 2] & 0xC0 == 0x80 else { return 0 }
        switch b0 {
        case 0xE0: guard b1 >= 0xA0 && b1 <= 0xBF else { return 0 }
        case 0xED: guard b1 >= 0x80 && b1 <= 0x9F else { return 0 }
        default: guard b1 & 0xC0 == 0x80 else { return 0 }
        }
        return 3
    }
    if b0 < 0xF5 {
        guard i + 3 < end else { return 0 }
        let b1 = p[i + 1]
        guard p[i + 2] & 0xC0 == 0x80, p[i + 3] & 0xC0 == 0x80 else { return 0 }
        switch b0 {
        case 0xF0: guard b1 >= 0x90 && b1 <= 0xBF else { return 0 }
        case 0xF4: guard b1 >= 0x80 && b1 <= 0x8F else { return 0 }
        default: guard b1 & 0xC0 == 0x80 else { return 0 }
        }
        return 4
    }
    return 0
}

/// Names the UTF-8 problem at `p[i]` (where `validUTF8SequenceLength` returned 0).
/// `cutByEnd` is true when the bytes present were a valid prefix that the end of input cut short.
func classifyUTF8Error(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (kind: JSONSyntaxError.Kind, cutByEnd: Bool) {
    let b0 = p[i]
    if b0 < 0xC2 || b0 >= 0xF5 { return (.invalidUTF8Byte(b0), false) }
    let length = b0 < 0xE0 ? 2 : (b0 < 0xF0 ? 3 : 4)
    guard i + 1 < end else { return (.truncatedUTF8Sequence(b0), true) }
    let b1 = p[i + 1]
    guard b1 & 0xC0 == 0x80 else { return (.truncatedUTF8Sequence(b0), false) }
    if b0 == 0xE0 && b1 < 0xA0 { return (.overlongUTF8Sequence, false) }
    if b0 == 0xF0 && b1 < 0x90 { return (.overlongUTF8Sequence, false) }
    if b0 == 0xED && b1 >= 0xA0 { return (.utf8EncodedSurrogate, false) }
    if b0 == 0xF4 && b1 >= 0x90 { return (.utf8CodePointTooLarge, false) }
    var k = 2
    while k < length {
        guard i + k < end else { return (.truncatedUTF8Sequence(b0), true) }
        guard p[i + k] & 0xC0 == 0x80 else { return (.truncatedUTF8Sequence(b0), false) }
        k += 1
    }
    return (.truncatedUTF8Sequence(b0), false)
}

/// Whether `bytes` is entirely well-formed UTF-8.
func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let p = bytes.baseAddress else { return true }
    let end = bytes.count
    var i = 0
    while i < end {
        if p[i] < 0x80 {
            i += 1
            continue
        }
        let length = validUTF8SequenceLength(p, i, end)
        if length == 0 { return false }
        i += length
    }
    return true
}
