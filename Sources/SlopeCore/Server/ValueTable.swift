/// The values hover shows: every global name of a program without errors, evaluated once per
/// version of the document at the program's initial values. Nothing trains (a `minimize` is
/// seconds to minutes of work; hover says the values are the initial ones).
///
/// The evaluation must be quick enough to run while the user types, and the executor cannot be
/// interrupted, so it runs only when an estimate of its work is small: elements computed by
/// every node the names depend on, `m·k·n` for a matrix product, and for an integral the most
/// evaluations of its body the quadrature may make (`IntegralEvaluator.maximumIntervals` × 15
/// points). Over `maximumWork`, or over `memory`, hover shows shapes without values.
public struct ValueTable: Sendable {
    /// Elementary operations an evaluation may cost: a few tenths of a second in a debug build.
    public static let maximumWork = 20_000_000
    /// Memory an evaluation may take: the plan's arena and the copies of the values.
    public static let memory = MemoryBudget(limit: 256 << 20, origin: .environment("the language server's 256M"))

    public enum Contents: Sendable {
        /// The value of each global name.
        case values([String: Tensor])
        /// Why there are none, as hover says it: "the program has errors".
        case skipped(String)
    }

    public let contents: Contents
    /// The names whose values training would change (when the program trains: the params its
    /// targets depend on and the values computed from them); hover says their values are
    /// those before training.
    public let trained: Set<String>

    public func value(of name: String) -> Tensor? {
        guard case .values(let values) = contents else { return nil }
        return values[name]
    }

    public init(_ program: Program?) {
        guard let program else {
            contents = .skipped("the program has errors")
            trained = []
            return
        }
        trained = Self.trained(program)
        contents = Self.evaluate(program)
    }

    /// The names that depend on a param some training statement's target depends on.
    static func trained(_ program: Program) -> Set<String> {
        let graph = program.graph
        var params: Set<NodeID> = []
        for case .train(let spec) in program.actions {
            for leaf in graph.leaves(reachableFrom: [spec.target]) where graph[leaf].op.leaf?.kind == .param {
                params.insert(leaf)
            }
        }
        guard !params.isEmpty else { return [] }
        var depends = [Bool](repeating: false, count: graph.count)
        for (index, node) in graph.nodes.enumerated() {
            depends[index] = params.contains(NodeID(index)) || node.operands.contains { depends[$0.int] }
        }
        return Set(program.names.filter { depends[$0.value.int] }.keys)
    }

    static func evaluate(_ program: Program) -> Contents {
        let graph = program.graph
        let names = program.names.sorted { $0.key < $1.key }
        guard !names.isEmpty else { return .values([:]) }
        let outputs = Array(Set(names.map(\.value))).sorted { $0.index < $1.index }
        let work = Self.work(of: graph, reachable: graph.reachable(from: outputs))
        guard work <= maximumWork else {
            return .skipped("evaluating the program would take about \(work) operations, more than hover spends")
        }
        let plan = Planner.plan(graph, outputs: outputs)
        var held = MemoryBudget.bytes(ofLeaves: graph)
        let copies = MemoryBudget.bytes(count: outputs.reduce(0) { $0 + graph[$1].shape.count })
        do {
            try memory.admit(plan, extra: copies, held: &held)
        } catch {
            return .skipped("evaluating the program would take more memory than hover spends")
        }
        let executor = Executor(plan: plan, leafValues: graph.leafValues, options: ExecutionOptions(memory: memory))
        do {
            try executor.runCheckingIntegrals()
        } catch {
            return .skipped(error.message)
        }
        var values: [String: Tensor] = [:]
        for (name, node) in names { values[name] = executor.value(node) }
        return .values(values)
    }

    /// The estimated operations of evaluating the `reachable` nodes of `graph`: each node's
    /// largest operand or result (a reduction reads more than it writes).
    static func work(of graph: Graph, reachable: [Bool]) -> Int {
        var total = 0
        for (index, node) in graph.nodes.enumerated() where reachable[index] {
            let elements = node.operands.reduce(max(1, node.shape.count)) { max($0, graph[$1].shape.count) }
            let cost: Int
            switch node.op {
            case .matmul:
                // [m, k] @ [k, n]: k multiply-adds per result element, k the left operand's last axis.
                cost = product(max(1, node.shape.count), graph[node.operands[0]].shape.dimensions.last ?? 1)
            case .integral(let integrand):
                let body = work(of: integrand.body, reachable: [Bool](repeating: true, count: integrand.body.count))
                cost = product(body, IntegralEvaluator.maximumIntervals * 15)
            case .constant, .leaf, .unary, .binary, .reduce, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum:
                cost = elements
            }
            total = min(Int.max / 4, total + cost)
        }
        return total
    }

    /// a·b, or a quarter of `Int.max` when that overflows.
    static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max / 4 : min(value, Int.max / 4)
    }
}
