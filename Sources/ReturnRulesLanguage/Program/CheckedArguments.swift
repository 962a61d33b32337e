/// An action's arguments by parameter name, in the order they were written.
///
/// An action has a handful of arguments, and a large file has an action per rule: a list is
/// smaller than a dictionary (no hash table allocated per action) and finds a name as fast.
public struct CheckedArguments: Sendable, Sequence {
    public typealias Element = (key: String, value: TypedExpr)

    private var entries: [Element] = []

    public init() {}

    public init(minimumCapacity: Int) { entries.reserveCapacity(minimumCapacity) }

    /// The argument given for `name`; setting one replaces it in place or appends it.
    public subscript(name: String) -> TypedExpr? {
        get { entries.first { $0.key == name }?.value }
        set {
            let index = entries.firstIndex { $0.key == name }
            switch (index, newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?): entries.append((name, value))
            case (nil, nil): break
            }
        }
    }

    public var keys: [String] { entries.map(\.key) }
    public var values: [TypedExpr] { entries.map(\.value) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// The arguments `transform` keeps, by name.
    public func compactMapValues<T>(_ transform: (TypedExpr) throws -> T?) rethrows -> [String: T] {
        var result: [String: T] = [:]
        for (name, value) in entries {
            if let transformed = try transform(value) { result[name] = transformed }
        }
        return result
    }

    public func makeIterator() -> IndexingIterator<[Element]> { entries.makeIterator() }
}
