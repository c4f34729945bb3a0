import Foundation

/// `slope report`: one self-contained HTML page that shows a program whole (`ReportBuilder`
/// gathers it, `ReportHTML` writes it).
///
///     open -o → read the file once → compile → [errors: the source and its diagnostics only]
///             → run → the pictures → the gradient program → check → tangent and critical points
///             → the source with every diagnostic found at its line → HTML → -o or stdout
///
/// The page goes to standard output, or with `-o FILE.html` to that file, written as `--save`
/// writes (`OutputFile`): opened before anything runs, so a missing folder is an error before
/// any work and nothing is written, and committed at the end. Every diagnostic on the page is
/// also printed on stderr. Exit status: 2 for a usage error (an unknown `--of` or `--wrt` name,
/// a bad `--set`; no page), 1 when the file cannot be read (no page) or the page shows an error
/// (the program does not compile, training fails, the check fails), else 0.
public enum ReportCommand {
    /// `environment` is where Graphviz's `dot` is looked up (its PATH).
    public static func execute(_ arguments: Arguments, console: Console, execution: ExecutionOptions,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> ExitStatus {
        execute(arguments, console: console, execution: execution, graphviz: GraphvizRenderer(environment: environment))
    }

    /// With `graphviz` nil the page says how to draw the pictures instead of showing them.
    public static func execute(_ arguments: Arguments, console: Console, execution: ExecutionOptions,
                               graphviz: GraphvizRenderer?) -> ExitStatus {
        var file: OutputFile?
        if let path = arguments.output {
            // Opened before the program is read: the program itself is what it may not replace.
            switch OutputFile.open(path, protecting: [arguments.file]) {
            case .success(let opened): file = opened
            case .failure(let problem):
                console.err(DiagnosticRenderer.render([DriverMessages.outputFile(problem)]))
                return .programError
            }
        }
        let report: ReportBuilder
        do { report = try ReportBuilder.build(arguments, execution: execution, graphviz: graphviz) } catch {
            file?.discard()
            console.err(DiagnosticRenderer.render(error.diagnostics))
            return error.status
        }
        // The CSV files are known once the program is read: -o may not replace one either.
        if let file, let input = OutputTarget.sameFile(file.path, asOneOf: report.readFiles) {
            file.discard()
            console.err(DiagnosticRenderer.render([DriverMessages.outputFile(OutputProblem(path: file.path, reason: .isInput(input)))]))
            return .programError
        }
        console.err(DiagnosticRenderer.render(report.diagnostics))
        let html = ReportHTML.render(report.page)
        if let file {
            file.write(html)
            if let problem = file.commit() {
                console.err(DiagnosticRenderer.render([DriverMessages.outputFile(problem)]))
                return .programError
            }
        } else {
            console.out(html)
        }
        return report.diagnostics.contains(where: \.isError) ? .programError : .success
    }
}
