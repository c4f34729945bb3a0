/// A graph compiled once for execution: a flat list of steps over one arena of float64s, each
/// value at an offset assigned by liveness (buffers are reused once their last reader has run).
/// Built once per graph and reused for every call; training runs the same plan thousands of
/// times without allocating.
public struct ExecutionPlan: Sendable {
    /// What one step computes, with everything the kernel needs precomputed.
    enum Kernel: Sendable {
        case unary(Op)
        case binary(Op)
        case binaryScalarLHS(Op)
        case binaryScalarRHS(Op)
        case binaryBroadcast(Op, BroadcastLayout)
        case sumAll(n: Int)
        case sumAxis(outer: Int, n: Int, inner: Int)
        /// A sum followed by a division by `divisor` (mean).
        case meanAll(n: Int)
        case meanAxis(outer: Int, n: Int, inner: Int, divisor: Double)
        case broadcast(BroadcastLayout)
        case sumTo(BroadcastLayout)
        case transpose([Int])
        case matmul(m: Int, k: Int, n: Int)
        case copy
        /// Copies `count` values starting at `offset` elements into the input.
        case slice(offset: Int)
        case stack
    }

    struct Step: Sendable {
        let kernel: Kernel
        let inputs: [Int]
        let output: Int
        let count: Int
        /// The node this step computes, so a NaN found at run time can name the user's line.
        let node: NodeID
    }

    let steps: [Step]
    /// Arena offset of every node's value (nil for nodes the plan does not hold).
    public let offsets: [Int?]
    let arenaSize: Int
    /// Constants copied into the arena when an executor is made.
    let constants: [(offset: Int, values: [Double])]
    /// Nodes whose values survive a run: the requested outputs, the leaves and the constants.
    public let kept: Set<NodeID>
    public let graph: Graph
    /// The leaves (params and inputs) the plan reads.
    public let leaves: [NodeID]

    public var stepCount: Int { steps.count }
}
