import Foundation

/// `slope run`: evaluate prints and perform training in program order, then show the params.
public enum RunCommand {
    public static func execute(_ arguments: Arguments, console: Console) -> ExitStatus {
        let compilation: Compilation
        do { compilation = try Compilation.compile(arguments) } catch {
            console.err(DiagnosticRenderer.render(error.diagnostics))
            return error.status
        }
        console.err(DiagnosticRenderer.render(compilation.warnings))
        var times = compilation.times
        let program = compilation.program

        for action in program.actions {
            if case .train(let spec) = action {
                console.err(DiagnosticRenderer.render(DriverMessages.unsupported(
                    "'\(spec.direction.rawValue)' is not supported yet", at: spec.range)))
                return .programError
            }
        }

        let compileStart = Date()
        // Params are outputs too: a param no print reads would otherwise not be in the plan,
        // and "params" in --json would show it as NaN instead of its value.
        let executor = Executor(graph: program.graph, outputs: program.roots + program.params.map(\.node),
                                leafValues: program.leafValues)
        times.compile += Date().timeIntervalSince(compileStart)
        // Planning counts as compile time only; the run phase starts after it.
        let runStart = Date()
        var printed: [(String, Tensor)] = []
        executor.run()
        for action in program.actions {
            if case .print(let items) = action {
                for item in items { printed.append((item.text, executor.value(item.node))) }
            }
        }
        times.run = Date().timeIntervalSince(runStart)

        let params = program.params.map { ($0.name, executor.value($0.node)) }
        if arguments.json {
            var members: [(String, JSONValue)] = [
                ("prints", .array(printed.map { .object([("expr", .string($0.0)), ("value", .tensor($0.1))]) })),
                ("params", .object(params.map { ($0.0, JSONValue.tensor($0.1)) })),
                ("train", .array([])),
            ]
            if arguments.time { members.append(("time", timesJSON(times))) }
            console.out(JSONValue.object(members).rendered() + "\n")
        } else {
            for (text, value) in printed {
                console.out("\(text) = \(ValueFormatter.literal(value, summarize: true))\n")
            }
        }
        if arguments.time { console.err(timesTable(times)) }
        return .success
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
