/// Top-level declarations: `file = { item } EOF`.
extension Parser {
    mutating func parseFile() -> [Item] {
        var items: [Item] = []
        if atEnd {
            diagnostics.report(.emptyFile, "rule file is empty", at: current.span,
                               help: "a rule file starts with `returnrules 1`; see Grammar.md")
            return items
        }
        while !atEnd {
            let before = position
            items.append(parseItem())
            if position == before { advance() } // never loop on a token nobody wants
        }
        return items
    }

    /// The tokens that can start a top-level item; recovery skips to one of them.
    static func startsItem(_ kind: TokenKind) -> Bool {
        switch kind {
        case .kwReturnRules, .kwInclude, .kwLet, .kwOverride, .kwOn, .kwMapping, .kwAliases, .at: true
        default: false
        }
    }

    /// Skips to the next token that can start a top-level item: a keyword that starts one, or a
    /// name at the start of a line (a setting). Leaves the parser out of panic mode.
    mutating func synchronizeTopLevel() {
        while !atEnd {
            if Parser.startsItem(kind) { break }
            if kind == .identifier, current.newlinesBefore > 0 { break }
            if kind == .rightBrace { advance(); if current.newlinesBefore > 0 { break }; continue }
            advance()
        }
        panicking = false
    }

    mutating func parseItem() -> Item {
        let start = position
        let annotations = parseAnnotations()
        let itemKind: ItemKind
        switch kind {
        case .kwReturnRules: itemKind = parseVersion()
        case .kwInclude: itemKind = parseInclude()
        case .kwLet: itemKind = parseConstant(isOverride: false)
        case .kwOverride:
            advance()
            if kind == .kwLet { itemKind = parseConstant(isOverride: true) }
            else if kind == .kwRule { itemKind = .ruleOverride(parseRule(isOverride: true, annotations: [])) }
            else { error(expecting: "`let` or `rule`", "after `override`"); itemKind = .invalid }
        case .kwOn: itemKind = .ruleBlock(parseRuleBlock())
        case .kwMapping: itemKind = .mapping(parseMappingBlock())
        case .kwAliases: itemKind = .aliases(parseAliasBlock())
        case .identifier:
            if peek() == .leftBrace { itemKind = .settingsBlock(parseSettingsBlock()) }
            else { itemKind = .setting(parseSetting()) }
        case .kwRule:
            if !panicking {
                diagnostics.report(.expectedToken, "a rule must be inside an `on … match …` block", at: current.span,
                                   help: "wrap it: `on return accepted match first { rule … }`")
            }
            panicking = true
            itemKind = .invalid
        default:
            error(expecting: "a setting, `let`, `include`, `mapping`, `aliases` or `on`", "at the top level")
            itemKind = .invalid
        }
        if panicking { synchronizeTopLevel() }
        return Item(kind: itemKind, annotations: annotations, span: span(from: start), tokenRange: start..<max(start + 1, position))
    }

    /// `annotation = "@" name "(" [ argument { "," argument } ] ")"`
    mutating func parseAnnotations() -> [Annotation] {
        var annotations: [Annotation] = []
        while kind == .at {
            let start = position
            advance()
            guard let nameToken = expect(.identifier, "after `@`", help: "for example `@allow(RR0301, reason: \"…\")`") else { break }
            var arguments: [Argument] = []
            if expect(.leftParen, "after the annotation name") != nil {
                if kind != .rightParen {
                    repeat {
                        let argumentStart = position
                        var label: Identifier?
                        if kind == .identifier, peek() == .colon {
                            label = identifier(advance())
                            advance()
                        }
                        let value = parseExpression()
                        arguments.append(Argument(label: label, value: value, span: span(from: argumentStart)))
                    } while accept(.comma) != nil
                }
                expect(.rightParen, "to close the annotation")
            }
            annotations.append(Annotation(name: identifier(nameToken), arguments: arguments, span: span(from: start)))
        }
        return annotations
    }

    /// `version = "returnrules" NUMBER`
    mutating func parseVersion() -> ItemKind {
        advance()
        if let number = accept(.number) {
            return .version(VersionDecl(version: text(number), versionSpan: number.span))
        }
        error(expecting: "the language version number", "after `returnrules`", help: "write `returnrules 1`")
        return .version(VersionDecl(version: nil, versionSpan: current.span))
    }

