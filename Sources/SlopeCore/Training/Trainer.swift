import Foundation

/// The training loop: forward, backward and update, compiled once and run `steps` times.
public struct Trainer {
    let program: Program
    let spec: TrainingSpec
    let console: Console
    let quiet: Bool
    /// Keep a copy of the params after every good step, so a failure can still save them.
    let keepLastGood: Bool
    /// Compute the loss at every step (for --log and --plot), not only when it is shown.
    let recordEveryStep: Bool
    /// Threads and plan display for the step's executors.
    let execution: ExecutionOptions
    /// `--log`: receives the loss of every good step as it happens (needs `recordEveryStep`).
    let log: LossLog?

    public init(program: Program, spec: TrainingSpec, console: Console, quiet: Bool, keepLastGood: Bool,
                recordEveryStep: Bool = false, execution: ExecutionOptions = ExecutionOptions()) {
        self.init(program: program, spec: spec, console: console, quiet: quiet, keepLastGood: keepLastGood,
                  recordEveryStep: recordEveryStep, execution: execution, log: nil)
    }

    init(program: Program, spec: TrainingSpec, console: Console, quiet: Bool, keepLastGood: Bool,
         recordEveryStep: Bool, execution: ExecutionOptions, log: LossLog?) {
        self.program = program
        self.spec = spec
        self.console = console
        self.quiet = quiet
        self.keepLastGood = keepLastGood
        self.recordEveryStep = recordEveryStep
        self.execution = execution
        self.log = log
    }

    /// Trains from `values` (every leaf's current value, by name).
    public func train(from values: [String: Tensor]) throws(TrainingFailure) -> TrainingOutcome {
        do {
            return try run(from: values)
        } catch {
            guard error.diagnostic.id == "train.non-finite", !recordEveryStep else { throw error }
            // The loss is computed only on the steps someone looks at, so a non-finite loss is
            // seen late: at the next progress line, or only in the final loss when the gradient
            // stays finite (log(x) at x < 0 has the gradient 1/x). Training is deterministic, so
            // run it again, quietly, with the loss at every step: the error then names the first
            // bad step, and the params kept for --save are those of a step whose loss was finite.
            let again = Trainer(program: program, spec: spec, console: console, quiet: true, keepLastGood: keepLastGood,
                                recordEveryStep: true, execution: execution)
            do { _ = try again.run(from: values) } catch { throw error }
            throw error
        }
    }

