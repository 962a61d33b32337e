/// Walks the syntax tree in source order and lays it out through a `FormatPrinter`.
///
/// Every token of the file is requested in the order it was written; the tree says which
/// tokens were there (keywords, punctuation and trailing commas are implied by the grammar).
struct FormatWriter {
    var printer: FormatPrinter
    /// The source, for strings written verbatim (see `stringText`); nil when detached.
    let source: SourceFile?

    init(printer: FormatPrinter, file: SourceFile?) {
        self.printer = printer
        self.source = file
    }

    static let step = FormatPrinter.indentWidth

    // MARK: - Items

    /// What kind of item, for the blank lines between items.
    private enum ItemGroup: Equatable {
        case version, include, setting, constant, block, other
    }

    private static func group(_ kind: ItemKind) -> ItemGroup {
        switch kind {
        case .version: .version
        case .include: .include
        case .setting: .setting
        case .constant: .constant
        case .settingsBlock, .mapping, .aliases, .ruleBlock, .ruleOverride: .block
        case .invalid: .other
        }
    }

    mutating func file(_ items: [Item]) {
        var previous: ItemGroup?
        for item in items {
            let group = FormatWriter.group(item.kind)
            var blank = false
            if let previous {
                blank = previous != group || group == .block || printer.authorBlankLineBeforeNext
            }
            printer.startLine(indent: 0)
            printer.writeLeadingComments(blankBefore: blank)
            self.item(item)
            previous = group
        }
    }

    mutating func item(_ item: Item) {
        annotations(item.annotations, indent: 0)
        printer.startLine(indent: 0)
        switch item.kind {
        case .version(let version):
            printer.token(.kwReturnRules, "returnrules")
            if let number = version.version { printer.token(.number, number) }
        case .include(let path):
            printer.token(.kwInclude, "include")
            string(path)
        case .setting(let setting):
            self.setting(setting)
        case .settingsBlock(let block):
            settingsBlock(block, indent: 0)
        case .constant(let constant):
            if constant.isOverride { printer.token(.kwOverride, "override") }
            printer.token(.kwLet, "let")
            printer.token(.identifier, constant.name.name)
            printer.token(.equal, "=")
            expr(constant.value)
        case .mapping(let mapping):
            mappingBlock(mapping, indent: 0)
        case .aliases(let aliases):
            aliasBlock(aliases, indent: 0)
        case .ruleBlock(let block):
            ruleBlock(block, indent: 0)
        case .ruleOverride(let rule):
            self.rule(rule, indent: 0)
        case .invalid:
            break
        }
    }

    /// `@name(argument, label: argument)`, one per line.
    mutating func annotations(_ annotations: [Annotation], indent: Int) {
        for annotation in annotations {
            printer.startLine(indent: indent)
            printer.token(.at, "@")
            printer.token(.identifier, annotation.name.name, space: false)
            printer.token(.leftParen, "(", space: false)
            for (index, argument) in annotation.arguments.enumerated() {
                if index > 0 { printer.token(.comma, ",", space: false) }
                self.argument(argument, space: index > 0)
            }
            printer.token(.rightParen, ")", space: false)
        }
    }

    mutating func argument(_ argument: Argument, space: Bool = true) {
        if let label = argument.label {
            printer.token(.identifier, label.name, space: space)
            printer.token(.colon, ":", space: false)
            expr(argument.value)
        } else {
            expr(argument.value, space: space)
        }
    }

    /// Closes a block: comments before `}` stay inside the block, `}` goes at `indent`.
    /// An empty block with no comment inside stays on one line: `reveni {}`.
    mutating func closeBlock(indent: Int, hasContent: Bool) {
        let hasComments = !(printer.nextToken?.leadingComments.isEmpty ?? true)
        if !hasContent, !hasComments, !printer.lineEndsInComment {
            printer.token(.rightBrace, "}", space: false)
            return
        }
        printer.startLine(indent: indent + FormatWriter.step)
        printer.writeLeadingComments(blankBefore: hasContent && hasComments && printer.authorBlankLineBeforeNext, blankAfter: false)
        printer.startLine(indent: indent)
        printer.token(.rightBrace, "}")
    }

    /// Starts the line of one entry of a block: its own-line comments first, blank lines as the
    /// author left them between entries (collapsed), none at the start of the block.
    mutating func startEntry(indent: Int, first: Bool, forceBlank: Bool = false) {
        printer.startLine(indent: indent)
        printer.writeLeadingComments(blankBefore: !first && (forceBlank || printer.authorBlankLineBeforeNext))
        printer.startLine(indent: indent)
    }