    /// `include = "include" STRING`
    mutating func parseInclude() -> ItemKind {
        advance()
        guard kind == .string else {
            error(expecting: "a file path in quotes", "after `include`", help: "for example `include \"house/base.rules\"`")
            return .invalid
        }
        return .include(parseStringLiteral(advance()))
    }

    /// `constant = [ "override" ] "let" NAME "=" expression`
    mutating func parseConstant(isOverride: Bool) -> ItemKind {
        advance()
        guard let name = expect(.identifier, "after `let`", help: "for example `let finance_limit = 400.00 EUR`") else { return .invalid }
        guard expect(.equal, "after the constant's name") != nil else { return .invalid }
        let value = parseExpression()
        return .constant(ConstantDecl(isOverride: isOverride, name: identifier(name), value: value))
    }

    /// `setting = NAME value { "," value }`
    mutating func parseSetting() -> Setting {
        let start = position
        let name = identifier(advance())
        var values: [Expr] = []
        // The first value sits on the setting's own line, so a setting missing its value cannot
        // swallow the name of the next one.
        if Parser.startsSettingValue(kind), current.newlinesBefore == 0 {
            values.append(parseSettingValue())
            while accept(.comma) != nil { values.append(parseSettingValue()) }
        } else {
            error(expecting: "a value on the same line", "for setting `\(name.name)`", help: "for example `currency EUR` or `grades A, B, C`")
        }
        return Setting(name: name, values: values, span: span(from: start), tokenRange: start..<position)
    }

    static func startsSettingValue(_ kind: TokenKind) -> Bool {
        switch kind {
        case .identifier, .number, .string, .kwTrue, .kwFalse, .kwYes, .kwNo, .kwNone, .minus, .leftBracket: true
        default: false
        }
    }

    /// A setting value is a literal, a name, or a money amount: no operators, so the next line's
    /// setting name cannot be swallowed.
    mutating func parseSettingValue() -> Expr {
        guard Parser.startsSettingValue(kind) else {
            error(expecting: "a value", "in a setting")
            return Expr(.invalid, span: current.span)
        }
        if kind == .minus {
            let start = position
            advance()
            let operand = parsePrimary(depth: 1)
            return Expr(.unary(.negate, operand), span: span(from: start))
        }
        return parsePrimary(depth: 1)
    }

    /// `settings_block = NAME "{" { setting } "}"`
    mutating func parseSettingsBlock() -> SettingsBlock {
        let start = position
        let name = identifier(advance())
        advance() // {
        var settings: [Setting] = []
        while !atEnd, kind != .rightBrace {
            let before = position
            if kind == .identifier {
                settings.append(parseSetting())
                if panicking { synchronizeInBlock() }
            } else {
                error(expecting: "a setting name or `}`", "in `\(name.name) { … }`")
                synchronizeInBlock()
                if Parser.startsItem(kind) { break }
                // A string at the start of a line stops the resync where it started: skip it.
                if position == before { advance(); synchronizeInBlock() }
            }
        }
        expect(.rightBrace, "to close `\(name.name) { … }`")
        return SettingsBlock(name: name, settings: settings, span: span(from: start))
    }

    /// Inside a `{ … }` block of entries: skip to a name at the start of a line, `}` or a top-level keyword.
    mutating func synchronizeInBlock() {
        while !atEnd {
            if kind == .rightBrace || Parser.startsItem(kind) { break }
            if current.newlinesBefore > 0, kind == .identifier || kind == .string || kind == .kwOtherwise { break }
            advance()
        }
        panicking = false
    }

    /// `mapping_block = "mapping" "{" { mapping_entry } "}"`
    mutating func parseMappingBlock() -> MappingBlock {
        let start = position
        advance()
        var entries: [MappingEntry] = []
        if expect(.leftBrace, "after `mapping`") != nil {
            while !atEnd, kind != .rightBrace, !Parser.startsItem(kind) {
                let before = position
                if let entry = parseMappingEntry() { entries.append(entry) }
                if panicking { synchronizeInBlock() }
                if position == before { advance(); synchronizeInBlock() } // never loop on a token nobody wants
            }
            expect(.rightBrace, "to close `mapping { … }`")
        }
        return MappingBlock(entries: entries, span: span(from: start))
    }

