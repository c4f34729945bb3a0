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

    /// What one Newton step did.
    enum Outcome: Equatable {
        /// The params moved by Δ = H⁻¹ g.
        case moved
        /// The gradient is already (numerically) zero: a critical point, where Newton stops.
        case converged
        /// H is singular at a point whose gradient is not zero (`element` on independent points).
        case singular(element: Int?)
    }

    /// Whether a gradient counts as zero at a point: exactly zero, or, when H is singular,
    /// no larger than √ε · max|H| · max(1, max|θ|). The second rule is for degenerate minima
    /// such as Σw⁴ + (Σw)² at w = 0, where H tends to the singular 2·11ᵀ: Newton converges
    /// there only linearly, and H becomes singular to working precision while g is still
    /// around 1e-19. A step of g / max|H| would then move θ by under √ε of its size — no step
    /// the method could take would change the params at that precision — so the point is a
    /// critical point to working accuracy, not a failure. A singular H with a gradient any
    /// larger (a linear function, x³ + x at 0) is still an error.
    static func isZero(_ gradient: [Double], singular: Bool, hessianScale: Double, paramScale: Double) -> Bool {
        let largest = gradient.map { Swift.abs($0) }.max() ?? 0
        if largest == 0 { return true }
        return singular && largest <= Double.ulpOfOne.squareRoot() * hessianScale * Swift.max(1, paramScale)
    }

    /// Δ = H⁻¹ g from the gradient and Hessian the step just computed, subtracted from the
    /// params in place. Nothing changes when the gradient is zero (converged) or H is singular.
    static func step(_ step: TrainingGraph, executor: Executor, params: [UnsafeMutablePointer<Double>], counts: [Int]) -> Outcome {
        var gradient: [Double] = []
        var paramScale = 0.0
        for (index, node) in step.gradients.enumerated() {
            gradient.append(contentsOf: UnsafeBufferPointer(start: executor.pointer(node)!, count: counts[index]))
            for i in 0..<counts[index] { paramScale = Swift.max(paramScale, Swift.abs(params[index][i])) }
        }
        if isZero(gradient, singular: false, hessianScale: 0, paramScale: 0) { return .converged }
        var matrix: [[Double]] = []
        for row in step.hessian {
            var values: [Double] = []
            for (index, node) in row.enumerated() {
                values.append(contentsOf: UnsafeBufferPointer(start: executor.pointer(node)!, count: counts[index]))
            }
            matrix.append(values)
        }
        guard let delta = DenseSolver.solve(matrix, gradient) else {
            let scale = DenseSolver.scale(of: matrix)
            return isZero(gradient, singular: true, hessianScale: scale.isFinite ? scale : 0, paramScale: paramScale)
                ? .converged : .singular(element: nil)
        }
        var offset = 0
        for (index, theta) in params.enumerated() {
            for i in 0..<counts[index] { theta[i] -= delta[offset + i] }
            offset += counts[index]
        }
        return .moved
    }

    /// Newton's step on independent points: at every element i, solve the P × P system
    /// H_i Δ = g_i (P the number of params; H_i[p][q] = ∂g_p[i]/∂θ_q[i]) and update in place.
    /// For one param that is θ − g/h; for two, Cramer's rule. An element whose gradient is zero
    /// (`isZero`, with its own block) has converged and stays; the step fails at the first
    /// other element whose block is singular, and has converged when every element has.
    static func separableStep(_ step: TrainingGraph, executor: Executor, params: [UnsafeMutablePointer<Double>], count: Int) -> Outcome {
        let p = params.count
        let g = step.gradients.map { UnsafePointer(executor.pointer($0)!) }
        let h = step.blocks.map { row in row.map { UnsafePointer(executor.pointer($0)!) } }
        var matrix = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        var rhs = [Double](repeating: 0, count: p)
        // Δ for every element, flat (element i at i·p), written only where it moves.
        var deltas = [Double](repeating: 0, count: count * p)
        var moved = false
        for i in 0..<count {
            var paramScale = 0.0
            for row in 0..<p {
                rhs[row] = g[row][i]
                paramScale = Swift.max(paramScale, Swift.abs(params[row][i]))
                for column in 0..<p { matrix[row][column] = h[row][column][i] }
            }
            if isZero(rhs, singular: false, hessianScale: 0, paramScale: 0) { continue }
            var solved = false
            switch p {
            case 1:
                if matrix[0][0] != 0 {
                    deltas[i] = rhs[0] / matrix[0][0]
                    solved = true
                }
            case 2:
                let determinant = matrix[0][0] * matrix[1][1] - matrix[0][1] * matrix[1][0]
                if determinant != 0 && determinant.isFinite {
                    deltas[2 * i] = (matrix[1][1] * rhs[0] - matrix[0][1] * rhs[1]) / determinant
                    deltas[2 * i + 1] = (matrix[0][0] * rhs[1] - matrix[1][0] * rhs[0]) / determinant
                    solved = true
                }
            default:
                if let delta = DenseSolver.solve(matrix, rhs) {
                    for q in 0..<p { deltas[i * p + q] = delta[q] }
                    solved = true
                }
            }
            if solved { moved = true; continue }
            let scale = DenseSolver.scale(of: matrix)
            if isZero(rhs, singular: true, hessianScale: scale.isFinite ? scale : 0, paramScale: paramScale) { continue }
            return .singular(element: i)
        }
        guard moved else { return .converged }
        for q in 0..<p {
            let theta = params[q]
            for i in 0..<count { theta[i] -= deltas[i * p + q] }
        }
        return .moved
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
