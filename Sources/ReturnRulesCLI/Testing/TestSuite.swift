import Foundation
import JSONBytes

/// A `*.tests.json` file: golden plans for a rule file.
///
///     {
///       "rules": "returns.rules",          the rule file, relative to this file
///       "store": "store",                  optional store snapshot folder
///       "events": "events",                every event file in this folder is one case…
///       "plans": "plans",                  …whose golden plan is plans/<name>.plan.json
///       "cases": [                         and/or explicit cases
///         {"name": "refund after inspection", "events": ["events/a.json", "events/b.json"],
///          "plan": "plans/refund-after-inspection.plan.json", "store": "other-store"}
///       ]
///     }
///
/// A case's events are planned as `plan` plans them: event files as a batch ordered by envelope
/// time, JSON Lines (`.jsonl`, `.ndjson`) in arrival order, so a case can pin out-of-order delivery.
struct TestSuite {
    struct Case {
        var name: String
        var events: [String]
        var plan: String
        var store: String?
    }

    var path: String
    var directory: String
    var rules: String
    var store: String?
    var cases: [Case]

    struct LoadError: Error, CustomStringConvertible {
        var path: String
        var message: String
        var description: String { "\(path): \(message)" }
    }

    static func load(_ path: String) throws(LoadError) -> TestSuite {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError(path: path, message: "cannot read") }
        let value: JSONValue
        do { value = try JSONValue(parsing: [UInt8](data)) } catch { throw LoadError(path: path, message: "\(error)") }
        let directory = (path as NSString).deletingLastPathComponent
        func string(_ key: String) -> String? { if case .string(let text)? = value[key] { text } else { nil } }
        guard let rules = string("rules") else { throw LoadError(path: path, message: "needs \"rules\": the rule file to test") }
        var suite = TestSuite(path: path, directory: directory, rules: rules, store: string("store"), cases: [])
        if let eventsFolder = string("events") {
            let plansFolder = string("plans") ?? "plans"
            let absolute = TestSuite.join(directory, eventsFolder)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []).filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") }.sorted()
            if names.isEmpty { throw LoadError(path: path, message: "no event files in \(eventsFolder)") }
            for name in names {
                let stem = (name as NSString).deletingPathExtension
                suite.cases.append(Case(name: stem, events: [TestSuite.join(eventsFolder, name)], plan: TestSuite.join(plansFolder, stem + ".plan.json"), store: nil))
            }
        }
        if case .array(let cases)? = value["cases"] {
            for (index, entry) in cases.enumerated() {
                guard case .string(let name)? = entry["name"], case .array(let events)? = entry["events"], case .string(let plan)? = entry["plan"] else {
                    throw LoadError(path: path, message: "case \(index) needs \"name\", \"events\" and \"plan\"")
                }
                let paths = events.compactMap { if case .string(let text) = $0 { text } else { nil } }
                var store: String?
                if case .string(let text)? = entry["store"] { store = text }
                suite.cases.append(Case(name: name, events: paths, plan: plan, store: store))
            }
        }
        if suite.cases.isEmpty { throw LoadError(path: path, message: "no cases: give \"events\" or \"cases\"") }
        return suite
    }

    static func join(_ directory: String, _ path: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty || directory == "." { return path }
        return (directory as NSString).appendingPathComponent(path)
    }

    /// Every `*.tests.json` under the given paths.
    static func discover(_ paths: [String]) -> [String] {
        var found: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                if path.hasSuffix(".tests.json") { found.append(path) }
                continue
            }
            if let enumerator = FileManager.default.enumerator(atPath: path) {
                while let relative = enumerator.nextObject() as? String {
                    if (relative as NSString).lastPathComponent.hasPrefix(".") { enumerator.skipDescendants(); continue }
                    if relative.hasSuffix(".tests.json") { found.append(join(path, relative)) }
                }
            }
        }
        return found.sorted()
    }
}
