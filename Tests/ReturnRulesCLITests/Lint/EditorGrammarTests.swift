import Foundation
import JSONBytes
import Testing
import ReturnRulesDomain
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// `editors/`: the TextMate grammar is valid JSON and highlights every keyword of the language
/// and every action of the schema; the VS Code manifest points at it.
@Suite("Editors: TextMate grammar")
struct EditorGrammarTests {
    static let editors = URL(fileURLWithPath: SnapshotHarness.testsDirectory(near: #filePath)).deletingLastPathComponent().path + "/editors"

    static func load(_ path: String) throws -> JSONValue {
        let data = try #require(FileManager.default.contents(atPath: editors + "/" + path), "missing editors/\(path)")
        return try JSONValue(parsing: [UInt8](data))
    }

    /// Every (regex, scope name) pair of the grammar, from `match` patterns and their captures.
    static func patterns(_ value: JSONValue) -> [(regex: String, scope: String)] {
        var result: [(String, String)] = []
        func walk(_ value: JSONValue, inherited: String?) {
            switch value {
            case .object(let members):
                var name = inherited
                if case .string(let own)? = members.first(where: { $0.key == "name" })?.value { name = own }
                if case .string(let regex)? = members.first(where: { $0.key == "match" })?.value, let name { result.append((regex, name)) }
                for member in members { walk(member.value, inherited: member.key == "captures" ? nil : name) }
            case .array(let elements):
                for element in elements { walk(element, inherited: inherited) }
            default:
                break
            }
        }
        walk(value, inherited: nil)
        return result
    }

    /// Whether `regex` matches all of `word`.
    static func matchesWhole(_ regex: String, _ word: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: regex) else { return false }
        let range = NSRange(word.startIndex..., in: word)
        return expression.matches(in: word, range: range).contains { $0.range == range }
    }

    @Test func theGrammarIsValidJSONForReturnRulesFiles() throws {
        let grammar = try Self.load("returnrules.tmLanguage.json")
        #expect(grammar["scopeName"] == .string("source.returnrules"))
        #expect(grammar["fileTypes"] == .array([.string("rules")]))
        #expect(grammar["patterns"] != nil && grammar["repository"] != nil)
        // Every regex compiles.
        for (regex, scope) in Self.patterns(grammar) {
            #expect((try? NSRegularExpression(pattern: regex)) != nil, "\(scope): \(regex) does not compile")
        }
    }

    @Test func everyKeywordIsHighlighted() throws {
        let patterns = Self.patterns(try Self.load("returnrules.tmLanguage.json"))
            .filter { $0.scope.hasPrefix("keyword.") || $0.scope.hasPrefix("constant.language.") }
        for keyword in TokenKind.keywords.keys.sorted() {
            #expect(patterns.contains { Self.matchesWhole($0.regex, keyword) }, "keyword `\(keyword)` is not highlighted")
        }
    }

    @Test func everyActionIsHighlighted() throws {
        let patterns = Self.patterns(try Self.load("returnrules.tmLanguage.json")).filter { $0.scope.hasPrefix("support.function.action.") }
        #expect(!patterns.isEmpty)
        for action in ReturnSchema.schema.actions.keys.sorted() {
            #expect(patterns.contains { Self.matchesWhole($0.regex, action) }, "action `\(action)` is not highlighted")
        }
    }

    @Test func theVSCodeExtensionPointsAtTheGrammar() throws {
        let manifest = try Self.load("vscode/package.json")
        let language = try #require(manifest["contributes"]?["languages"]?[0])
        #expect(language["id"] == .string("returnrules"))
        #expect(language["extensions"] == .array([.string(".rules")]))
        let grammar = try #require(manifest["contributes"]?["grammars"]?[0])
        #expect(grammar["scopeName"] == .string("source.returnrules"))
        guard case .string(let path)? = grammar["path"], case .string(let configuration)? = language["configuration"] else {
            Issue.record("the manifest names no grammar or language configuration")
            return
        }
        #expect(FileManager.default.fileExists(atPath: Self.editors + "/vscode/" + path))
        let settings = try Self.load("vscode/" + configuration)
        #expect(settings["comments"]?["lineComment"] == .string("#"))
        #expect(settings["brackets"]?[0] == .array([.string("{"), .string("}")]))
    }
}
