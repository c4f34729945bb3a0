/// How an `integral` step runs, planned once with the rest of its graph: the integrand's body
/// compiled to a plan for one point, and — when the body is elementwise in its variable — a
/// second plan that evaluates a whole batch of points in one run.
///
/// Batching: when the integrand is a scalar and every value in the body that depends on the
/// variable is a scalar computed by an elementwise op, binding the variable to a vector of n
/// points makes each of those values a vector of n and leaves the rest (the captures and what
/// is computed from them) as they are, so one run computes g at n points. The quadrature asks
/// for 15 points per interval being refined; they are run `batchSize` at a time, the last batch
/// padded with copies of its last point. Otherwise (a tensor integrand, a reduction, a matrix
/// product or a nested integral over the variable) the point plan runs once per point.
final class IntegralProgram: Sendable {
    /// Points per run of the batched plan: 8 intervals' worth. A run of a small body costs
    /// about as much as a few dozen elementwise operations on a scalar, so a batch of 120 runs
    /// each point about thirty times faster than the point plan does.
    static let batchSize = 120

    let integrand: Integrand
    /// The body's plan for one point, its result as the only output.
    let point: ExecutionPlan
    /// The body's plan for `batchSize` points at once, when the body allows it.
    let batch: ExecutionPlan?
    /// Values per point: the integrand's element count.
    var components: Int { integrand.shape.count }

    /// `batching: false` plans the point plan only (tests compare the two).
    init(_ integrand: Integrand, batching: Bool = true) {
        self.integrand = integrand
        let body = integrand.body
        point = Planner.plan(body, outputs: [integrand.result])
        batch = batching ? IntegralProgram.batchedBody(of: integrand).map { Planner.plan($0, outputs: [integrand.result]) } : nil
    }

    /// The body with the variable bound to a vector of `batchSize` points, or nil when some
    /// value that depends on the variable is not a scalar computed elementwise (see above).
    static func batchedBody(of integrand: Integrand) -> Graph? {
        let body = integrand.body
        guard integrand.shape.isScalar, let variable = integrand.variableNode else { return nil }
        var dependent = [Bool](repeating: false, count: body.count)
        dependent[variable.int] = true
        for (index, node) in body.nodes.enumerated() where index != variable.int {
            guard node.operands.contains(where: { dependent[$0.int] }) else { continue }
            guard node.op.isElementwise, node.shape.isScalar else { return nil }
            dependent[index] = true
        }
        // A body that does not read its variable is a constant function: one point is enough.
        guard dependent[integrand.result.int] else { return nil }
        return try? body.inferringShapes([variable.int: Shape([batchSize])], broadcasting: true)
    }

    /// Bytes the executors of the body's plans allocate, nested integrals' included.
    var bytes: Int {
        [point, batch].compactMap { $0 }.reduce(0) { $0 + MemoryBudget.bytes(of: $1) }
    }
}