    /// One training run; a non-finite value is caught only on steps whose loss was computed.
    func run(from values: [String: Tensor]) throws(TrainingFailure) -> TrainingOutcome {
        let graph = program.graph
        let live = graph.reachable(from: [spec.target])
        let params = program.params.filter { live[$0.node.int] }
        let method = spec.method
        let sign: Double = spec.direction == .maximize ? -1 : 1

        var separable = false
        if method.kind == .newton {
            let dimension = params.reduce(0) { $0 + $1.value.shape.count }
            separable = dimension > 1 && Newton.isSeparable(graph, target: spec.target, params: params.map(\.node))
            guard dimension <= Newton.maximumParameters || separable else {
                throw failure(TrainingMessages.tooManyForNewton(dimension, limit: Newton.maximumParameters, at: method.range), values, params)
            }
        }

        // The full-data step, and for sgd with real batches a second, batch-shaped step.
        let compileStart = Date()
        // Every leaf at its current value (the program's graph rebound; no shape changes).
        let full = TrainingGraph(program: graph.withLeafValues(values), target: spec.target, params: params.map(\.name),
                                 newton: method.kind == .newton, separable: separable, execution: execution)
        var stepGraph = full
        var batches: MiniBatches?
        var batchedInputs: [(name: String, data: [Double], rowSize: Int)] = []
        if method.kind == .sgd, let batched = try makeBatched(values: values, live: live, params: params) {
            stepGraph = batched.graph
            batches = batched.batches
            batchedInputs = batched.inputs
        }

        let compileSeconds = Date().timeIntervalSince(compileStart)
        let counts = params.map { $0.value.shape.count }
        // The first-order methods' update rule and its state; Newton's method solves for its step.
        var update = method.parameterUpdate(counts: counts)

        let executor = stepGraph.executor
        let paramPointers = stepGraph.params.map { executor.pointer($0)! }
        let gradientPointers = stepGraph.gradients.map { UnsafePointer(executor.pointer($0)!) }
        let stepLeaves = stepGraph.executor.plan.leaves
        let batchPointers = batchedInputs.map { executor.pointer(stepGraph.graph.leaf(named: $0.name)!.node)! }
        let tracked = params.count <= 2 && params.allSatisfy { $0.value.shape.isScalar } ? params.map(\.name) : []
        var path: [[Double]] = []
        var losses: [(step: Int, loss: Double)] = []
        var reporter = ProgressReporter(console: console, quiet: quiet,
                                        label: "\(spec.direction.rawValue) \(spec.targetText) by \(method.kind.rawValue)",
                                        totalSteps: method.steps)
        // The descent direction (−∇ when maximizing), in buffers allocated once.
        let direction = counts.map { UnsafeMutablePointer<Double>.allocate(capacity: max($0, 1)) }
        defer { direction.forEach { $0.deallocate() } }
        let directionPointers = direction.map { UnsafePointer($0) }
        var lastGood = values
        var steps = 0
        var converged = false

        while steps < method.steps {
            if var current = batches {
                let indices = current.next()
                batches = current
                for (input, pointer) in zip(batchedInputs, batchPointers) {
                    MiniBatches.gather(indices, from: input.data, rowSize: input.rowSize, into: pointer)
                }
            }
            executor.run()
            if !tracked.isEmpty { path.append(paramPointers.map { $0[0] }) }
            var norm = 0.0
            for (index, gradient) in gradientPointers.enumerated() {
                for i in 0..<counts[index] { norm += gradient[i] * gradient[i] }
            }
            // The loss is computed only when someone looks at it; the step needs the gradient alone.
            var loss = Double.nan
            if steps == 0 || recordEveryStep || reporter.wantsReport(step: steps) || !norm.isFinite {
                loss = stepGraph.loss(leaves: stepLeaves)
                losses.append((steps, loss))
                reporter.report(step: steps, loss: loss)
            }
            let lossComputed = losses.last?.step == steps
            guard norm.isFinite && (!lossComputed || loss.isFinite) else {
                // The first node in the step's order: the loss plan's origin (a forward node) comes
                // before the gradients that read it, though the gradient plan may not compute it.
                let origin = [executor.firstNonFinite(), stepGraph.lossExecutor.firstNonFinite()]
                    .compactMap { $0 }.min { $0.int < $1.int }
                throw failure(TrainingMessages.nonFinite(step: steps, loss: loss, origin: origin, in: stepGraph.graph,
                                                         lastLoss: losses.last(where: { $0.loss.isFinite })?.loss, at: spec.range),
                              lastGood, params)
            }
            if let tolerance = method.tolerance, norm.squareRoot() < tolerance {
                converged = true
                break
            }
            // A good step, about to be taken (the step that converged is logged as the final loss).
            if lossComputed { log?.record(step: steps, loss: loss) }
            if keepLastGood { lastGood = snapshot(params, paramPointers, counts, into: lastGood) }

            if update != nil {
                for (index, gradient) in gradientPointers.enumerated() {
                    let target = direction[index]
                    for i in 0..<counts[index] { target[i] = sign * gradient[i] }
                }
                update?.update(params: paramPointers, gradients: directionPointers, counts: counts, step: steps)
            } else {
                switch separable ? Newton.separableStep(stepGraph, executor: executor, params: paramPointers, count: counts[0])
                                 : Newton.step(stepGraph, executor: executor, params: paramPointers, counts: counts) {
                case .moved: break
                case .converged: converged = true
                case .singular(let point):
                    throw failure(TrainingMessages.singularHessian(step: steps, point: point, at: spec.range), lastGood, params)
                }
                if converged { break }
            }
            steps += 1
        }

        // The final loss, on the full data, at the trained params.
        let trained = snapshot(params, paramPointers, counts, into: [:])
        let finalExecutor = full.lossExecutor
        for (param, node) in zip(params, full.params) { finalExecutor.setValue(node, trained[param.name]!) }
        finalExecutor.run()
        let final = finalExecutor.pointer(full.target)![0]
        if !tracked.isEmpty { path.append(tracked.map { trained[$0]!.values[0] }) }
        var initial = losses.first?.loss ?? final
        if batches != nil {
            // sgd: report the initial loss on the full data too.
            for (param, node) in zip(params, full.params) { finalExecutor.setValue(node, values[param.name] ?? param.value) }
            finalExecutor.run()
            initial = finalExecutor.pointer(full.target)![0]
            for (param, node) in zip(params, full.params) { finalExecutor.setValue(node, trained[param.name]!) }
        }
        losses.append((steps, final))
        reporter.finish(steps: steps, loss: final)
        guard final.isFinite else {
            let origin = finalExecutor.firstNonFinite()
            throw failure(TrainingMessages.nonFinite(step: steps, loss: final, origin: origin, in: full.graph,
                                                     lastLoss: losses.dropLast().last(where: { $0.loss.isFinite })?.loss, at: spec.range),
                          lastGood, params)
        }
        // Newton's method may end at a saddle or a maximum: say so (Newton+Curvature.swift).
        let warnings = method.kind == .newton
            ? Newton.endPointWarnings(stepGraph, executor: executor, counts: counts, separable: separable, spec: spec) : []
        return TrainingOutcome(spec: spec, steps: steps, initial: initial, final: final, losses: losses,
                               parameterNames: tracked, path: path, trained: trained, converged: converged,
                               compileSeconds: compileSeconds, warnings: warnings)
    }

    func snapshot(_ params: [Leaf], _ pointers: [UnsafeMutablePointer<Double>], _ counts: [Int],
                  into values: [String: Tensor]) -> [String: Tensor] {
        var result = values
        for (index, param) in params.enumerated() {
            result[param.name] = Tensor(shape: param.value.shape,
                                        values: Array(UnsafeBufferPointer(start: pointers[index], count: counts[index])))
        }
        return result
    }

    func failure(_ diagnostic: Diagnostic, _ values: [String: Tensor], _ params: [Leaf]) -> TrainingFailure {
        TrainingFailure(diagnostic: diagnostic, lastGood: values)
    }
}
