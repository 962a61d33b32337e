/// The syntax tree of one rule file, exactly as written (nothing resolved yet).
///
/// Every node keeps its span and the range of tokens it covers, so the formatter can find the
/// comments around it. A node the parser could not finish is still in the tree, with `.error`
/// pieces where input was missing: later phases skip those quietly (their error was reported).
public struct SyntaxTree: Sendable {
    public var file: SourceFile
    public var tokens: [Token]
    public var items: [Item]

    public init(file: SourceFile, tokens: [Token], items: [Item]) {
        self.file = file
        self.tokens = tokens
        self.items = items
    }
}

/// A name as written, with where it was written.
public struct Identifier: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var span: Span

    public init(_ name: String, span: Span) {
        self.name = name
        self.span = span
    }

    public var description: String { name }
}

/// `@allow(RR0301, reason: "…")` before an item or a rule.
public struct Annotation: Sendable, Hashable {
    public var name: Identifier
    public var arguments: [Argument]
    public var span: Span
}

/// One top-level declaration.
public struct Item: Sendable, Hashable {
    public var kind: ItemKind
    public var annotations: [Annotation]
    public var span: Span
    /// Token indices covered, first and one past the last.
    public var tokenRange: Range<Int>
}

public enum ItemKind: Sendable, Hashable {
    /// `returnrules 1`
    case version(VersionDecl)
    /// `include "house/base.rules"`
    case include(StringLiteral)
    /// `currency EUR`, `grades A, B, C`
    case setting(Setting)
    /// `reveni { restocks_on_accept no }`
    case settingsBlock(SettingsBlock)
    /// `let finance_limit = 400.00 EUR`, optionally `override let …`
    case constant(ConstantDecl)
    /// `mapping { return.status = "$.data.return.status" { "approved" -> accepted } }`
    case mapping(MappingBlock)
    /// `aliases { ean "8435123400429" -> variation 412 }`
    case aliases(AliasBlock)
    /// `on return accepted, partly_accepted match first { rule … }`
    case ruleBlock(RuleBlock)
    /// `override rule name when … then …` replacing a rule of an included file in place.
    case ruleOverride(RuleDecl)
    /// Input the parser skipped; already reported.
    case invalid
}

public struct VersionDecl: Sendable, Hashable {
    /// The number as written; nil when it was missing or malformed.
    public var version: String?
    public var versionSpan: Span
}

public struct Setting: Sendable, Hashable {
    public var name: Identifier
    public var values: [Expr]
    public var span: Span
    public var tokenRange: Range<Int>
}

public struct SettingsBlock: Sendable, Hashable {
    public var name: Identifier
    public var settings: [Setting]
    public var span: Span
}

public struct ConstantDecl: Sendable, Hashable {
    public var isOverride: Bool
    public var name: Identifier
    public var value: Expr
}

public struct MappingBlock: Sendable, Hashable {
    public var entries: [MappingEntry]
    public var span: Span
}

/// `item.grade = "validation.grade" { "ok" -> A  otherwise -> C }`
public struct MappingEntry: Sendable, Hashable {
    public var target: FieldPath
    public var source: StringLiteral
    public var cases: [ValueCase]?
    public var span: Span
    public var tokenRange: Range<Int>
}

/// A dotted canonical field name as written on the left of a mapping (`refund.method`).
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public var parts: [Identifier]
    public var span: Span
    public var dotted: String { parts.map(\.name).joined(separator: ".") }
    public var description: String { dotted }
}

/// `"refunded" -> accepted, refund.status = paid` or `otherwise -> cancelled`.
public struct ValueCase: Sendable, Hashable {
    /// Source values; empty for `otherwise`.
    public var patterns: [Expr]
    public var isOtherwise: Bool
    public var value: Expr
    public var alsoSet: [FieldAssignment]
    public var span: Span
    public var tokenRange: Range<Int>
}

public struct FieldAssignment: Sendable, Hashable {
    public var target: FieldPath
    public var value: Expr
}

