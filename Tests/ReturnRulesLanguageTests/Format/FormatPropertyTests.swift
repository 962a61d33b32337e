import Foundation
import ReturnRulesLanguage
import Testing

/// Random but valid rule files from a small grammar-driven generator (fixed seed, so every run
/// tests the same files): the formatter properties must hold on every one.
@Suite struct FormatPropertyTests {
    static let fileCount = 600
    static let seed: UInt64 = 0x5EED_F0E7_2026

    @Test func propertiesHoldOnGeneratedFiles() {
        var generator = RuleFileGenerator(seed: FormatPropertyTests.seed)
        var failures = 0
        var commentCount = 0
        var longConditions = 0
        for index in 0..<FormatPropertyTests.fileCount {
            let text = generator.file()
            let name = "generated-\(index)"
            let (tree, errors) = FormatTestSupport.parse(text, path: name)
            guard errors.isEmpty else {
                Issue.record("the generator made an invalid file \(name): \(errors.map(\.message))\n\(text)")
                failures += 1
                if failures > 3 { return }
                continue
            }
            commentCount += tree.commentTexts.count
            if let formatted = FormatTestSupport.rawFormat(text), formatted.contains("\n      and ") || formatted.contains("\n      or ") {
                longConditions += 1
            }
            for failure in FormatTestSupport.propertyFailures(text, name: name) {
                Issue.record("\(failure)")
                failures += 1
            }
            if failures > 3 { return }
        }
        // The generator really exercises comments and broken conditions.
        #expect(commentCount > FormatPropertyTests.fileCount * 5)
        #expect(longConditions > 10)
    }

    @Test func theGeneratorIsDeterministic() {
        var first = RuleFileGenerator(seed: 42)
        var second = RuleFileGenerator(seed: 42)
        for _ in 0..<5 { #expect(first.file() == second.file()) }
    }
}

/// SplitMix64 (Steele, Lea and Flood): a tiny, fast, well-mixed generator for reproducible tests.
struct FormatSplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// True with `percent` per cent probability.
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
}

/// Generates syntactically valid rule files with random layout and comments.
///
/// It builds a token list from the grammar; each token says what may separate it from the
/// previous one (anything, the same line only, or a required line break), and the renderer
/// picks random whitespace, blank lines and comments that respect that.
struct RuleFileGenerator {
    private enum Glue { case any, sameLine, newline }
    private struct Piece { var text: String; var glue: Glue }

    private var random: FormatSplitMix64
    private var pieces: [Piece] = []
    private var commentNumber = 0

    init(seed: UInt64) { random = FormatSplitMix64(seed: seed) }

    static let names = ["a", "b", "x", "y", "total", "grade", "sku", "status", "first", "all", "amount", "client",
                        "refund", "items", "item", "count", "sum", "reason", "path", "A", "B", "C", "long_name_for_a_field"]
    static let currencies = ["EUR", "USD", "GBP"]
    static let numbers = ["0", "1", "12", "0.75", "400.00", "007", "12.500", "3"]

    // MARK: - Files

    mutating func file() -> String {
        pieces = []
        if random.chance(10) { annotations() }
        add("returnrules", .any)
        add("1", .sameLine)
        var afterRuleOverride = false
        for _ in 0..<random.below(9) {
            if random.chance(10) { annotations() }
            var choice = random.below(9)
            // A top-level name after an `override rule` would be read as one more argument of
            // its last action, so the generator does not put a setting there.
            if afterRuleOverride, choice <= 1 { choice = 2 }
            afterRuleOverride = false
            switch choice {
            case 0: setting(glue: .any)
            case 1: settingsBlock()
            case 2: constant()
            case 3: add("include", .any); add(stringLiteral(allowInterpolation: false), .any)
            case 4: mapping()
            case 5: aliases()
            case 6, 7: ruleBlock()
            default:
                add("override", .any)
                rule()
                afterRuleOverride = true
            }
        }
        return render()
    }

    private mutating func add(_ text: String, _ glue: Glue) {
        var glue = glue
        // A bare number followed by a currency-like name on the same line would read as money.
        if glue != .sameLine, let last = pieces.last, last.text.first?.isNumber == true,
           text.count == 3, text.allSatisfy({ $0.isUppercase && $0.isASCII }) {
            glue = .newline
        }
        pieces.append(Piece(text: text, glue: glue))
    }

    private mutating func name() -> String { random.pick(RuleFileGenerator.names) }

    private mutating func annotations() {
        for _ in 0..<(1 + random.below(2)) {
            add("@", .any)
            add(random.pick(["allow", "trace", "deprecated"]), .any)
            add("(", .any)
            let count = random.below(3)
            for index in 0..<count {
                if index > 0 { add(",", .any) }
                argument(labelled: random.chance(40), first: true)
            }
            add(")", .any)
        }
    }

