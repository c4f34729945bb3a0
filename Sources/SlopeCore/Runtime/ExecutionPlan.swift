/// A graph compiled once for execution: a flat list of steps over one arena of float64s, each
/// value at an offset assigned by liveness (buffers are reused once their last reader has run).
/// Built once per graph and reused for every call; training runs the same plan thousands of
/// times, and a run allocates nothing (values live in the arena, a step's working space in the
/// scratch buffer).
public struct ExecutionPlan: @unchecked Sendable {
    /// What one step computes, with everything the kernel needs precomputed.
    enum Kernel {
        case unary(UnaryOp)
        case binary(BinaryOp)
        case binaryScalarLHS(BinaryOp)
        case binaryScalarRHS(BinaryOp)
        case binaryBroadcast(BinaryOp, BroadcastLayout)
        /// Over all n elements of the operand.
        case reduceAll(ReduceOp, n: Int)
        /// The operand viewed as [outer, n, inner], reduced over the middle axis.
        case reduceAxis(ReduceOp, outer: Int, n: Int, inner: Int)
        /// The operand viewed as [outer, n, inner], running sums along the middle axis.
        case cumsum(outer: Int, n: Int, inner: Int)
        case broadcast(BroadcastLayout)
        case sumTo(BroadcastLayout)
        case transpose([Int])
        /// C[m, n] = op(A) @ op(B), where op transposes when the flag is set (a transpose
        /// folded into the product, so it is never materialised).
        case matmul(m: Int, k: Int, n: Int, transposeA: Bool, transposeB: Bool)
        /// A matmul and the fused loop after it, run over each block of rows as it is finished
        /// (`MatmulEpilogue`; made by the executor, never part of a plan's steps).
        case matmulThen(m: Int, k: Int, n: Int, transposeA: Bool, transposeB: Bool, epilogue: FusedProgram)
        /// Copies `count` values starting at `offset` elements into the input.
        case slice(offset: Int)
        case stack
        case fused(FusedProgram)
        /// ∫ₐᵇ g: `integrals[slot]` of the plan. Inputs: a, b, then the captures.
        case integral(slot: Int)
    }

    struct Step {
        let kernel: Kernel
        let inputs: StepInputs
        let output: Int
        let count: Int
        /// The node this step computes (for a fused group, its last member), so a NaN found at
        /// run time can name the user's line.
        let node: NodeID
    }

    let steps: [Step]
    /// Arena offset of every node's value (nil for nodes the plan does not hold).
    public let offsets: [Int?]
    let arenaSize: Int
    /// Constants copied into the arena when an executor is made.
    let constants: [(offset: Int, values: [Double])]
    public let graph: Graph
    public let outputs: [NodeID]
    /// The leaves (params and inputs) the plan reads.
    public let leaves: [NodeID]
    /// Scratch doubles the steps need, for two threads: a fused group's registers, tiles and
    /// partial sums, or a matrix product's packed panels (the largest of any step; steps run
    /// one at a time and share it).
    let scratchSize: Int
    /// Whether elementwise chains were fused (a plan for diagnosis runs them one by one).
    public let fused: Bool
    /// The integrals' programs, by slot (`Kernel.integral`).
    let integrals: [IntegralProgram]
    /// Some of the outputs, and the steps that compute only those (`Executor.runPartial`), when
    /// the plan was made with them (`Planner.plan(_:outputs:fuse:partialOutputs:)`).
    public let partialOutputs: [NodeID]?
    let partialSteps: [Step]?

    public var stepCount: Int { steps.count }
}

extension ExecutionPlan {
    /// One line per step — the kernel, its size, and for fused groups their instructions —
    /// for looking at what the planner did (`SLOPE_SHOW_PLAN=1` prints it to stderr).
    public var description: String {
        let names = NameTable(graph)
        var lines = ["plan: \(steps.count) steps, arena \(arenaSize) doubles, scratch \(scratchSize)"]
        for step in steps {
            switch step.kernel {
            case .fused(let program):
                lines.append("  fused \(program.count) elements, chunk \(program.chunk), \(program.registerCount) registers, "
                             + "\(program.instructions.count) ops [\(program.instructions.map { $0.operation.name }.joined(separator: " "))], "
                             + "\(program.reductions.count) reductions, \(program.tiles.count) tiles\(program.spreads.isEmpty ? "" : ", \(program.spreads.count) spreads") -> \(names[step.node])")
            case .integral(let slot):
                let program = integrals[slot]
                lines.append("  integral of \(program.integrand.name) (\(program.batch == nil ? "point by point" : "\(IntegralProgram.batchSize) points a run"), "
                             + "body of \(program.point.stepCount) steps) \(step.count) -> \(names[step.node])")
            default:
                lines.append("  \(step.kernel) \(step.count) -> \(names[step.node])")
            }
        }
        if let partialSteps {
            lines.append("  partial: \(partialSteps.count) steps for \(partialOutputs!.count) outputs")
            for step in partialSteps {
                guard case .fused(let program) = step.kernel else { continue }
                lines.append("    fused \(program.count) elements, \(program.instructions.count) ops "
                             + "[\(program.instructions.map { $0.operation.name }.joined(separator: " "))], "
                             + "reductions [\(program.reductions.map(\.name).joined(separator: " "))] -> \(names[step.node])")
            }
        }
        return lines.joined(separator: "\n")
    }
}
