import Foundation

/// `slope check`: autodiff against central finite differences for every --wrt name. Exit 0
/// when every element agrees within its tolerance (kinks excepted), 1 otherwise.
public enum CheckCommand {
    public static func execute(_ arguments: Arguments, console: Console, execution: ExecutionOptions) -> ExitStatus {
        let compilation: Compilation, request: GradientRequest
        switch GradientRequest.compile(arguments, reportingTo: console, memory: execution.memory) {
        case .success(let compiled): (compilation, request) = compiled
        case .failure(let status): return status
        }
        let program = compilation.program
        let results: [FiniteDifferences.Result], sweeps: [(String, [(step: Double, error: Double)])]
        do { (results, sweeps) = try check(program, request, sweep: arguments.sweep, execution: execution) } catch {
            console.err(DiagnosticRenderer.render(error))
            return .programError
        }
        let ok = results.allSatisfy(\.ok)
        if arguments.json {
            console.out(json(request, results, ok: ok).rendered() + "\n")
        } else {
            console.out(report(request, results, sweeps))
        }
        guard ok else {
            let failed = results.filter { !$0.ok }.map(\.name)
            console.err(DiagnosticRenderer.render(GradientMessages.checkFailed(request.targetName, by: failed,
                                                                                at: program.graph[request.target].range)))
            return .programError
        }
        return .success
    }

    /// Autodiff against central differences for every --wrt name (with `sweep`, the worst error
    /// for each step size as well); the diagnostic when the plans do not fit the memory budget
    /// or an integral fails. `slope report` shows the same table.
    static func check(_ program: Program, _ request: GradientRequest, sweep: Bool, execution: ExecutionOptions)
        throws(Diagnostic) -> (results: [FiniteDifferences.Result], sweeps: [(String, [(step: Double, error: Double)])]) {
        let graph = request.differentiate(program.graph)
        let (target, gradients) = GradientRequest.outputs(of: graph)
        let values = program.leafValues
        // Both plans must fit the memory budget beside the program's data.
        var held = MemoryBudget.bytes(ofLeaves: program.graph)
        let plan = Planner.plan(graph, outputs: [target] + gradients)
        try execution.memory.admit(plan, held: &held)
        let executor = Executor(plan: plan, leafValues: values, options: execution)
        let checker = try FiniteDifferences(graph: program.graph, target: request.target, leafValues: values, options: execution,
                                            held: &held)
        try executor.runCheckingIntegrals()
        var results: [FiniteDifferences.Result] = []
        var sweeps: [(String, [(step: Double, error: Double)])] = []
        let steps = (1...12).map { pow(10.0, -Double($0)) }
        for ((name, leaf), gradient) in zip(request.wrt, gradients) {
            let value = values[leaf]!
            let autodiff = executor.value(gradient)
            // The gradient at a moved leaf, for the rounding noise of an element that would
            // fail; the executor is put back as it was, for the next name.
            let gradientAt = { (moved: Tensor) -> Tensor in
                executor.setValue(leaf, moved)
                executor.run()
                let result = executor.value(gradient)
                executor.setValue(leaf, value)
                executor.run()
                return result
            }
            results.append(checker.check(name: name, leaf: leaf, value: value, gradient: autodiff, gradientAt: gradientAt))
            if sweep { sweeps.append((name, checker.sweep(leaf: leaf, value: value, gradient: autodiff, steps: steps))) }
        }
        return (results, sweeps)
    }

    static func json(_ request: GradientRequest, _ results: [FiniteDifferences.Result], ok: Bool) -> JSONValue {
        .object([
            ("of", .string(request.targetName)),
            ("ok", .bool(ok)),
            ("results", .object(results.map { result in
                (result.name, .object([
                    ("max_abs_error", .number(result.maximumAbsoluteError)),
                    ("max_rel_error", .number(result.maximumRelativeError)),
                    ("checked", .integer(result.elements.count)),
                    ("elements", .integer(result.shape.count)),
                    ("kinks", .integer(result.kinks)),
                    ("ok", .bool(result.ok)),
                ]))
            })),
        ])
    }

    static func report(_ request: GradientRequest, _ results: [FiniteDifferences.Result],
                       _ sweeps: [(String, [(step: Double, error: Double)])]) -> String {
        var out = "check: gradient of \(request.targetName) against central differences, h = ∛ε · max(1, |x|)\n"
        let width = max(4, results.map(\.name.count).max() ?? 4)
        func pad(_ text: String, _ count: Int) -> String { text.padding(toLength: max(count, text.count), withPad: " ", startingAt: 0) }
        out += pad("name", width) + "  " + pad("checked", 9) + pad("max abs error", 15) + pad("max rel error", 15) + "result\n"
        for result in results {
            let checked = result.elements.count == result.shape.count ? "\(result.shape.count)" : "\(result.elements.count)/\(result.shape.count)"
            var verdict = result.ok ? "ok" : "FAIL"
            if result.kinks > 0 { verdict += " (\(result.kinks) at a kink)" }
            out += pad(result.name, width) + "  " + pad(checked, 9) + pad(short(result.maximumAbsoluteError), 15)
                + pad(short(result.maximumRelativeError), 15) + verdict + "\n"
        }
        for result in results where result.shape.count <= 12 && (result.shape.count > 1 || !result.ok || result.kinks > 0) {
            out += "\n\(result.name):\n"
            out += "  " + pad("element", 10) + pad("autodiff", 24) + pad("numeric", 24) + pad("abs error", 12) + "result\n"
            for element in result.elements {
                let label = elementLabel(result.name, element.index, result.shape)
                var verdict = element.status.rawValue
                if element.status == .kink { verdict = "kink: finite differences straddle a corner (relu, abs, step or sign at 0)" }
                out += "  " + pad(label, 10) + pad(ValueFormatter.number(element.autodiff), 24)
                    + pad(ValueFormatter.number(element.numeric), 24) + pad(short(element.absoluteError), 12) + verdict + "\n"
            }
        }
        for (name, rows) in sweeps {
            out += "\nstep sweep for \(name) (largest error over the checked elements):\n"
            for row in rows {
                out += "  h = " + pad(short(row.step) + " · max(1, |x|)", 28) + short(row.error) + "\n"
            }
        }
        return out
    }

    static func elementLabel(_ name: String, _ index: Int, _ shape: Shape) -> String {
        guard !shape.isScalar else { return name }
        var rest = index
        var coordinates: [Int] = []
        for stride in shape.strides {
            coordinates.append(rest / stride)
            rest %= stride
        }
        return "\(name)[" + coordinates.map(String.init).joined(separator: ", ") + "]"
    }

    static func short(_ value: Double) -> String {
        if value == 0 { return "0" }
        if !value.isFinite { return ValueFormatter.number(value) }
        return String(format: "%.2e", value)
    }
}
