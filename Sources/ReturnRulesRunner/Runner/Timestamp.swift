#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The runner's clock: milliseconds since 1970 (UTC). Injected, so tests can move time.
public protocol RunnerClock: AnyObject {
    func now() -> Int64
}

public final class SystemClock: RunnerClock {
    public init() {}
    public func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

/// A clock that says what it is told.
public final class FixedClock: RunnerClock {
    public var time: Int64
    public init(_ time: Int64) { self.time = time }
    public func now() -> Int64 { time }
}

/// ISO 8601 times and dates, in UTC, without Foundation's formatters.
public enum Timestamp {
    /// `2026-03-04T09:12:44.123Z`
    public static func iso(_ milliseconds: Int64) -> String {
        let (days, msOfDay) = floorDivide(milliseconds, 86_400_000)
        let (y, m, d) = civil(fromDays: days)
        let seconds = msOfDay / 1000
        let ms = msOfDay % 1000
        guard (0...9999).contains(y) else {
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(ms, 3))Z"
        }
        // Digits straight into the string's storage: this runs for every record.
        return String(unsafeUninitializedCapacity: 24) { text in
            func put(_ value: Int64, _ width: Int, at start: Int) {
                var rest = value
                for index in stride(from: start + width - 1, through: start, by: -1) {
                    text[index] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
                    rest /= 10
                }
            }
            put(y, 4, at: 0)
            text[4] = UInt8(ascii: "-")
            put(m, 2, at: 5)
            text[7] = UInt8(ascii: "-")
            put(d, 2, at: 8)
            text[10] = UInt8(ascii: "T")
            put(seconds / 3600, 2, at: 11)
            text[13] = UInt8(ascii: ":")
            put(seconds / 60 % 60, 2, at: 14)
            text[16] = UInt8(ascii: ":")
            put(seconds % 60, 2, at: 17)
            text[19] = UInt8(ascii: ".")
            put(ms, 3, at: 20)
            text[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// `2026-03-04`
    public static func date(_ milliseconds: Int64) -> String {
        let (days, _) = floorDivide(milliseconds, 86_400_000)
        let (y, m, d) = civil(fromDays: days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z`, `±HH:MM` or nothing (UTC).
    public static func parse(_ text: String) -> Int64? {
        // In place when the string is contiguous UTF-8 (native strings are): no array per call.
        if let parsed = text.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0) }) { return parsed }
        return Array(text.utf8).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Int64? {
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= b.count else { return nil }
            var value: Int64 = 0
            for index in from..<from + count {
                guard b[index] >= 0x30, b[index] <= 0x39 else { return nil }
                value = value * 10 + Int64(b[index] - 0x30)
            }
            return value
        }
        guard b.count >= 10, let y = number(0, 4), b[4] == UInt8(ascii: "-"), let m = number(5, 2), b[7] == UInt8(ascii: "-"),
              let d = number(8, 2), (1...12).contains(m), (1...31).contains(d) else { return nil }
        var ms = days(fromCivil: y, m, d) * 86_400_000
        if b.count == 10 { return ms }
        guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), let hh = number(11, 2), b.count > 13, b[13] == UInt8(ascii: ":"),
              let mm = number(14, 2), hh < 24, mm < 60 else { return nil }
        ms += (hh * 3600 + mm * 60) * 1000
        var position = 16
        if position < b.count, b[position] == UInt8(ascii: ":") {
            guard let ss = number(position + 1, 2), ss < 61 else { return nil }
            ms += ss * 1000
            position += 3
            if position < b.count, b[position] == UInt8(ascii: ".") || b[position] == UInt8(ascii: ",") {
                position += 1
                var fraction: Int64 = 0
                var digits = 0
                while position < b.count, b[position] >= 0x30, b[position] <= 0x39 {
                    if digits < 3 {
                        fraction = fraction * 10 + Int64(b[position] - 0x30)
                        digits += 1
                    }
                    position += 1
                }
                while digits < 3 {
                    fraction *= 10
                    digits += 1
                }
                ms += fraction
            }
        }
        if position == b.count { return ms }
        if b[position] == UInt8(ascii: "Z"), position + 1 == b.count { return ms }
        if b[position] == UInt8(ascii: "+") || b[position] == UInt8(ascii: "-"), let oh = number(position + 1, 2) {
            var om: Int64 = 0
            if position + 3 < b.count {
                guard b[position + 3] == UInt8(ascii: ":"), let minutes = number(position + 4, 2), position + 6 == b.count else { return nil }
                om = minutes
            } else if position + 3 != b.count {
                return nil
            }
            let offset = (oh * 60 + om) * 60_000
            return b[position] == UInt8(ascii: "+") ? ms - offset : ms + offset
        }
        return nil
    }

    /// `7d`, `12h`, `30m`, `90s`, `2w` → milliseconds.
    public static func duration(_ text: String) -> Int64? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value >= 0 else { return nil }
        switch unit {
        case "s": return value * 1000
        case "m": return value * 60_000
        case "h": return value * 3_600_000
        case "d": return value * 86_400_000
        case "w": return value * 7 * 86_400_000
        default: return nil
        }
    }

    /// `3d 4h`, `5h 12m`, `40s`.
    public static func age(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        if seconds >= 86_400 { return "\(seconds / 86_400)d \(seconds % 86_400 / 3600)h" }
        if seconds >= 3600 { return "\(seconds / 3600)h \(seconds % 3600 / 60)m" }
        if seconds >= 60 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    // Howard Hinnant's civil-from-days and days-from-civil.
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