    // MARK: - Settings

    mutating func setting(_ setting: Setting) {
        printer.token(.identifier, setting.name.name)
        for (index, value) in setting.values.enumerated() {
            if index > 0 { printer.token(.comma, ",", space: false) }
            expr(value)
        }
    }

    mutating func settingsBlock(_ block: SettingsBlock, indent: Int) {
        printer.token(.identifier, block.name.name)
        printer.token(.leftBrace, "{")
        for (index, setting) in block.settings.enumerated() {
            startEntry(indent: indent + FormatWriter.step, first: index == 0)
            self.setting(setting)
        }
        closeBlock(indent: indent, hasContent: !block.settings.isEmpty)
    }

    // MARK: - Mapping and aliases

    mutating func mappingBlock(_ mapping: MappingBlock, indent: Int) {
        printer.token(.kwMapping, "mapping")
        printer.token(.leftBrace, "{")
        let entryIndent = indent + FormatWriter.step
        // Consecutive entries without a value table align their `=`; a blank line or an entry
        // with a table ends the run.
        let entries = mapping.entries
        var equalsColumn: [Int?] = Array(repeating: nil, count: entries.count)
        var runStart = 0
        while runStart < entries.count {
            guard entries[runStart].cases == nil else { runStart += 1; continue }
            var runEnd = runStart + 1
            while runEnd < entries.count, entries[runEnd].cases == nil,
                  !printer.authorBlankLineBefore(tokenIndex: entries[runEnd].tokenRange.lowerBound) { runEnd += 1 }
            let width = entries[runStart..<runEnd].map { entry in FormatWriter.measure { $0.fieldPath(entry.target) } }.max() ?? 0
            for index in runStart..<runEnd { equalsColumn[index] = entryIndent + width + 1 }
            runStart = runEnd
        }
        for (index, entry) in mapping.entries.enumerated() {
            startEntry(indent: entryIndent, first: index == 0)
            fieldPath(entry.target)
            if let column = equalsColumn[index] { printer.align(toColumn: column) }
            printer.token(.equal, "=")
            string(entry.source)
            if let cases = entry.cases { valueTable(cases, indent: entryIndent) }
        }
        closeBlock(indent: indent, hasContent: !mapping.entries.isEmpty)
    }

    mutating func fieldPath(_ path: FieldPath, space: Bool = true) {
        for (index, part) in path.parts.enumerated() {
            if index > 0 { printer.token(.dot, ".", space: false) }
            printer.token(.identifier, part.name, space: index == 0 && space)
        }
    }

    mutating func valueTable(_ cases: [ValueCase], indent: Int) {
        printer.token(.leftBrace, "{")
        let caseIndent = indent + FormatWriter.step
        let width = cases.map { valueCase in FormatWriter.measure { $0.patterns(valueCase) } }.max() ?? 0
        for (index, valueCase) in cases.enumerated() {
            startEntry(indent: caseIndent, first: index == 0)
            patterns(valueCase)
            printer.align(toColumn: caseIndent + width + 1)
            printer.token(.arrow, "->")
            expr(valueCase.value)
            for assignment in valueCase.alsoSet {
                printer.token(.comma, ",", space: false)
                fieldPath(assignment.target)
                printer.token(.equal, "=")
                expr(assignment.value)
            }
        }
        closeBlock(indent: indent, hasContent: !cases.isEmpty)
    }

    mutating func patterns(_ valueCase: ValueCase) {
        if valueCase.isOtherwise {
            printer.token(.kwOtherwise, "otherwise")
            return
        }
        for (index, pattern) in valueCase.patterns.enumerated() {
            if index > 0 { printer.token(.comma, ",", space: false) }
            expr(pattern)
        }
    }

    mutating func aliasBlock(_ aliases: AliasBlock, indent: Int) {
        printer.token(.kwAliases, "aliases")
        printer.token(.leftBrace, "{")
        let entryIndent = indent + FormatWriter.step
        let width = aliases.entries.map { entry in FormatWriter.measure { $0.aliasSource(entry) } }.max() ?? 0
        for (index, entry) in aliases.entries.enumerated() {
            startEntry(indent: entryIndent, first: index == 0)
            aliasSource(entry)
            printer.align(toColumn: entryIndent + width + 1)
            printer.token(.arrow, "->")
            printer.token(.identifier, entry.targetKind.name)
            expr(entry.target)
        }
        closeBlock(indent: indent, hasContent: !aliases.entries.isEmpty)
    }

    mutating func aliasSource(_ entry: AliasEntry) {
        printer.token(.identifier, entry.sourceKind.name)
        expr(entry.source)
    }

