/// A stable diagnostic code such as `RR0205`, with its kebab-case name and default severity.
///
/// Codes are allocated by phase: RR01xx reading and syntax, RR02xx names and types, RR03xx
/// domain lints, RR04xx catalog (store) checks, RR09xx tool and input errors. A code, once
/// published, never changes meaning; retired codes are not reused. The language library owns
/// RR01xx, RR02xx and RR0901; the returns domain adds its own codes as static members in an
/// extension and lists them in its schema, so the language stays free of the domain.
public struct DiagnosticCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `RR0205`: the contract tests and tools match on.
    public let rawValue: String
    /// `money-compared-with-number`: used for snippet file names and in JSON output.
    public let name: String
    public let defaultSeverity: Severity

    public init(_ rawValue: String, _ name: String, severity: Severity = .error) {
        self.rawValue = rawValue
        self.name = name
        self.defaultSeverity = severity
    }

    public static func == (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
    public static func < (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}

/// The language's own codes. Keep each section sorted by code.
extension DiagnosticCode {

    // MARK: - RR01xx reading and syntax
    public static let invalidUTF8 = DiagnosticCode("RR0101", "invalid-utf8")
    public static let unexpectedCharacter = DiagnosticCode("RR0102", "unexpected-character")
    public static let unterminatedString = DiagnosticCode("RR0103", "unterminated-string")
    public static let invalidEscape = DiagnosticCode("RR0104", "invalid-escape")
    public static let malformedNumber = DiagnosticCode("RR0105", "malformed-number")
    public static let expectedToken = DiagnosticCode("RR0106", "expected-token")
    public static let nestingTooDeep = DiagnosticCode("RR0107", "nesting-too-deep")
    public static let invalidInterpolation = DiagnosticCode("RR0108", "invalid-interpolation")
    public static let emptyFile = DiagnosticCode("RR0109", "empty-file")
    public static let fileTooLarge = DiagnosticCode("RR0110", "file-too-large")
    public static let missingLanguageVersion = DiagnosticCode("RR0111", "missing-language-version")
    public static let unsupportedLanguageVersion = DiagnosticCode("RR0112", "unsupported-language-version")
    public static let misplacedOverride = DiagnosticCode("RR0113", "misplaced-override")

    // MARK: - RR02xx names and types
    public static let unknownName = DiagnosticCode("RR0201", "unknown-name")
    public static let unknownField = DiagnosticCode("RR0202", "unknown-field")
    public static let unknownEnumValue = DiagnosticCode("RR0203", "unknown-enum-value")
    public static let typeMismatch = DiagnosticCode("RR0204", "type-mismatch")
    public static let moneyComparedWithNumber = DiagnosticCode("RR0205", "money-compared-with-number")
    public static let currencyMismatch = DiagnosticCode("RR0206", "currency-mismatch")
    public static let invalidMoneyLiteral = DiagnosticCode("RR0207", "invalid-money-literal")
    public static let unknownSetting = DiagnosticCode("RR0208", "unknown-setting")
    public static let invalidSettingValue = DiagnosticCode("RR0209", "invalid-setting-value")
    public static let duplicateDefinition = DiagnosticCode("RR0210", "duplicate-definition")
    public static let unknownAction = DiagnosticCode("RR0211", "unknown-action")
    public static let missingArgument = DiagnosticCode("RR0212", "missing-argument")
    public static let unknownArgument = DiagnosticCode("RR0213", "unknown-argument")
    public static let argumentType = DiagnosticCode("RR0214", "argument-type")
    public static let unknownTrigger = DiagnosticCode("RR0215", "unknown-trigger")
    public static let includeNotFound = DiagnosticCode("RR0216", "include-not-found")
    public static let includeCycle = DiagnosticCode("RR0217", "include-cycle")
    public static let overrideWithoutOriginal = DiagnosticCode("RR0218", "override-without-original")
    public static let redefinitionWithoutOverride = DiagnosticCode("RR0219", "redefinition-without-override")
    public static let guardNotBoolean = DiagnosticCode("RR0220", "guard-not-boolean")
    public static let notConstant = DiagnosticCode("RR0221", "not-constant")
    public static let unknownFunction = DiagnosticCode("RR0222", "unknown-function")
    public static let fieldOutOfScope = DiagnosticCode("RR0223", "field-out-of-scope")
    public static let invalidMappingTarget = DiagnosticCode("RR0224", "invalid-mapping-target")
    public static let invalidJSONPath = DiagnosticCode("RR0225", "invalid-json-path")
    public static let invalidAlias = DiagnosticCode("RR0226", "invalid-alias")
    public static let comparisonWithNoneAlwaysFalse = DiagnosticCode("RR0227", "comparison-with-none", severity: .warning)
    public static let missingSetting = DiagnosticCode("RR0228", "missing-setting")
    public static let arithmeticError = DiagnosticCode("RR0229", "arithmetic-error")
    public static let shadowedBinding = DiagnosticCode("RR0230", "shadowed-binding")
    public static let invalidAnnotation = DiagnosticCode("RR0231", "invalid-annotation")
    public static let unusedConstant = DiagnosticCode("RR0232", "unused-constant", severity: .warning)
    public static let unknownHitPolicy = DiagnosticCode("RR0233", "unknown-hit-policy")

    // MARK: - RR09xx tool and input errors
    public static let tooManyErrors = DiagnosticCode("RR0901", "too-many-errors", severity: .note)

    /// Every code the language library reports.
    public static let languageCodes: [DiagnosticCode] = [
        .invalidUTF8,
        .unexpectedCharacter,
        .unterminatedString,
        .invalidEscape,
        .malformedNumber,
        .expectedToken,
        .nestingTooDeep,
        .invalidInterpolation,
        .emptyFile,
        .fileTooLarge,
        .missingLanguageVersion,
        .unsupportedLanguageVersion,
        .misplacedOverride,
        .unknownName,
        .unknownField,
        .unknownEnumValue,
        .typeMismatch,
        .moneyComparedWithNumber,
        .currencyMismatch,
        .invalidMoneyLiteral,
        .unknownSetting,
        .invalidSettingValue,
        .duplicateDefinition,
        .unknownAction,
        .missingArgument,
        .unknownArgument,
        .argumentType,
        .unknownTrigger,
        .includeNotFound,
        .includeCycle,
        .overrideWithoutOriginal,
        .redefinitionWithoutOverride,
        .guardNotBoolean,
        .notConstant,
        .unknownFunction,
        .fieldOutOfScope,
        .invalidMappingTarget,
        .invalidJSONPath,
        .invalidAlias,
        .comparisonWithNoneAlwaysFalse,
        .missingSetting,
        .arithmeticError,
        .shadowedBinding,
        .invalidAnnotation,
        .unusedConstant,
        .unknownHitPolicy,
        .tooManyErrors,
    ]
}
