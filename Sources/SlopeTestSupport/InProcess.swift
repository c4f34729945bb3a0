import Foundation
import SlopeCore

/// What a command did: its exit status and everything it wrote.
public struct CommandResult: Sendable, CustomStringConvertible {
    public let status: ExitStatus
    public let out: String
    public let err: String

    public var description: String { "status \(status.rawValue)\n--- stdout\n\(out)--- stderr\n\(err)" }
}

/// Runs Slope in the test process: the command line through `Driver`, or a source string
/// through the parser and lowering, the same front half every command uses.
public enum InProcess {
    /// `slope ARGUMENTS...`, with both streams captured (`environment` as the process's, for
    /// `SLOPE_THREADS` and `SLOPE_SHOW_PLAN`).
    public static func run(_ arguments: [String],
                           environment: [String: String] = ProcessInfo.processInfo.environment) -> CommandResult {
        let console = Console.capture()
        let status = Driver.main(arguments, console: console, environment: environment)
        return CommandResult(status: status, out: console.capturedOut, err: console.capturedErr)
    }

    /// Parses and lowers `source` as the file `path`. Syntax errors stop before lowering, as in
    /// `Compilation`; the program is nil whenever there is an error.
    public static func lower(_ source: String, path: String = "test.graph",
                             options: LoweringOptions = LoweringOptions()) -> (program: Program?, diagnostics: [Diagnostic]) {
        let file = SourceFile(path: path, text: source)
        let (ast, syntax) = Parser.parse(file)
        if syntax.contains(where: \.isError) { return (nil, syntax) }
        let (program, diagnostics, _) = Lowering.lower(ast, options: options)
        return (program, syntax + diagnostics)
    }

    /// The errors of `source` (empty when it compiles).
    public static func errors(_ source: String, path: String = "test.graph",
                              options: LoweringOptions = LoweringOptions()) -> [Diagnostic] {
        lower(source, path: path, options: options).diagnostics.filter(\.isError)
    }

    /// Compiles and runs `source`; returns the value of every printed expression in order,
    /// or the errors when it does not compile.
    public static func printedValues(_ source: String, path: String = "test.graph",
                                     options: LoweringOptions = LoweringOptions()) -> Result<[Tensor], DiagnosticsError> {
        let (program, diagnostics) = lower(source, path: path, options: options)
        guard let program else { return .failure(DiagnosticsError(diagnostics: diagnostics)) }
        let executor = Executor(graph: program.graph, outputs: program.roots, leafValues: program.leafValues)
        executor.run()
        var values: [Tensor] = []
        for action in program.actions {
            if case .print(let items) = action { values.append(contentsOf: items.map { executor.value($0.node) }) }
        }
        return .success(values)
    }
}

/// Diagnostics as an error, printed as `slope` would render them.
public struct DiagnosticsError: Error, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { DiagnosticRenderer.render(diagnostics) }
}

/// A fresh folder under the system's temporary directory, removed when the value goes away.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("slope-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `name` inside the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    public func write(_ name: String, _ data: Data) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file.path
    }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