    // MARK: - Rules

    mutating func ruleBlock(_ block: RuleBlock, indent: Int) {
        printer.token(.kwOn, "on")
        printer.token(.identifier, block.trigger.subject.name)
        for (index, event) in block.trigger.events.enumerated() {
            if index > 0 { printer.token(.comma, ",", space: false) }
            printer.token(.identifier, event.name)
        }
        printer.token(.kwMatch, "match")
        printer.token(.identifier, block.policy.name)
        printer.token(.leftBrace, "{")
        let ruleIndent = indent + FormatWriter.step
        for (index, rule) in block.rules.enumerated() {
            startEntry(indent: ruleIndent, first: index == 0, forceBlank: true)
            self.rule(rule, indent: ruleIndent)
        }
        closeBlock(indent: indent, hasContent: !block.rules.isEmpty)
    }

    /// `rule name` / `when …` or `otherwise` / `then …`, the clauses one level deeper.
    mutating func rule(_ rule: RuleDecl, indent: Int) {
        annotations(rule.annotations, indent: indent)
        printer.startLine(indent: indent)
        if rule.isOverride { printer.token(.kwOverride, "override") }
        printer.token(.kwRule, "rule")
        printer.token(.identifier, rule.name.name)
        let clauseIndent = indent + FormatWriter.step
        switch rule.condition {
        case .when(let condition):
            printer.startLine(indent: clauseIndent)
            printer.token(.kwWhen, "when")
            self.condition(condition, breakIndent: clauseIndent + FormatWriter.step)
        case .otherwise:
            printer.startLine(indent: clauseIndent)
            printer.token(.kwOtherwise, "otherwise")
        case .missing:
            break
        }
        for action in rule.actions {
            printer.startLine(indent: clauseIndent)
            printer.token(.kwThen, "then")
            printer.token(.identifier, action.name.name)
            for argument in action.arguments { self.argument(argument) }
        }
    }

    /// A condition that would make its line longer than the limit breaks before each `and`/`or`
    /// at its top; a piece that is still too long breaks its own `and`/`or` one level deeper.
    mutating func condition(_ condition: Expr, breakIndent: Int) {
        if !printer.detached, FormatWriter.logicalOperator(condition) != nil,
           printer.column + 1 + FormatWriter.flatWidth(condition) > RuleFormatter.lineWidth {
            logicalChain(condition, breakIndent: breakIndent)
        } else {
            expr(condition)
        }
    }

    private static func logicalOperator(_ expr: Expr) -> BinaryOperator? {
        if case .binary(let op, _, _) = expr.kind, op == .and || op == .or { return op }
        return nil
    }

    /// The operands of a chain of one logical operator: `a or b or c` gives `a`, `b`, `c`.
    private static func chain(_ expr: Expr, _ op: BinaryOperator) -> [Expr] {
        if case .binary(let found, let lhs, let rhs) = expr.kind, found == op {
            return chain(lhs, op) + chain(rhs, op)
        }
        return [expr]
    }

    private mutating func logicalChain(_ expr: Expr, breakIndent: Int) {
        guard let op = FormatWriter.logicalOperator(expr) else { return self.expr(expr) }
        for (index, operand) in FormatWriter.chain(expr, op).enumerated() {
            if index > 0 {
                printer.breakLine(indent: breakIndent)
                printer.token(op == .and ? .kwAnd : .kwOr, op.rawValue)
            }
            if FormatWriter.logicalOperator(operand) != nil,
               printer.column + 1 + FormatWriter.flatWidth(operand) > RuleFormatter.lineWidth {
                logicalChain(operand, breakIndent: breakIndent + FormatWriter.step)
            } else {
                self.expr(operand)
            }
        }
    }

    // MARK: - Expressions

    /// The width of what `render` writes, on one line and without comments.
    static func measure(_ render: (inout FormatWriter) -> Void) -> Int {
        var writer = FormatWriter(printer: FormatPrinter(detached: ()), file: nil)
        render(&writer)
        return writer.printer.lineWidth
    }

    static func flatWidth(_ expr: Expr) -> Int { measure { $0.expr(expr, space: false) } }

    /// One expression on one line, for interpolations.
    static func flatText(_ expr: Expr) -> String {
        var writer = FormatWriter(printer: FormatPrinter(detached: ()), file: nil)
        writer.expr(expr, space: false)
        return writer.printer.line
    }

