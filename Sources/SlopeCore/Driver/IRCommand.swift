/// `slope ir`: the IR as text.
public enum IRCommand {
    public static func execute(_ arguments: Arguments, console: Console) -> ExitStatus {
        let compilation: Compilation
        do { compilation = try Compilation.compile(arguments) } catch {
            console.err(DiagnosticRenderer.render(error.diagnostics))
            return error.status
        }
        console.err(DiagnosticRenderer.render(compilation.warnings))
        console.out(IRPrinter.print(compilation.program.graph))
        return .success
    }
}
