import Testing
import ReturnRulesLanguage

public func probeFail(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    Issue.record(Testing.Comment(rawValue: text), sourceLocation: sourceLocation)
}
public func probeExpect(_ v: Bool) { #expect(v) }
