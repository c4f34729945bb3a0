/// `slope export`: the program for another engine. `--to onnx` writes the forward computation
/// as an ONNX model (`ONNXExporter`); `--to jax` a Python module that runs the whole program
/// with JAX (`JAXExporter`). A file is written atomically (`OutputFile`): on any diagnostic
/// nothing is left at the path, and an existing file stays as it was.
public enum ExportCommand {
    public static func execute(_ arguments: Arguments, console: Console, execution: ExecutionOptions) -> ExitStatus {
        var compilation: Compilation
        do {
            compilation = try Compilation.compile(arguments, memory: execution.memory)
            try compilation.loadParams(from: arguments.load)
        } catch {
            console.err(DiagnosticRenderer.render(error.diagnostics))
            return error.status
        }
        console.err(DiagnosticRenderer.render(compilation.warnings))
        let output: Output
        do {
            output = try export(compilation, arguments)
        } catch {
            console.err(DiagnosticRenderer.render([error]))
            return .programError
        }
        guard let path = arguments.output else {
            if case .text(let text) = output { console.out(text) }
            return .success
        }
        let problem: OutputProblem?
        switch OutputFile.open(path, protecting: compilation.program.readFiles) {
        case .failure(let failure): problem = failure
        case .success(let file):
            switch output {
            case .text(let text): file.write(text)
            case .bytes(let bytes): file.write(bytes: bytes)
            }
            problem = file.commit()
        }
        if let problem {
            console.err(DiagnosticRenderer.render([DriverMessages.outputFile(problem)]))
            return .programError
        }
        return .success
    }

    enum Output {
        case text(String)
        case bytes([UInt8])
    }

    static func export(_ compilation: Compilation, _ arguments: Arguments) throws(Diagnostic) -> Output {
        switch arguments.exportTarget ?? .onnx {
        case .onnx:
            let optimized = Optimizer.optimize(compilation.program).program
            let result = try ONNXExporter.export(optimized, precision: arguments.precision ?? .float32,
                                                 path: compilation.source.path,
                                                 integrals: try ONNXExporter.integralReports(of: optimized))
            return .bytes(result.model.encoded())
        case .jax:
            return .text(try JAXExporter.export(compilation, modulePath: arguments.output))
        }
    }
}
