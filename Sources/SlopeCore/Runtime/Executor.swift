/// Runs an `ExecutionPlan` over its arena. Leaves are written into the arena once (and again
/// whenever the trainer updates them in place); each `run()` executes every step with no
/// allocation, dictionary lookup or boxing.
public final class Executor {
    public let plan: ExecutionPlan
    /// Threads and plan display, as the driver passed them (one thread, nothing shown, by default).
    public let options: ExecutionOptions
    /// The plan's steps and partial steps as run: a matmul and the fused loop after it merged
    /// where the loop can run as the product's epilogue (`MatmulEpilogue`).
    let steps: [ExecutionPlan.Step]
    let partialSteps: [ExecutionPlan.Step]?
    let arena: UnsafeMutablePointer<Double>
    let scratch: UnsafeMutablePointer<Double>
    /// The second thread for large loops, or nil to run everything on the calling thread.
    let worker: WorkerThread?
    /// The evaluators of the plan's integrals, by slot.
    let integrals: [IntegralEvaluator]
    /// Each integral's failure in the last `run()`, by slot: its value, and what is computed
    /// from it, is NaN. Callers of `run()` report it as a diagnostic at the call.
    public private(set) var integralFailures: [IntegralFailure?]
    /// Each integral's last evaluation, by slot (nil until it has run, and after a failure).
    public private(set) var integralReports: [IntegralReport?]

    /// `integralBudget` is the evaluation budget of the enclosing integral, for the executor
    /// of an integrand's body; nil for every other executor.
    init(plan: ExecutionPlan, leafValues: [NodeID: Tensor], options: ExecutionOptions, integralBudget: IntegralEvaluator.Budget?) {
        self.plan = plan
        self.options = options
        options.showPlan?(plan.description)
        arena = UnsafeMutablePointer<Double>.allocate(capacity: plan.arenaSize)
        arena.initialize(repeating: 0, count: plan.arenaSize)
        steps = MatmulEpilogue.merging(plan.steps)
        partialSteps = plan.partialSteps.map(MatmulEpilogue.merging)
        let scratchSize = max(plan.scratchSize, MatmulEpilogue.scratchCount(steps),
                              partialSteps.map(MatmulEpilogue.scratchCount) ?? 0, 1)
        scratch = UnsafeMutablePointer<Double>.allocate(capacity: scratchSize)
        worker = options.worker
        var evaluators: [IntegralEvaluator] = []
        for step in plan.steps {
            guard case .integral(let slot) = step.kernel else { continue }
            evaluators.append(IntegralEvaluator(plan.integrals[slot], node: step.node, range: plan.graph[step.node].range,
                                                options: options, budget: integralBudget))
        }
        integrals = evaluators
        integralReports = [IntegralReport?](repeating: nil, count: plan.integrals.count)
        integralFailures = [IntegralFailure?](repeating: nil, count: plan.integrals.count)
        for (offset, values) in plan.constants {
            values.withUnsafeBufferPointer { arena.advanced(by: offset).update(from: $0.baseAddress!, count: values.count) }
        }
        for leaf in plan.leaves {
            if let value = leafValues[leaf] { setValue(leaf, value) }
        }
    }

    public convenience init(plan: ExecutionPlan, leafValues: [NodeID: Tensor], options: ExecutionOptions = ExecutionOptions()) {
        self.init(plan: plan, leafValues: leafValues, options: options, integralBudget: nil)
    }

    deinit {
        arena.deallocate()
        scratch.deallocate()
    }

    /// Plans `graph` for `outputs` and binds the leaves.
    public convenience init(graph: Graph, outputs: [NodeID], leafValues: [NodeID: Tensor], fuse: Bool = true,
                            options: ExecutionOptions = ExecutionOptions()) {
        self.init(plan: Planner.plan(graph, outputs: outputs, fuse: fuse), leafValues: leafValues, options: options)
    }

    /// Writes a leaf's value (its shape must be the node's shape).
    public func setValue(_ node: NodeID, _ value: Tensor) {
        guard let offset = plan.offsets[node.int] else { return }
        precondition(value.shape.count == plan.graph[node].shape.count, "internal error: leaf value of the wrong size")
        value.values.withUnsafeBufferPointer { arena.advanced(by: offset).update(from: $0.baseAddress!, count: value.values.count) }
    }

    /// The buffer holding a node's value; valid for outputs and leaves after `run()`.
    public func pointer(_ node: NodeID) -> UnsafeMutablePointer<Double>? {
        plan.offsets[node.int].map { arena + $0 }
    }

    /// The value of an output, leaf or constant after `run()`.
    public func value(_ node: NodeID) -> Tensor {
        let shape = plan.graph[node].shape
        guard let offset = plan.offsets[node.int] else { return Tensor(filling: shape, with: .nan) }
        return Tensor(shape: shape, values: Array(UnsafeBufferPointer(start: arena + offset, count: shape.count)))
    }

    public func run() {
        for step in steps { execute(step) }
    }

    /// Runs only the steps that compute the plan's `partialOutputs` (the plan must have them);
    /// every other output keeps whatever it held.
    public func runPartial() {
        guard let steps = partialSteps else { preconditionFailure("internal error: the plan has no partial steps") }
        for step in steps { execute(step) }
    }

    /// The first integral (in plan order) that failed in the last `run()`, or nil.
    public var integralFailure: IntegralFailure? { integralFailures.lazy.compactMap { $0 }.first }

    /// The first integral that failed in the last `run()` among those `roots` depend on.
    public func integralFailure(affecting roots: [NodeID]) -> IntegralFailure? {
        guard integralFailure != nil else { return nil }
        let needed = plan.graph.reachable(from: roots)
        return integralFailures.lazy.compactMap { $0 }.first { needed[$0.node.int] }
    }

