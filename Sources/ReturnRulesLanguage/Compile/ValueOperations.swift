/// The meaning of every operator, shared by the compiled rules and the tracing interpreter so
/// the two cannot disagree.
///
/// Absent values: `==` is false unless both sides are absent, `!=` is its negation, ordering
/// is false. Arithmetic on an absent value is an evaluation error (the planner sends it to
/// review), never a silent zero.
public struct ValueOperations: Sendable {
    public let currency: Currency
    public let rounding: RoundingMode
    /// Decimals kept by `number / number`.
    public static let quotientScale = 6

    public init(currency: Currency, rounding: RoundingMode) {
        self.currency = currency
        self.rounding = rounding
    }

    /// Equality; text is compared byte for byte in whichever stores hold it.
    @inline(__always)
    public func equal(_ lhs: Value, _ rhs: Value, in frame: EvaluationFrame) -> Bool {
        switch (lhs, rhs) {
        case (.missing, .missing): true
        case (.bool(let a), .bool(let b)): a == b
        case (.money(let a), .money(let b)): a == b
        case (.member(let a), .member(let b)): a == b
        case (.text(let a), .text(let b)): frame.textEqual(a, b)
        case (.number(let a), .number(let b)): a == b
        default: false
        }
    }

    @inline(__always)
    public func compare(_ op: ComparisonOperator, _ lhs: Value, _ rhs: Value, in frame: EvaluationFrame) -> Bool {
        switch op {
        case .equal: return equal(lhs, rhs, in: frame)
        case .notEqual: return !equal(lhs, rhs, in: frame)
        default: break
        }
        let ordering: Int
        switch (lhs, rhs) {
        case (.money(let a), .money(let b)): ordering = a < b ? -1 : (a > b ? 1 : 0)
        case (.number(let a), .number(let b)): ordering = a < b ? -1 : (a > b ? 1 : 0)
        default: return false
        }
        switch op {
        case .less: return ordering < 0
        case .lessEqual: return ordering <= 0
        case .greater: return ordering > 0
        case .greaterEqual: return ordering >= 0
        case .equal, .notEqual: return false
        }
    }

    public func arithmetic(_ op: ArithmeticOperator, _ lhs: Value, _ rhs: Value, span: Span) throws(EvaluationError) -> Value {
        switch (lhs, rhs) {
        case (.missing, _), (_, .missing):
            throw EvaluationError("`\(op.rawValue)` on a value that is absent in this event", at: span)
        case (.number(let a), .number(let b)):
            do {
                switch op {
                case .add: return .number(try a.adding(b))
                case .subtract: return .number(try a.subtracting(b))
                case .multiply: return .number(try a.multiplying(by: b))
                case .divide: return .number(try a.dividing(by: b, scale: ValueOperations.quotientScale, rounding: rounding))
                }
            } catch {
                throw EvaluationError(error == .divisionByZero ? "division by zero" : "arithmetic overflow: \(error)", at: span)
            }
        case (.money(let a), .money(let b)):
            let (result, overflow) = op == .add ? a.addingReportingOverflow(b) : a.subtractingReportingOverflow(b)
            guard !overflow, op == .add || op == .subtract else { throw EvaluationError("arithmetic overflow", at: span) }
            return .money(result)
        case (.money(let a), .number(let b)), (.number(let b), .money(let a)):
            do {
                let amount = Money(minorUnits: a, currency: currency)
                switch op {
                case .multiply: return .money(try amount.multiplied(by: b, rounding: rounding).minorUnits)
                case .divide:
                    guard case .money = lhs else { break }
                    guard !b.isZero else { throw EvaluationError("division by zero", at: span) }
                    let quotient = try amount.decimalValue.dividing(by: b, scale: currency.minorUnits, rounding: rounding)
                    return .money(try Money(exactly: quotient, currency: currency).minorUnits)
                default: break
                }
            } catch let error as EvaluationError {
                throw error
            } catch {
                throw EvaluationError("arithmetic overflow: \(error)", at: span)
            }
            throw EvaluationError("`\(op.rawValue)` cannot combine these values", at: span)
        default:
            throw EvaluationError("`\(op.rawValue)` cannot combine these values", at: span)
        }
    }

    public func negate(_ value: Value, span: Span) throws(EvaluationError) -> Value {
        switch value {
        case .number(let a):
            do { return .number(try a.negated()) } catch { throw EvaluationError("arithmetic overflow", at: span) }
        case .money(let a):
            guard a != .min else { throw EvaluationError("arithmetic overflow", at: span) }
            return .money(-a)
        case .missing:
            throw EvaluationError("`-` on a value that is absent in this event", at: span)
        default:
            throw EvaluationError("`-` cannot negate this value", at: span)
        }
    }

    /// Text for interpolation: amounts with their currency, enum values by name.
    public func text(_ value: Value, type: ValueType, enums: [String: [String]], in frame: EvaluationFrame) -> String {
        switch value {
        case .missing: return "none"
        case .bool(let flag): return flag ? "yes" : "no"
        case .number(let number): return number.description
        case .money(let units): return Money(minorUnits: units, currency: currency).description
        case .text: return frame.string(value) ?? ""
        case .member(let index):
            if case .enumeration(let name) = type, let members = enums[name], Int(index) < members.count { return members[Int(index)] }
            return "#\(index)"
        }
    }

    /// The runtime value of a checked constant (an enum value becomes its index). Text needs a
    /// store: the caller passes where to put it.
    public func value(of constant: ConstantValue, text store: (String) -> Value) -> Value {
        switch constant {
        case .bool(let flag): .bool(flag)
        case .number(let number): .number(number)
        case .money(let money): .money(money.minorUnits)
        case .string(let text): store(text)
        case .enumMember(_, let index, _): .member(Int32(index))
        case .none, .list: .missing
        }
    }

    /// The runtime value of a checked constant, text going to the frame's scratch store.
    @inline(__always)
    public func value(of constant: ConstantValue, in frame: EvaluationFrame) -> Value {
        if case .string(let text) = constant { return frame.scratchText(text) }
        return value(of: constant, text: { _ in .missing })
    }

    public func zero(of type: ValueType) -> Value {
        type == .money ? .money(0) : .number(.zero)
    }

    public func add(_ total: Value, _ value: Value, span: Span) throws(EvaluationError) -> Value {
        try arithmetic(.add, total, value, span: span)
    }
}