    private mutating func setting(glue: Glue) {
        add(name(), glue)
        settingValue(.sameLine)
        for _ in 0..<random.below(3) {
            add(",", .any)
            settingValue(.any)
        }
    }

    private mutating func settingsBlock() {
        add(random.pick(["reveni", "limits"]), .any)
        add("{", .any)
        for _ in 0..<random.below(4) { setting(glue: .any) }
        add("}", .any)
    }

    private mutating func constant() {
        if random.chance(20) { add("override", .any) }
        add("let", .any)
        add(name(), .any)
        add("=", .any)
        expression(minimum: 0, depth: 0, glue: .any)
    }

    private mutating func fieldPath() {
        add(name(), .any)
        for _ in 0..<random.below(3) {
            add(".", .any)
            add(name(), .any)
        }
    }

    private mutating func mapping() {
        add("mapping", .any)
        add("{", .any)
        for _ in 0..<random.below(5) {
            fieldPath()
            add("=", .any)
            add(stringLiteral(allowInterpolation: false), .any)
            if random.chance(40) {
                add("{", .any)
                for _ in 0..<random.below(5) {
                    if random.chance(20) {
                        add("otherwise", .any)
                    } else {
                        for index in 0..<(1 + random.below(3)) {
                            if index > 0 { add(",", .any) }
                            literal()
                        }
                    }
                    add("->", .any)
                    settingValue(.any)
                    for _ in 0..<random.below(3) {
                        add(",", .any)
                        fieldPath()
                        add("=", .any)
                        settingValue(.any)
                    }
                }
                add("}", .any)
            }
        }
        add("}", .any)
    }

    private mutating func literal() {
        switch random.below(6) {
        case 0: add(stringLiteral(allowInterpolation: false), .any)
        case 1: add(random.pick(RuleFileGenerator.numbers), .any)
        case 2: add(random.pick(RuleFileGenerator.numbers), .any); add(random.pick(RuleFileGenerator.currencies), .sameLine)
        case 3: add(random.pick(["true", "false", "yes", "no", "none"]), .any)
        default: add(stringLiteral(allowInterpolation: true), .any)
        }
    }

    private mutating func aliases() {
        add("aliases", .any)
        add("{", .any)
        for _ in 0..<random.below(5) {
            add(random.pick(["sku", "ean", "product", "variation"]), .any)
            settingValue(.any)
            add("->", .any)
            add(random.pick(["sku", "product", "variation"]), .any)
            settingValue(.any)
        }
        add("}", .any)
    }

    private mutating func ruleBlock() {
        add("on", .any)
        add(random.pick(["return", "item"]), .any)
        for index in 0..<(1 + random.below(3)) {
            if index > 0 { add(",", .any) }
            add(random.pick(["accepted", "partly_accepted", "inspected", "received"]), .any)
        }
        add("match", .any)
        add(random.pick(["first", "all"]), .any)
        add("{", .any)
        for _ in 0..<random.below(5) {
            if random.chance(20) { annotations() }
            rule()
        }
        add("}", .any)
    }

    private mutating func rule() {
        add("rule", .any)
        add(name(), .any)
        if random.chance(20) {
            add("otherwise", .any)
        } else {
            add("when", .any)
            if random.chance(15) {
                longCondition()
            } else {
                expression(minimum: 0, depth: 0, glue: .any)
            }
        }
        for _ in 0..<(1 + random.below(3)) {
            add("then", .any)
            add(random.pick(["refund", "review", "note", "ignore", "restock"]), .any)
            for index in 0..<random.below(4) { argument(labelled: random.chance(30), first: index == 0) }
        }
    }

    /// A chain of comparisons joined by `and`/`or`, long enough to be broken.
    private mutating func longCondition() {
        for index in 0..<(4 + random.below(5)) {
            if index > 0 { add(random.chance(70) ? "and" : "or", .any) }
            add("refund", .any); add(".", .any); add("long_name_for_a_field", .any)
            add(random.pick(["==", "!=", ">"]), .any)
            add(random.pick(["accepted", "exchange", "merchant"]), .any)
        }
    }

    /// `[label:] expression`. An unlabelled argument after the first must not start with `-`
    /// or `(`, which would continue the previous argument's expression.
    private mutating func argument(labelled: Bool, first: Bool) {
        if labelled {
            add(name(), .any)
            add(":", .any)
            expression(minimum: 0, depth: 0, glue: .any)
            return
        }
        let start = pieces.count
        expression(minimum: 0, depth: 0, glue: .any)
        if !first, pieces[start].text == "-" || pieces[start].text == "(" {
            pieces.removeSubrange(start...)
            add(name(), .any)
        }
    }

