import ReturnRulesLanguage

/// RR0401 … RR0405, with `check --store DIR`: the SKUs and aliases the rules name, checked
/// against the store snapshot, and the catalog problems that make SKUs unusable (domain.md §2.4,
/// §7). The snapshot has no spans: findings point at the alias or the literal in the rule file;
/// store-wide findings have no location.
enum CatalogLint {
    static func findings(_ run: LintRun, store: StoreSnapshot) -> [LintFinding] {
        var findings: [LintFinding] = []
        let program = run.program
        // Aliases: their targets must exist.
        var aliasedSKUs = Set<String>()
        for alias in program.aliases {
            if alias.sourceKind == "sku", case .string(let source) = alias.source { aliasedSKUs.insert(source) }
            switch (alias.targetKind, alias.target) {
            case ("sku", .string(let sku)):
                findings += resolve(sku, store: store, span: alias.span, what: "alias target SKU", code: .aliasTargetNotInStore, rules: [])
            case ("variation", .number(let id)):
                guard let number = id.int64Value, store.variation(Int(number)) == nil else { continue }
                findings.append(LintFinding(code: .aliasTargetNotInStore, message: "alias target variation \(number) is not in the store snapshot",
                                            span: alias.span, label: "no such variation",
                                            help: "check the id in WooCommerce (Products → the variable product → Variations), or export the snapshot again"))
            case ("product", .number(let id)):
                guard let number = id.int64Value, store.product(Int(number)) == nil else { continue }
                findings.append(LintFinding(code: .aliasTargetNotInStore, message: "alias target product \(number) is not in the store snapshot",
                                            span: alias.span, label: "no such product",
                                            help: "check the id in WooCommerce, or export the snapshot again"))
            default:
                continue
            }
        }
        // SKU literals compared with an item's SKU.
        var seen = Set<String>()
        for (blockIndex, block) in program.blocks.enumerated() {
            for (ruleIndex, rule) in block.rules.enumerated() {
                let id = RuleID(block: blockIndex, rule: ruleIndex)
                var literals: [(String, Span)] = []
                if let condition = rule.condition { collect(condition, into: &literals) }
                for action in rule.actions { for argument in action.arguments.values { collect(argument, into: &literals) } }
                for (sku, span) in literals where !aliasedSKUs.contains(sku) {
                    guard seen.insert("\(sku)|\(span)").inserted else { continue }
                    findings += resolve(sku, store: store, span: span, what: "SKU", code: .skuNotInStore, rules: [id])
                }
            }
        }
        // The catalog itself.
        for warning in store.warnings {
            guard case .duplicateSKU(let sku, let holders) = warning else { continue }
            findings.append(LintFinding(
                code: .duplicateSKU, message: "the store has SKU `\(sku)` on \(holders.count) products or variations: \(holders.map(\.description).joined(separator: ", "))",
                span: .none, help: "WooCommerce refuses duplicate SKUs on save (domain.md §7); fix the catalog, and name these items by variation id in `aliases` meanwhile"))
        }
        for product in store.products where product.isVariable && !product.sku.isEmpty {
            let inheriting = store.variations(ofProduct: product.id).filter { $0.sku == product.sku }
            guard !inheriting.isEmpty else { continue }
            findings.append(LintFinding(
                code: .variationWithoutOwnSKU,
                message: "\(inheriting.count) variation\(inheriting.count == 1 ? "" : "s") of product \(product.id) (`\(product.sku)`) \(inheriting.count == 1 ? "has" : "have") no SKU of \(inheriting.count == 1 ? "its" : "their") own and show\(inheriting.count == 1 ? "s" : "") the parent's: \(inheriting.map { String($0.id) }.joined(separator: ", "))",
                span: .none,
                help: "an SKU that several variations show cannot say which one a return is for: give each variation its own SKU, or alias Reveni's SKUs to `variation <id>`"))
        }
        return findings
    }

    static func resolve(_ sku: String, store: StoreSnapshot, span: Span, what: String, code: DiagnosticCode, rules: [RuleID]) -> [LintFinding] {
        switch store.resolve(sku: sku) {
        case .unique:
            return []
        case .none:
            let help = code == .aliasTargetNotInStore
                ? "check the spelling (SKUs are case-sensitive), or point the alias at `variation <id>` or `product <id>`"
                : "check the spelling (SKUs are case-sensitive), or add an alias `sku \"\(sku)\" -> variation <id>`"
            return [LintFinding(code: code, message: "\(what) `\(sku)` matches no product or variation in the store snapshot", span: span,
                                label: "not in the store", help: help, rules: rules)]
        case .ambiguous(let holders):
            return [LintFinding(code: .ambiguousSKU, message: "\(what) `\(sku)` matches \(holders.count) products or variations: \(holders.map(\.description).joined(separator: ", "))",
                                span: span, label: "ambiguous",
                                notes: [DiagnosticNote(holders.contains { $0.skuIsInherited }
                                    ? "a variation without its own SKU shows its parent's (domain.md §2.4), so the SKU cannot say which one is meant"
                                    : "the store has the SKU on several records (WooCommerce refuses that on save, so one is stale)")],
                                help: "name the record by id: `aliases { sku \"\(sku)\" -> variation <id> }` (or `product <id>`)", rules: rules)]
        }
    }

    /// String literals compared with (or listed against) an item's SKU.
    static func collect(_ expr: TypedExpr, into literals: inout [(String, Span)]) {
        func isSKU(_ expr: TypedExpr) -> Bool {
            if case .elementField(_, _, let name) = expr.kind { return name.hasSuffix(".sku") }
            return false
        }
        func literalsOf(_ expr: TypedExpr) {
            switch expr.kind {
            case .constant(.string(let text)): literals.append((text, expr.span))
            case .constant(.list(let values)):
                for case .string(let text) in values { literals.append((text, expr.span)) }
            case .list(let items): items.forEach(literalsOf)
            default: break
            }
        }
        switch expr.kind {
        case .compare(_, let lhs, let rhs):
            if isSKU(lhs) { literalsOf(rhs) } else if isSKU(rhs) { literalsOf(lhs) }
            collect(lhs, into: &literals)
            collect(rhs, into: &literals)
        case .membership(let needle, let haystack, _):
            if isSKU(needle) { literalsOf(haystack) }
            collect(needle, into: &literals)
            collect(haystack, into: &literals)
        case .not(let operand), .negate(let operand): collect(operand, into: &literals)
        case .and(let lhs, let rhs), .or(let lhs, let rhs), .arithmetic(_, let lhs, let rhs):
            collect(lhs, into: &literals)
            collect(rhs, into: &literals)
        case .filter(let source, let predicate, _):
            collect(source, into: &literals)
            collect(predicate, into: &literals)
        case .aggregate(_, let source, let body, _):
            collect(source, into: &literals)
            if let body { collect(body, into: &literals) }
        case .list(let items): items.forEach { collect($0, into: &literals) }
        case .interpolation(let parts):
            for case .value(let value) in parts { collect(value, into: &literals) }
        default: break
        }
    }
}
