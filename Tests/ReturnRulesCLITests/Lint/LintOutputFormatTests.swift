import Foundation
import JSONBytes
import Testing
@testable import ReturnRulesCLI
import ReturnRulesDomain
import ReturnRulesLanguage

/// `check --format sarif|github`: structure and exact annotations.
@Suite("CLI: lint output formats")
struct LintOutputFormatTests {
    /// A double refund (RR0303: a related location in a note) and an unused `@allow` (RR0314).
    static let file = RuleTexts.header + """
    on return in_progress match first {
      rule instant_paid
        when return.type == refund and return.mode == instant and refund.executed_by == reveni
        then refund items path: record_only

      rule wait
        otherwise
        then ignore "later"
    }

    on return accepted, partly_accepted match first {
      @allow(RR0305, reason: "just in case")
      rule paid_by_reveni
        when return.type == refund and refund.executed_by == reveni
        then refund items path: record_only

      rule decide
        otherwise
        then review "finance" reason: "decide"
    }

    """

    static func object(_ value: JSONValue?) -> [(key: String, value: JSONValue)]? {
        if case .object(let members)? = value { return members }
        return nil
    }

    static func array(_ value: JSONValue?) -> [JSONValue]? {
        if case .array(let elements)? = value { return elements }
        return nil
    }

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    static func int(_ value: JSONValue?) -> Int? {
        if case .number(let text)? = value { return Int(text) }
        return nil
    }

    @Test func sarifHasTheRequiredStructure() throws {
        let scratch = try ScratchDirectory(["client.rules": Self.file])
        let run = CLI.run(["check", "--format", "sarif", "client.rules"], in: scratch.path)
        #expect(run.code == 1)
        #expect(run.stderr == "", "SARIF goes to stdout alone")
        let root = try JSONValue(parsing: run.stdout)
        #expect(Self.string(root["version"]) == "2.1.0")
        #expect(Self.string(root["$schema"])?.hasSuffix("sarif-2.1.0.json") == true)
        let runs = try #require(Self.array(root["runs"]))
        #expect(runs.count == 1)
        let driver = try #require(runs[0]["tool"]?["driver"])
        #expect(Self.string(driver["name"]) == "returnrules")
        #expect(Self.string(driver["version"]) == CommandLineTool.version)
        #expect(Self.string(runs[0]["columnKind"]) == "unicodeCodePoints")
        let rules = try #require(Self.array(driver["rules"]))
        let ids = rules.compactMap { Self.string($0["id"]) }
        #expect(ids.count == rules.count && Set(ids).count == ids.count, "every rule has a unique id")
        for code in DiagnosticCode.domainCodes {
            #expect(ids.contains(code.rawValue), "rule \(code.rawValue) is described")
        }
        for rule in rules {
            #expect(Self.string(rule["name"]) != nil)
            #expect(Self.string(rule["shortDescription"]?["text"]) != nil)
            #expect(["error", "warning", "note"].contains(Self.string(rule["defaultConfiguration"]?["level"]) ?? ""))
        }
        let results = try #require(Self.array(runs[0]["results"]))
        #expect(results.compactMap { Self.string($0["ruleId"]) } == ["RR0314", "RR0303"])
        for result in results {
            let ruleID = try #require(Self.string(result["ruleId"]))
            let index = try #require(Self.int(result["ruleIndex"]))
            #expect(ids[index] == ruleID, "ruleIndex points at the rule")
            #expect(["none", "note", "warning", "error"].contains(Self.string(result["level"]) ?? ""))
            #expect(Self.string(result["message"]?["text"])?.isEmpty == false)
            let locations = try #require(Self.array(result["locations"]))
            #expect(locations.count == 1)
            for location in locations + (Self.array(result["relatedLocations"]) ?? []) {
                let physical = try #require(location["physicalLocation"])
                #expect(Self.string(physical["artifactLocation"]?["uri"]) == "client.rules")
                let region = try #require(physical["region"])
                let startLine = try #require(Self.int(region["startLine"]))
                let startColumn = try #require(Self.int(region["startColumn"]))
                #expect(startLine >= 1 && startColumn >= 1)
                #expect((Self.int(region["endLine"]) ?? 0) >= startLine)
            }
        }
        let conflict = results[1]
        #expect(Self.string(conflict["level"]) == "error")
        let related = try #require(Self.array(conflict["relatedLocations"]))
        #expect(related.count == 1)
        #expect(Self.int(related[0]["id"]) == 1)
        #expect(Self.string(related[0]["message"]?["text"]) == "the other one is here")
        #expect(Self.int(related[0]["physicalLocation"]?["region"]?["startLine"]) == 14)
        let message = try #require(Self.string(conflict["message"]?["text"]))
        #expect(message.contains("\nnote: for example type=refund mode=instant method=bank_transfer executed_by=reveni: "), "notes without a place join the message")
        #expect(message.contains("\nhelp: make the rules exclusive"))
    }

    @Test func githubAnnotationsAreWorkflowCommands() throws {
        let scratch = try ScratchDirectory(["client.rules": Self.file])
        let run = CLI.run(["check", "--format", "github", "client.rules"], in: scratch.path)
        #expect(run.code == 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("::warning file=client.rules,line=22,col=10,endLine=22,endColumn=16,title=RR0314::`@allow(RR0305)` on rule `paid_by_reveni` suppresses nothing%0Anote: its reason: just in case%0Ahelp: "), "\(lines[0])")
        #expect(lines[1].hasPrefix("::error file=client.rules,line=25,col=10,endLine=25,endColumn=40,title=RR0303::`paid_by_reveni` refunds units that `instant_paid` already refunds for the same return (money moves twice)%0Anote: the other one is here (client.rules:14:10)%0A"), "\(lines[1])")
    }

    @Test func githubEscapesWhatWorkflowCommandsReserve() {
        let renderer = GitHubAnnotationRenderer()
        #expect(renderer.data("50% off\nnext") == "50%25 off%0Anext")
        #expect(renderer.property("a:b,c") == "a%3Ab%2Cc")
    }

    @Test func aDiagnosticWithoutAPlaceHasNoLocation() throws {
        let sources = SourceMap()
        let diagnostic = Diagnostic(.duplicateSKU, "the store has SKU `CAP` twice", at: .none)
        #expect(GitHubAnnotationRenderer().render([diagnostic], sources: sources) == "::warning title=RR0404::the store has SKU `CAP` twice\n")
        let root = try JSONValue(parsing: SARIFRenderer().render([diagnostic], sources: sources))
        let result = try #require(Self.array(root["runs"]?[0]?["results"])?.first)
        #expect(Self.array(result["locations"])?.isEmpty == true)
    }
}

extension LintOutputFormatTests {
    @Test func checkHelpListsEveryDomainCode() {
        let run = CLI.run(["help", "check"])
        for code in DiagnosticCode.domainCodes {
            #expect(run.stdout.contains("  \(code.rawValue)  "), "`returnrules help check` does not list \(code.rawValue)")
        }
    }
}
