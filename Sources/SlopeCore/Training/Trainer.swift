import Foundation

/// The training loop: forward, backward and update, compiled once and run `steps` times.
public struct Trainer {
    let program: Program
    let spec: TrainingSpec
    let console: Console
    let quiet: Bool
    /// Keep a copy of the params after every good step, so a failure can still save them.
    let keepLastGood: Bool
    /// Keep the loss of every step in the outcome (for --log); the loss is computed on every
    /// step either way.
    let recordEveryStep: Bool
    /// Keep a bounded trace of the loss and the params for --plot (`TrainingTrace`).
    let tracePlot: Bool
    /// Threads, plan display and the memory budget for the step's executors.
    let execution: ExecutionOptions
    /// Bytes the command already holds (the program's data, the evaluator): the step's plans
    /// are admitted against the memory budget beside them.
    let memoryInUse: Int
    /// `--log`: receives the loss of every good step as it happens.
    let log: LossLog?

    public init(program: Program, spec: TrainingSpec, console: Console, quiet: Bool, keepLastGood: Bool,
                recordEveryStep: Bool = false, tracePlot: Bool = false, execution: ExecutionOptions = ExecutionOptions(),
                memoryInUse: Int = 0) {
        self.init(program: program, spec: spec, console: console, quiet: quiet, keepLastGood: keepLastGood,
                  recordEveryStep: recordEveryStep, tracePlot: tracePlot, execution: execution, memoryInUse: memoryInUse,
                  log: nil)
    }

    init(program: Program, spec: TrainingSpec, console: Console, quiet: Bool, keepLastGood: Bool,
         recordEveryStep: Bool, tracePlot: Bool, execution: ExecutionOptions, memoryInUse: Int, log: LossLog?) {
        self.program = program
        self.spec = spec
        self.console = console
        self.quiet = quiet
        self.keepLastGood = keepLastGood
        self.recordEveryStep = recordEveryStep
        self.tracePlot = tracePlot
        self.execution = execution
        self.memoryInUse = memoryInUse
        self.log = log
    }

