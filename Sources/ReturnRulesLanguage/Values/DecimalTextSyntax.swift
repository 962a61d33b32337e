/// Which spellings of a decimal number a parser accepts.
///
/// Both grammars require at least one digit and accept an exponent (`1.5e2`); neither accepts
/// white space, thousands separators, `NaN`, `Infinity` or hexadecimal. Whatever the spelling,
/// the parsed value is exact or the parse fails: no digit is ever rounded away.
///
/// | input    | `.json` | `.lenient` |
/// |----------|---------|------------|
/// | `""`     | no      | no         |
/// | `"-"`    | no      | no         |
/// | `".5"`   | no      | 0.5        |
/// | `"5."`   | no      | 5          |
/// | `"+5"`   | no      | 5          |
/// | `"00.5"` | no      | 0.5        |
/// | `"1e-2"` | 0.01    | 0.01       |
/// | `"0.1e1"`| 1       | 1          |
public enum DecimalTextSyntax: Sendable, Hashable, CaseIterable {
    /// JSON's number grammar (RFC 8259 §6): `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    /// The default everywhere: what WooCommerce and Reveni send, whether as a JSON number (`50`)
    /// or inside a JSON string (`"50.00"`, `"0.8589"`).
    case json
    /// JSON plus what people type: a leading `+`, redundant leading zeros (`00.5`), a bare
    /// fraction (`.5`) and a trailing point (`5.`):
    /// `[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?`.
    case lenient
}
