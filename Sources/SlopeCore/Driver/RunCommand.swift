import Foundation

/// `slope run`: evaluate prints and perform training in program order, then show the params.
public enum RunCommand {
    public static func execute(_ arguments: Arguments, console: Console, execution: ExecutionOptions) -> ExitStatus {
        let compilation: Compilation
        switch Compilation.compile(arguments, reportingTo: console) {
        case .success(let compiled): compilation = compiled
        case .failure(let status): return status
        }
        var times = compilation.times
        let program = compilation.program

        // Current leaf values by name: initial values, then --load, then what training leaves.
        var values: [String: Tensor] = [:]
        for leaf in program.leaves { values[leaf.name] = leaf.value }
        if let path = arguments.load {
            switch ParamFile.load(path, program: program) {
            case .success(let loaded): values.merge(loaded) { $1 }
            case .failure(let diagnostic):
                console.err(DiagnosticRenderer.render(diagnostic))
                return diagnostic.id.hasPrefix("usage.") ? .usageError : .programError
            }
        }

        // Printed values are computed on the optimized program; training optimizes its own step.
        let compileStart = Date()
        let (evaluated, optimized) = Optimizer.optimize(program)
        console.err(DiagnosticRenderer.render(Stabilization.warnings(optimized.graph, roots: evaluated.roots)))
        let evaluator = Executor(graph: evaluated.graph, outputs: evaluated.roots, leafValues: evaluated.graph.leafValues(values),
                                 options: execution)
        times.compile += Date().timeIntervalSince(compileStart)

        let runStart = Date()
        var printed: [(String, Tensor)] = []
        var outcomes: [TrainingOutcome] = []
        var trainingCompile = 0.0
        var failed: TrainingFailure?
        for (actionIndex, action) in program.actions.enumerated() {
            switch action {
            case .print:
                guard case .print(let items) = evaluated.actions[actionIndex] else { break }
                for leaf in evaluated.leaves where leaf.kind == .param { evaluator.setValue(leaf.node, values[leaf.name]!) }
                evaluator.run()
                for item in items {
                    let value = evaluator.value(item.node)
                    printed.append((item.text, value))
                    if !arguments.json { console.out("\(item.text) = \(ValueFormatter.literal(value, summarize: true))\n") }
                }
            case .train(let spec):
                let trainer = Trainer(program: program, spec: spec, console: console, quiet: arguments.quiet,
                                      keepLastGood: arguments.save != nil,
                                      recordEveryStep: arguments.log != nil || arguments.plot != nil, execution: execution)
                do {
                    let outcome = try trainer.train(from: values)
                    values.merge(outcome.trained) { $1 }
                    outcomes.append(outcome)
                    trainingCompile += outcome.compileSeconds
                    if !arguments.json { console.out(summary(outcome) + "\n") }
                } catch {
                    failed = error
                }
            }
            if failed != nil { break }
        }
        times.run = Date().timeIntervalSince(runStart) - trainingCompile
        times.compile += trainingCompile

        let params = program.params.map { ($0.name, values[$0.name]!) }
        var status = ExitStatus.success
        if let failed {
            console.err(DiagnosticRenderer.render(failed.diagnostic))
            if let path = arguments.save {
                let good = program.params.map { ($0.name, failed.lastGood[$0.name] ?? $0.value) }
                if let problem = ParamFile.save(good, to: path) { console.err("slope: error: \(problem)\n") }
                else { console.err("slope: note: saved the params of the last good step to '\(path)'\n") }
            }
            status = .programError
        } else {
            if let path = arguments.save, let problem = ParamFile.save(params, to: path) {
                console.err("slope: error: \(problem)\n")
                status = .programError
            }
        }
        if let path = arguments.log, let problem = writeLog(outcomes, to: path) {
            console.err("slope: error: \(problem)\n")
            status = .programError
        }
        // When the only training failed there is nothing to draw, and "--plot needs a minimize
        // or maximize statement" would be wrong: the failure's own diagnostic says enough.
        if let path = arguments.plot, failed == nil || !outcomes.isEmpty,
           let problem = TrainingPlots.write(outcomes, program: program, values: values, to: path, execution: execution) {
            console.err("slope: error: \(problem)\n")
            status = .programError
        }
        guard failed == nil else { return status }

        if arguments.json {
            var members: [(String, JSONValue)] = [
                ("prints", .array(printed.map { .object([("expr", .string($0.0)), ("value", .tensor($0.1))]) })),
                ("params", .object(params.map { ($0.0, JSONValue.tensor($0.1)) })),
                ("train", .array(outcomes.map { outcome in
                    .object([("target", .string(outcome.spec.targetText)),
                             ("method", .string(outcome.spec.method.kind.rawValue)),
                             ("steps", .integer(outcome.steps)),
                             ("initial", .number(outcome.initial)),
                             ("final", .number(outcome.final))])
                })),
            ]
            if arguments.time { members.append(("time", timesJSON(times))) }
            console.out(JSONValue.object(members).rendered() + "\n")
        } else if !outcomes.isEmpty {
            console.out("params:\n")
            for (name, value) in params { console.out("  \(name) = \(ValueFormatter.literal(value, summarize: true))\n") }
        }
        if arguments.time { console.err(timesTable(times)) }
        return status
    }

    /// `minimize E by gd: 1000 steps, loss 38 -> 3.8333333333333335`
    static func summary(_ outcome: TrainingOutcome) -> String {
        let spec = outcome.spec
        var text = "\(spec.direction.rawValue) \(spec.targetText) by \(spec.method.kind.rawValue): \(outcome.steps) step\(outcome.steps == 1 ? "" : "s")"
        if outcome.converged { text += " (gradient norm under the tolerance)" }
        return text + ", loss \(ValueFormatter.number(outcome.initial)) -> \(ValueFormatter.number(outcome.final))"
    }

    /// `step,loss` for every step of every training statement, steps numbered on across them.
    static func writeLog(_ outcomes: [TrainingOutcome], to path: String) -> String? {
        var text = "step,loss\n"
        var step = 0
        for outcome in outcomes {
            for entry in outcome.losses.dropLast() {
                text += "\(step + entry.step),\(ValueFormatter.number(entry.loss))\n"
            }
            step += outcome.steps
        }
        if let last = outcomes.last?.losses.last { text += "\(step),\(ValueFormatter.number(last.loss))\n" }
        return FileOutput.writeAtomically(text, to: path)
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
