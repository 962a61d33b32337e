import Checksums
import Synchronization

/// Closed returns: memory that follows open returns, not every return ever seen.
///
/// A return is *closed* once its lifecycle has ended and nothing waits on it: its last status
/// is final (accepted, partly accepted, rejected or cancelled) and none of its restock holds
/// is open. A closed return is kept as one byte buffer holding all of its knowledge
/// (`ClosedReturn`), a quarter of the memory of the dictionaries, sets and strings of a
/// `ReturnKnowledge`; the next event of it (a redelivery, a reversal, an inspection) brings it
/// back to full knowledge first. The buffer is lossless, so the planner decides exactly as if
/// the return had stayed open: duplicates are still recognised by event id and by the SHA-256
/// of their content, and refunded units and keys are all there.
extension PlannerState {
    /// Whether a return's lifecycle has ended with nothing waiting on it.
    public static func isClosed(_ knowledge: ReturnKnowledge) -> Bool {
        switch knowledge.lastStatus {
        case "accepted", "partly_accepted", "rejected", "cancelled": break
        default: return false
        }
        for hold in knowledge.holds.values where !hold.closed { return false }
        return true
    }

    /// The default of `closedKeptFull`: about 48 MB of full knowledge at most. Redeliveries
    /// come in bursts (a webhook retried, a return's events re-sent), and bringing a compact
    /// return back costs more than planning a duplicate, so the returns touched last stay full.
    /// 0 compacts a return as soon as it closes.
    public static let closedKeptFullDefault = Atomic<Int>(16_384)

    /// Called by the runner after each record of a return: once more than `closedKeptFull`
    /// closed returns are in full knowledge, the least recently touched ones go compact.
    public mutating func settleLater(_ returnID: String) {
        guard closedKeptFull > 0 else { return settle(returnID) }
        guard let index = returns.index(forKey: returnID), PlannerState.isClosed(returns.values[index]) else { return }
        settling.touch(returnID)
        while settling.count > closedKeptFull, let oldest = settling.popOldest() { settle(oldest) }
    }

    /// Moves `returnID` to the compact table if it is closed. With `closedKeptFull` at 0 the
    /// runner calls this after each record of the return, so whichever way the state was built
    /// (planned in place, replayed from the journal, read from a snapshot) the same returns are
    /// compact.
    public mutating func settle(_ returnID: String) {
        guard let index = returns.index(forKey: returnID), PlannerState.isClosed(returns.values[index]) else { return }
        if let unchanged = reopenedUnchanged, unchanged.returnID == returnID {
            // Knowledge changes only through `apply`, which forgets these bytes.
            assert(ClosedReturn(returns.values[index]) == unchanged.compact, "a return read back was changed outside apply")
            closed[returnID] = unchanged.compact
        } else {
            closed[returnID] = ClosedReturn(returns.values[index])
        }
        reopenedUnchanged = nil
        returns.remove(at: index)
    }

    /// Compacts every closed return (after loading a snapshot written before compact returns).
    public mutating func settleAll() {
        let ids = returns.compactMap { PlannerState.isClosed($0.value) ? $0.key : nil }
        for id in ids { settleLater(id) }
    }

    /// Brings a compact return back to full knowledge, before anything reads or changes it.
    @inline(__always)
    mutating func reopen(_ returnID: String) {
        guard !closed.isEmpty, returns.index(forKey: returnID) == nil, let compact = closed.removeValue(forKey: returnID) else { return }
        returns[returnID] = compact.knowledge()
        reopenedUnchanged = (returnID, compact)
    }

    /// Every return (open or closed) with its knowledge; closed ones are expanded one at a time.
    public func forEachReturn(_ body: (String, ReturnKnowledge) throws -> Void) rethrows {
        for (id, knowledge) in returns { try body(id, knowledge) }
        for (id, compact) in closed { try body(id, compact.knowledge()) }
    }
}

/// All of a closed return's knowledge in one buffer. Tables are written in key order, so equal
/// knowledge gives equal bytes (snapshots and comparisons depend on it).
///
///     lastTime? · lastRank · lastStatus? · eventCount · recent events (id, SHA-256)
///     · units per line · amount · difference · fees · refund keys · order id?
///     · inspected (item, grade) · holds (item, hold) · planned keys · review count
///
/// Integers are LEB128 varints (zigzag when signed); strings are `CompactText`.
public struct ClosedReturn: Sendable, Hashable {
    public let bytes: [UInt8]

