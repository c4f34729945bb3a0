import Foundation

/// Runs a program's statements in program order: a `print` evaluates its values on the
/// optimized program, a `minimize`/`maximize` trains (`Trainer`), each starting from the
/// values the statements before it left. The params start from their initial values or from
/// `--load`; `--save`, `--log` and `--plot` are opened before anything runs and committed
/// together at the end (`RunFiles`), the log streamed as it goes. What happens is reported as
/// it happens (`Event`) and returned (`Result`); the `run` command only formats both.
///
///     let result = try ProgramRunner(program: program, options: options, console: console).run { event in … }
public struct ProgramRunner {
    public struct Options: Sendable {
        /// `--load`: a params file to start from.
        public var load: String?
        /// `--save`: where to write the trained params (after a failure, those of the last good step).
        public var save: String?
        /// `--log`: where to write `step,loss` for every step, as the steps happen.
        public var log: String?
        /// `--plot`: where to draw the last training statement that ran (one that failed, up to its failure).
        public var plot: String?
        /// `--quiet`: no progress lines.
        public var quiet: Bool
        /// Draws the picture `--plot` would write into `Result.plot` instead (`slope report`).
        public var keepsPlot = false
        public var execution: ExecutionOptions

        public init(load: String? = nil, save: String? = nil, log: String? = nil, plot: String? = nil, quiet: Bool = false,
                    execution: ExecutionOptions = ExecutionOptions()) {
            self.load = load
            self.save = save
            self.log = log
            self.plot = plot
            self.quiet = quiet
            self.execution = execution
        }
    }

    /// What happens while the program runs, in order, for a command to show as it comes.
    public enum Event {
        /// Numerical warnings about the optimized program, before anything runs, and warnings
        /// about where a training statement ended, after it.
        case warnings([Diagnostic])
        /// One value of a `print` statement.
        case printed(text: String, value: Tensor)
        /// A training statement finished.
        case trained(TrainingOutcome)
    }

    /// Everything the run did.
    public struct Result: Sendable {
        /// Every printed value, in order: (source text, value).
        public var printed: [(text: String, value: Tensor)] = []
        /// One per training statement that finished.
        public var outcomes: [TrainingOutcome] = []
        /// Every param's value at the end (as trained; after a failure, where training stopped).
        public var params: [(name: String, value: Tensor)] = []
        /// The training that stopped, if one did (its diagnostic is also in `diagnostics`).
        public var failure: TrainingFailure?
        /// What went wrong, or was done about it, after the statements: the failure, then the
        /// files among --save, --log and --plot that could not be written, then notes.
        public var diagnostics: [Diagnostic] = []
        /// Every integral the printed values computed, as last evaluated, in plan order (for
        /// `--json` and `--time`).
        public var integrals: [EvaluatedIntegral] = []
        /// Seconds spent optimizing, differentiating and planning (the "compile" phase of --time).
        public var compileSeconds = 0.0
        /// Seconds spent evaluating and training (the "run" phase).
        public var runSeconds = 0.0
        /// With `Options.keepsPlot`: the SVG `--plot` would write, or nil when there is nothing to draw.
        public var plot: String?

        /// True when nothing went wrong: no training failure, every file written.
        public var succeeded: Bool { !diagnostics.contains(where: \.isError) }
    }

    public private(set) var program: Program
    public let options: Options
    /// Where training progress lines go (stderr).
    let console: Console

    public init(program: Program, options: Options, console: Console) {
        self.program = program
        self.options = options
        self.console = console
    }

    /// Keeps the last evaluation of each integral the evaluator ran.
    func recordIntegrals(of evaluator: Executor, into result: inout Result) {
        for report in evaluator.lastIntegrals {
            let entry = EvaluatedIntegral(range: evaluator.plan.graph[report.node].range, report: report)
            if let index = result.integrals.firstIndex(where: { $0.report.node == report.node }) {
                result.integrals[index] = entry
            } else {
                result.integrals.append(entry)
            }
        }
    }