    /// A setting value: a literal, a name, `-` number, a list or a call (the parser reads a
    /// name followed by `(` as a call; a value cannot start with `(`).
    private mutating func settingValue(_ glue: Glue) {
        switch random.below(9) {
        case 0: add(random.pick(RuleFileGenerator.numbers), glue)
        case 1: add(random.pick(RuleFileGenerator.numbers), glue); add(random.pick(RuleFileGenerator.currencies), .sameLine)
        case 2: add(stringLiteral(allowInterpolation: true), glue)
        case 3: add(random.pick(["yes", "no", "true", "false", "none"]), glue)
        case 4: add("-", glue); add(random.pick(RuleFileGenerator.numbers), .any)
        case 5:
            add("[", glue)
            elements()
            add("]", .any)
        case 6:
            add(name(), glue)
            add("(", .any)
            elements()
            add(")", .any)
        default: add(name(), glue)
        }
    }

    private mutating func elements(depth: Int = 1) {
        let count = random.below(4)
        for index in 0..<count {
            if index > 0 { add(",", .any) }
            expression(minimum: 0, depth: depth, glue: .any)
        }
        if count > 0, random.chance(15) { add(",", .any) }
    }

    // MARK: - Expressions

    /// Precedence levels: 0 `where`, 1 `or`, 2 `and`, 3 `not`, 4 comparisons, 5 `+ -`,
    /// 6 `* /`, 7 unary `-`, 8 member access, 9 primaries. A node weaker than `minimum` is
    /// wrapped in parentheses, so the text parses back to the tree that was generated.
    private mutating func expression(minimum: Int, depth: Int, glue: Glue, inInterpolation: Bool = false) {
        let leaf = depth >= 4 || random.chance(35 + depth * 10)
        let level = leaf ? 9 : random.pick([0, 1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 9])
        let wrap = level < minimum
        var glue = glue
        if wrap {
            add("(", glue)
            glue = .any
        }
        let next = depth + 1
        switch level {
        case 0:
            expression(minimum: 1, depth: next, glue: glue, inInterpolation: inInterpolation)
            add("where", .any)
            expression(minimum: 1, depth: next, glue: .any, inInterpolation: inInterpolation)
        case 1, 2, 5, 6:
            let operators = level == 1 ? ["or"] : level == 2 ? ["and"] : level == 5 ? ["+", "-"] : ["*", "/"]
            expression(minimum: level, depth: next, glue: glue, inInterpolation: inInterpolation)
            add(random.pick(operators), .any)
            expression(minimum: level + 1, depth: next, glue: .any, inInterpolation: inInterpolation)
        case 3:
            add("not", glue)
            expression(minimum: 3, depth: next, glue: .any, inInterpolation: inInterpolation)
        case 4:
            expression(minimum: 5, depth: next, glue: glue, inInterpolation: inInterpolation)
            let op = random.pick(["==", "!=", "<", "<=", ">", ">=", "in", "not in"])
            if op == "not in" {
                add("not", .any)
                add("in", .any)
            } else {
                add(op, .any)
            }
            expression(minimum: 5, depth: next, glue: .any, inInterpolation: inInterpolation)
        case 7:
            add("-", glue)
            expression(minimum: 7, depth: next, glue: .any, inInterpolation: inInterpolation)
        case 8:
            expression(minimum: 8, depth: next, glue: glue, inInterpolation: inInterpolation)
            add(".", .any)
            add(name(), .any)
        default:
            primary(depth: depth, glue: glue, inInterpolation: inInterpolation)
        }
        if wrap { add(")", .any) }
    }

    private mutating func primary(depth: Int, glue: Glue, inInterpolation: Bool) {
        let compound = depth < 4
        switch random.below(compound ? 11 : 8) {
        case 0: add(random.pick(RuleFileGenerator.numbers), glue)
        case 1: add(random.pick(RuleFileGenerator.numbers), glue); add(random.pick(RuleFileGenerator.currencies), .sameLine)
        case 2:
            if inInterpolation { add(name(), glue) } else { add(stringLiteral(allowInterpolation: true), glue) }
        case 3: add(random.pick(["yes", "no", "true", "false"]), glue)
        case 4: add("none", glue)
        case 5, 6, 7: add(name(), glue)
        case 8:
            add(name(), glue)
            add("(", .any)
            callOrListElements(depth: depth, inInterpolation: inInterpolation)
            add(")", .any)
        case 9:
            add("[", glue)
            callOrListElements(depth: depth, inInterpolation: inInterpolation)
            add("]", .any)
        default:
            add("(", glue)
            expression(minimum: 0, depth: depth + 1, glue: .any, inInterpolation: inInterpolation)
            add(")", .any)
        }
    }

