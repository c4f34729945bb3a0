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
        var largest = 0.0
        for value in gradient { largest = Swift.max(largest, Swift.abs(value)) }
        if largest == 0 { return true }
        return singular && isNegligible(largest, hessianScale: hessianScale, paramScale: paramScale)
    }

    /// The singular half of `isZero`, for a gradient whose largest magnitude is `largest`.
    @inline(__always)
    static func isNegligible(_ largest: Double, hessianScale: Double, paramScale: Double) -> Bool {
        largest <= Double.ulpOfOne.squareRoot() * hessianScale * Swift.max(1, paramScale)
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
        switch p {
        case 1: return separableStep1(theta: params[0], g: g[0], h: h[0][0], count: count)
        case 2: return separableStep2(x: params[0], y: params[1], g: g, h: h, count: count)
        default: return separableStepP(params, g: g, h: h, count: count)
        }
    }

    /// One param: θᵢ −= gᵢ / hᵢ. Two passes over the elements, so nothing moves when one fails:
    /// the first finds a singular element (hᵢ = 0 with gᵢ ≠ 0; for one param the singular rule
    /// of `isZero` needs gᵢ = 0 exactly), the second updates, without allocating.
    static func separableStep1(theta: UnsafeMutablePointer<Double>, g: UnsafePointer<Double>, h: UnsafePointer<Double>,
                               count: Int) -> Outcome {
        var moved = false
        for i in 0..<count where g[i] != 0 {
            guard h[i] != 0 else { return .singular(element: i) }
            moved = true
        }
        guard moved else { return .converged }
        for i in 0..<count where g[i] != 0 { theta[i] -= g[i] / h[i] }
        return .moved
    }

    /// Two params: Cramer's rule per element, in the same two passes. A singular block whose
    /// gradient is negligible (`isNegligible`) has converged and stays.
    static func separableStep2(x: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>, g: [UnsafePointer<Double>],
                               h: [[UnsafePointer<Double>]], count: Int) -> Outcome {
        let h00 = h[0][0], h01 = h[0][1], h10 = h[1][0], h11 = h[1][1]
        let g0 = g[0], g1 = g[1]
        @inline(__always) func determinant(_ i: Int) -> Double { h00[i] * h11[i] - h01[i] * h10[i] }
        @inline(__always) func solvable(_ i: Int) -> Bool { let d = determinant(i); return d != 0 && d.isFinite }
        var moved = false
        for i in 0..<count where g0[i] != 0 || g1[i] != 0 {
            if solvable(i) { moved = true; continue }
            let scale = Swift.max(Swift.max(Swift.abs(h00[i]), Swift.abs(h01[i])), Swift.max(Swift.abs(h10[i]), Swift.abs(h11[i])))
            let largest = Swift.max(Swift.abs(g0[i]), Swift.abs(g1[i]))
            let paramScale = Swift.max(Swift.abs(x[i]), Swift.abs(y[i]))
            guard isNegligible(largest, hessianScale: scale.isFinite ? scale : 0, paramScale: paramScale) else {
                return .singular(element: i)
            }
        }
        guard moved else { return .converged }
        for i in 0..<count where (g0[i] != 0 || g1[i] != 0) && solvable(i) {
            let d = determinant(i)
            x[i] -= (h11[i] * g0[i] - h01[i] * g1[i]) / d
            y[i] -= (h00[i] * g1[i] - h10[i] * g0[i]) / d
        }
        return .moved
    }

    /// More params: a dense solve per element.
    static func separableStepP(_ params: [UnsafeMutablePointer<Double>], g: [UnsafePointer<Double>], h: [[UnsafePointer<Double>]],
                               count: Int) -> Outcome {
        let p = params.count
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
            if let delta = DenseSolver.solve(matrix, rhs) {
                for q in 0..<p { deltas[i * p + q] = delta[q] }
                moved = true
                continue
            }
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
