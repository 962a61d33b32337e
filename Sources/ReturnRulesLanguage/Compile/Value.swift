/// A runtime value: plain data, no references, so reading, copying and comparing values on the
/// hot path never touches a reference count.
///
/// Money is held as minor units of the rule file's currency: the intake rejects (or sends to
/// review) events in any other currency before they reach the rules, so one Int64 is exact.
/// Text lives in byte stores (the event's, the program's constants, the evaluation's scratch)
/// and a value holds only where.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    /// An optional field with no value, or a required one the intake could not fill.
    case missing
    case bool(Bool)
    case number(ExactDecimal)
    /// Minor units of the program's currency.
    case money(Int64)
    case text(TextSpan)
    /// An enum value by its index among the enum's members.
    case member(Int32)

    public var isMissing: Bool { if case .missing = self { true } else { false } }

    public var description: String {
        switch self {
        case .missing: "none"
        case .bool(let value): value ? "yes" : "no"
        case .number(let value): value.description
        case .money(let units): "\(units) minor units"
        case .text(let span): "text\(span)"
        case .member(let index): "#\(index)"
        }
    }
}

/// Where a text value's UTF-8 bytes are: a store and a range in it.
public struct TextSpan: Sendable, Hashable, CustomStringConvertible {
    public enum Store: UInt8, Sendable {
        /// The event's own text (`EventRecord.text`).
        case event
        /// The compiled program's string constants.
        case constants
        /// Text an evaluation produced (interpolations), valid until the frame loads another event.
        case scratch
    }

    public var store: Store
    public var offset: UInt32
    public var length: UInt32

    public init(store: Store, offset: UInt32, length: UInt32) {
        self.store = store
        self.offset = offset
        self.length = length
    }

    public var description: String { "(\(store) \(offset)+\(length))" }
}

/// The values of one event, laid out by the schema's slots.
///
/// Collections are flattened: every element of every collection sits in `elements`, element
/// after element, each taking its record's field count; `ranges` says where each collection's
/// elements start and how many there are. So an element field is one index computation away,
/// and loading an event into a frame copies no per-element arrays.
public struct EventRecord: Sendable {
    public var fields: [Value]
    public var elements: [Value]
    /// Per collection slot: first element's index in `elements`, element count, fields per element.
    public var ranges: [CollectionRange]
    /// UTF-8 bytes of every text value of the event.
    public var text: [UInt8]

    public init(fieldCount: Int, collectionFieldCounts: [Int]) {
        fields = Array(repeating: .missing, count: fieldCount)
        elements = []
        ranges = collectionFieldCounts.map { CollectionRange(start: 0, count: 0, stride: Int32($0)) }
        text = []
    }

    /// Appends text to the event's store and returns its value.
    public mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>) -> Value {
        let offset = UInt32(text.count)
        text.append(contentsOf: bytes)
        return .text(TextSpan(store: .event, offset: offset, length: UInt32(bytes.count)))
    }

    public mutating func appendText<Bytes: Collection>(_ bytes: Bytes) -> Value where Bytes.Element == UInt8 {
        let offset = UInt32(text.count)
        text.append(contentsOf: bytes)
        return .text(TextSpan(store: .event, offset: offset, length: UInt32(text.count) - offset))
    }

    public mutating func appendText(_ string: String) -> Value {
        var string = string
        return string.withUTF8 { appendText($0) }
    }

    /// Empties the record for the next event, keeping its storage.
    public mutating func reset(fieldCount: Int, collectionFieldCounts: [Int]) {
        if fields.count == fieldCount {
            fields.withUnsafeMutableBufferPointer { $0.update(repeating: .missing) }
        } else {
            fields = Array(repeating: .missing, count: fieldCount)
        }
        elements.removeAll(keepingCapacity: true)
        if ranges.count != collectionFieldCounts.count {
            ranges = collectionFieldCounts.map { CollectionRange(start: 0, count: 0, stride: Int32($0)) }
        } else {
            for index in ranges.indices { ranges[index] = CollectionRange(start: 0, count: 0, stride: Int32(collectionFieldCounts[index])) }
        }
        text.removeAll(keepingCapacity: true)
    }

    /// Starts a collection's elements; they must be appended contiguously, one collection at a time.
    public mutating func beginCollection(_ slot: Int) {
        ranges[slot].start = Int32(elements.count)
        ranges[slot].count = 0
    }

    /// Appends one element (all its fields missing) to the collection begun last; returns its base index.
    public mutating func appendElement(to slot: Int) -> Int {
        let base = elements.count
        let stride = Int(ranges[slot].stride)
        // A slice of a ready array of missing values appends as one copy; a repeated element
        // appends one by one.
        if stride <= EventRecord.missingValues.count {
            elements.append(contentsOf: EventRecord.missingValues[..<stride])
        } else {
            elements.append(contentsOf: repeatElement(.missing, count: stride))
        }
        ranges[slot].count += 1
        return base
    }

    private static let missingValues = [Value](repeating: .missing, count: 64)

    public func count(of collection: Int) -> Int { Int(ranges[collection].count) }

    /// The base index of element `index` of a collection in `elements`.
    @inline(__always)
    public func base(of collection: Int, _ index: Int) -> Int {
        Int(ranges[collection].start) + index * Int(ranges[collection].stride)
    }

    public func element(_ collection: Int, _ index: Int, _ slot: Int) -> Value { elements[base(of: collection, index) + slot] }

    /// The text of an event-store text value.
    public func string(_ value: Value) -> String? {
        guard case .text(let span) = value, span.store == .event else { return nil }
        let start = Int(span.offset)
        return text.withUnsafeBufferPointer { String(shortUTF8: UnsafeBufferPointer(rebasing: $0[start..<(start + Int(span.length))])) }
    }

    public func bytes(_ span: TextSpan) -> ArraySlice<UInt8> {
        let start = Int(span.offset)
        return text[start..<(start + Int(span.length))]
    }
}

/// Where one collection's elements are in `EventRecord.elements`.
public struct CollectionRange: Sendable, Hashable {
    public var start: Int32
    public var count: Int32
    /// Fields per element.
    public var stride: Int32
}

/// Why a rule could not be evaluated for an event: the planner turns it into a review item
/// naming the rule and the expression.
public struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var span: Span

    public init(_ message: String, at span: Span) {
        self.message = message
        self.span = span
    }

    public var description: String { message }
}
