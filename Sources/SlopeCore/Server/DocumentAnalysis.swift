import Foundation

/// What the server knows about one version of a document, computed when the text changes:
/// the front half of every command (parse, then lower: name resolution, shape inference,
/// initial values), its diagnostics, and the names it defines.
///
/// As for `slope run`, syntax errors stop before lowering: only they are published, since the
/// statements they dropped would make every later use of their names an error too. Lowering
/// still runs on the statements that parsed, so hover shows the shapes of the names that were
/// defined; values are computed only for a program without errors (`ValueTable`).
public struct DocumentAnalysis: Sendable {
    public let file: SourceFile
    public let mapping: PositionMapping
    public let ast: AST
    /// What is published: every diagnostic of parsing, and of lowering when parsing succeeded.
    public let diagnostics: [Diagnostic]
    /// The lowered program, when the document has no errors.
    public let program: Program?
    /// The shape of every global name lowering gave a value, errors elsewhere or not.
    public let shapes: [String: Shape]
    public let symbols: SymbolIndex

    /// `baseDirectory` is where `csv("…")` paths are found: the document's folder.
    public init(path: String, text: String, baseDirectory: String) {
        let bytes = Array(text.utf8)
        file = SourceFile(path: path, bytes: bytes)
        mapping = PositionMapping(file: file, hasByteOrderMark: bytes.starts(with: SourceFile.byteOrderMark))
        let (ast, syntax) = Parser.parse(file)
        self.ast = ast
        symbols = SymbolIndex(ast)
        var options = LoweringOptions(baseDirectory: baseDirectory)
        options.regularFilesOnly = true
        let lowering = Lowering.lowered(ast, options: options)
        var shapes: [String: Shape] = [:]
        for (name, node) in lowering.globals { shapes[name] = lowering.builder[node].shape }
        self.shapes = shapes
        if syntax.contains(where: \.isError) {
            diagnostics = syntax
            program = nil
        } else {
            diagnostics = syntax + lowering.diagnostics
            program = lowering.diagnostics.contains(where: \.isError) ? nil : lowering.finish()
        }
    }

    /// The folder of a `file:` URI's path, where its CSV files are; the current folder for
    /// any other URI (an unsaved buffer).
    public static func location(of uri: String) -> (path: String, baseDirectory: String) {
        guard let url = URL(string: uri), url.isFileURL else { return (uri, ".") }
        let folder = url.deletingLastPathComponent().path
        return (url.path, folder.isEmpty ? "." : folder)
    }
}
