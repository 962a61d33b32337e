/// `returnrules fmt`: the one canonical layout of a rule file.
///
/// The formatter prints the syntax tree again, token by token in the original order, so it
/// cannot change what a file means (the output parses to the same tree, spans aside) and every
/// comment stays next to the token it was written next to. Layout rules:
///
/// - two-space indentation; one item, setting, entry, case, alias, rule line or action per line;
/// - one blank line between top-level items of different kinds and around every block; blank
///   lines the author put between items of the same kind are kept, collapsed to one; none at
///   the start or end of a block; one blank line between rules; the file ends with one newline;
/// - single spaces around binary operators and after commas, none inside `()` `[]`;
/// - the arrows of an alias block and of a value table are aligned, and so are the `=` of
///   consecutive mapping entries without a value table (a blank line ends such a run);
/// - an empty block with no comment inside is written `name {}`;
/// - a `when` line longer than 100 columns breaks before each `and`/`or` at the top of the
///   condition, with a continuation indent; a piece still too long breaks its own `and`/`or`
///   one level deeper;
/// - numbers, money, `yes`/`true` and parentheses as written; strings re-escaped; trailing
///   commas in lists and calls dropped;
/// - own-line comments stay on their own line before the token they preceded, trailing
///   comments at the end of their token's line; a comment inside a construct breaks the line
///   there and the construct continues with a continuation indent.
///
/// It is named `RuleFormatter` rather than `Formatter` so it does not clash with
/// `Foundation.Formatter` in files that import both.
public enum RuleFormatter {
    /// Lines of conditions longer than this are broken before `and`/`or`.
    public static let lineWidth = 100
    /// Spaces per indentation level.
    public static let indentWidth = FormatPrinter.indentWidth

    /// The canonical text of a tree without syntax errors. If the tree does not match its own
    /// tokens (a formatter bug, or a tree with errors), the original text is returned unchanged.
    public static func format(_ tree: SyntaxTree) -> String {
        let (text, consistent) = layout(tree)
        return consistent ? text : String(decoding: tree.file.bytes, as: UTF8.self)
    }

    /// Parses and formats a file. A file with syntax errors is not formatted: the errors come
    /// back instead, so `fmt` never rewrites text it does not understand. The output is checked
    /// to parse to the same tree with the same comments before it is returned.
    public static func format(_ file: SourceFile) -> Result<String, FormatError> {
        var diagnostics = DiagnosticSink()
        let tree = Parser.parse(file, diagnostics: &diagnostics)
        if diagnostics.hasErrors {
            return .failure(.syntaxErrors(diagnostics.sorted().filter { $0.severity == .error || $0.code == .tooManyErrors }))
        }
        let (text, consistent) = layout(tree)
        guard consistent else {
            return .failure(.internalInconsistency("the formatter lost track of the tokens of \(file.path)"))
        }
        var again = DiagnosticSink()
        let reparsed = Parser.parse(SourceFile(id: file.id, path: file.path, text: text), diagnostics: &again)
        if again.hasErrors || reparsed.structure != tree.structure {
            return .failure(.internalInconsistency("the formatted text of \(file.path) would not mean the same"))
        }
        if reparsed.commentTexts.sorted() != tree.commentTexts.sorted() {
            return .failure(.internalInconsistency("the formatted text of \(file.path) would lose a comment"))
        }
        return .success(text)
    }

    /// Formats rule-file text; `path` is used only in diagnostics.
    public static func format(source: String, path: String = "<input>") -> Result<String, FormatError> {
        format(SourceFile(id: 0, path: path, text: source))
    }

    /// The formatted text and whether every token of the file was written in order.
    static func layout(_ tree: SyntaxTree) -> (text: String, consistent: Bool) {
        var writer = FormatWriter(printer: FormatPrinter(tokens: tree.tokens), file: tree.file)
        writer.file(tree.items)
        let text = writer.printer.finish()
        return (text, writer.printer.consistent)
    }
}

/// Why a file was not formatted.
public enum FormatError: Error, Sendable, Hashable {
    /// The file has syntax errors (sorted by location); it is left as it is.
    case syntaxErrors([Diagnostic])
    /// A formatter bug was caught before any text was replaced.
    case internalInconsistency(String)
}
