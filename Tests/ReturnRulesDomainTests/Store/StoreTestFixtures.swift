import Foundation
import Testing
import JSONBytes
import ReturnRulesLanguage
@testable import ReturnRulesDomain

/// The store snapshot fixture next to these tests (a frozen copy of the first example store, so
/// the shipped examples can grow without moving these expectations), plus helpers for building
/// in-memory stores that differ from it in one file.
enum StoreTestFixtures {
    /// `Tests/ReturnRulesDomainTests/Store/Fixtures/store`.
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.appendingPathComponent("Fixtures/store").path
    }()

    /// Every layout file of the example store, keyed by its relative path.
    static func files() throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for folder in ["orders", "products"] {
            let path = directory + "/" + folder
            for name in try FileManager.default.contentsOfDirectory(atPath: path) where name.hasSuffix(".json") {
                let data = try #require(FileManager.default.contents(atPath: path + "/" + name))
                result[folder + "/" + name] = [UInt8](data)
            }
        }
        return result
    }

    /// The example store, loaded from disk.
    static func snapshot() throws -> StoreSnapshot {
        try StoreSnapshotLoader.load(directory: directory)
    }

    /// An amount in euros from its text.
    static func eur(_ text: String) throws -> Money {
        try Money.parse(text, currency: .eur).get()
    }

    /// UTF-8 bytes of a JSON text.
    static func bytes(_ text: String) -> [UInt8] {
        Array(text.utf8)
    }
}
