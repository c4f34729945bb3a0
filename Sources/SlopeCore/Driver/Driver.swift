import Foundation
import SlopeAVX2

/// The whole command line in one call: parse arguments, run a command, return its status.
/// The executable is a thin wrapper around this, so every command is testable in-process.
public enum Driver {
    /// Process-wide settings for the `slope` executable, made once before `main`: the
    /// allocator keeps freed memory for the next pass (`slope_keep_freed_memory`).
    public static func prepareProcess() {
        slope_keep_freed_memory()
    }

    /// `environment` is read here, once, for the execution options (`SLOPE_THREADS`,
    /// `SLOPE_SHOW_PLAN`, `SLOPE_MEMORY_LIMIT`), which are passed down to every command.
    public static func main(_ arguments: [String], console: Console,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> ExitStatus {
        let status = command(arguments, console: console, environment: environment)
        // Output that did not arrive is not a success: `slope grad f.graph > g.graph` on a full
        // disk must not exit 0 with an empty g.graph.
        guard let code = console.outputError else { return status }
        console.err(DiagnosticRenderer.render([DriverMessages.unwritableStandardOutput(code)]))
        return status == .success ? .programError : status
    }

    static func command(_ arguments: [String], console: Console, environment: [String: String]) -> ExitStatus {
        let request: Arguments.Request
        do { request = try Arguments.parse(arguments) } catch {
            console.err("slope: error: \(TextEscaping.escaped(error.message))\n\n")
            console.err(error.command.map(Usage.help(for:)) ?? Usage.overview)
            return .usageError
        }
        switch request {
        case .help(let command):
            console.out(command.map(Usage.help(for:)) ?? Usage.overview)
            return .success
        case .version:
            console.out(Usage.version + "\n")
            return .success
        case .languageServer(let help):
            return LspCommand.execute(help: help, console: console)
        case .command(let parsed):
            let execution = ExecutionOptions(environment: environment, console: console)
            switch parsed.command {
            case .run: return RunCommand.execute(parsed, console: console, execution: execution)
            case .ir: return IRCommand.execute(parsed, console: console, memory: execution.memory)
            case .grad: return GradCommand.execute(parsed, console: console, execution: execution)
            case .check: return CheckCommand.execute(parsed, console: console, execution: execution)
            case .dot: return DotCommand.execute(parsed, console: console, execution: execution)
            case .tangent: return TangentCommand.execute(parsed, console: console, execution: execution)
            case .critical: return CriticalCommand.execute(parsed, console: console, execution: execution)
            case .export: return ExportCommand.execute(parsed, console: console, execution: execution)
            case .report: return ReportCommand.execute(parsed, console: console, execution: execution, environment: environment)
            }
        }
    }
}
