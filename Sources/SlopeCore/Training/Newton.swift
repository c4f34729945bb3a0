/// Newton's method (`newton(steps)`): θ ← θ − H⁻¹ g with the Hessian the training step
/// computes by differentiating the gradient graph again (TrainingGraph.swift). The step is
/// solved for, not a rule applied to the gradient, so it is not a `ParameterUpdate`.
///
/// On independent points (a sum over points with elementwise params) the Hessian is
/// block-diagonal: each element's small system is solved on its own, so Newton's method can run
/// from a hundred thousand starting points at once.
enum Newton {
    /// Beyond this many scalar params the full Hessian is refused (unless it is block-diagonal).
    static let maximumParameters = 64

    /// Δ = H⁻¹ g from the gradient and Hessian the step just computed, subtracted from the
    /// params in place; false (nothing changed) when H is singular.
    static func step(_ step: TrainingGraph, executor: Executor, params: [UnsafeMutablePointer<Double>], counts: [Int]) -> Bool {
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
        guard let delta = DenseSolver.solve(matrix, gradient) else { return false }
        var offset = 0
        for (index, theta) in params.enumerated() {
            for i in 0..<counts[index] { theta[i] -= delta[offset + i] }
            offset += counts[index]
        }
        return true
    }

    /// Newton's step on independent points: at every element i, solve the P × P system
    /// H_i Δ = g_i (P the number of params; H_i[p][q] = ∂g_p[i]/∂θ_q[i]) and update in place.
    /// For one param that is θ − g/h; for two, Cramer's rule. Returns the first element whose
    /// Hessian is singular, or nil when every element was updated.
    static func separableStep(_ step: TrainingGraph, executor: Executor, params: [UnsafeMutablePointer<Double>], count: Int) -> Int? {
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

    /// Whether the Hessian of `target` is block-diagonal over elements: every param has the same
    /// shape, and every node between the params and the gradients that depends on a param is
    /// elementwise with that shape (so element i of each gradient depends only on element i of
    /// each param). True for a sum over independent points, as in Newton's method run from a
    /// grid of starting points at once.
    static func isSeparable(_ graph: Graph, target: NodeID, params: [NodeID]) -> Bool {
        guard let shape = params.first.map({ graph[$0].shape }), shape.count > 1,
              params.allSatisfy({ graph[$0].shape == shape }) else { return false }
        var extended = graph
        let gradients = extended.appendGradients(of: target, wrt: params, asOutputs: false)
        var dependent = [Bool](repeating: false, count: extended.count)
        for param in params { dependent[param.int] = true }
        let needed = extended.reachable(from: gradients)
        for (index, node) in extended.nodes.enumerated() where !node.op.isLeaf {
            guard node.operands.contains(where: { dependent[$0.int] }) else { continue }
            dependent[index] = true
            if needed[index] && !(node.op.isElementwise && node.shape == shape) { return false }
        }
        return true
    }
}
