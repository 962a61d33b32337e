/// The payload mapping (where each canonical field comes from in the incoming JSON) and the
/// SKU alias tables.
extension Checker {
    /// The file's `mapping` entries refine a built-in mapping (`payload_format`, default from the
    /// schema); an entry replaces the earlier entry for the same target.
    mutating func checkMapping() -> [CheckedMappingEntry] {
        var entries: [CheckedMappingEntry] = []
        var byTarget: [String: (index: Int, file: Int, span: Span)] = [:]
        var blocks: [(file: Int, block: MappingBlock)] = []
        let format = payloadFormat ?? schema.defaultMapping
        if let format, format != "custom", let text = schema.builtInMappings[format] {
            let file = loaded.sources.add(path: "<built-in mapping \(format)>", text: text)
            let tree = Parser.parse(file, diagnostics: &diagnostics)
            for item in tree.items { if case .mapping(let block) = item.kind { blocks.append((file.id, block)) } }
        }
        for (unit, item) in allItems {
            if case .mapping(let block) = item.kind { blocks.append((unit.tree.file.id, block)) }
        }
        for (fileID, block) in blocks {
            for entry in block.entries {
                guard let checked = checkMappingEntry(entry) else { continue }
                let key = checked.target.description
                if let earlier = byTarget[key] {
                    if earlier.file == fileID {
                        diagnostics.report(.duplicateDefinition, "`\(key)` is mapped twice in this file", at: entry.target.span,
                                           notes: [DiagnosticNote("first mapped here", at: earlier.span)])
                        continue
                    }
                    entries[earlier.index] = checked
                    byTarget[key] = (earlier.index, fileID, entry.target.span)
                } else {
                    byTarget[key] = (entries.count, fileID, entry.target.span)
                    entries.append(checked)
                }
            }
        }
        checkRequiredMappings(entries)
        return entries
    }

    /// Every required field needs a source, or the intake could never fill it.
    mutating func checkRequiredMappings(_ entries: [CheckedMappingEntry]) {
        var mapped = Set(entries.map(\.target.description))
        for entry in entries {
            for valueCase in entry.cases { for also in valueCase.alsoSet { mapped.insert(also.target.description) } }
        }
        let rootSpan = Span(file: loaded.root.id, start: 0, length: 0)
        for (name, field) in schema.eventFields.sorted(by: { $0.key < $1.key }) where !field.optional && !mapped.contains(name) {
            diagnostics.report(.invalidMappingTarget, "required field `\(name)` has no source in the payload mapping", at: rootSpan,
                               help: "add `\(name) = \"$.…\"` to the `mapping` block")
        }
        for (collectionName, collection) in schema.collections.sorted(by: { $0.key < $1.key }) where mapped.contains(collectionName) {
            let fields = schema.records[collection.record]?.fields ?? [:]
            for (name, field) in fields.sorted(by: { $0.key < $1.key }) where !field.optional && !mapped.contains("\(collectionName).\(name)") {
                diagnostics.report(.invalidMappingTarget, "required field `\(collection.elementName).\(name)` has no source in the payload mapping", at: rootSpan,
                                   help: "add `\(collection.elementName).\(name) = \"…\"` (relative to one element of `\(collectionName)`)")
            }
        }
    }

    /// Resolves a mapping target: an event field, a collection, or `element.field`.
    func mappingTarget(_ path: FieldPath) -> MappingTarget? {
        let dotted = path.dotted
        if let field = schema.eventFields[dotted] { return .eventField(name: dotted, slot: field.slot, type: field.type) }
        if let collection = schema.collections[dotted] { return .collection(name: dotted, slot: collection.slot) }
        let head = path.parts[0].name
        let rest = path.parts.dropFirst().map(\.name).joined(separator: ".")
        if let (name, collection) = schema.collections.first(where: { $0.value.elementName == head }),
           let field = schema.records[collection.record]?.fields[rest] {
            return .elementField(collection: name, collectionSlot: collection.slot, name: rest, slot: field.slot, type: field.type)
        }
        return nil
    }

    var mappingTargetNames: [String] {
        var names = Array(schema.eventFields.keys) + Array(schema.collections.keys)
        for collection in schema.collections.values {
            for field in schema.records[collection.record]?.fields.keys ?? [:].keys { names.append("\(collection.elementName).\(field)") }
        }
        return names
    }

