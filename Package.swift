// swift-tools-version:6.0
// ReturnRules: a rules language and toolchain that maps Reveni returns onto WooCommerce actions.
// Foundation only; no package dependencies.
import PackageDescription

let package = Package(
    name: "ReturnRules",
    products: [
        .library(name: "ReturnRulesLanguage", targets: ["ReturnRulesLanguage"]),
        .library(name: "ReturnRulesDomain", targets: ["ReturnRulesDomain"]),
        .library(name: "ReturnRulesRunner", targets: ["ReturnRulesRunner"]),
        .executable(name: "returnrules", targets: ["returnrules"]),
        .executable(name: "returnrules-bench", targets: ["returnrules-bench"]),
    ],
    targets: [
        // Bytes in, bytes out: a streaming JSON reader that keeps number text exact, and a writer.
        .target(name: "JSONBytes"),
        // SHA-256 and CRC32C, written here because Foundation on Linux has neither.
        .target(name: "Checksums"),
        // The language: text, syntax, checked program, compiled rules. Knows nothing of WooCommerce.
        .target(name: "ReturnRulesLanguage", dependencies: ["JSONBytes"]),
        // The returns domain: Reveni payloads, the WooCommerce store snapshot, the pure planner.
        .target(name: "ReturnRulesDomain", dependencies: ["ReturnRulesLanguage", "JSONBytes", "Checksums"]),
        // The event runner: journal, state, outbox, queues. The only code that writes state.
        .target(name: "ReturnRulesRunner", dependencies: ["ReturnRulesDomain", "ReturnRulesLanguage", "JSONBytes", "Checksums"]),
        // Subcommands as plain functions from arguments to output and an exit code.
        .target(name: "ReturnRulesCLI", dependencies: ["ReturnRulesRunner", "ReturnRulesDomain", "ReturnRulesLanguage", "JSONBytes"]),
        // Release builds on Linux link the Swift runtime and Foundation statically: loading the
        // shared libraries was about half the time of checking a 500-line file. The static
        // archives need their dependencies named (SwiftPM's --static-swift-stdlib does the same).
        .executableTarget(name: "returnrules", dependencies: ["ReturnRulesCLI"], linkerSettings: staticRuntime),
        // SPEC.md of ../shared/bench read off our compiled rules: for the benchmark and its correctness test.
        .target(name: "BenchmarkSpec", dependencies: ["ReturnRulesDomain", "ReturnRulesLanguage", "JSONBytes"]),
        .executableTarget(
            name: "returnrules-bench",
            dependencies: ["BenchmarkSpec", "ReturnRulesCLI", "ReturnRulesRunner", "ReturnRulesDomain", "ReturnRulesLanguage", "JSONBytes", "Checksums"]
        ),
        // Helpers shared by the test targets; never a dependency of a product.
        .target(name: "ReturnRulesTestSupport", dependencies: ["ReturnRulesLanguage"], path: "Tests/Support"),
        .testTarget(name: "JSONBytesTests", dependencies: ["JSONBytes"]),
        .testTarget(name: "ChecksumsTests", dependencies: ["Checksums"]),
        .testTarget(name: "ReturnRulesLanguageTests", dependencies: ["ReturnRulesLanguage", "ReturnRulesTestSupport"]),
        .testTarget(name: "ReturnRulesDomainTests", dependencies: ["ReturnRulesDomain", "ReturnRulesTestSupport"],
                    exclude: ["Store/Fixtures"]),
        .testTarget(name: "ReturnRulesRunnerTests", dependencies: ["ReturnRulesRunner", "ReturnRulesTestSupport"]),
        .testTarget(name: "BenchmarkSpecTests", dependencies: ["BenchmarkSpec", "ReturnRulesDomain", "ReturnRulesLanguage"]),
        .testTarget(name: "ReturnRulesCLITests", dependencies: ["ReturnRulesCLI", "ReturnRulesTestSupport"]),
    ]
)

/// Linker settings for a release binary that carries its own Swift runtime and Foundation.
var staticRuntime: [LinkerSetting] {
    let release = BuildSettingCondition.when(platforms: [.linux], configuration: .release)
    let libraries = ["Foundation", "FoundationInternationalization", "FoundationEssentials", "CoreFoundation", "_FoundationCShims",
                     "_FoundationCollections", "_FoundationICU", "swiftSynchronization", "swiftDispatch", "dispatch", "BlocksRuntime", "stdc++"]
    return [.unsafeFlags(["-static-stdlib"], release)] + libraries.map { .linkedLibrary($0, release) }
}