    /// Runs every statement. Throws the diagnostic of a `--load` file that cannot be used, or of
    /// a `--save`, `--log` or `--plot` path that cannot be written, or of a program whose prints
    /// do not fit the memory budget, before anything runs.
    /// Takes the runner (and its program), so that the lowered graph can be let go once it is
    /// no longer needed.
    public consuming func run(_ report: (Event) -> Void = { _ in }) throws(Diagnostic) -> Result {
        // Current leaf values by name: initial values, then --load, then what training leaves.
        var values: [String: Tensor] = [:]
        for leaf in program.leaves { values[leaf.name] = leaf.value }
        if let path = options.load { values.merge(try ParamFile.load(path, params: program.params).get()) { $1 } }
        let files = try RunFiles.open(options, program: program)
        var result = Result()
        var failed: TrainingSpec?

        // Printed values are computed on the optimized program; training optimizes its own step.
        let compileStart = Date()
        let (evaluated, optimized) = Optimizer.optimize(program)
        report(.warnings(Stabilization.warnings(optimized.graph, roots: evaluated.roots)))
        // The program's data, then the evaluator's plan and the printed values it hands back,
        // must fit the memory budget before anything is allocated for them.
        var held = MemoryBudget.bytes(ofLeaves: program.graph)
        // Without a training statement or a picture nothing reads the lowered graph's nodes
        // again: they go, freed on another thread while the plan is built (a long program's
        // lowered graph is tens of megabytes). The leaves, outputs and names stay.
        if !program.trains && !files.drawsPlot {
            let lowered = program.graph
            program.graph = lowered.interface
            Graph.release(lowered)
        }
        let plan = Planner.plan(evaluated.graph, outputs: evaluated.roots)
        let printedCount = evaluated.actions.reduce(0) { total, action in
            guard case .print(let items) = action else { return total }
            return items.reduce(total) { $0 + evaluated.graph[$1.node].shape.count }
        }
        try options.execution.memory.admit(plan, extra: MemoryBudget.bytes(count: printedCount), held: &held)
        let evaluator = Executor(plan: plan, leafValues: evaluated.graph.leafValues(values), options: options.execution)
        result.compileSeconds = Date().timeIntervalSince(compileStart)
        HeapFollower.stop()

        let runStart = Date()
        var trainingCompile = 0.0
        // The same statements over two graphs: prints read the optimized one, and training starts
        // from the program as lowered (its step is differentiated and optimized on its own).
        for (action, lowered) in zip(evaluated.actions, program.actions) {
            switch (action, lowered) {
            case (.print(let items), _):
                for leaf in evaluated.params { evaluator.setValue(leaf.node, values[leaf.name]!) }
                evaluator.run()
                // An integral that failed is an error at its call, and the run stops there.
                if let failure = evaluator.integralFailure(affecting: items.map(\.node)) {
                    result.failure = TrainingFailure(diagnostic: IntegralMessages.failure(failure), lastGood: values)
                    break
                }
                recordIntegrals(of: evaluator, into: &result)
                for item in items {
                    let value = evaluator.value(item.node)
                    result.printed.append((item.text, value))
                    report(.printed(text: item.text, value: value))
                }
            case (.train, .train(let spec)):
                let trainer = Trainer(program: program, spec: spec, console: console, quiet: options.quiet,
                                      keepLastGood: options.save != nil, recordEveryStep: false,
                                      tracePlot: files.drawsPlot, execution: options.execution, memoryInUse: held,
                                      log: files.log)
                files.log?.begin()
                do {
                    let outcome = try trainer.train(from: values)
                    values.merge(outcome.trained) { $1 }
                    result.outcomes.append(outcome)
                    trainingCompile += outcome.compileSeconds
                    files.log?.finished(outcome)
                    report(.trained(outcome))
                    if !outcome.warnings.isEmpty { report(.warnings(outcome.warnings)) }
                } catch {
                    result.failure = error
                    failed = spec
                }
            case (.train, .print):
                preconditionFailure("internal error: optimizing reordered the statements")
            }
            if result.failure != nil { break }
        }
        result.runSeconds = Date().timeIntervalSince(runStart) - trainingCompile
        result.compileSeconds += trainingCompile
        result.params = program.params.map { ($0.name, values[$0.name]!) }
        let picture = files.picture(result, failed: failed, program: program, values: values, execution: options.execution,
                                    memoryInUse: held)
        if options.keepsPlot { result.plot = picture }
        result.diagnostics = files.finish(result, picture: picture, program: program)
        return result
    }
}

/// An integral a program's printed values computed: the call and its last evaluation.
public struct EvaluatedIntegral: Sendable {
    /// The `integral(...)` call (a derivative's integral has its forward integral's).
    public let range: SourceRange?
    public let report: IntegralReport
}
