/// Reads a root rule file and, through the caller's `SourceLoader`, everything it includes.
///
/// The result lists the parsed files in the order their items take effect: an included file's
/// items come at the point of its `include`, before the includer's later items, so a client file
/// refines its house template. Missing files and include cycles are diagnostics on the include.
public struct LoadedProgram: Sendable {
    public var sources: SourceMap
    public var root: SourceFile
    /// Every parsed file, each once, in the order its items take effect.
    public var units: [LoadedUnit]
}

/// One parsed file and who included it.
public struct LoadedUnit: Sendable {
    public var tree: SyntaxTree
    /// Nesting depth: 0 for the root file.
    public var depth: Int
}

public enum ProgramLoader {
    /// Deepest include chain followed; deeper is reported as a cycle-like error.
    public static let maximumIncludeDepth = 32

    public static func load(root: SourceFile, sources: SourceMap, loader: (any SourceLoader)?, diagnostics: inout DiagnosticSink) -> LoadedProgram {
        var units: [LoadedUnit] = []
        // The root's key comes from the loader like every include's, so an include that leads
        // back to the root (under whatever spelling) is a cycle, not a second copy of the root.
        let rootKey = loader?.resolve(root.path, from: SourceFile(id: -1, path: "", bytes: [])).key ?? root.path
        var stack: [(key: String, span: Span?)] = [(key: rootKey, span: nil)]
        var seen: Set<String> = [rootKey]
        visit(root, depth: 0, sources: sources, loader: loader, stack: &stack, seen: &seen, units: &units, diagnostics: &diagnostics)
        return LoadedProgram(sources: sources, root: root, units: units)
    }

    private static func visit(
        _ file: SourceFile, depth: Int, sources: SourceMap, loader: (any SourceLoader)?,
        stack: inout [(key: String, span: Span?)], seen: inout Set<String>,
        units: inout [LoadedUnit], diagnostics: inout DiagnosticSink
    ) {
        let tree = Parser.parse(file, diagnostics: &diagnostics)
        // Included files go before the including file's unit, at the point of their include; we
        // record the includer after its includes so "earlier" always means "refined later".
        var pending: [LoadedUnit] = []
        for item in tree.items {
            guard case .include(let literal) = item.kind else { continue }
            guard let path = literal.constantText, !path.isEmpty else {
                diagnostics.report(.includeNotFound, "the include path must be plain text", at: literal.span,
                                   help: "write the path without `{…}`: `include \"house/base.rules\"`")
                continue
            }
            guard let loader else {
                diagnostics.report(.includeNotFound, "cannot include `\(path)` here: no file loader was given", at: literal.span)
                continue
            }
            let (key, displayPath) = loader.resolve(path, from: file)
            if let cycleStart = stack.firstIndex(where: { $0.key == key }) {
                var notes: [DiagnosticNote] = []
                for entry in stack[(cycleStart + 1)...] {
                    if let span = entry.span { notes.append(DiagnosticNote("which includes `\(entry.key)`", at: span)) }
                }
                diagnostics.report(.includeCycle, "include cycle: `\(displayPath)` includes itself through this file", at: literal.span,
                                   notes: notes, help: "move what both files need into a third file that neither includes back")
                continue
            }
            if depth + 1 > maximumIncludeDepth {
                diagnostics.report(.includeCycle, "includes are nested more than \(maximumIncludeDepth) deep", at: literal.span)
                continue
            }
            if seen.contains(key) {
                // A diamond: the same base reached twice. Its items are already in; skip quietly.
                continue
            }
            let bytes: [UInt8]
            do {
                bytes = try loader.load(key: key)
            } catch let error as SourceLoadError {
                diagnostics.report(.includeNotFound, "cannot read included file `\(displayPath)`: \(error.message)", at: literal.span)
                continue
            } catch {
                diagnostics.report(.includeNotFound, "cannot read included file `\(displayPath)`: \(error)", at: literal.span)
                continue
            }
            seen.insert(key)
            let included = sources.add(path: displayPath, bytes: bytes)
            stack.append((key: key, span: literal.span))
            var nested: [LoadedUnit] = []
            visit(included, depth: depth + 1, sources: sources, loader: loader, stack: &stack, seen: &seen, units: &nested, diagnostics: &diagnostics)
            stack.removeLast()
            pending.append(contentsOf: nested)
        }
        units.append(contentsOf: pending)
        units.append(LoadedUnit(tree: tree, depth: depth))
    }
}