    private mutating func callOrListElements(depth: Int, inInterpolation: Bool) {
        let count = random.below(4)
        for index in 0..<count {
            if index > 0 { add(",", .any) }
            expression(minimum: 0, depth: depth + 1, glue: .any, inInterpolation: inInterpolation)
        }
        if count > 0, random.chance(15) { add(",", .any) }
    }

    // MARK: - Strings

    private mutating func stringLiteral(allowInterpolation: Bool) -> String {
        var text = "\""
        for _ in 0..<random.below(5) {
            switch random.below(12) {
            case 0: text += "\\\""
            case 1: text += "\\\\"
            case 2: text += "\\n"
            case 3: text += "\\t"
            case 4: text += "\\{"
            case 5: text += "\\}"
            case 6: text += "\t"
            case 7: text += random.pick(["café", "— ✓", "😀", "# not a comment"])
            case 8, 9:
                if allowInterpolation {
                    text += "{" + String(repeating: " ", count: random.below(2)) + interpolation() + String(repeating: " ", count: random.below(2)) + "}"
                } else {
                    text += "plain"
                }
            default: text += random.pick(["refund of ", "B-stock", " ", "x", "$.items[*]"])
            }
        }
        return text + "\""
    }

    /// One expression rendered on one line, without strings or comments.
    private mutating func interpolation() -> String {
        let saved = pieces
        pieces = []
        expression(minimum: 0, depth: 2, glue: .any, inInterpolation: true)
        let text = pieces.map(\.text).joined(separator: " ")
        pieces = saved
        return text
    }

    // MARK: - Layout

    private mutating func comment() -> String {
        commentNumber += 1
        let body = random.pick(["", " note", "no space", " ünïcödé ✓", " has # hashes", " trailing spaces   ", "\ttab", " then rule when"])
        return "#\(commentNumber)" + body
    }

    private mutating func indentation() -> String {
        String(repeating: random.pick([" ", " ", "\t"]), count: random.below(9))
    }

    private static func isWord(_ character: Character) -> Bool { character.isLetter || character.isNumber || character == "_" }

    /// Whether two tokens may touch without whitespace and still lex as the same two tokens.
    private static func mayTouch(_ left: String, _ right: String) -> Bool {
        guard let last = left.last, let first = right.first else { return true }
        if isWord(last), isWord(first) { return false }
        if last.isNumber, first == "." { return false }
        if last == ".", first.isNumber { return false }
        if last == "-", first == ">" { return false }
        if "=<>!".contains(last), first == "=" { return false }
        return true
    }

    private mutating func render() -> String {
        let newline = random.chance(10) ? "\r\n" : "\n"
        var out = ""
        // Leading blank lines and comments.
        for _ in 0..<random.below(3) {
            out += random.chance(50) ? comment() + newline : newline
        }
        for (index, piece) in pieces.enumerated() {
            if index > 0 {
                let previous = pieces[index - 1].text
                switch piece.glue {
                case .sameLine:
                    out += random.chance(20) && RuleFileGenerator.mayTouch(previous, piece.text) ? "" : String(repeating: " ", count: 1 + random.below(3))
                case .newline:
                    out += lineBreak(newline)
                case .any:
                    let roll = random.below(100)
                    if roll < 55 {
                        out += " "
                    } else if roll < 65 {
                        out += RuleFileGenerator.mayTouch(previous, piece.text) ? "" : " "
                    } else if roll < 73 {
                        out += random.pick(["  ", "\t", " \t ", "    "])
                    } else {
                        out += lineBreak(newline)
                    }
                }
            }
            out += piece.text
        }
        // The end of the file: maybe comments, maybe no final newline.
        for _ in 0..<random.below(3) {
            out += random.chance(50) ? newline + comment() : newline
        }
        if random.chance(70) { out += newline }
        return out
    }

    /// A line break with random trailing comment, own-line comments, blank lines and indentation.
    private mutating func lineBreak(_ newline: String) -> String {
        var out = ""
        if random.chance(30) { out += random.pick([" ", "  ", "\t"]) + comment() }
        out += newline
        for _ in 0..<random.below(3) {
            switch random.below(3) {
            case 0: out += newline
            case 1: out += indentation() + comment() + newline
            default: out += random.pick(["   ", "\t"]) + newline
            }
        }
        return out + indentation()
    }
}
