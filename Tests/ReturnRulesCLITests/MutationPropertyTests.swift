import Foundation
import Testing
import ReturnRulesDomain
import ReturnRulesLanguage
import ReturnRulesTestSupport

/// Seeded mutations of every valid rule file in the repository: parse and check always return,
/// and every diagnostic points inside its file.
///
/// The mutations are the mistakes people and tools make: a token deleted, inserted or swapped,
/// a byte flipped, inserted or deleted, a file cut short, a span duplicated, a keyword or a
/// piece of punctuation dropped in. Each input stays small, so a hang would show as a slow test.
@Suite("Mutation property")
struct MutationPropertyTests {
    /// Paths relative to the repository root, so includes resolve with a `DirectorySourceLoader`.
    static let repositoryRoot = URL(fileURLWithPath: SnapshotHarness.testsDirectory(near: #filePath)).deletingLastPathComponent().path

    /// Every `.rules` file under `Tests/Snippets/input`, `rules` and `examples` that checks
    /// without language errors (domain lints may still object), with its bytes.
    static let corpus: [(path: String, bytes: [UInt8])] = {
        var found: [(String, [UInt8])] = []
        for directory in ["Tests/Snippets/input", "rules", "examples"] {
            guard let enumerator = FileManager.default.enumerator(atPath: repositoryRoot + "/" + directory) else { continue }
            var paths: [String] = []
            while let relative = enumerator.nextObject() as? String {
                if relative.hasSuffix(".rules") { paths.append(directory + "/" + relative) }
            }
            for path in paths.sorted() {
                guard let data = FileManager.default.contents(atPath: repositoryRoot + "/" + path), data.count < 64 * 1024 else { continue }
                let bytes = [UInt8](data)
                let sources = SourceMap()
                let root = sources.add(path: path, bytes: bytes)
                let result = Checker.check(root: root, sources: sources, schema: ReturnSchema.schema, loader: DirectorySourceLoader(root: repositoryRoot))
                if result.program != nil { found.append((path, bytes)) }
            }
        }
        return found
    }()

    static let fragments: [String] = [
        "returnrules", "include", "let", "override", "on", "match", "first", "all", "rule", "when", "otherwise", "then",
        "mapping", "aliases", "and", "or", "not", "in", "where", "none", "yes", "no", "true", "false",
        "{", "}", "(", ")", "[", "]", ",", ":", ".", "->", "@", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/",
        "\"", "\"{", "}\"", "\\", "#", "\n", " ", "\t", "0", "1.5", "12.50 EUR", "9999999999999999999999", "items", "item",
        "refund.amount", "count(", "any(items,", "@allow(", "“", "é", "\u{FEFF}",
    ]

    /// Applies one random mutation.
    static func mutate(_ bytes: [UInt8], tokens: [Span], random: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        func position() -> Int { bytes.isEmpty ? 0 : random.int(in: 0...bytes.count) }
        func token() -> Span? { tokens.isEmpty ? nil : random.element(of: tokens) }
        func valid(_ span: Span) -> Bool { span.end <= bytes.count }
        switch random.below(10) {
        case 0: // delete a token
            if let span = token(), valid(span) { bytes.removeSubrange(span.start..<span.end) }
        case 1: // insert a copy of a token somewhere
            if let span = token(), valid(span) { bytes.insert(contentsOf: Array(bytes[span.start..<span.end]) + [0x20], at: position()) }
        case 2: // swap two tokens
            if let a = token(), let b = token(), valid(a), valid(b), a.end <= b.start {
                let first = Array(bytes[a.start..<a.end]), second = Array(bytes[b.start..<b.end])
                bytes.replaceSubrange(b.start..<b.end, with: first)
                bytes.replaceSubrange(a.start..<a.end, with: second)
            }
        case 3: // flip a bit
            if !bytes.isEmpty { bytes[random.below(bytes.count)] ^= UInt8(1 << random.below(8)) }
        case 4: // insert a random byte
            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position())
        case 5: // delete a run of bytes
            if !bytes.isEmpty {
                let start = random.below(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + random.int(in: 1...8)))
            }
        case 6: // truncate
            bytes.removeSubrange(position()...)
        case 7: // duplicate a span somewhere else
            if !bytes.isEmpty {
                let start = random.below(bytes.count)
                let piece = Array(bytes[start..<min(bytes.count, start + random.int(in: 1...120))])
                bytes.insert(contentsOf: piece, at: position())
            }
        default: // insert a keyword or a piece of punctuation
            bytes.insert(contentsOf: Array((" " + random.element(of: fragments) + " ").utf8), at: position())
        }
        return bytes
    }

    static func tokenSpans(_ bytes: [UInt8]) -> [Span] {
        var sink = DiagnosticSink()
        return Lexer.tokenize(SourceFile(id: 0, path: "x", bytes: bytes), diagnostics: &sink).dropLast().map(\.span)
    }

    /// Mutates, checks and verifies; returns the problems found.
    static func run(seed: UInt64, mutations: Int, lints: Bool) -> (problems: [String], checked: Int) {
        var random = SplitMix64(seed: seed)
        var problems: [String] = []
        let loader = DirectorySourceLoader(root: repositoryRoot)
        for iteration in 0..<mutations {
            let (path, original) = corpus[random.below(corpus.count)]
            var bytes = original
            for _ in 0..<random.int(in: 1...3) { bytes = mutate(bytes, tokens: tokenSpans(bytes), random: &random) }
            let sources = SourceMap()
            let root = sources.add(path: path, bytes: bytes)
            let result = lints
                ? RuleFileChecker.check(root: root, sources: sources, loader: loader)
                : Checker.check(root: root, sources: sources, schema: ReturnSchema.schema, loader: loader)
            for diagnostic in result.diagnostics where !diagnostic.span.isNone {
                guard let file = sources.file(for: diagnostic.span) else {
                    problems.append("seed \(seed) #\(iteration) \(path): \(diagnostic.code) points into no file")
                    continue
                }
                if diagnostic.span.start < 0 || diagnostic.span.end > file.bytes.count {
                    problems.append("seed \(seed) #\(iteration) \(path): \(diagnostic.code) \(diagnostic.span) lies outside \(file.path) (\(file.bytes.count) bytes)")
                }
                for note in diagnostic.notes {
                    guard let span = note.span, !span.isNone else { continue }
                    if let noteFile = sources.file(for: span), span.end > noteFile.bytes.count {
                        problems.append("seed \(seed) #\(iteration) \(path): a note of \(diagnostic.code) lies outside \(noteFile.path)")
                    }
                }
            }
            // Rendering must cope with whatever was reported.
            _ = HumanDiagnosticRenderer().render(result.diagnostics, sources: sources)
            _ = JSONDiagnosticRenderer().render(result.diagnostics, sources: sources)
        }
        return (problems, mutations)
    }

    @Test func theCorpusIsLargeEnough() {
        #expect(MutationPropertyTests.corpus.count >= 10, "valid files: \(MutationPropertyTests.corpus.map(\.path))")
    }

    /// 12 seeds × 250 mutations = 3,000 mutated files, checked with the real returns schema;
    /// every fifth seed also runs the domain lints.
    @Test(arguments: 0..<12)
    func mutatedFilesAlwaysCheck(_ seed: Int) {
        let (problems, checked) = MutationPropertyTests.run(seed: 0x5EED_0000 + UInt64(seed), mutations: 250, lints: seed % 4 == 0)
        #expect(checked == 250)
        #expect(problems.isEmpty, "\(problems.count) problems:\n\(problems.prefix(10).joined(separator: "\n"))")
    }
}