    /// `run()`, then the diagnostic of the first integral that failed, if one did.
    public func runCheckingIntegrals() throws(Diagnostic) {
        run()
        if let failure = integralFailure { throw IntegralMessages.failure(failure) }
    }

    /// The integrals' last evaluations, in plan order.
    public var lastIntegrals: [IntegralReport] { integralReports.compactMap { $0 } }

    /// Runs an integral step: the quadrature over the body; NaN, and the failure recorded,
    /// when it fails.
    func integrate(_ step: ExecutionPlan.Step, slot: Int) {
        integralReports[slot] = nil
        integralFailures[slot] = nil
        do {
            integralReports[slot] = try integrals[slot].integrate(from: arena[step.inputs[0]], to: arena[step.inputs[1]],
                                                                  captures: step.inputs.dropFirst(2).map { arena + $0 },
                                                                  into: arena + step.output)
        } catch {
            integralFailures[slot] = error
        }
    }

    /// The first node that produced a NaN or infinity from finite inputs at the current leaf
    /// values: found on an unfused plan of the same graph, so every value is materialised.
    /// Nil too when that plan does not fit the memory budget beside `held` bytes.
    public func firstNonFinite(besides held: Int = 0) -> NodeID? {
        let unfused = Planner.plan(plan.graph, outputs: plan.outputs, fuse: false)
        guard MemoryBudget.admitsDiagnosis(unfused, of: plan, memory: options.memory, besides: held) else { return nil }
        var values: [NodeID: Tensor] = [:]
        for leaf in plan.leaves { values[leaf] = value(leaf) }
        let diagnosis = Executor(plan: unfused, leafValues: values, options: options)
        return diagnosis.runCheckingFinite()
    }

    /// Runs step by step and returns the first step whose output holds a NaN or infinity where
    /// none of its inputs did.
    func runCheckingFinite() -> NodeID? {
        for step in plan.steps {
            execute(step)
            if case .fused = step.kernel { continue }
            let output = UnsafeBufferPointer(start: arena + step.output, count: step.count)
            if output.contains(where: { !$0.isFinite }) {
                let inputsFinite = step.inputs.enumerated().allSatisfy { position, offset in
                    let operand = plan.graph[step.node].operands[position]
                    let count = plan.graph[operand].shape.count
                    return UnsafeBufferPointer(start: arena + offset, count: count).allSatisfy(\.isFinite)
                }
                if inputsFinite { return step.node }
            }
        }
        return nil
    }

    @inline(__always)
    func execute(_ step: ExecutionPlan.Step) {
        let y = arena + step.output
        let n = step.count
        switch step.kernel {
        case .fused(let program):
            program.run(arena: arena, scratch: scratch, worker: worker)
        case .integral(let slot):
            integrate(step, slot: slot)
        case .unary(let op):
            ElementwiseKernels.unary(op, arena + step.inputs[0], y, n)
        case .binary(let op):
            ElementwiseKernels.binary(op, arena + step.inputs[0], arena + step.inputs[1], y, n)
        case .binaryScalarLHS(let op):
            ElementwiseKernels.binary(op, scalar: arena[step.inputs[0]], arena + step.inputs[1], y, n)
        case .binaryScalarRHS(let op):
            ElementwiseKernels.binary(op, arena + step.inputs[0], scalar: arena[step.inputs[1]], y, n)
        case .binaryBroadcast(let op, let layout):
            ElementwiseKernels.binary(op, arena + step.inputs[0], arena + step.inputs[1], y, layout: layout)
        case .reduceAll(let op, let count):
            y[0] = ReductionKernels.reduce(op, arena + step.inputs[0], count)
        case .reduceAxis(let op, let outer, let length, let inner):
            ReductionKernels.reduceAxis(op, arena + step.inputs[0], y, outer: outer, n: length, inner: inner)
        case .cumsum(let outer, let length, let inner):
            ReductionKernels.cumsum(arena + step.inputs[0], y, outer: outer, n: length, inner: inner)
        case .broadcast(let layout):
            LayoutKernels.broadcast(arena + step.inputs[0], y, layout: layout)
        case .sumTo(let layout):
            ReductionKernels.sumTo(arena + step.inputs[0], y, outputCount: n, layout: layout)
        case .transpose(let dimensions):
            LayoutKernels.transpose(arena + step.inputs[0], y, dimensions: dimensions)
        case .matmul(let m, let k, let columns, let transposeA, let transposeB):
            MatmulKernels.multiply(arena + step.inputs[0], arena + step.inputs[1], y, m: m, k: k, n: columns,
                                   transposeA: transposeA, transposeB: transposeB, scratch: scratch, worker: worker)
        case .matmulThen(let m, let k, let columns, let transposeA, let transposeB, let program):
            let epilogue = MatmulKernels.Epilogue(program: program, arena: arena,
                                                  scratch: scratch + MatmulKernels.scratchCount(m: m, k: k, n: columns))
            MatmulKernels.multiply(arena + step.inputs[0], arena + step.inputs[1], y, m: m, k: k, n: columns,
                                   transposeA: transposeA, transposeB: transposeB, scratch: scratch, worker: worker,
                                   epilogue: epilogue)
        case .slice(let offset):
            y.update(from: arena + step.inputs[0] + offset, count: n)
        case .stack:
            let part = step.inputs.isEmpty ? 0 : n / step.inputs.count
            for (position, input) in step.inputs.enumerated() {
                (y + position * part).update(from: arena + input, count: part)
            }
        }
    }
}
