import Checksums
import ReturnRulesLanguage

/// SHA-256 of an event's canonical content, without its envelope (event id, type, time,
/// attempt): two deliveries of the same return state have the same digest whatever their ids,
/// key order or whitespace. A strong hash: a collision here would drop a money event.
enum RecordDigest {
    static let envelopeSlots: Set<Int> = [
        ReturnSchema.eventSlot("event.id"), ReturnSchema.eventSlot("event.type"),
        ReturnSchema.eventSlot("event.created_at"), ReturnSchema.eventSlot("event.attempt"),
    ]

    static func digest(_ record: EventRecord) -> SHA256Digest {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        for (slot, value) in record.fields.enumerated() where !envelopeSlots.contains(slot) {
            append(value, record, to: &bytes)
        }
        for range in record.ranges {
            bytes.append(0xFE)
            append(count: Int(range.count), to: &bytes)
            let start = Int(range.start)
            for index in start..<(start + Int(range.count) * Int(range.stride)) { append(record.elements[index], record, to: &bytes) }
        }
        return SHA256.hash(bytes)
    }

    static func append(count: Int, to bytes: inout [UInt8]) {
        var value = UInt64(count)
        for _ in 0..<8 { bytes.append(UInt8(value & 0xFF)); value >>= 8 }
    }

    static func append(_ value: Value, _ record: EventRecord, to bytes: inout [UInt8]) {
        switch value {
        case .missing: bytes.append(0)
        case .bool(let flag): bytes.append(flag ? 2 : 1)
        case .number(let number):
            bytes.append(3)
            bytes.append(contentsOf: number.normalized.description.utf8)
            bytes.append(0)
        case .money(let units):
            bytes.append(4)
            append(count: Int(truncatingIfNeeded: units), to: &bytes)
        case .text(let span):
            bytes.append(5)
            append(count: Int(span.length), to: &bytes)
            if span.store == .event { bytes.append(contentsOf: record.bytes(span)) }
        case .member(let index):
            bytes.append(6)
            append(count: Int(index), to: &bytes)
        }
    }
}
