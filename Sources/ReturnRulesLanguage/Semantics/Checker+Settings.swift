/// The header: `client`, `currency`, `rounding`, `payload_format` (the language's own) and the
/// domain's settings and settings blocks. A later file overrides an included one; the same
/// setting twice in one file is an error.
extension Checker {
    static let languageSettings: [String: String] = [
        "client": "the client's id, used in idempotency keys and coupon codes: `client \"acme-fashion\"`",
        "currency": "the ISO 4217 currency of every amount in the file: `currency EUR`",
        "rounding": "how arithmetic written in rules rounds to the currency: `rounding half_up`",
        "payload_format": "the built-in payload mapping the `mapping` block refines, or `custom`",
    ]

    mutating func checkSettings() {
        // Pass 1: settings that declare enums (grades), so later settings and rules can use them.
        var flat: [(unit: LoadedUnit, block: String?, setting: Setting)] = []
        for (unit, item) in allItems {
            switch item.kind {
            case .setting(let setting): flat.append((unit, nil, setting))
            case .settingsBlock(let block):
                guard schema.settingBlocks[block.name.name] != nil else {
                    diagnostics.report(.unknownSetting, "unknown settings block `\(block.name.name)`", at: block.name.span,
                                       help: Suggestions.help(for: block.name.name, in: schema.settingBlocks.keys))
                    continue
                }
                for setting in block.settings { flat.append((unit, block.name.name, setting)) }
            default: continue
            }
        }
        var blockSpans: [String: Span] = [:]
        for (_, item) in allItems { if case .settingsBlock(let block) = item.kind { blockSpans[block.name.name] = block.name.span } }
        var seenInFile: [String: [Int: Span]] = [:]
        for entry in flat {
            let key = entry.block.map { "\($0).\(entry.setting.name.name)" } ?? entry.setting.name.name
            let fileID = entry.unit.tree.file.id
            if let earlier = seenInFile[key]?[fileID] {
                diagnostics.report(.duplicateDefinition, "setting `\(key)` is set twice in this file", at: entry.setting.name.span,
                                   notes: [DiagnosticNote("first set here", at: earlier)])
                continue
            }
            seenInFile[key, default: [:]][fileID] = entry.setting.name.span
        }
        for entry in flat where entry.block == nil {
            if let spec = schema.settings[entry.setting.name.name], let enumName = spec.declaresEnum {
                declareEnum(enumName, from: entry.setting, spec: spec)
            }
        }
        for entry in flat where entry.block == nil && Checker.languageSettings[entry.setting.name.name] != nil {
            checkLanguageSetting(entry.setting)
        }
        for entry in flat {
            let name = entry.setting.name.name
            if entry.block == nil, Checker.languageSettings[name] != nil { continue }
            let spec: SettingSpec?
            let key: String
            if let block = entry.block {
                spec = schema.settingBlocks[block]?[name]
                key = "\(block).\(name)"
                if spec == nil {
                    diagnostics.report(.unknownSetting, "unknown setting `\(name)` in `\(block) { … }`", at: entry.setting.name.span,
                                       help: Suggestions.help(for: name, in: schema.settingBlocks[block]!.keys))
                    continue
                }
            } else {
                spec = schema.settings[name]
                key = name
                if spec == nil {
                    let candidates = Array(schema.settings.keys) + Array(Checker.languageSettings.keys)
                    diagnostics.report(.unknownSetting, "unknown setting `\(name)`", at: entry.setting.name.span,
                                       help: Suggestions.help(for: name, in: candidates)
                                           ?? "the settings are \(candidates.sorted().map { "`\($0)`" }.joined(separator: ", "))")
                    continue
                }
            }
            guard let spec else { continue }
            if spec.declaresEnum != nil {
                settings[key] = .list((enums[spec.declaresEnum!] ?? []).map { .string($0) })
                settingSpans[key] = entry.setting.span
                continue
            }
            if let value = settingValue(entry.setting, spec: spec) {
                settings[key] = value
                settingSpans[key] = entry.setting.span
            }
        }
        // Required settings, checked once everything is merged. An empty file has its own
        // diagnostic (RR0109); listing every missing setting on top of it is noise.
        if loaded.units.allSatisfy({ $0.tree.items.isEmpty }) { return }
        let root = loaded.root
        let rootSpan = Span(file: root.id, start: 0, length: 0)
        if settingSpans["client"] == nil {
            diagnostics.report(.missingSetting, "the rule file does not say which client it is for", at: rootSpan,
                               help: "add `client \"acme-fashion\"` to the header")
        }
        if settingSpans["currency"] == nil {
            diagnostics.report(.missingSetting, "the rule file does not declare its currency", at: rootSpan,
                               help: "add `currency EUR` (an ISO 4217 code) to the header")
        }
        if settingSpans["rounding"] == nil {
            diagnostics.report(.missingSetting, "the rule file does not declare its rounding mode", at: rootSpan,
                               help: "add `rounding half_up` (or \(RoundingMode.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")))")
        }
        for (block, specs) in schema.settingBlocks.sorted(by: { $0.key < $1.key }) {
            let missing = specs.filter { $0.value.required && settings["\(block).\($0.key)"] == nil }.map(\.key).sorted()
            guard !missing.isEmpty else { continue }
            diagnostics.report(.missingSetting, "`\(block) { … }` must say \(missing.map { "`\($0)`" }.joined(separator: ", "))", at: blockSpans[block] ?? rootSpan,
                               help: "state each as `yes` or `no`, so nothing is done twice: \(missing.map { specs[$0]!.summary }.joined(separator: "; "))")
        }
        for (name, spec) in schema.settings where spec.required && settings[name] == nil {
            diagnostics.report(.missingSetting, "the header needs setting `\(name)`", at: rootSpan, help: spec.summary.isEmpty ? nil : spec.summary)
        }
    }

    /// `grades A, B, C`: each value names a member of the declared enum.
    mutating func declareEnum(_ enumName: String, from setting: Setting, spec: SettingSpec) {
        var members: [String] = []
        for value in setting.values {
            let text: String
            switch value.kind {
            case .name(let name): text = name
            case .string(let literal) where literal.constantText != nil: text = literal.constantText!
            default:
                diagnostics.report(.invalidSettingValue, "`\(setting.name.name)` takes names such as `A` or \"B-stock\"", at: value.span)
                continue
            }
            if text.isEmpty {
                diagnostics.report(.invalidSettingValue, "an empty name cannot be a member of `\(enumName)`", at: value.span)
                continue
            }
            if members.contains(text) {
                diagnostics.report(.duplicateDefinition, "`\(text)` is listed twice in `\(setting.name.name)`", at: value.span)
                continue
            }
            members.append(text)
        }
        enums[enumName] = members
        indexEnumMembers()
    }

    mutating func checkLanguageSetting(_ setting: Setting) {
        let name = setting.name.name
        guard setting.values.count == 1, let value = setting.values.first else {
            if setting.values.count > 1 {
                diagnostics.report(.invalidSettingValue, "`\(name)` takes one value", at: setting.values[1].span)
            }
            return
        }
        settingSpans[name] = setting.span
        switch name {
        case "client":
            guard case .string(let literal) = value.kind, let text = literal.constantText, !text.isEmpty else {
                diagnostics.report(.invalidSettingValue, "`client` takes the client's id in quotes", at: value.span,
                                   help: "for example `client \"acme-fashion\"`")
                return
            }
            client = text
        case "currency":
            guard case .name(let code) = value.kind else {
                diagnostics.report(.invalidSettingValue, "`currency` takes an ISO 4217 code such as `EUR`", at: value.span)
                return
            }
            guard let found = Currency.iso4217(code) else {
                diagnostics.report(.invalidSettingValue, "`\(code)` is not an ISO 4217 currency code", at: value.span,
                                   help: Suggestions.help(for: code, in: Currency.allCodes))
                return
            }
            currency = found
            currencyDeclared = true
        case "rounding":
            guard case .name(let mode) = value.kind, let found = RoundingMode(rawValue: mode) else {
                diagnostics.report(.invalidSettingValue, "unknown rounding mode", at: value.span,
                                   help: Suggestions.help(for: setting.values.first.map { textOf($0) } ?? "", in: RoundingMode.allCases.map(\.rawValue))
                                       ?? "the modes are \(RoundingMode.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", "))")
                return
            }
            rounding = found
        case "payload_format":
            guard case .name(let format) = value.kind, format == "custom" || schema.builtInMappings[format] != nil else {
                let known = Array(schema.builtInMappings.keys) + ["custom"]
                diagnostics.report(.invalidSettingValue, "unknown payload format", at: value.span,
                                   help: Suggestions.help(for: textOf(value), in: known) ?? "the formats are \(known.sorted().map { "`\($0)`" }.joined(separator: ", "))")
                return
            }
            payloadFormat = format
        default:
            break
        }
    }

    func textOf(_ expr: Expr) -> String {
        switch expr.kind {
        case .name(let name): name
        case .string(let literal): literal.constantText ?? ""
        default: loaded.sources.file(for: expr.span)?.text(of: expr.span) ?? ""
        }
    }

    /// Types a domain setting's values against its spec.
    mutating func settingValue(_ setting: Setting, spec: SettingSpec) -> SettingValue? {
        if !spec.isList, setting.values.count > 1 {
            diagnostics.report(.invalidSettingValue, "`\(setting.name.name)` takes one value", at: setting.values[1].span)
            return nil
        }
        var values: [SettingValue] = []
        for value in setting.values {
            guard let converted = settingScalar(value, type: spec.type, setting: setting.name.name) else { return nil }
            values.append(converted)
        }
        return spec.isList ? .list(values) : values.first
    }

    mutating func settingScalar(_ value: Expr, type: ValueType, setting: String) -> SettingValue? {
        switch (type, value.kind) {
        case (.bool, .bool(let flag, _)):
            return .bool(flag)
        case (.string, .string(let literal)) where literal.constantText != nil:
            return .string(literal.constantText!)
        case (.string, .name(let word)):
            return .string(word)
        case (.enumeration(let enumName), .name), (.enumeration(let enumName), .string):
            let member = textOf(value)
            let members = enums[enumName] ?? []
            guard members.contains(member) else {
                diagnostics.report(.unknownEnumValue, "`\(member)` is not \(Checker.article(enumName))", at: value.span,
                                   help: Suggestions.help(for: member, in: members) ?? "expected one of \(members.map { "`\($0)`" }.joined(separator: ", "))")
                return nil
            }
            return .enumMember(enumName: enumName, member: member)
        case (.number, _):
            if let constant = constantValue(value), case .number(let number) = constant { return .number(number) }
        case (.money, _):
            if let constant = constantValue(value), case .money(let money) = constant { return .money(money) }
        default:
            break
        }
        diagnostics.report(.invalidSettingValue, "`\(setting)` takes \(Checker.article(type.description)), not this", at: value.span,
                           help: Checker.settingExample(type))
        return nil
    }

    static func article(_ noun: String) -> String {
        let first = noun.first.map { "aeiou".contains($0) } ?? false
        return (first ? "an " : "a ") + noun
    }

    static func settingExample(_ type: ValueType) -> String? {
        switch type {
        case .bool: "write `yes` or `no`"
        case .string: "write text in quotes"
        case .money: "write an amount with its currency, e.g. `400.00 EUR`"
        case .number: "write a number such as `3`"
        default: nil
        }
    }
}
