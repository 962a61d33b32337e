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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        for (slot, value) in record.fields.enumerated() where slot >= isEnvelope.count || !isEnvelope[slot] {
            append(slot: slot, value, record, to: &bytes)
        }
        for range in record.ranges {
            bytes.append(0xFE)
            appendVarint(UInt64(range.count), to: &bytes)
            let stride = Int(range.stride)
            var base = Int(range.start)
            for _ in 0..<Int(range.count) {
                for slot in 0..<stride { append(slot: slot, record.elements[base + slot], record, to: &bytes) }
                bytes.append(0xFD)
                base += stride
            }
        }
        return SHA256.hash(bytes)
    }

    @inline(__always)
    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Zig-zag, so small negative numbers stay short.
    @inline(__always)
    static func appendSigned(_ value: Int64, to bytes: inout [UInt8]) {
        appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)), to: &bytes)
    }

    @inline(__always)
    static func append(slot: Int, _ value: Value, _ record: EventRecord, to bytes: inout [UInt8]) {
        if case .missing = value { return }
        appendVarint(UInt64(slot), to: &bytes)
        switch value {
        case .missing: break
        case .bool(let flag): bytes.append(flag ? 2 : 1)
        case .number(let number):
            // Normalised, so 1.50 and 1.5 are the same content.
            let normal = number.normalized
            bytes.append(3)
            appendSigned(normal.significand, to: &bytes)
            bytes.append(UInt8(normal.scale))
        case .money(let units):
            bytes.append(4)
            appendSigned(units, to: &bytes)
        case .text(let span):
            bytes.append(5)
            appendVarint(UInt64(span.length), to: &bytes)
            if span.store == .event {
                record.text.withUnsafeBufferPointer { text in
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[Int(span.offset)..<(Int(span.offset) + Int(span.length))]))
                }
            }
        case .member(let index):
            bytes.append(6)
            appendVarint(UInt64(UInt32(bitPattern: index)), to: &bytes)
        }
    }
}