    mutating func checkMappingEntry(_ entry: MappingEntry) -> CheckedMappingEntry? {
        guard let target = mappingTarget(entry.target) else {
            diagnostics.report(.invalidMappingTarget, "`\(entry.target.dotted)` is not a field of the canonical return", at: entry.target.span,
                               help: Suggestions.help(for: entry.target.dotted, in: mappingTargetNames))
            return nil
        }
        guard let path = entry.source.constantText else {
            diagnostics.report(.invalidJSONPath, "a JSON path cannot contain `{…}`", at: entry.source.span)
            return nil
        }
        let isRelative: Bool
        if case .elementField = target { isRelative = true } else { isRelative = false }
        if let problem = JSONPathCheck.problem(in: path, relative: isRelative) {
            diagnostics.report(.invalidJSONPath, "invalid JSON path: \(problem)", at: entry.source.span,
                               help: isRelative ? "element fields are relative to one element, e.g. \"validation.grade\"" : "paths start at the payload root, e.g. \"$.data.return.status\"")
            return nil
        }
        if case .collection(let name, _) = target {
            if !path.hasSuffix("[*]") {
                diagnostics.report(.invalidJSONPath, "the path of collection `\(name)` must end in `[*]`", at: entry.source.span,
                                   help: "for example \"$.data.return.items[*]\"")
                return nil
            }
            if let cases = entry.cases, let first = cases.first {
                diagnostics.report(.invalidMappingTarget, "a collection has no value table", at: first.span)
            }
            return CheckedMappingEntry(target: target, path: path, cases: [], span: entry.span)
        }
        var cases: [CheckedValueCase] = []
        var seenPatterns: [MappingPattern: Span] = [:]
        for (position, valueCase) in (entry.cases ?? []).enumerated() {
            if valueCase.isOtherwise, position != (entry.cases?.count ?? 0) - 1 {
                diagnostics.report(.duplicateDefinition, "`otherwise` must be the last case of a value table", at: valueCase.span)
            }
            var patterns: [MappingPattern] = []
            for pattern in valueCase.patterns {
                guard let converted = mappingPattern(pattern) else { continue }
                if let earlier = seenPatterns[converted] {
                    diagnostics.report(.duplicateDefinition, "this source value is already mapped above", at: pattern.span,
                                       notes: [DiagnosticNote("first mapped here", at: earlier)])
                    continue
                }
                seenPatterns[converted] = pattern.span
                patterns.append(converted)
            }
            guard let value = mappingValue(valueCase.value, for: target) else { continue }
            var also: [(target: MappingTarget, value: ConstantValue)] = []
            for assignment in valueCase.alsoSet {
                guard let other = mappingTarget(assignment.target) else {
                    diagnostics.report(.invalidMappingTarget, "`\(assignment.target.dotted)` is not a field of the canonical return", at: assignment.target.span,
                                       help: Suggestions.help(for: assignment.target.dotted, in: mappingTargetNames))
                    continue
                }
                switch (target, other) {
                case (.eventField, .eventField): break
                case (.elementField(let a, _, _, _, _), .elementField(let b, _, _, _, _)) where a == b: break
                default:
                    diagnostics.report(.invalidMappingTarget, "a value table can only also set fields of the same \(isRelative ? "element" : "event")", at: assignment.target.span)
                    continue
                }
                if let otherValue = mappingValue(assignment.value, for: other) { also.append((other, otherValue)) }
            }
            cases.append(CheckedValueCase(patterns: patterns, isOtherwise: valueCase.isOtherwise, value: value, alsoSet: also, span: valueCase.span))
        }
        return CheckedMappingEntry(target: target, path: path, cases: cases, span: entry.span)
    }

    mutating func mappingPattern(_ expr: Expr) -> MappingPattern? {
        switch constantValue(expr) {
        case .string(let text)?: return .string(text)
        case .number(let value)?: return .number(value)
        case .bool(let value)?: return .bool(value)
        case ConstantValue.none?: return .null
        case nil: return nil
        default:
            diagnostics.report(.invalidMappingTarget, "a source value is a JSON string, number, `true`, `false` or `none` (null)", at: expr.span)
            return nil
        }
    }

