import Foundation

/// Seconds spent in each phase, as `slope run --time` reports them.
public struct PhaseTimes: Sendable {
    public var parse = 0.0
    public var compile = 0.0
    public var load = 0.0
    public var run = 0.0
}

/// The front half of every command: read the file, parse, lower. Errors come back as
/// diagnostics with the exit status they call for.
public struct Compilation: Sendable {
    public let source: SourceFile
    public var program: Program
    /// Warnings found along the way.
    public var warnings: [Diagnostic]
    public var times: PhaseTimes

    public struct Failure: Error, Sendable {
        public let diagnostics: [Diagnostic]
        public let status: ExitStatus
    }

    /// `memory` bounds the initial values (drawn, filled, read from CSV files).
    public static func compile(_ arguments: Arguments, memory: MemoryBudget = .machine) throws(Failure) -> Compilation {
        let start = Date()
        let source: SourceFile
        switch FileInput.read(arguments.file) {
        case .success(let bytes): source = SourceFile(path: arguments.file, bytes: bytes)
        case .failure(let failure):
            throw Failure(diagnostics: [DriverMessages.unreadableFile(arguments.file, failure.reason)], status: .programError)
        }
        return try compile(arguments, source: source, memory: memory, started: start)
    }

    /// Compiles a program already read (`slope report` reads its file once and keeps the text
    /// for the page, even when compiling fails); `started` is when the reading began.
    public static func compile(_ arguments: Arguments, source: SourceFile, memory: MemoryBudget = .machine,
                               started start: Date = Date()) throws(Failure) -> Compilation {
        HeapFollower.start(compiling: source)
        var overrides: [LoweringOptions.Override] = []
        for (name, text) in arguments.sets {
            let file = SourceFile(path: "--set \(name)", text: text)
            let (ast, root, diagnostics) = Parser.parseExpression(file)
            guard let root, diagnostics.isEmpty else {
                throw Failure(diagnostics: diagnostics.isEmpty ? [DriverMessages.badSetValue(name, text, at: nil)] : diagnostics,
                              status: .usageError)
            }
            var evaluator = ConstantEvaluator()
            guard case .value(let value) = evaluator.evaluate(root, in: ast) else {
                throw Failure(diagnostics: evaluator.diagnostics.isEmpty
                                ? [DriverMessages.badSetValue(name, text, at: ast[root].range)] : evaluator.diagnostics,
                              status: .usageError)
            }
            overrides.append(.init(name: name, value: value, range: nil))
        }
        let (ast, syntaxDiagnostics) = Parser.parse(source)
        let parsed = Date()
        if syntaxDiagnostics.contains(where: \.isError) {
            throw Failure(diagnostics: syntaxDiagnostics, status: .programError)
        }
        let directory = (arguments.file as NSString).deletingLastPathComponent
        let options = LoweringOptions(overrides: overrides, seed: arguments.seed,
                                      baseDirectory: directory.isEmpty ? "." : directory, memory: memory)
        let (program, diagnostics, loadSeconds) = Lowering.lower(ast, options: options)
        guard let program else {
            let usage = diagnostics.contains { $0.id.hasPrefix("usage.") } && !diagnostics.contains { $0.isError && !$0.id.hasPrefix("usage.") }
            throw Failure(diagnostics: syntaxDiagnostics + diagnostics, status: usage ? .usageError : .programError)
        }
        var times = PhaseTimes()
        times.parse = parsed.timeIntervalSince(start)
        times.load = loadSeconds
        times.compile = max(0, Date().timeIntervalSince(parsed) - loadSeconds)
        return Compilation(source: source, program: program, warnings: syntaxDiagnostics + diagnostics, times: times)
    }
}

extension Compilation {
    /// `--load FILE.json` for `dot` and `check`: the params start from the saved values (the
    /// file `run --save` writes, checked as `run --load` checks it), so a trained model can be
    /// drawn or checked. `run` loads through `ProgramRunner`, which trains from them.
    mutating func loadParams(from path: String?) throws(Failure) {
        guard let path else { return }
        switch ParamFile.load(path, params: program.params) {
        case .success(let values):
            program.graph = program.graph.withLeafValues(values)
        case .failure(let diagnostic):
            throw Failure(diagnostics: [diagnostic], status: diagnostic.id.hasPrefix("usage.") ? .usageError : .programError)
        }
    }

    /// Compiles for a command: on failure the diagnostics are printed and the exit status
    /// returned; on success the warnings are printed.
    static func compile(_ arguments: Arguments, reportingTo console: Console,
                        memory: MemoryBudget = .machine) -> Result<Compilation, ExitStatus> {
        do {
            let compilation = try compile(arguments, memory: memory)
            console.err(DiagnosticRenderer.render(compilation.warnings))
            return .success(compilation)
        } catch {
            console.err(DiagnosticRenderer.render(error.diagnostics))
            return .failure(error.status)
        }
    }
}
