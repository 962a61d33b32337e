/// Many key-only paths (`customer.id`, `$.return_id`, `items`) compiled into one trie, so that
/// all of them are found in a single walk over an object's members instead of one member
/// search per path. A payload mapping reads a dozen fields of every event; looking each up
/// from the root scans the root's members a dozen times.
///
/// Only paths made of keys can be in a set (see `canHold(_:)`); each is resolved from the node
/// given to `resolve` whether it is written absolute or relative. The result for a path is the
/// node `node.lookup(path)` would find from that node: the value of the first member with each
/// key, on the path's way down (later members with a repeated key are not searched).
public struct JSONPathSet: Sendable {
    /// One key leading out of a trie node: its bytes in `keyBytes`, and the node it leads to.
    struct Edge: Sendable {
        var keyStart: Int
        var keyLength: Int
        var child: Int
    }

    /// A trie node: its outgoing keys (`edges[edgeStart ..< edgeEnd]`), a hash table over them
    /// (`slots[slotStart ... slotStart + slotMask]`, edge index + 1, 0 for empty), and the paths
    /// that end here (`endingPaths[pathStart ..< pathEnd]`).
    struct Node: Sendable {
        var edgeStart = 0
        var edgeEnd = 0
        var slotStart = 0
        var slotMask = 0
        var pathStart = 0
        var pathEnd = 0
    }

    let nodes: [Node]
    let edges: [Edge]
    let slots: [Int32]
    let keyBytes: [UInt8]
    let endingPaths: [Int]
    /// Number of paths, in the order given.
    public let count: Int

    /// Whether `path` can be in a set: at least one segment, all of them keys.
    public static func canHold(_ path: JSONPath) -> Bool {
        !path.segments.isEmpty && path.segments.allSatisfy { if case .key = $0 { true } else { false } }
    }

    /// Compiles `paths` (each must satisfy `canHold`); results come back in the same order.
    public init(_ paths: [JSONPath]) {
        // Build with per-node dictionaries, then lay out flat (edges of a node contiguous).
        final class Builder {
            var children: [[UInt8]: Int] = [:]
            var order: [[UInt8]] = []
            var paths: [Int] = []
        }
        var builders = [Builder()]
        for (index, path) in paths.enumerated() {
            precondition(JSONPathSet.canHold(path), "JSONPathSet: \(path) is not a non-empty path of keys")
            var current = 0
            for segment in path.segments {
                guard case .key(let key) = segment else { continue }
                if let next = builders[current].children[key.utf8] {
                    current = next
                } else {
                    builders.append(Builder())
                    builders[current].children[key.utf8] = builders.count - 1
                    builders[current].order.append(key.utf8)
                    current = builders.count - 1
                }
            }
            builders[current].paths.append(index)
        }
        var nodes: [Node] = []
        var edges: [Edge] = []
        var slots: [Int32] = []
        var keyBytes: [UInt8] = []
        var endingPaths: [Int] = []
        for builder in builders {
            var node = Node()
            node.edgeStart = edges.count
            // At most half full, so a probe for an absent key ends soon.
            var tableSize = 2
            while tableSize < 2 * builder.order.count { tableSize *= 2 }
            node.slotStart = slots.count
            node.slotMask = tableSize - 1
            slots.append(contentsOf: repeatElement(0, count: tableSize))
            for key in builder.order {
                var slot = Int(JSONPathSet.hash(key.count, key.first ?? 0, key.last ?? 0)) & node.slotMask
                while slots[node.slotStart + slot] != 0 { slot = (slot + 1) & node.slotMask }
                slots[node.slotStart + slot] = Int32(edges.count + 1)
                edges.append(Edge(keyStart: keyBytes.count, keyLength: key.count, child: builder.children[key]!))
                keyBytes.append(contentsOf: key)
            }
            node.edgeEnd = edges.count
            node.pathStart = endingPaths.count
            endingPaths.append(contentsOf: builder.paths)
            node.pathEnd = endingPaths.count
            nodes.append(node)
        }
        self.nodes = nodes
        self.edges = edges
        self.slots = slots
        self.keyBytes = keyBytes
        self.endingPaths = endingPaths
        count = paths.count
    }

    /// A key's hash from its length and first and last bytes (enough to tell apart the dozen
    /// keys of a payload object; a collision costs one more comparison).
    @inline(__always)
    static func hash(_ length: Int, _ first: UInt8, _ last: UInt8) -> UInt32 {
        let h = (UInt32(truncatingIfNeeded: length) &* 0x9E37_79B1) ^ (UInt32(first) &* 0x85EB_CA6B) ^ (UInt32(last) &* 0xC2B2_AE35)
        return h ^ (h >> 15)
    }