    /// Writes an expression; `space` says whether its first token follows a space.
    mutating func expr(_ expr: Expr, space: Bool = true) {
        switch expr.kind {
        case .number(let text):
            printer.token(.number, text, space: space)
        case .money(let amount, let currency):
            printer.token(.number, amount, space: space)
            printer.token(.identifier, currency.name, joinsMoney: true)
        case .string(let literal):
            string(literal, space: space)
        case .bool(let value, let spelling):
            let kind: TokenKind = switch spelling {
            case "yes": .kwYes
            case "no": .kwNo
            case "true": .kwTrue
            case "false": .kwFalse
            default: value ? .kwTrue : .kwFalse
            }
            printer.token(kind, spelling, space: space)
        case .none:
            printer.token(.kwNone, "none", space: space)
        case .name(let name):
            printer.token(.identifier, name, space: space)
        case .member(let base, let member):
            self.expr(base, space: space)
            printer.token(.dot, ".", space: false)
            printer.token(.identifier, member.name, space: false)
        case .unary(.not, let operand):
            printer.token(.kwNot, "not", space: space)
            self.expr(operand)
        case .unary(.negate, let operand):
            printer.token(.minus, "-", space: space)
            self.expr(operand, space: false)
        case .binary(let op, let lhs, let rhs):
            self.expr(lhs, space: space)
            if op == .notIn {
                printer.token(.kwNot, "not")
                printer.token(.kwIn, "in")
            } else {
                printer.token(FormatWriter.tokenKind(op), op.rawValue)
            }
            self.expr(rhs)
        case .filter(let collection, let predicate):
            self.expr(collection, space: space)
            printer.token(.kwWhere, "where")
            self.expr(predicate)
        case .call(let name, let arguments):
            printer.token(.identifier, name.name, space: space)
            printer.token(.leftParen, "(", space: false)
            elements(arguments)
            printer.token(.rightParen, ")", space: false)
        case .list(let elements):
            printer.token(.leftBracket, "[", space: space)
            self.elements(elements)
            printer.token(.rightBracket, "]", space: false)
        case .group(let inner):
            printer.token(.leftParen, "(", space: space)
            self.expr(inner, space: false)
            printer.token(.rightParen, ")", space: false)
        case .invalid:
            break
        }
    }

    /// Comma-separated call arguments or list elements; a trailing comma is dropped.
    private mutating func elements(_ elements: [Expr]) {
        for (index, element) in elements.enumerated() {
            if index > 0 { printer.token(.comma, ",", space: false) }
            expr(element, space: index > 0)
        }
        if !elements.isEmpty, printer.nextIs(.comma) { printer.dropToken(.comma) }
    }

    static func tokenKind(_ op: BinaryOperator) -> TokenKind {
        switch op {
        case .or: .kwOr
        case .and: .kwAnd
        case .equal: .equalEqual
        case .notEqual: .bangEqual
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        case .in: .kwIn
        case .notIn: .kwNot
        case .add: .plus
        case .subtract: .minus
        case .multiply: .star
        case .divide: .slash
        }
    }

    // MARK: - Strings

    mutating func string(_ literal: StringLiteral, space: Bool = true) {
        printer.token(.string, stringText(literal), space: space)
    }

    /// The literal re-escaped, interpolations formatted. A literal whose interpolation holds a
    /// `#` (which the interpolation's lexer reads as a comment) is kept exactly as written.
    func stringText(_ literal: StringLiteral) -> String {
        if let source, FormatWriter.interpolationHasComment(source, literal.span) {
            return source.text(of: literal.span)
        }
        var text = "\""
        for part in literal.parts {
            switch part {
            case .text(let piece, _):
                text += FormatWriter.escape(piece)
            case .interpolation(let inner):
                text += "{" + FormatWriter.flatText(inner) + "}"
            }
        }
        return text + "\""
    }

    /// Writes a string's text back with the escapes of the language.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "{": out += "\\{"
            case "}": out += "\\}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Finds interpolations the way the parser does and says whether one of them holds a `#`.
    static func interpolationHasComment(_ file: SourceFile, _ span: Span) -> Bool {
        let bytes = file.bytes
        var index = span.start + 1
        let end = min(span.end, bytes.count)
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") { index += 2; continue }
            if byte == UInt8(ascii: "{") {
                var depth = 1
                var close = index + 1
                while close < end {
                    if bytes[close] == UInt8(ascii: "{") { depth += 1 }
                    if bytes[close] == UInt8(ascii: "}") { depth -= 1; if depth == 0 { break } }
                    if bytes[close] == UInt8(ascii: "#") { return true }
                    close += 1
                }
                index = close + 1
                continue
            }
            index += 1
        }
        return false
    }
}