    /// `mapping_entry = field_path "=" STRING [ "{" { value_case } "}" ]`
    mutating func parseMappingEntry() -> MappingEntry? {
        let start = position
        guard let target = parseFieldPath("a canonical field such as `return.status`") else { return nil }
        guard expect(.equal, "after `\(target.dotted)`", help: "map a field to a JSON path: `\(target.dotted) = \"$.data.return.status\"`") != nil else { return nil }
        guard kind == .string else {
            error(expecting: "a JSON path in quotes", "for `\(target.dotted)`", help: "for example `\"$.data.return.status\"`")
            return nil
        }
        let source = parseStringLiteral(advance())
        var cases: [ValueCase]?
        if accept(.leftBrace) != nil {
            var parsed: [ValueCase] = []
            while !atEnd, kind != .rightBrace, !Parser.startsItem(kind) {
                let before = position
                if let valueCase = parseValueCase() { parsed.append(valueCase) }
                if panicking { synchronizeInBlock() }
                if position == before { advance(); synchronizeInBlock() } // never loop on a token nobody wants
            }
            expect(.rightBrace, "to close the value table of `\(target.dotted)`")
            cases = parsed
        }
        return MappingEntry(target: target, source: source, cases: cases, span: span(from: start), tokenRange: start..<position)
    }

    /// `field_path = NAME { "." NAME }`
    mutating func parseFieldPath(_ what: String) -> FieldPath? {
        let start = position
        guard kind == .identifier else {
            error(expecting: what, "in the mapping", help: "for example `return.status = \"$.data.return.status\"`")
            return nil
        }
        let first = advance()
        var parts = [identifier(first)]
        while kind == .dot {
            advance()
            guard let next = expect(.identifier, "after `.`") else { break }
            parts.append(identifier(next))
        }
        return FieldPath(parts: parts, span: span(from: start))
    }

    /// `value_case = ( literal { "," literal } | "otherwise" ) "->" value { "," field_path "=" value }`
    mutating func parseValueCase() -> ValueCase? {
        let start = position
        var patterns: [Expr] = []
        var isOtherwise = false
        if accept(.kwOtherwise) != nil {
            isOtherwise = true
        } else {
            repeat {
                guard Parser.startsLiteral(kind) else {
                    error(expecting: "a source value (a string, number, `true`, `false` or `none`) or `otherwise`", "in a value table")
                    return nil
                }
                // `parseSettingValue` also takes the `- NUMBER` of the grammar's `literal`.
                patterns.append(parseSettingValue())
            } while accept(.comma) != nil
        }
        guard expect(.arrow, "after the source value", help: "for example `\"approved\" -> accepted`") != nil else { return nil }
        let value = parseSettingValue()
        var also: [FieldAssignment] = []
        while kind == .comma {
            advance()
            guard let target = parseFieldPath("a canonical field") else { break }
            guard expect(.equal, "after `\(target.dotted)`") != nil else { break }
            also.append(FieldAssignment(target: target, value: parseSettingValue()))
        }
        return ValueCase(patterns: patterns, isOtherwise: isOtherwise, value: value, alsoSet: also, span: span(from: start), tokenRange: start..<position)
    }

    static func startsLiteral(_ kind: TokenKind) -> Bool {
        switch kind {
        case .number, .string, .kwTrue, .kwFalse, .kwYes, .kwNo, .kwNone, .minus: true
        default: false
        }
    }

    /// `alias_block = "aliases" "{" { alias } "}"`, `alias = NAME value "->" NAME value`
    mutating func parseAliasBlock() -> AliasBlock {
        let start = position
        advance()
        var entries: [AliasEntry] = []
        if expect(.leftBrace, "after `aliases`") != nil {
            while !atEnd, kind != .rightBrace, !Parser.startsItem(kind) {
                let entryStart = position
                defer { if position == entryStart { advance(); synchronizeInBlock() } } // never loop on a token nobody wants
                guard let sourceKind = expect(.identifier, "at the start of an alias", help: "for example `ean \"8435123400429\" -> variation 412`") else {
                    synchronizeInBlock(); continue
                }
                let source = parseSettingValue()
                guard expect(.arrow, "after the alias source") != nil, let targetKind = expect(.identifier, "after `->`", help: "`sku`, `product` or `variation`") else {
                    synchronizeInBlock(); continue
                }
                let target = parseSettingValue()
                entries.append(AliasEntry(sourceKind: identifier(sourceKind), source: source, targetKind: identifier(targetKind), target: target,
                                          span: span(from: entryStart), tokenRange: entryStart..<position))
                if panicking { synchronizeInBlock() }
            }
            expect(.rightBrace, "to close `aliases { … }`")
        }
        return AliasBlock(entries: entries, span: span(from: start))
    }
}