    /// Trains from `values` (every leaf's current value, by name).
    ///
    /// Every step computes the loss in the step's own plan, so a NaN or infinity is caught at
    /// the step that made it whatever is shown: --quiet, --log and --plot never change the result.
    public func train(from values: [String: Tensor]) throws(TrainingFailure) -> TrainingOutcome {
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

        // The step: on the full data, or for sgd with real batches at batch shape. Its plans are
        // admitted against the memory budget, with the trainer's own buffers (the trained params,
        // the last good ones and the descent direction; sgd's batch order), before anything is
        // allocated.
        let compileStart = Date()
        var held = memoryInUse
        let buffers = MemoryBudget.bytes(count: 3 * params.reduce(0) { $0 + $1.value.shape.count })
        // Every leaf at its current value (the program's graph rebound; no shape changes).
        let start = graph.withLeafValues(values)
        let stepGraph: TrainingGraph
        var batches: MiniBatches?
        var batchedInputs: [(name: String, data: [Double], rowSize: Int)] = []
        if method.kind == .sgd, let batched = try makeBatched(values: values, live: live, params: params, extra: buffers, held: &held) {
            stepGraph = batched.graph
            batches = batched.batches
            batchedInputs = batched.inputs
        } else {
            do {
                stepGraph = try TrainingGraph(program: start, target: spec.target, params: params.map(\.name),
                                              newton: method.kind == .newton, separable: separable,
                                              certified: method.kind != .newton, execution: execution,
                                              extra: buffers, held: &held)
            } catch { throw failure(error, values, params) }
        }
        // The initial loss of sgd and every final loss are on the full data.
        let fullData: FullDataLoss
        do {
            fullData = try FullDataLoss(program: start, target: spec.target, params: params.map(\.name), execution: execution,
                                        held: &held)
        } catch { throw failure(error, values, params) }

        let compileSeconds = Date().timeIntervalSince(compileStart)
        let counts = params.map { $0.value.shape.count }
        // The first-order methods' update rule and its state; Newton's method solves for its step.
        var update = method.parameterUpdate(counts: counts)

        let executor = stepGraph.executor
        let paramPointers = stepGraph.params.map { executor.pointer($0)! }
        let gradientPointers = stepGraph.gradients.map { UnsafePointer(executor.pointer($0)!) }
        // A batched input the step does not read (its value optimized away) gets no rows.
        let batchTargets = batchedInputs.compactMap { input in
            stepGraph.graph.leaf(named: input.name).flatMap { executor.pointer($0.node) }.map { (input, $0) }
        }
        let tracked = params.count <= 2 && params.allSatisfy { $0.value.shape.isScalar } ? params.map(\.name) : []
        var trace = TrainingTrace()
        var losses: [(step: Int, loss: Double)] = []
        var reporter = ProgressReporter(console: console, quiet: quiet,
                                        label: "\(spec.direction.rawValue) \(spec.targetText) by \(method.kind.rawValue)",
                                        totalSteps: method.steps)
        // sgd on real batches: a step's loss is its batch's, and every report says so; the
        // initial loss, like every final one, is on the full data (needed by the log's first row).
        let initialOnFullData = batches != nil ? fullData.loss(at: values) : nil
        if batches != nil { reporter.stepLossName = "batch loss" }
        // The descent direction (−∇ when maximizing), in buffers allocated once.
        let direction = counts.map { UnsafeMutablePointer<Double>.allocate(capacity: max($0, 1)) }
        defer { direction.forEach { $0.deallocate() } }
        let directionPointers = direction.map { UnsafePointer($0) }
        var lastGood = values
        var firstLoss: Double?
        var lastFiniteLoss: Double?
        var steps = 0
        var converged = false
        // Steps whose loss nobody sees (not logged, traced or reported) compute only the gradient
        // when the certificate proves the loss finite (LossCertificate); the params at the start
        // of the last such step are kept, so a failure at the next step can still name the last
        // finite loss.
        let certificate = batches == nil && log == nil && !recordEveryStep && !tracePlot ? stepGraph.certificate : nil
        var certifiedStart = ParameterBuffers(counts: certificate == nil ? [] : counts)
        var candidateStart = ParameterBuffers(counts: certificate == nil ? [] : counts)
        var lastStepCertified = false
        /// The squared norm of the gradient.
        func gradientNorm() -> Double {
            var norm = 0.0
            for (index, gradient) in gradientPointers.enumerated() {
                for i in 0..<counts[index] { norm += gradient[i] * gradient[i] }
            }
            return norm
        }
        /// Whether every element of the gradient is finite: the squared norm may overflow where no
        /// element is infinite (an element of 1e155 is finite), so it decides only when it is finite.
        func gradientIsFinite(_ norm: Double) -> Bool {
            norm.isFinite || gradientPointers.enumerated().allSatisfy { index, gradient in
                UnsafeBufferPointer(start: gradient, count: counts[index]).allSatisfy(\.isFinite)
            }
        }

        while steps < method.steps {
            if var current = batches {
                let indices = current.next()
                batches = current
                for (input, pointer) in batchTargets {
                    MiniBatches.gather(indices, from: input.data, rowSize: input.rowSize, into: pointer)
                }
            }
            var loss: Double?
            var norm = 0.0
            if let certificate, steps > 0, !reporter.wantsReport(step: steps) {
                candidateStart.copy(from: paramPointers)
                executor.runPartial()
                norm = gradientNorm()
                if gradientIsFinite(norm) && executor.integralFailure == nil && certificate.certifies(executor) {
                    swap(&certifiedStart, &candidateStart)
                } else {
                    // Not proved: the step computes its loss after all (the gradient has the same bits).
                    executor.run()
                    loss = stepGraph.loss
                }
            } else {
                executor.run()
                loss = stepGraph.loss
            }
            if loss != nil { norm = gradientNorm() }
            if let failed = executor.integralFailure {
                throw failure(IntegralMessages.failure(failed).withNote(.init("in step \(steps) of this training", at: spec.range)),
                              lastGood, params)
            }
            if let loss {
                if firstLoss == nil { firstLoss = loss }
                if recordEveryStep || steps == 0 { losses.append((steps, loss)) }
                if tracePlot { trace.record(step: steps, loss: loss, point: tracked.isEmpty ? [] : paramPointers.map { $0[0] }) }
                if reporter.wantsReport(step: steps) { reporter.report(step: steps, loss: loss) }
            }
            // A certified step (no loss) has a finite gradient and a loss proved finite.
            if let loss, !(gradientIsFinite(norm) && loss.isFinite) {
                if lastStepCertified {
                    // The last finite loss was not computed: compute it at the previous step's params.
                    candidateStart.copy(from: paramPointers)
                    certifiedStart.write(to: paramPointers)
                    executor.run()
                    lastFiniteLoss = stepGraph.loss
                    candidateStart.write(to: paramPointers)
                    executor.run()
                }
                let origin = executor.firstNonFinite(besides: held - MemoryBudget.bytes(of: executor.plan))
                throw failure(TrainingMessages.nonFinite(step: steps, loss: loss, origin: origin, in: stepGraph.graph,
                                                         lastLoss: lastFiniteLoss, at: spec.range),
                              lastGood, params)
            }
            if let loss { lastFiniteLoss = loss }
            lastStepCertified = loss == nil
            if let tolerance = method.tolerance, norm.squareRoot() < tolerance {
                converged = true
                break
            }
            // A good step, about to be taken (the step that converged is logged as the final loss).
            if let loss {
                if batches != nil { log?.record(step: steps, loss: steps == 0 ? initialOnFullData : nil, batchLoss: loss) }
                else { log?.record(step: steps, loss: loss) }
            }
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

        // The final loss, on the full data, is at the trained params (computed last, so a
        // non-finite one is diagnosed there).
        let trained = snapshot(params, paramPointers, counts, into: [:])
        let final = fullData.loss(at: trained)
        if tracePlot { trace.finish(steps: steps, loss: final, point: tracked.map { trained[$0]!.values[0] }) }
        let initial = initialOnFullData ?? firstLoss ?? final
        losses.append((steps, final))
        reporter.finish(steps: steps, loss: final)
        if let failed = fullData.executor.integralFailure {
            throw failure(IntegralMessages.failure(failed).withNote(.init("at the end of this training", at: spec.range)),
                          lastGood, params)
        }
        guard final.isFinite else {
            let origin = fullData.executor.firstNonFinite(besides: held - MemoryBudget.bytes(of: fullData.executor.plan))
            throw failure(TrainingMessages.nonFinite(step: steps, loss: final, origin: origin, in: fullData.graph,
                                                     lastLoss: lastFiniteLoss, at: spec.range),
                          lastGood, params)
        }
        // Newton's method may end at a saddle or a maximum: say so (Newton+Curvature.swift).
        let warnings = method.kind == .newton
            ? Newton.endPointWarnings(stepGraph, executor: executor, counts: counts, separable: separable, spec: spec) : []
        var outcome = TrainingOutcome(spec: spec, steps: steps, initial: initial, final: final, losses: losses,
                                      parameterNames: tracked, trace: trace, trained: trained, converged: converged,
                                      compileSeconds: compileSeconds, warnings: warnings)
        outcome.lossesPerBatch = batches != nil
        return outcome
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