public struct AliasBlock: Sendable, Hashable {
    public var entries: [AliasEntry]
    public var span: Span
}

/// `sku "OLD-1" -> variation 412`
public struct AliasEntry: Sendable, Hashable {
    public var sourceKind: Identifier
    public var source: Expr
    public var targetKind: Identifier
    public var target: Expr
    public var span: Span
    public var tokenRange: Range<Int>
}

/// A decision table: a trigger, a hit policy and rules in order.
public struct RuleBlock: Sendable, Hashable {
    public var trigger: Trigger
    public var policy: Identifier
    public var rules: [RuleDecl]
    public var span: Span
    public var closingBraceToken: Int?
}

/// `return accepted, partly_accepted` or `item inspected`.
public struct Trigger: Sendable, Hashable {
    public var subject: Identifier
    public var events: [Identifier]
    public var span: Span
}

public struct RuleDecl: Sendable, Hashable {
    public var annotations: [Annotation]
    public var isOverride: Bool
    public var name: Identifier
    public var condition: RuleCondition
    public var actions: [ActionCall]
    public var span: Span
    public var tokenRange: Range<Int>
}

public enum RuleCondition: Sendable, Hashable {
    case when(Expr)
    /// The catch-all: fires when no other rule of the table fired.
    case otherwise(Span)
    /// Missing; already reported.
    case missing
}

/// `refund items where item.validation == accepted path: record_only`
public struct ActionCall: Sendable, Hashable {
    public var name: Identifier
    public var arguments: [Argument]
    public var span: Span
    public var tokenRange: Range<Int>
}

public struct Argument: Sendable, Hashable {
    public var label: Identifier?
    public var value: Expr
    public var span: Span
}

/// A string literal split into text and `{expression}` parts.
public struct StringLiteral: Sendable, Hashable {
    public var parts: [StringPart]
    public var span: Span

    /// The text when the literal has no interpolation.
    public var constantText: String? {
        var text = ""
        for part in parts {
            guard case .text(let piece, _) = part else { return nil }
            text += piece
        }
        return text
    }
}

public enum StringPart: Sendable, Hashable {
    /// Text with escapes already resolved.
    case text(String, Span)
    case interpolation(Expr)
}

public struct Expr: Sendable, Hashable {
    public var kind: ExprKind
    public var span: Span

    public init(_ kind: ExprKind, span: Span) {
        self.kind = kind
        self.span = span
    }
}

public indirect enum ExprKind: Sendable, Hashable {
    /// An exact decimal as written (`12`, `0.75`).
    case number(String)
    /// `400.00 EUR`
    case money(amount: String, currency: Identifier)
    case string(StringLiteral)
    /// `true`/`yes` or `false`/`no`; the spelling is kept for the formatter.
    case bool(Bool, spelling: String)
    /// `none`: a field with no value.
    case none
    case name(String)
    /// `refund.amount`
    case member(Expr, Identifier)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// `items where item.grade == A`
    case filter(Expr, Expr)
    /// `sum(items, item.total)`
    case call(Identifier, [Expr])
    /// `["A", "B"]`
    case list([Expr])
    /// `( … )` as written, kept for the formatter.
    case group(Expr)
    /// Missing or unparsable; already reported.
    case invalid
}

public enum UnaryOperator: String, Sendable, Hashable {
    case not = "not"
    case negate = "-"
}

public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case or = "or"
    case and = "and"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case `in` = "in"
    case notIn = "not in"
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"

    /// Binding strength; higher binds tighter. Comparisons do not chain.
    public var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .in, .notIn: 4
        case .add, .subtract: 5
        case .multiply, .divide: 6
        }
    }

    public var isComparison: Bool { precedence == 4 }

    /// The comparison this operator is, if any (matched here, not through its spelling).
    public var comparison: ComparisonOperator? {
        switch self {
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        default: nil
        }
    }

    /// The arithmetic operator this is, if any.
    public var arithmetic: ArithmeticOperator? {
        switch self {
        case .add: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        default: nil
        }
    }
}
