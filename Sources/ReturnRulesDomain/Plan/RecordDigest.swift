import Checksums
import ReturnRulesLanguage

/// SHA-256 of an event's canonical content, without its envelope (event id, type, time,
/// attempt): two deliveries of the same return state have the same digest whatever their ids,
/// key order or whitespace. A strong hash: a collision here would drop a money event.
///
/// The canonical bytes are compact (absent fields are skipped, numbers are normalised integers,
/// not text) so hashing them is cheap.
enum RecordDigest {
    static let envelopeSlots: Set<Int> = [
        ReturnSchema.eventSlot("event.id"), ReturnSchema.eventSlot("event.type"),
        ReturnSchema.eventSlot("event.created_at"), ReturnSchema.eventSlot("event.attempt"),
    ]
    static let isEnvelope: [Bool] = (0..<ReturnSchema.schema.eventFields.count).map { envelopeSlots.contains($0) }

    static func digest(_ record: EventRecord) -> SHA256Digest {
        // Written into one scratch buffer through a pointer (stack memory for any usual event),
        // then hashed in one call: no array appends, no bounds checks, no allocation.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumCount(record)) { buffer in
            let count = writeCanonicalBytes(record, into: buffer.baseAddress!)
            return SHA256.hash(UnsafeRawBufferPointer(start: buffer.baseAddress, count: count))
        }
    }

    /// The digests of several records at once: their canonical bytes side by side in `scratch`
    /// (kept by the caller from batch to batch), hashed in SIMD lanes (`SHA256Lanes`, about 40%
    /// of the instructions of one record at a time). `body(i, d)`: `d` is `digest(record(i))`.
    static func digests(_ count: Int, record: (Int) -> EventRecord, scratch: inout [UInt8],
                        _ body: (Int, SHA256Digest) -> Void) {
        guard count > 0 else { return }
        var ends: [Int] = []
        ends.reserveCapacity(count)
        var capacity = 0
        for index in 0..<count { capacity += maximumCount(record(index)) }
        if scratch.count < capacity { scratch = [UInt8](repeating: 0, count: capacity) }
        scratch.withUnsafeMutableBufferPointer { bytes in
            var end = 0
            for index in 0..<count {
                end += writeCanonicalBytes(record(index), into: bytes.baseAddress! + end)
                ends.append(end)
            }
            withUnsafeTemporaryAllocation(of: UnsafeRawBufferPointer.self, capacity: count) { messages in
                var start = 0
                for index in 0..<count {
                    messages[index] = UnsafeRawBufferPointer(start: bytes.baseAddress! + start, count: ends[index] - start)
                    start = ends[index]
                }
                withUnsafeTemporaryAllocation(of: SHA256Digest.self, capacity: count) { digests in
                    SHA256Lanes.hash(UnsafeBufferPointer(messages), into: digests.baseAddress!)
                    for index in 0..<count { body(index, digests[index]) }
                }
            }
        }
    }

    /// Writes the canonical bytes of `record` at `out` (at least `maximumCount(record)` bytes)
    /// and returns how many it wrote.
    static func writeCanonicalBytes(_ record: EventRecord, into base: UnsafeMutablePointer<UInt8>) -> Int {
        var out = CanonicalWriter(base: base)
        record.text.withUnsafeBufferPointer { text in
            record.fields.withUnsafeBufferPointer { fields in
                isEnvelope.withUnsafeBufferPointer { isEnvelope in
                    for slot in 0..<fields.count where slot >= isEnvelope.count || !isEnvelope[slot] {
                        out.append(slot: slot, fields[slot], text: text)
                    }
                }
            }
            record.elements.withUnsafeBufferPointer { elements in
                for range in record.ranges {
                    out.byte(0xFE)
                    out.varint(UInt64(range.count))
                    let stride = Int(range.stride)
                    var base = Int(range.start)
                    for _ in 0..<Int(range.count) {
                        for slot in 0..<stride { out.append(slot: slot, elements[base + slot], text: text) }
                        out.byte(0xFD)
                        base += stride
                    }
                }
            }
        }
        return out.count
    }

    /// An upper bound of the canonical bytes: per value at most a 10-byte slot varint, a tag,
    /// a 10-byte payload and a scale byte, plus its text; per collection a marker and a count,
    /// per element a marker.
    static func maximumCount(_ record: EventRecord) -> Int {
        var textBytes = 0
        for value in record.fields { if case .text(let span) = value { textBytes += Int(span.length) } }
        for value in record.elements { if case .text(let span) = value { textBytes += Int(span.length) } }
        var elementMarkers = 0
        for range in record.ranges { elementMarkers += Int(range.count) }
        return (record.fields.count + record.elements.count) * 22 + textBytes + record.ranges.count * 11 + elementMarkers + 16
    }

    /// Appends canonical bytes at a pointer; the caller sized the memory with `maximumCount`.
    struct CanonicalWriter {
        let base: UnsafeMutablePointer<UInt8>
        var count = 0

        @inline(__always)
        mutating func byte(_ value: UInt8) {
            base[count] = value
            count &+= 1
        }

        @inline(__always)
        mutating func varint(_ value: UInt64) {
            var rest = value
            while rest >= 0x80 {
                byte(UInt8(truncatingIfNeeded: rest) | 0x80)
                rest >>= 7
            }
            byte(UInt8(rest))
        }

        /// Appends `length` bytes: the short texts of an event (ids, codes, SKUs) in two
        /// overlapping word moves rather than a call to `memmove` each.
        @inline(__always)
        mutating func copy(_ source: UnsafePointer<UInt8>, _ length: Int) {
            let from = UnsafeRawPointer(source)
            let to = UnsafeMutableRawPointer(base + count)
            if length >= 8 && length <= 16 {
                to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self), toByteOffset: length - 8, as: UInt64.self)
            } else if length >= 4 && length < 8 {
                to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self), toByteOffset: length - 4, as: UInt32.self)
            } else if length < 4 {
                for i in 0..<length { base[count + i] = source[i] }
            } else {
                to.copyMemory(from: from, byteCount: length)
            }
            count &+= length
        }

        /// Zig-zag, so small negative numbers stay short.
        @inline(__always)
        mutating func signed(_ value: Int64) {
            varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
        }

        @inline(__always)
        mutating func append(slot: Int, _ value: Value, text: UnsafeBufferPointer<UInt8>) {
            if case .missing = value { return }
            varint(UInt64(slot))
            switch value {
            case .missing: break
            case .bool(let flag): byte(flag ? 2 : 1)
            case .number(let number):
                // Normalised, so 1.50 and 1.5 are the same content.
                let normal = number.normalized
                byte(3)
                signed(normal.significand)
                byte(UInt8(normal.scale))
            case .money(let units):
                byte(4)
                signed(units)
            case .text(let span):
                byte(5)
                varint(UInt64(span.length))
                if span.store == .event, span.length > 0 {
                    copy(text.baseAddress! + Int(span.offset), Int(span.length))
                }
            case .member(let index):
                byte(6)
                varint(UInt64(UInt32(bitPattern: index)))
            }
        }
    }
}
