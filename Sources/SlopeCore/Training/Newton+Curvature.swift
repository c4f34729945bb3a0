/// Newton's check of where it ended. Newton's method seeks a zero of the gradient, and a saddle
/// or a maximum is one as much as a minimum is: on the sauna from (1, 1) it climbs from 84.72 to
/// the 85 of the walls. So after the last step the Hessian is computed once more, at the
/// trained params, and an eigenvalue of the wrong sign (negative for `minimize`, positive for
/// `maximize`) is a warning. It changes neither the params nor the exit status.
///
/// An eigenvalue within 10⁻⁹ of the largest |λ| counts as zero: a Hessian that is only
/// semidefinite (x⁴ at 0) is not warned about, since the second-derivative test has no verdict
/// there and the point may well be the minimum.
extension Newton {
    static let curvatureTolerance = 1e-9

    /// The warning for the point the params of `executor` are at, or none.
    static func endPointWarnings(_ step: TrainingGraph, executor: Executor, counts: [Int], separable: Bool,
                                 spec: TrainingSpec) -> [Diagnostic] {
        executor.run()
        let minimizing = spec.direction == .minimize
        func isWrong(smallest: Double, largest: Double) -> Bool {
            let tolerance = curvatureTolerance * max(Swift.abs(smallest), Swift.abs(largest))
            return minimizing ? smallest < -tolerance : largest > tolerance
        }
        var eigenvalues: [Double] = []
        var element: (index: Int, of: Int, count: Int)?
        if separable {
            // One block per point, a hundred thousand of them in W5: the extreme eigenvalues of a
            // 1 × 1 or 2 × 2 block in closed form, without allocating; Jacobi for larger blocks.
            let h = step.blocks.map { row in row.map { UnsafePointer(executor.pointer($0)!) } }
            var first: Int?, wrong = 0
            for i in 0..<counts[0] {
                let smallest: Double, largest: Double
                switch h.count {
                case 1: (smallest, largest) = (h[0][0][i], h[0][0][i])
                case 2:
                    // [[a, b], [b, d]]: λ = m ± r, m = (a + d)/2, r = √(((a − d)/2)² + b²).
                    let a = h[0][0][i], d = h[1][1][i], b = (h[0][1][i] + h[1][0][i]) / 2
                    let m = (a + d) / 2, r = (((a - d) / 2) * ((a - d) / 2) + b * b).squareRoot()
                    (smallest, largest) = (m - r, m + r)
                default:
                    let values = SymmetricEigen(block(step, executor: executor, element: i)).values
                    (smallest, largest) = (values.first!, values.last!)
                }
                guard isWrong(smallest: smallest, largest: largest) else { continue }
                wrong += 1
                if first == nil { first = i }
            }
            guard let first else { return [] }
            eigenvalues = SymmetricEigen(block(step, executor: executor, element: first)).values
            element = (first, counts[0], wrong)
        } else {
            eigenvalues = SymmetricEigen(fullHessian(step, executor: executor, counts: counts)).values
            guard let smallest = eigenvalues.first, let largest = eigenvalues.last,
                  isWrong(smallest: smallest, largest: largest) else { return [] }
        }
        let tolerance = curvatureTolerance * (eigenvalues.map { Swift.abs($0) }.max() ?? 0)
        return [CalculusMessages.notAnOptimum(spec.direction, spec.targetText,
                                              kind: Curvature.classify(eigenvalues, tolerance: tolerance),
                                              eigenvalues: eigenvalues, element: element, at: spec.range)]
    }

    /// The full Hessian the step computed, one row per element of the flattened gradient.
    static func fullHessian(_ step: TrainingGraph, executor: Executor, counts: [Int]) -> [[Double]] {
        step.hessian.map { row in
            zip(row, counts).flatMap { node, count in UnsafeBufferPointer(start: executor.pointer(node)!, count: count) }
        }
    }

    /// The P × P block of one element on independent points: ∂g_p[i]/∂θ_q[i].
    static func block(_ step: TrainingGraph, executor: Executor, element i: Int) -> [[Double]] {
        step.blocks.map { row in row.map { executor.pointer($0)![i] } }
    }
}
