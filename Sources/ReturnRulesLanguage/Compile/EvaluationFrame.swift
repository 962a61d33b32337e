/// The mutable state of one evaluation: the event's values, the elements bound so far (by
/// depth), and the text stores values point into.
///
/// One frame is reused for every event a caller evaluates. Loading an event copies its plain
/// values into the frame's own memory, so compiled code reads them through raw pointers: no
/// bounds checks beyond the schema's, no reference counting, no copy-on-write checks.
public final class EvaluationFrame {
    // Exclusivity checks are off for the frame's storage: a frame belongs to one evaluation at a
    // time, and the dynamic checks would cost more than the work they guard.
    @exclusivity(unchecked) private(set) var fields: UnsafeMutablePointer<Value>
    @exclusivity(unchecked) private(set) var elements: UnsafeMutablePointer<Value>
    @exclusivity(unchecked) private(set) var ranges: UnsafeMutablePointer<CollectionRange>
    @exclusivity(unchecked) private(set) var eventText: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var fieldCapacity = 0
    @exclusivity(unchecked) private var elementCapacity = 0
    @exclusivity(unchecked) private var rangeCapacity = 0
    @exclusivity(unchecked) private var textCapacity = 0
    /// How many fields, elements' values and collections the loaded event has.
    @exclusivity(unchecked) public private(set) var fieldCount = 0
    @exclusivity(unchecked) public private(set) var elementValueCount = 0
    @exclusivity(unchecked) public private(set) var collectionCount = 0

    /// Base index in `elements` of the element bound at each depth (0: the per-element
    /// trigger's element; deeper: enclosing `where` filters and aggregates).
    @exclusivity(unchecked) var bases: UnsafeMutablePointer<Int>
    /// The element's index within its collection, per depth (for action selections).
    @exclusivity(unchecked) var indices: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var depthCapacity: Int
    /// Bytes of the program's string constants.
    public let constants: [UInt8]
    /// Text produced while evaluating the current event.
    @exclusivity(unchecked) var scratch: [UInt8] = []
    /// The first error of the current evaluation. Compiled code does not throw (throwing
    /// closures cost on every call): it records the error here and yields false or `missing`.
    @exclusivity(unchecked) public var failure: EvaluationError?

    public init(event: EventRecord, depth: Int = 8, constants: [UInt8] = []) {
        depthCapacity = max(depth, 1)
        bases = .allocate(capacity: depthCapacity)
        bases.initialize(repeating: 0, count: depthCapacity)
        indices = .allocate(capacity: depthCapacity)
        indices.initialize(repeating: -1, count: depthCapacity)
        fields = .allocate(capacity: 1)
        elements = .allocate(capacity: 1)
        ranges = .allocate(capacity: 1)
        eventText = .allocate(capacity: 1)
        self.constants = constants
        load(event)
    }

    deinit {
        bases.deallocate()
        indices.deallocate()
        fields.deallocate()
        elements.deallocate()
        ranges.deallocate()
        eventText.deallocate()
    }

    /// Makes `record` the event being evaluated (and forgets the previous event's scratch text).
    public func load(_ record: EventRecord) {
        fieldCount = record.fields.count
        elementValueCount = record.elements.count
        collectionCount = record.ranges.count
        EvaluationFrame.reserve(&fields, &fieldCapacity, fieldCount)
        EvaluationFrame.reserve(&elements, &elementCapacity, elementValueCount)
        EvaluationFrame.reserve(&ranges, &rangeCapacity, collectionCount)
        EvaluationFrame.reserve(&eventText, &textCapacity, record.text.count)
        // Values are plain data: copying the bytes copies the values.
        record.fields.withUnsafeBufferPointer { if let base = $0.baseAddress { fields.update(from: base, count: $0.count) } }
        record.elements.withUnsafeBufferPointer { if let base = $0.baseAddress { elements.update(from: base, count: $0.count) } }
        record.ranges.withUnsafeBufferPointer { if let base = $0.baseAddress { ranges.update(from: base, count: $0.count) } }
        record.text.withUnsafeBufferPointer { if let base = $0.baseAddress { eventText.update(from: base, count: $0.count) } }
        scratch.removeAll(keepingCapacity: true)
        failure = nil
    }