    /// Finds every path below `node` in one walk: `found[i]` becomes the tape index of path
    /// `i`'s node (see `JSONNode.node(atTapeIndex:)`), or -1 when it is missing or a step on its
    /// way is not an object. `found` must hold `count` elements.
    public func resolve(in node: JSONNode, into found: UnsafeMutableBufferPointer<Int>) {
        precondition(found.count >= count, "JSONPathSet.resolve: the result buffer is too small")
        for i in 0..<count { found[i] = -1 }
        guard count > 0 else { return }
        let tape = node.tape
        nodes.withUnsafeBufferPointer { nodes in
            edges.withUnsafeBufferPointer { edges in
                slots.withUnsafeBufferPointer { slots in
                    endingPaths.withUnsafeBufferPointer { endingPaths in
                        keyBytes.withUnsafeBufferPointer { keys in
                            tape.withBytes { p in
                                let walk = Walk(entries: tape.entries, p: p, nodes: nodes, edges: edges, slots: slots,
                                                endingPaths: endingPaths, keys: keys, found: found)
                                walk.members(of: node.index, trieNode: 0)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The walk over raw memory: no reference counting per member.
    private struct Walk {
        let entries: UnsafeMutablePointer<TapeEntry>
        let p: UnsafePointer<UInt8>
        let nodes: UnsafeBufferPointer<Node>
        let edges: UnsafeBufferPointer<Edge>
        let slots: UnsafeBufferPointer<Int32>
        let endingPaths: UnsafeBufferPointer<Int>
        let keys: UnsafeBufferPointer<UInt8>
        let found: UnsafeMutableBufferPointer<Int>

        func members(of objectIndex: Int, trieNode: Int) {
            let object = entries[objectIndex]
            guard object.tapeKind == TapeEntry.object else { return }
            let node = nodes[trieNode]
            // Each key counts once per object (the first member with it), as in a lookup: a
            // bit per key, and for a node with more than 64 keys a look back over the members.
            var taken: UInt64 = 0
            let end = Int(object.next)
            var i = objectIndex + 1
            while i < end {
                let key = entries[i]
                if let edge = match(key, node) {
                    let position = edge - node.edgeStart
                    let seen: Bool
                    if position < 64 {
                        seen = taken & (1 << UInt64(position)) != 0
                        taken |= 1 << UInt64(position)
                    } else {
                        seen = earlierMember(before: i, in: objectIndex, matches: edge, node)
                    }
                    if !seen {
                        let child = edges[edge].child
                        let target = nodes[child]
                        for k in target.pathStart..<target.pathEnd where found[endingPaths[k]] < 0 {
                            found[endingPaths[k]] = i + 1
                        }
                        if target.edgeEnd > target.edgeStart { members(of: i + 1, trieNode: child) }
                    }
                }
                i = Int(entries[i + 1].next)
            }
        }

        /// Whether a member of the object before tape index `member` has the key of `edge`.
        func earlierMember(before member: Int, in objectIndex: Int, matches edge: Int, _ node: Node) -> Bool {
            var j = objectIndex + 1
            while j < member {
                if match(entries[j], node) == edge { return true }
                j = Int(entries[j + 1].next)
            }
            return false
        }

        /// The edge of `node` whose key equals the (decoded) member key, if any.
        @inline(__always)
        func match(_ key: TapeEntry, _ node: Node) -> Int? {
            let start = Int(key.start)
            let length = Int(key.length)
            if key.hasEscapes {
                // Rare: hash and compare the decoded key.
                let decoded = unescapedBytes(p, start: start, end: start + length)
                return decoded.withUnsafeBufferPointer { probe($0.baseAddress ?? p, $0.count, node) }
            }
            return probe(p + start, length, node)
        }

        @inline(__always)
        func probe(_ key: UnsafePointer<UInt8>, _ length: Int, _ node: Node) -> Int? {
            let first = length > 0 ? key[0] : 0
            let last = length > 0 ? key[length - 1] : 0
            var slot = Int(JSONPathSet.hash(length, first, last)) & node.slotMask
            while true {
                let entry = Int(slots[node.slotStart + slot])
                if entry == 0 { return nil }
                let candidate = edges[entry - 1]
                if candidate.keyLength == length
                    && (length == 0 || bytesEqual(key, length, UnsafeBufferPointer(start: keys.baseAddress! + candidate.keyStart, count: length))) {
                    return entry - 1
                }
                slot = (slot + 1) & node.slotMask
            }
        }
    }
}

extension JSONNode {
    /// The node of the same document at `index` on its tape (as found by
    /// `JSONPathSet.resolve`, or another node's `index`).
    public func node(atTapeIndex index: Int) -> JSONNode {
        precondition(index >= 0 && index < tape.count, "JSONNode.node(atTapeIndex:): index out of range")
        return JSONNode(tape: tape, index: index)
    }
}