    /// Wraps bytes read back from a snapshot (`bytes` of an earlier `ClosedReturn`).
    public init(bytes: [UInt8]) { self.bytes = bytes }

    public init(_ k: ReturnKnowledge) {
        var w = CompactWriter()
        w.optionalText(k.lastTime)
        w.signed(k.lastRank)
        w.optionalText(k.lastStatus)
        w.unsigned(k.eventCount)
        w.unsigned(k.recentEvents.count)
        for seen in k.recentEvents {
            w.text(seen.id)
            w.digest(seen.digest)
        }
        w.unsigned(k.unitsRefunded.count)
        for (line, units) in k.unitsRefunded.sorted(by: { $0.key < $1.key }) {
            w.signed(line)
            w.signed(units)
        }
        w.signed64(k.amountRefunded)
        w.signed64(k.differenceRefunded)
        w.bytes.append(k.feesDeducted ? 1 : 0)
        w.unsigned(k.refundKeys.count)
        for key in k.refundKeys { w.text(key) }
        w.optionalInt(k.orderID)
        w.unsigned(k.inspected.count)
        for (item, grade) in k.inspected.sorted(by: { $0.key < $1.key }) {
            w.text(item)
            w.text(grade)
        }
        w.unsigned(k.holds.count)
        for (item, hold) in k.holds.sorted(by: { $0.key < $1.key }) {
            w.text(item)
            w.text(hold.item)
            w.optionalInt(hold.orderID)
            w.optionalInt(hold.productID)
            w.optionalInt(hold.variationID)
            w.optionalText(hold.sku)
            w.optionalText(hold.ean)
            w.signed(hold.units)
            w.text(hold.rule)
            w.text(hold.ruleLocation)
            w.text(hold.key)
            w.bytes.append(hold.closed ? 1 : 0)
        }
        w.unsigned(k.plannedKeys.count)
        for key in k.plannedKeys.sorted() { w.text(key) }
        w.unsigned(k.reviewCount)
        // An exact-size copy: the writer's buffer has room to spare, kept for as long as the
        // return stays closed.
        bytes = Array(w.bytes[...])
    }

    /// The full knowledge again.
    public func knowledge() -> ReturnKnowledge {
        bytes.withUnsafeBufferPointer { buffer in
            var r = CompactReader(bytes: buffer)
            var k = ReturnKnowledge()
            k.lastTime = r.optionalText()
            k.lastRank = r.signed()
            k.lastStatus = r.optionalText()
            k.eventCount = r.unsigned()
            let recent = r.unsigned()
            k.recentEvents.reserveCapacity(recent)
            for _ in 0..<recent { k.recentEvents.append(SeenEvent(id: r.text(), digest: r.digest())) }
            let units = r.unsigned()
            if units > 0 { k.unitsRefunded.reserveCapacity(units) }
            for _ in 0..<units { k.unitsRefunded[r.signed()] = r.signed() }
            k.amountRefunded = r.signed64()
            k.differenceRefunded = r.signed64()
            k.feesDeducted = r.byte() != 0
            let refundKeys = r.unsigned()
            k.refundKeys.reserveCapacity(refundKeys)
            for _ in 0..<refundKeys { k.refundKeys.append(r.text()) }
            k.orderID = r.optionalInt()
            let inspected = r.unsigned()
            for _ in 0..<inspected { k.inspected[r.text()] = r.text() }
            let holds = r.unsigned()
            for _ in 0..<holds {
                let itemKey = r.text()
                let item = r.text()
                let orderID = r.optionalInt()
                let productID = r.optionalInt()
                let variationID = r.optionalInt()
                let sku = r.optionalText()
                let ean = r.optionalText()
                let unitCount = r.signed()
                let rule = r.text()
                let location = r.text()
                let key = r.text()
                var hold = RestockHold(item: item, orderID: orderID, productID: productID, variationID: variationID, sku: sku, ean: ean,
                                       units: unitCount, rule: rule, ruleLocation: location, key: key)
                hold.closed = r.byte() != 0
                k.holds[itemKey] = hold
            }
            let planned = r.unsigned()
            if planned > 0 { k.plannedKeys.reserveCapacity(planned) }
            for _ in 0..<planned { k.plannedKeys.insert(r.text()) }
            k.reviewCount = r.unsigned()
            precondition(r.isAtEnd, "a closed return's bytes are read back whole")
            return k
        }
    }
}

