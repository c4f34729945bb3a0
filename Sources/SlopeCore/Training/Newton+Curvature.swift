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
        // (element, eigenvalues) of every point whose Hessian has an eigenvalue of the wrong sign.
        var wrong: [(element: Int, eigenvalues: [Double])] = []
        let points = separable ? counts[0] : 1
        for element in 0..<points {
            let hessian = separable ? block(step, executor: executor, element: element) : fullHessian(step, executor: executor, counts: counts)
            let eigenvalues = SymmetricEigen(hessian).values
            let tolerance = curvatureTolerance * (eigenvalues.map { Swift.abs($0) }.max() ?? 0)
            let isWrong = spec.direction == .minimize ? eigenvalues.contains { $0 < -tolerance } : eigenvalues.contains { $0 > tolerance }
            if isWrong { wrong.append((element, eigenvalues)) }
        }
        guard let first = wrong.first else { return [] }
        let tolerance = curvatureTolerance * (first.eigenvalues.map { Swift.abs($0) }.max() ?? 0)
        return [CalculusMessages.notAnOptimum(spec.direction, spec.targetText,
                                              kind: Curvature.classify(first.eigenvalues, tolerance: tolerance),
                                              eigenvalues: first.eigenvalues,
                                              element: separable ? (first.element, points, wrong.count) : nil, at: spec.range)]
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
