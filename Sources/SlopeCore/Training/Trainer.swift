import Foundation

/// What one `minimize`/`maximize` statement did.
public struct TrainingOutcome: Sendable {
    public let spec: TrainingSpec
    /// Parameter updates performed (fewer than asked when the tolerance was reached).
    public let steps: Int
    public let initial: Double
    public let final: Double
    /// The loss at the steps where it was computed (every step with `recordEveryStep`, else the
    /// first, the progress reports and the last), as (step, loss), ending with the final loss.
    public let losses: [(step: Int, loss: Double)]
    /// The scalar params when there are one or two, and their values along the way (for plots).
    public let parameterNames: [String]
    public let path: [[Double]]
    /// The trained values of the params this statement trained, by name.
    public let trained: [String: Tensor]
    public let converged: Bool
    /// Seconds spent differentiating and planning the step (the "compile" phase of `--time`).
    public let compileSeconds: Double
}

/// Training that had to stop: the diagnostic, and the params of the last good step.
public struct TrainingFailure: Error, Sendable {
    public let diagnostic: Diagnostic
    public let lastGood: [String: Tensor]
}

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

    public init(program: Program, spec: TrainingSpec, console: Console, quiet: Bool, keepLastGood: Bool,
                recordEveryStep: Bool = false, execution: ExecutionOptions = ExecutionOptions()) {
        self.execution = execution
        self.recordEveryStep = recordEveryStep
        self.program = program
        self.spec = spec
        self.console = console
        self.quiet = quiet
        self.keepLastGood = keepLastGood
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
            separable = dimension > 1 && TrainingGraph.isSeparable(graph, target: spec.target, params: params.map(\.node))
            guard dimension <= TrainingGraph.maximumNewtonParameters || separable else {
                throw failure(TrainingMessages.tooManyForNewton(dimension, limit: TrainingGraph.maximumNewtonParameters, at: method.range), values, params)
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
        var update: ParameterUpdate
        switch method.kind {
        case .gd, .sgd: update = GradientDescentUpdate(rate: method.rate)
        case .momentum: update = MomentumUpdate(rate: method.rate, beta: method.beta, counts: counts)
        case .adam: update = AdamUpdate(rate: method.rate, beta1: method.beta1, beta2: method.beta2, epsilon: method.epsilon, counts: counts)
        case .newton: update = GradientDescentUpdate(rate: 1)
        }

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
            if keepLastGood { lastGood = snapshot(params, paramPointers, counts, into: lastGood) }

            if method.kind == .newton && separable {
                if let point = separableNewtonStep(stepGraph, executor: executor, params: paramPointers, count: counts[0]) {
                    throw failure(TrainingMessages.singularHessian(step: steps, point: point, at: spec.range), lastGood, params)
                }
            } else if method.kind == .newton {
                guard let delta = newtonStep(stepGraph, executor: executor, counts: counts) else {
                    throw failure(TrainingMessages.singularHessian(step: steps, point: nil, at: spec.range), lastGood, params)
                }
                var offset = 0
                for (index, theta) in paramPointers.enumerated() {
                    for i in 0..<counts[index] { theta[i] -= delta[offset + i] }
                    offset += counts[index]
                }
            } else {
                for (index, gradient) in gradientPointers.enumerated() {
                    let target = direction[index]
                    for i in 0..<counts[index] { target[i] = sign * gradient[i] }
                }
                update.update(params: paramPointers, gradients: directionPointers, counts: counts, step: steps)
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
        return TrainingOutcome(spec: spec, steps: steps, initial: initial, final: final, losses: losses,
                               parameterNames: tracked, path: path, trained: trained, converged: converged,
                               compileSeconds: compileSeconds)
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

    /// Δ = H⁻¹ g from the gradient and Hessian the step just computed; nil when H is singular.
    func newtonStep(_ step: TrainingGraph, executor: Executor, counts: [Int]) -> [Double]? {
        var gradient: [Double] = []
        for (index, node) in step.gradients.enumerated() {
            gradient.append(contentsOf: UnsafeBufferPointer(start: executor.pointer(node)!, count: counts[index]))
        }
        var matrix: [[Double]] = []
        for row in step.hessian {
            var values: [Double] = []
            for (index, node) in row.enumerated() {
                values.append(contentsOf: UnsafeBufferPointer(start: executor.pointer(node)!, count: counts[index]))
            }
            matrix.append(values)
        }
        return DenseSolver.solve(matrix, gradient)
    }

    /// Newton's step on independent points: at every element i, solve the P × P system
    /// H_i Δ = g_i (P the number of params; H_i[p][q] = ∂g_p[i]/∂θ_q[i]) and update in place.
    /// For one param that is θ − g/h; for two, Cramer's rule. Returns the first element whose
    /// Hessian is singular, or nil when every element was updated.
    func separableNewtonStep(_ step: TrainingGraph, executor: Executor, params: [UnsafeMutablePointer<Double>], count: Int) -> Int? {
        let p = params.count
        let g = step.gradients.map { UnsafePointer(executor.pointer($0)!) }
        let h = step.blocks.map { row in row.map { UnsafePointer(executor.pointer($0)!) } }
        if p == 1 {
            for i in 0..<count where h[0][0][i] == 0 { return i }
            let theta = params[0], g0 = g[0], h00 = h[0][0]
            for i in 0..<count { theta[i] -= g0[i] / h00[i] }
            return nil
        }
        if p == 2 {
            let h00 = h[0][0], h01 = h[0][1], h10 = h[1][0], h11 = h[1][1]
            let g0 = g[0], g1 = g[1], x = params[0], y = params[1]
            for i in 0..<count {
                let determinant = h00[i] * h11[i] - h01[i] * h10[i]
                if determinant == 0 || !determinant.isFinite { return i }
                x[i] -= (h11[i] * g0[i] - h01[i] * g1[i]) / determinant
                y[i] -= (h00[i] * g1[i] - h10[i] * g0[i]) / determinant
            }
            return nil
        }
        var matrix = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        var rhs = [Double](repeating: 0, count: p)
        var deltas = [[Double]](repeating: [], count: count)
        for i in 0..<count {
            for row in 0..<p {
                rhs[row] = g[row][i]
                for column in 0..<p { matrix[row][column] = h[row][column][i] }
            }
            guard let delta = DenseSolver.solve(matrix, rhs) else { return i }
            deltas[i] = delta
        }
        for i in 0..<count { for q in 0..<p { params[q][i] -= deltas[i][q] } }
        return nil
    }

    /// For sgd with a batch smaller than the data: the step at batch shape, the program's graph
    /// with the batched inputs rebound to batch-shaped values and its shapes inferred again.
    func makeBatched(values: [String: Tensor], live: [Bool], params: [Leaf])
        throws(TrainingFailure) -> (graph: TrainingGraph, batches: MiniBatches, inputs: [(name: String, data: [Double], rowSize: Int)])? {
        let inputs = program.leaves.filter { $0.kind == .input && live[$0.node.int] && $0.value.shape.rank >= 1 }
        let rows = inputs.map { $0.value.shape[0] }.max() ?? 0
        let batchSize = spec.method.batch ?? 32
        guard rows > 0, batchSize < rows else { return nil }
        let batched = inputs.filter { $0.value.shape[0] == rows }
        var stepValues = values
        for leaf in batched {
            let value = values[leaf.name] ?? leaf.value
            stepValues[leaf.name] = Tensor(filling: Shape([batchSize] + Array(value.shape.dimensions.dropFirst())), with: 0)
        }
        let graph: Graph
        do { graph = try program.graph.rebinding(stepValues) } catch {
            throw failure(TrainingMessages.cannotBatch(error, in: program.graph, at: spec.method.range), values, params)
        }
        let step = TrainingGraph(program: graph, target: spec.target, params: params.map(\.name), newton: false,
                                 execution: execution)
        let batchInputs = batched.map { leaf -> (name: String, data: [Double], rowSize: Int) in
            (leaf.name, (values[leaf.name] ?? leaf.value).values, leaf.value.shape.count / rows)
        }
        return (step, MiniBatches(rows: rows, batch: batchSize, seed: program.seed), batchInputs)
    }
}
