/// A currency: a three-letter code and the number of decimal places its amounts have.
///
/// Stored in five bytes (no heap, no reference counting), so ``Money`` values are plain data.
/// Two currencies are equal when both the code and the minor units agree.
///
/// ```swift
/// Currency.iso4217("EUR")?.minorUnits   // 2
/// Currency.iso4217("JPY")?.minorUnits   // 0
/// Currency.iso4217("eur")               // nil: codes are upper case
/// ```
public struct Currency: Sendable, Hashable, CustomStringConvertible {
    /// The three ASCII letters packed big-endian into the low 24 bits.
    private let packedCode: UInt32
    private let storedMinorUnits: UInt8

    /// The alphabetic code: three upper-case ASCII letters, such as `"EUR"`.
    public var code: String {
        // Three ASCII bytes written in place: no array to allocate.
        String(unsafeUninitializedCapacity: 3) { buffer in
            buffer[0] = UInt8(truncatingIfNeeded: packedCode >> 16)
            buffer[1] = UInt8(truncatingIfNeeded: packedCode >> 8)
            buffer[2] = UInt8(truncatingIfNeeded: packedCode)
            return 3
        }
    }

    /// Whether `bytes` are exactly this currency's code (as UTF-8), without making a string.
    @inlinable
    public func hasCode<Bytes: Collection>(utf8 bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        guard bytes.count == 3 else { return false }
        var packed: UInt32 = 0
        for byte in bytes { packed = packed << 8 | UInt32(byte) }
        return packed == packedCodeValue
    }

    /// `packedCode`, for inlinable code.
    @usableFromInline var packedCodeValue: UInt32 { packedCode }

    /// The number of decimal places of an amount, 0…18: 2 for EUR, 0 for JPY, 3 for KWD.
    /// (Not to be confused with ``Money/minorUnits``, an amount counted in those places.)
    public var minorUnits: Int { Int(storedMinorUnits) }

    /// The code, e.g. `"EUR"`.
    public var description: String { code }

    /// A currency outside the ISO table, such as one withdrawn from ISO 4217 (an old order in
    /// BGN or HRK) or a test currency. `nil` unless `code` is three ASCII letters `A`–`Z` and
    /// `minorUnits` is in 0…18. Prefer ``iso4217(_:)`` for live currencies.
    public init?(code: String, minorUnits: Int) {
        guard let packed = Self.pack(code.utf8), (0...ExactDecimal.maxScale).contains(minorUnits) else {
            return nil
        }
        self.init(packedCode: packed, minorUnits: minorUnits)
    }

    private init(packedCode: UInt32, minorUnits: Int) {
        self.packedCode = packedCode
        self.storedMinorUnits = UInt8(truncatingIfNeeded: minorUnits)
    }

    /// The active ISO 4217 currency with this code, or `nil` for anything else: lower case,
    /// white space, withdrawn codes and codes without minor units (XAU, XXX, …) all give `nil`.
    public static func iso4217(_ code: some StringProtocol) -> Currency? {
        iso4217(utf8: code.utf8)
    }

    /// The active ISO 4217 currency whose code is these three UTF-8 bytes (for parsers that
    /// hold bytes, not strings).
    public static func iso4217(utf8 code: some Collection<UInt8>) -> Currency? {
        guard let packed = pack(code) else { return nil }
        var low = 0
        var high = table.count
        while low < high {
            let middle = (low + high) / 2
            let entry = table[middle]
            let entryCode = entry >> 8
            if entryCode == packed { return Currency(packedCode: packed, minorUnits: Int(entry & 0xFF)) }
            if entryCode < packed { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The same lookup for bytes held in an array (the common case for parsers in other
    /// modules, where the generic version would not be specialised).
    public static func iso4217(utf8 code: ArraySlice<UInt8>) -> Currency? {
        code.withUnsafeBufferPointer { iso4217(utf8: $0) }
    }

    /// Every active ISO 4217 code in the table, sorted.
    public static let allCodes: [String] = iso4217Entries.map(\.code)

    /// Every active ISO 4217 currency in the table, sorted by code.
    public static let allISO4217: [Currency] = iso4217Entries.map {
        Currency(packedCode: pack($0.code.utf8)!, minorUnits: $0.minorUnits)
    }

    /// Euro, 2 decimals.
    public static let eur = iso4217("EUR")!
    /// US dollar, 2 decimals.
    public static let usd = iso4217("USD")!
    /// Pound sterling, 2 decimals.
    public static let gbp = iso4217("GBP")!
    /// Yen, 0 decimals.
    public static let jpy = iso4217("JPY")!

    /// The table as `code << 8 | minorUnits`, sorted, for binary search.
    private static let table: [UInt32] = iso4217Entries.map { pack($0.code.utf8)! << 8 | UInt32($0.minorUnits) }

    /// Three bytes `A`–`Z` packed into 24 bits; `nil` for anything else.
    private static func pack(_ bytes: some Collection<UInt8>) -> UInt32? {
        guard bytes.count == 3 else { return nil }
        var packed: UInt32 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") else { return nil }
            packed = packed << 8 | UInt32(byte)
        }
        return packed
    }
}
