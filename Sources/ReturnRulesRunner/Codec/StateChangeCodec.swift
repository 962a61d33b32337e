import Checksums
import ReturnRulesDomain

/// The binary encoding of the planner's `StateChange`s and of `PlannerState` (for snapshots).
/// Tags are part of the journal format: never renumber one, only add.
public enum StateChangeCodec {
    enum Tag: UInt8 {
        case eventSeen = 1
        case unitsRefunded = 2
        case amountRefunded = 3
        case itemInspected = 4
        /// A hold without the item's EAN (written before EANs were kept; read only).
        case restockHeldWithoutEAN = 5
        case restockHoldClosed = 6
        case stockPlanned = 7
        case keyPlanned = 8
        case reviewOpened = 9
        case restockHeld = 10
    }

    public static func encode(_ change: StateChange, into w: inout ByteWriter) {
        switch change {
        case .eventSeen(let eventID, let digest, let returnID, let time, let rank, let status):
            w.u8(Tag.eventSeen.rawValue)
            w.string(eventID)
            w.digest(digest)
            w.string(returnID)
            w.optionalString(time)
            w.zigzag(rank)
            w.string(status)
        case .unitsRefunded(let returnID, let orderID, let lines, let amount, let feesDeducted, let key):
            w.u8(Tag.unitsRefunded.rawValue)
            w.string(returnID)
            w.zigzag(orderID)
            w.varint(lines.count)
            for line in lines {
                w.zigzag(line.lineID)
                w.zigzag(line.units)
            }
            w.zigzag(amount)
            w.bool(feesDeducted)
            w.string(key)
        case .amountRefunded(let returnID, let orderID, let amount, let key):
            w.u8(Tag.amountRefunded.rawValue)
            w.string(returnID)
            w.zigzag(orderID)
            w.zigzag(amount)
            w.string(key)
        case .itemInspected(let returnID, let item, let grade):
            w.u8(Tag.itemInspected.rawValue)
            w.string(returnID)
            w.string(item)
            w.string(grade)
        case .restockHeld(let returnID, let hold):
            w.u8(Tag.restockHeld.rawValue)
            w.string(returnID)
            encode(hold, into: &w)
        case .restockHoldClosed(let returnID, let item, let outcome):
            w.u8(Tag.restockHoldClosed.rawValue)
            w.string(returnID)
            w.string(item)
            w.string(outcome)
        case .stockPlanned(let holder, let delta):
            w.u8(Tag.stockPlanned.rawValue)
            w.string(holder)
            w.zigzag(delta)
        case .keyPlanned(let returnID, let key):
            w.u8(Tag.keyPlanned.rawValue)
            w.string(returnID)
            w.string(key)
        case .reviewOpened(let returnID, let queue):
            w.u8(Tag.reviewOpened.rawValue)
            w.string(returnID)
            w.string(queue)
        }
    }

    public static func decode(from r: inout ByteReader) throws(DecodeError) -> StateChange {
        let raw = try r.u8()
        guard let tag = Tag(rawValue: raw) else { throw DecodeError("unknown state change tag \(raw)") }
        switch tag {
        case .eventSeen:
            let eventID = try r.string()
            let digest = try r.digest()
            let returnID = try r.string()
            let time = try r.optionalString()
            let rank = try r.zigzagInt()
            let status = try r.string()
            return .eventSeen(eventID: eventID, digest: digest, returnID: returnID, time: time, rank: rank, status: status)
        case .unitsRefunded:
            let returnID = try r.string()
            let orderID = try r.zigzagInt()
            let n = try r.count()
            var lines: [RefundedLine] = []
            lines.reserveCapacity(n)
            for _ in 0..<n { lines.append(RefundedLine(lineID: try r.zigzagInt(), units: try r.zigzagInt())) }
            let amount = try r.zigzag()
            let fees = try r.bool()
            let key = try r.string()
            return .unitsRefunded(returnID: returnID, orderID: orderID, lines: lines, amount: amount, feesDeducted: fees, key: key)
        case .amountRefunded:
            let returnID = try r.string()
            let orderID = try r.zigzagInt()
            let amount = try r.zigzag()
            let key = try r.string()
            return .amountRefunded(returnID: returnID, orderID: orderID, amount: amount, key: key)
        case .itemInspected:
            return .itemInspected(returnID: try r.string(), item: try r.string(), grade: try r.string())
        case .restockHeld, .restockHeldWithoutEAN:
            let returnID = try r.string()
            return .restockHeld(returnID: returnID, hold: try decodeHold(from: &r, withEAN: tag == .restockHeld))
        case .restockHoldClosed:
            return .restockHoldClosed(returnID: try r.string(), item: try r.string(), outcome: try r.string())
        case .stockPlanned:
            return .stockPlanned(holder: try r.string(), delta: try r.zigzagInt())
        case .keyPlanned:
            return .keyPlanned(returnID: try r.string(), key: try r.string())
        case .reviewOpened:
            return .reviewOpened(returnID: try r.string(), queue: try r.string())
        }
    }

