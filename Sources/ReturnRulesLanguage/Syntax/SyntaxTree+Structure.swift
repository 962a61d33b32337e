/// A span-free view of a syntax tree, for checks that two parses mean the same thing.
///
/// `structure` renders the tree as an S-expression without spans, token ranges or comments, so
/// `parse(fmt(x)).structure == parse(x).structure` says the formatter kept the meaning. The
/// spellings the tree keeps on purpose (`yes` or `true`, parentheses, numbers as written) are
/// part of the structure.
extension SyntaxTree {
    /// The whole tree as one S-expression, one top-level item per line.
    public var structure: String {
        var out = ""
        for item in items {
            SyntaxStructure.item(item, into: &out)
            out += "\n"
        }
        return out
    }

    /// True when both trees have the same structure (spans, token ranges and comments ignored).
    public func structurallyEquals(_ other: SyntaxTree) -> Bool { structure == other.structure }

    /// Every comment kept as trivia, in file order, with trailing spaces and tabs removed.
    public var commentTexts: [String] {
        var texts: [String] = []
        for token in tokens {
            for comment in token.leadingComments { texts.append(comment.trimmedText) }
            if let trailing = token.trailingComment { texts.append(trailing.trimmedText) }
        }
        return texts
    }
}

extension Comment {
    /// The comment text without trailing spaces or tabs (what the formatter writes).
    public var trimmedText: String {
        var scalars = Substring(text).unicodeScalars
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars.removeLast() }
        return String(scalars)
    }
}

/// Renders syntax nodes as S-expressions; the single place that decides what "structure" means.
enum SyntaxStructure {
    static func item(_ item: Item, into out: inout String) {
        out += "("
        annotations(item.annotations, into: &out)
        switch item.kind {
        case .version(let version):
            out += "version \(version.version ?? "?")"
        case .include(let path):
            out += "include "
            string(path, into: &out)
        case .setting(let setting):
            self.setting(setting, into: &out)
        case .settingsBlock(let block):
            out += "settings \(block.name.name)"
            for setting in block.settings {
                out += " ("
                self.setting(setting, into: &out)
                out += ")"
            }
        case .constant(let constant):
            out += constant.isOverride ? "override-let " : "let "
            out += constant.name.name + " "
            expr(constant.value, into: &out)
        case .mapping(let mapping):
            out += "mapping"
            for entry in mapping.entries {
                out += " (entry \(entry.target.dotted) "
                string(entry.source, into: &out)
                if let cases = entry.cases {
                    out += " (table"
                    for valueCase in cases { self.valueCase(valueCase, into: &out) }
                    out += ")"
                }
                out += ")"
            }
        case .aliases(let aliases):
            out += "aliases"
            for entry in aliases.entries {
                out += " (alias \(entry.sourceKind.name) "
                expr(entry.source, into: &out)
                out += " \(entry.targetKind.name) "
                expr(entry.target, into: &out)
                out += ")"
            }
        case .ruleBlock(let block):
            out += "on \(block.trigger.subject.name) (\(block.trigger.events.map(\.name).joined(separator: " "))) match \(block.policy.name)"
            for rule in block.rules {
                out += " "
                self.rule(rule, into: &out)
            }
        case .ruleOverride(let rule):
            out += "override "
            self.rule(rule, into: &out)
        case .invalid:
            out += "invalid"
        }
        out += ")"
    }

    static func annotations(_ annotations: [Annotation], into out: inout String) {
        for annotation in annotations {
            out += "(@\(annotation.name.name)"
            arguments(annotation.arguments, into: &out)
            out += ") "
        }
    }

    static func arguments(_ arguments: [Argument], into out: inout String) {
        for argument in arguments {
            out += " "
            if let label = argument.label { out += "\(label.name): " }
            expr(argument.value, into: &out)
        }
    }

    static func setting(_ setting: Setting, into out: inout String) {
        out += "set \(setting.name.name)"
        for value in setting.values {
            out += " "
            expr(value, into: &out)
        }
    }

    static func valueCase(_ valueCase: ValueCase, into out: inout String) {
        out += " (case"
        if valueCase.isOtherwise { out += " otherwise" }
        for pattern in valueCase.patterns {
            out += " "
            expr(pattern, into: &out)
        }
        out += " -> "
        expr(valueCase.value, into: &out)
        for assignment in valueCase.alsoSet {
            out += " (\(assignment.target.dotted) = "
            expr(assignment.value, into: &out)
            out += ")"
        }
        out += ")"
    }

    static func rule(_ rule: RuleDecl, into out: inout String) {
        out += "(rule "
        annotations(rule.annotations, into: &out)
        if rule.isOverride { out += "override " }
        out += rule.name.name
        switch rule.condition {
        case .when(let condition):
            out += " (when "
            expr(condition, into: &out)
            out += ")"
        case .otherwise:
            out += " otherwise"
        case .missing:
            out += " missing"
        }
        for action in rule.actions {
            out += " (then \(action.name.name)"
            arguments(action.arguments, into: &out)
            out += ")"
        }
        out += ")"
    }

    static func string(_ literal: StringLiteral, into out: inout String) {
        out += "(str"
        for part in literal.parts {
            switch part {
            case .text(let text, _):
                out += " \""
                for scalar in text.unicodeScalars {
                    switch scalar {
                    case "\"": out += "\\\""
                    case "\\": out += "\\\\"
                    case "\n": out += "\\n"
                    case "\t": out += "\\t"
                    case "\r": out += "\\r"
                    default: out.unicodeScalars.append(scalar)
                    }
                }
                out += "\""
            case .interpolation(let inner):
                out += " {"
                expr(inner, into: &out)
                out += "}"
            }
        }
        out += ")"
    }

    static func expr(_ expr: Expr, into out: inout String) {
        switch expr.kind {
        case .number(let text):
            out += "(num \(text))"
        case .money(let amount, let currency):
            out += "(money \(amount) \(currency.name))"
        case .string(let literal):
            string(literal, into: &out)
        case .bool(let value, let spelling):
            out += "(bool \(value) \(spelling))"
        case .none:
            out += "none"
        case .name(let name):
            out += "(name \(name))"
        case .member(let base, let member):
            out += "(. "
            self.expr(base, into: &out)
            out += " \(member.name))"
        case .unary(let op, let operand):
            out += op == .not ? "(not " : "(neg "
            self.expr(operand, into: &out)
            out += ")"
        case .binary(let op, let lhs, let rhs):
            out += "(\(op.rawValue) "
            self.expr(lhs, into: &out)
            out += " "
            self.expr(rhs, into: &out)
            out += ")"
        case .filter(let collection, let predicate):
            out += "(where "
            self.expr(collection, into: &out)
            out += " "
            self.expr(predicate, into: &out)
            out += ")"
        case .call(let name, let arguments):
            out += "(call \(name.name)"
            for argument in arguments {
                out += " "
                self.expr(argument, into: &out)
            }
            out += ")"
        case .list(let elements):
            out += "(list"
            for element in elements {
                out += " "
                self.expr(element, into: &out)
            }
            out += ")"
        case .group(let inner):
            out += "(group "
            self.expr(inner, into: &out)
            out += ")"
        case .invalid:
            out += "invalid"
        }
    }
}