    /// Overwrites one field of the loaded event, for callers that evaluate many variants of one
    /// event (the linter enumerates field values): cheaper than loading a whole record each time.
    public func setField(_ slot: Int, _ value: Value) {
        precondition(slot >= 0 && slot < fieldCount, "field slot out of range")
        fields[slot] = value
    }

    /// Overwrites one value of the loaded event's flattened elements (see `setField`).
    public func setElementValue(_ index: Int, _ value: Value) {
        precondition(index >= 0 && index < elementValueCount, "element value out of range")
        elements[index] = value
    }

    /// Forgets the previous evaluation's scratch text and error, keeping the loaded event.
    public func beginEvaluation() {
        scratch.removeAll(keepingCapacity: true)
        failure = nil
    }

    private static func reserve<T>(_ pointer: inout UnsafeMutablePointer<T>, _ capacity: inout Int, _ needed: Int) {
        guard needed > capacity else { return }
        let size = max(needed, capacity * 2, 16)
        pointer.deallocate()
        pointer = .allocate(capacity: size)
        capacity = size
    }

    /// Records an evaluation error (the first one wins).
    @inline(never)
    func fail(_ error: EvaluationError) {
        if failure == nil { failure = error }
    }

    /// Binds the trigger's element (depth 0) for a per-element rule table.
    public func bindTriggerElement(collection: Int, index: Int) {
        bind(0, base: base(of: collection, index), index: index)
    }

    @inline(__always)
    func bind(_ depth: Int, base: Int, index: Int) {
        if depth >= depthCapacity { grow(to: depth + 1) }
        bases[depth] = base
        indices[depth] = index
    }

    private func grow(to capacity: Int) {
        let newBases = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        newBases.initialize(repeating: 0, count: capacity)
        newBases.update(from: bases, count: depthCapacity)
        let newIndices = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        newIndices.initialize(repeating: -1, count: capacity)
        newIndices.update(from: indices, count: depthCapacity)
        bases.deallocate()
        indices.deallocate()
        bases = newBases
        indices = newIndices
        depthCapacity = capacity
    }

    /// The element index bound at a depth.
    public func boundIndex(_ depth: Int) -> Int { indices[depth] }

    @inline(__always)
    public func field(_ slot: Int) -> Value { fields[slot] }

    @inline(__always)
    func elementField(_ depth: Int, _ slot: Int) -> Value { elements[bases[depth] + slot] }

    @inline(__always)
    public func range(_ collection: Int) -> CollectionRange { ranges[collection] }

    public func count(of collection: Int) -> Int { Int(ranges[collection].count) }

    @inline(__always)
    public func base(of collection: Int, _ index: Int) -> Int {
        Int(ranges[collection].start) + index * Int(ranges[collection].stride)
    }

    /// The bytes of a text value, whichever store holds them.
    @inline(__always)
    public func withBytes<R>(_ span: TextSpan, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = Int(span.offset)
        let count = Int(span.length)
        switch span.store {
        case .event: return body(UnsafeBufferPointer(start: eventText + start, count: count))
        case .constants: return constants.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<(start + count)])) }
        case .scratch: return scratch.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<(start + count)])) }
        }
    }

    /// A text value as a Swift string (for messages, arguments and the planner).
    public func string(_ value: Value) -> String? {
        guard case .text(let span) = value else { return nil }
        return withBytes(span) { String(shortUTF8: $0) }
    }

    /// Stores produced text in the scratch store.
    func scratchText(_ string: String) -> Value {
        let offset = UInt32(scratch.count)
        scratch.append(contentsOf: string.utf8)
        return .text(TextSpan(store: .scratch, offset: offset, length: UInt32(scratch.count) - offset))
    }

    /// Byte equality of two text values.
    @inline(__always)
    func textEqual(_ a: TextSpan, _ b: TextSpan) -> Bool {
        guard a.length == b.length else { return false }
        return withBytes(a) { left in withBytes(b) { right in TextBytes.equal(left, right) } }
    }
}

/// Byte-level helpers for text values.
public enum TextBytes {
    @inline(__always)
    public static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        if a.count == 0 { return true }
        return memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
    }

    /// FNV-1a, 64-bit: fast on the short texts rules compare (SKUs, reason codes). It only picks a
    /// bucket; equality is always decided on the bytes.
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