    static func encode(_ hold: RestockHold, into w: inout ByteWriter) {
        w.string(hold.item)
        w.optionalInt(hold.orderID)
        w.optionalInt(hold.productID)
        w.optionalInt(hold.variationID)
        w.optionalString(hold.sku)
        w.optionalString(hold.ean)
        w.zigzag(hold.units)
        w.string(hold.rule)
        w.string(hold.ruleLocation)
        w.string(hold.key)
        w.bool(hold.closed)
    }

    /// - Parameter withEAN: false for holds written before they kept the EAN (journal tag 5,
    ///   snapshot payload version 2).
    static func decodeHold(from r: inout ByteReader, withEAN: Bool) throws(DecodeError) -> RestockHold {
        let item = try r.string()
        let orderID = try r.optionalInt()
        let productID = try r.optionalInt()
        let variationID = try r.optionalInt()
        let sku = try r.optionalString()
        let ean = withEAN ? try r.optionalString() : nil
        let units = try r.zigzagInt()
        let rule = try r.string()
        let location = try r.string()
        let key = try r.string()
        var hold = RestockHold(item: item, orderID: orderID, productID: productID, variationID: variationID, sku: sku, ean: ean, units: units,
                               rule: rule, ruleLocation: location, key: key)
        hold.closed = try r.bool()
        return hold
    }

    // MARK: - The whole planner state, for snapshots

    /// - Parameter spill: called between returns, to hand on what is written so far (snapshots).
    public static func encode(_ state: PlannerState, into w: inout ByteWriter, spill: (inout ByteWriter) -> Void = { _ in }) {
        w.varint(state.returns.count)
        // In the table's own order: sorting a few hundred thousand ids (and looking each up
        // again) cost more than writing them, and the reader files them by id anyway.
        for (returnID, k) in state.returns {
            spill(&w)
            w.string(returnID)
            w.optionalString(k.lastTime)
            w.zigzag(k.lastRank)
            w.optionalString(k.lastStatus)
            w.varint(k.eventCount)
            w.varint(k.recentEvents.count)
            for seen in k.recentEvents {
                w.string(seen.id)
                w.digest(seen.digest)
            }
            w.varint(k.unitsRefunded.count)
            for (line, units) in k.unitsRefunded.sorted(by: { $0.key < $1.key }) {
                w.zigzag(line)
                w.zigzag(units)
            }
            w.zigzag(k.amountRefunded)
            w.zigzag(k.differenceRefunded)
            w.bool(k.feesDeducted)
            w.strings(k.refundKeys)
            w.optionalInt(k.orderID)
            w.varint(k.inspected.count)
            for (item, grade) in k.inspected.sorted(by: { $0.key < $1.key }) {
                w.string(item)
                w.string(grade)
            }
            w.varint(k.holds.count)
            for (item, hold) in k.holds.sorted(by: { $0.key < $1.key }) {
                w.string(item)
                encode(hold, into: &w)
            }
            w.strings(k.plannedKeys.sorted())
            w.varint(k.reviewCount)
        }
        // Closed returns as their compact bytes, read back without parsing (snapshot version 4).
        w.varint(state.closed.count)
        for (returnID, compact) in state.closed {
            spill(&w)
            w.string(returnID)
            w.varint(compact.bytes.count)
            w.raw(compact.bytes)
        }
        w.varint(state.orders.count)
        for (orderID, order) in state.orders.sorted(by: { $0.key < $1.key }) {
            w.zigzag(orderID)
            w.zigzag(order.refundedAmount)
            w.varint(order.refunds.count)
            for refund in order.refunds {
                w.string(refund.key)
                w.varint(refund.lines.count)
                for line in refund.lines {
                    w.zigzag(line.lineID)
                    w.zigzag(line.units)
                }
                w.zigzag(refund.amount)
            }
        }
        w.varint(state.stockDeltas.count)
        for (holder, delta) in state.stockDeltas.sorted(by: { $0.key < $1.key }) {
            w.string(holder)
            w.zigzag(delta)
        }
    }