/// Writes a `ClosedReturn`. Text is stored as `CompactText`: ids and idempotency keys end in
/// lower-case hex (`evt_06e1…`, `eba1d72c…`), kept as half as many bytes.
struct CompactWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(512) }

    mutating func unsigned(_ value: Int) { varint(UInt64(UInt(bitPattern: value))) }
    mutating func signed(_ value: Int) { signed64(Int64(value)) }
    mutating func signed64(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func optionalInt(_ value: Int?) {
        if let value {
            bytes.append(1)
            signed(value)
        } else {
            bytes.append(0)
        }
    }

    mutating func digest(_ digest: SHA256Digest) { digest.withUnsafeBytes { bytes.append(contentsOf: $0) } }

    mutating func optionalText(_ text: String?) {
        if let text {
            bytes.append(1)
            self.text(text)
        } else {
            bytes.append(0)
        }
    }

    /// `prefix length · prefix · hex pairs · packed hex`: the text is its longest tail of an
    /// even number of lower-case hex digits, packed two to a byte, after a plain prefix.
    mutating func text(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            var start = utf8.count
            while start > 0, CompactWriter.nibble(utf8[start - 1]) != nil { start -= 1 }
            if (utf8.count - start) % 2 == 1 { start += 1 }
            unsigned(start)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[0..<start]))
            unsigned((utf8.count - start) / 2)
            var index = start
            while index < utf8.count {
                bytes.append(CompactWriter.nibble(utf8[index])! << 4 | CompactWriter.nibble(utf8[index + 1])!)
                index += 2
            }
        }
    }

    @inline(__always)
    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}

/// Reads what `CompactWriter` wrote (the bytes are the runner's own, so a short read is a bug).
struct CompactReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    mutating func byte() -> UInt8 {
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = byte()
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
    }

    mutating func unsigned() -> Int { Int(truncatingIfNeeded: varint()) }
    mutating func signed() -> Int { Int(signed64()) }

    mutating func signed64() -> Int64 {
        let raw = varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func optionalInt() -> Int? { byte() == 0 ? nil : signed() }

    mutating func digest() -> SHA256Digest {
        let start = position
        position += 32
        return SHA256Digest(bytes: UnsafeBufferPointer(rebasing: bytes[start..<start + 32]))!
    }

    mutating func optionalText() -> String? { byte() == 0 ? nil : text() }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    mutating func text() -> String {
        let prefix = unsigned()
        let prefixStart = position
        position += prefix
        let pairs = unsigned()
        let packedStart = position
        position += pairs
        return String(unsafeUninitializedCapacity: prefix + 2 * pairs) { out in
            for index in 0..<prefix { out[index] = bytes[prefixStart + index] }
            for index in 0..<pairs {
                let b = bytes[packedStart + index]
                out[prefix + 2 * index] = CompactReader.hexDigits[Int(b >> 4)]
                out[prefix + 2 * index + 1] = CompactReader.hexDigits[Int(b & 0x0F)]
            }
            return prefix + 2 * pairs
        }
    }
}

/// Closed returns kept in full knowledge, in the order they were last touched. A touch appends
/// an entry and remembers it as the return's latest; older entries of the return are skipped
/// when they come up, so each touch costs O(1) and the queue stays within twice the count.
struct SettlingQueue: Sendable {
    private var entries: [(returnID: String, touch: UInt64)] = []
    private var head = 0
    private var latest: [String: UInt64] = [:]
    private var clock: UInt64 = 0

    /// Closed returns waiting in full knowledge.
    var count: Int { latest.count }

    mutating func touch(_ returnID: String) {
        clock += 1
        latest[returnID] = clock
        entries.append((returnID, clock))
        // Touches of returns already waiting leave stale entries behind: drop them once they
        // outnumber the live ones, so the queue follows the returns, not the events.
        if entries.count - head > 2 * latest.count + 1024 {
            entries = entries[head...].filter { latest[$0.returnID] == $0.touch }
            head = 0
        }
    }

    /// The least recently touched return, taken out of the queue.
    mutating func popOldest() -> String? {
        while head < entries.count {
            let entry = entries[head]
            head += 1
            if latest[entry.returnID] == entry.touch {
                latest[entry.returnID] = nil
                return entry.returnID
            }
        }
        return nil
    }
}
