import Foundation
import ReturnRulesDomain
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// The catalog checks (RR04xx) need a store snapshot. The snippet corpus checks every case with
/// a `DirectorySourceLoader`, and `RuleFileChecker` asks a loader that is `StoreSnapshotProviding`
/// for the snapshot when the caller passes none: this hands over `input/_store` for the cases
/// named `RR04…`, as `returnrules check --store _store` does when their goldens are rendered.
/// Every other case is checked without a store.
extension DirectorySourceLoader: StoreSnapshotProviding {
    public func storeSnapshot(for file: SourceFile) -> StoreSnapshot? {
        guard (file.path as NSString).lastPathComponent.hasPrefix("RR04") else { return nil }
        return try? StoreSnapshotLoader.load(directory: root + "/_store")
    }
}