    /// - Parameters:
    ///   - holdsWithEAN: false for snapshots of payload version 2 (holds without the EAN).
    ///   - withClosed: false for snapshots before version 4 (no compact returns: every return
    ///     is read as open, then the closed ones are compacted).
    public static func decodePlannerState(from r: inout ByteReader, holdsWithEAN: Bool = true, withClosed: Bool = true) throws(DecodeError) -> PlannerState {
        var state = PlannerState()
        let returnCount = try r.count()
        state.returns.reserveCapacity(returnCount)
        for _ in 0..<returnCount {
            let returnID = try r.string()
            var k = ReturnKnowledge()
            k.lastTime = try r.optionalString()
            k.lastRank = try r.zigzagInt()
            k.lastStatus = try r.optionalString()
            k.eventCount = try r.int()
            let recent = try r.count()
            k.recentEvents.reserveCapacity(recent)
            for _ in 0..<recent { k.recentEvents.append(.restored(id: try r.string(), digest: try r.digest())) }
            let units = try r.count()
            for _ in 0..<units { k.unitsRefunded[try r.zigzagInt()] = try r.zigzagInt() }
            k.amountRefunded = try r.zigzag()
            k.differenceRefunded = try r.zigzag()
            k.feesDeducted = try r.bool()
            k.refundKeys = try r.strings()
            k.orderID = try r.optionalInt()
            let inspected = try r.count()
            for _ in 0..<inspected { k.inspected[try r.string()] = try r.string() }
            let holds = try r.count()
            for _ in 0..<holds { k.holds[try r.string()] = try decodeHold(from: &r, withEAN: holdsWithEAN) }
            k.plannedKeys = Set(try r.strings())
            k.reviewCount = try r.int()
            state.returns[returnID] = k
        }
        SnapshotCodec.sectionProbe?("planner: open returns (\(state.returns.count), full knowledge)")
        if withClosed {
            let closedCount = try r.count()
            state.closed.reserveCapacity(closedCount)
            for _ in 0..<closedCount {
                let returnID = try r.string()
                state.closed[returnID] = ClosedReturn(bytes: try r.blob())
            }
        } else {
            state.settleAll()
        }
        // Closed returns the snapshot holds in full knowledge (at most `closedKeptFull` of them)
        // stay so until their next record queues them like any other.
        SnapshotCodec.sectionProbe?("planner: closed returns (\(state.closed.count), compact; settled when read from an old snapshot)")
        let orderCount = try r.count()
        for _ in 0..<orderCount {
            let orderID = try r.zigzagInt()
            let refunded = try r.zigzag()
            let n = try r.count()
            var refunds: [PlannedRefund] = []
            for _ in 0..<n {
                let key = try r.string()
                let lineCount = try r.count()
                var lines: [RefundedLine] = []
                for _ in 0..<lineCount { lines.append(RefundedLine(lineID: try r.zigzagInt(), units: try r.zigzagInt())) }
                refunds.append(.restored(key: key, lines: lines, amount: try r.zigzag()))
            }
            state.orders[orderID] = .restored(refundedAmount: refunded, refunds: refunds)
        }
        let deltas = try r.count()
        for _ in 0..<deltas { state.stockDeltas[try r.string()] = try r.zigzagInt() }
        return state
    }
}
