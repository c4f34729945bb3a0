import Foundation

/// `slope run`: evaluate prints and perform training in program order, then show the params.
/// The running is `ProgramRunner`'s; this file turns what it reports into text or JSON.
public enum RunCommand {
    public static func execute(_ arguments: Arguments, console: Console, execution: ExecutionOptions) -> ExitStatus {
        // The compilation is not kept: the runner holds the only reference to the program, so
        // it can let the lowered graph go once it has optimized it.
        let runner: ProgramRunner
        var times: PhaseTimes
        switch Compilation.compile(arguments, reportingTo: console, memory: execution.memory) {
        case .success(let compiled):
            times = compiled.times
            runner = ProgramRunner(program: compiled.program,
                                   options: .init(load: arguments.load, save: arguments.save, log: arguments.log,
                                                  plot: arguments.plot, quiet: arguments.quiet, execution: execution),
                                   console: console)
        case .failure(let status): return status
        }
        let result: ProgramRunner.Result
        do {
            result = try (consume runner).run { event in
                switch event {
                case .warnings(let warnings):
                    console.err(DiagnosticRenderer.render(warnings))
                case .printed(let text, let value):
                    if !arguments.json { console.out("\(text) = \(ValueFormatter.literal(value, summarize: true))\n") }
                case .trained(let outcome):
                    if !arguments.json { console.out(summary(outcome) + "\n") }
                }
            }
        } catch {
            console.err(DiagnosticRenderer.render(error))
            return error.id.hasPrefix("usage.") ? .usageError : .programError
        }
        console.err(DiagnosticRenderer.render(result.diagnostics))
        let status: ExitStatus = result.succeeded ? .success : .programError
        guard result.failure == nil else { return status }

        times.compile += result.compileSeconds
        times.run = result.runSeconds
        if arguments.json {
            var members: [(String, JSONValue)] = [
                ("prints", .array(result.printed.map { .object([("expr", .string($0.text)), ("value", .tensor($0.value))]) })),
                ("params", .object(result.params.map { ($0.name, JSONValue.tensor($0.value)) })),
                ("train", .array(result.outcomes.map { outcome in
                    .object([("target", .string(outcome.spec.targetText)),
                             ("method", .string(outcome.spec.method.kind.rawValue)),
                             ("steps", .integer(outcome.steps)),
                             ("initial", .number(outcome.initial)),
                             ("final", .number(outcome.final))])
                })),
            ]
            if !result.integrals.isEmpty { members.append(("integrals", integralsJSON(result.integrals))) }
            if arguments.time { members.append(("time", timesJSON(times))) }
            console.out(JSONValue.object(members).rendered() + "\n")
        } else if !result.outcomes.isEmpty {
            console.out("params:\n")
            for (name, value) in result.params { console.out("  \(name) = \(ValueFormatter.literal(value, summarize: true))\n") }
        }
        if arguments.time {
            console.err(timesTable(times))
            if !result.integrals.isEmpty { console.err(integralsTable(result.integrals)) }
        }
        return status
    }

    /// `minimize E by gd: 1000 steps, loss 38 -> 3.8333333333333335`
    static func summary(_ outcome: TrainingOutcome) -> String {
        let spec = outcome.spec
        var text = "\(spec.direction.rawValue) \(spec.targetText) by \(spec.method.kind.rawValue): \(outcome.steps) step\(outcome.steps == 1 ? "" : "s")"
        if outcome.converged {
            // Without a tolerance only Newton stops early: at a point whose gradient is zero.
            text += spec.method.tolerance != nil ? " (gradient norm under the tolerance)" : " (converged: the gradient is zero)"
        }
        return text + ", loss \(ValueFormatter.number(outcome.initial)) -> \(ValueFormatter.number(outcome.final))"
    }

    /// `[{"expr": "integral(v, 0, 2)", "line": 9, "integrand": "v", "value": 12, "error": 1.3e-13,
    ///   "evaluations": 15, "intervals": 1}, …]`
    static func integralsJSON(_ integrals: [EvaluatedIntegral]) -> JSONValue {
        .array(integrals.map { integral in
            let report = integral.report
            var members: [(String, JSONValue)] = []
            if let range = integral.range {
                members += [("expr", .string(range.text)), ("line", .integer(range.line))]
            }
            members += [("integrand", .string(report.integrand)), ("value", .tensor(report.value)),
                        ("error", .number(report.error)), ("evaluations", .integer(report.evaluations)),
                        ("intervals", .integer(report.intervals))]
            return .object(members)
        })
    }

    /// The integrals after the phases: where each is, its value, its error estimate and its cost.
    static func integralsTable(_ integrals: [EvaluatedIntegral]) -> String {
        var rows = [["integral", "line", "value", "error", "evaluations"]]
        for integral in integrals {
            let report = integral.report
            let text = integral.range.map { GraphSource.oneLine($0) } ?? report.integrand
            // A derivative's integral names its integrand (`d_g_w`) beside the call it comes from.
            let own = text.replacingOccurrences(of: " ", with: "").hasPrefix("integral(\(report.integrand),")
            rows.append([own ? text : "\(text) [\(report.integrand)]",
                         integral.range.map { "\($0.line)" } ?? "",
                         ValueFormatter.literal(report.value, summarize: true),
                         String(format: "%.2g", report.error), "\(report.evaluations)"])
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == 0 || column == 2 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    static func timesJSON(_ times: PhaseTimes) -> JSONValue {
        .object([("parse", .number(times.parse)), ("compile", .number(times.compile)),
                 ("load", .number(times.load)), ("run", .number(times.run))])
    }

    static func timesTable(_ times: PhaseTimes) -> String {
        func row(_ name: String, _ seconds: Double) -> String {
            name.padding(toLength: 9, withPad: " ", startingAt: 0) + String(format: "%10.6f s\n", seconds)
        }
        return "phase         time\n" + row("parse", times.parse) + row("compile", times.compile)
            + row("load", times.load) + row("run", times.run)
            + row("total", times.parse + times.compile + times.load + times.run)
    }
}