    /// The canonical value a case assigns: an enum value by name, or a literal of the field's type.
    mutating func mappingValue(_ expr: Expr, for target: MappingTarget) -> ConstantValue? {
        let type = target.type
        if case .enumeration(let enumName) = type {
            let members = enums[enumName] ?? []
            var name: String?
            if case .name(let word) = expr.kind { name = word }
            if case .string(let literal) = expr.kind { name = literal.constantText }
            if case .none = expr.kind { return ConstantValue.none }
            guard let name else {
                diagnostics.report(.unknownEnumValue, "`\(target)` takes \(Checker.article(enumName)) value", at: expr.span,
                                   help: "the \(enumName) values are \(members.map { "`\($0)`" }.joined(separator: ", "))")
                return nil
            }
            guard let index = members.firstIndex(of: name) else {
                diagnostics.report(.unknownEnumValue, "`\(name)` is not \(Checker.article(enumName)) value", at: expr.span,
                                   help: Suggestions.help(for: name, in: members) ?? "the \(enumName) values are \(members.map { "`\($0)`" }.joined(separator: ", "))")
                return nil
            }
            return .enumMember(enumName: enumName, index: index, name: name)
        }
        guard let value = constantValue(expr) else { return nil }
        switch (type, value) {
        case (_, .none), (.bool, .bool), (.number, .number), (.money, .money), (.string, .string): return value
        default:
            diagnostics.report(.typeMismatch, "`\(target)` holds \(Checker.article(type.description)), not \(value)", at: expr.span)
            return nil
        }
    }

    /// `aliases { sku "OLD-1" -> variation 412 }`
    mutating func checkAliases() -> [CheckedAlias] {
        var result: [CheckedAlias] = []
        var bySource: [String: (index: Int, file: Int, span: Span)] = [:]
        for (unit, item) in allItems {
            guard case .aliases(let block) = item.kind else { continue }
            let fileID = unit.tree.file.id
            for entry in block.entries {
                guard let sourceType = schema.aliasSources[entry.sourceKind.name] else {
                    diagnostics.report(.invalidAlias, "an alias cannot start from `\(entry.sourceKind.name)`", at: entry.sourceKind.span,
                                       help: Suggestions.help(for: entry.sourceKind.name, in: schema.aliasSources.keys)
                                           ?? "aliases start from \(schema.aliasSources.keys.sorted().map { "`\($0)`" }.joined(separator: " or "))")
                    continue
                }
                guard let targetType = schema.aliasTargets[entry.targetKind.name] else {
                    diagnostics.report(.invalidAlias, "an alias cannot point to `\(entry.targetKind.name)`", at: entry.targetKind.span,
                                       help: Suggestions.help(for: entry.targetKind.name, in: schema.aliasTargets.keys)
                                           ?? "aliases point to \(schema.aliasTargets.keys.sorted().map { "`\($0)`" }.joined(separator: ", "))")
                    continue
                }
                guard let source = aliasValue(entry.source, type: sourceType, kind: entry.sourceKind.name),
                      let target = aliasValue(entry.target, type: targetType, kind: entry.targetKind.name) else { continue }
                let key = "\(entry.sourceKind.name) \(source)"
                let alias = CheckedAlias(sourceKind: entry.sourceKind.name, source: source, targetKind: entry.targetKind.name, target: target, span: entry.span)
                if let earlier = bySource[key] {
                    if earlier.file == fileID {
                        diagnostics.report(.duplicateDefinition, "alias for \(entry.sourceKind.name) \(source) is defined twice", at: entry.span,
                                           notes: [DiagnosticNote("first defined here", at: earlier.span)])
                        continue
                    }
                    result[earlier.index] = alias
                    bySource[key] = (earlier.index, fileID, entry.span)
                } else {
                    bySource[key] = (result.count, fileID, entry.span)
                    result.append(alias)
                }
            }
        }
        return result
    }

    mutating func aliasValue(_ expr: Expr, type: ValueType, kind: String) -> ConstantValue? {
        guard let value = constantValue(expr) else { return nil }
        switch (type, value) {
        case (.string, .string(let text)) where !text.isEmpty: return value
        case (.number, .number(let number)) where number.isInteger && number > ExactDecimal.zero: return value
        default:
            diagnostics.report(.invalidAlias, "`\(kind)` takes \(type == .number ? "a positive whole number (a WooCommerce id)" : "non-empty text in quotes")", at: expr.span)
            return nil
        }
    }
}
