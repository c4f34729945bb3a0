import Foundation
@testable import SlopeCore

/// Training runs worked out in closed form, to draw without the training loop: plain gradient
/// descent p ← p − rate · ∇f(p) with the course's hand-derived gradients.
enum PlotExamples {
    /// The sauna's temperature T(x, y) = 85 − (1/90) x² (x − 6) y² (y − 6), coldest at (4, 4).
    static func sauna(_ p: [Double]) -> Double {
        let (x, y) = (p[0], p[1])
        return 85 - (1.0 / 90) * x * x * (x - 6) * y * y * (y - 6)
    }

    /// dT/dx = −(1/90)(3x² − 12x) y² (y − 6), dT/dy = −(1/90) x² (x − 6)(3y² − 12y).
    static func saunaGradient(_ p: [Double]) -> [Double] {
        let (x, y) = (p[0], p[1])
        return [-(1.0 / 90) * (3 * x * x - 12 * x) * y * y * (y - 6),
                -(1.0 / 90) * x * x * (x - 6) * (3 * y * y - 12 * y)]
    }

    /// E(m, b) = Σ (m x + b − y)² over (1, 2), (2, 5), (3, 3), lowest at m = 1/2, b = 7/3.
    static func sumOfSquares(_ p: [Double]) -> Double {
        zip([1.0, 2, 3], [2.0, 5, 3]).reduce(0) { total, point in
            let residual = p[0] * point.0 + p[1] - point.1
            return total + residual * residual
        }
    }

    /// dE/dm = 28 m + 12 b − 42, dE/db = 12 m + 6 b − 20.
    static func sumOfSquaresGradient(_ p: [Double]) -> [Double] {
        [28 * p[0] + 12 * p[1] - 42, 12 * p[0] + 6 * p[1] - 20]
    }

    static func descend(from start: [Double], rate: Double, steps: Int, _ f: ([Double]) -> Double,
                        gradient: ([Double]) -> [Double]) -> (losses: [Double], path: [[Double]]) {
        var point = start
        var path = [point]
        for _ in 0..<steps {
            point = zip(point, gradient(point)).map { $0 - rate * $1 }
            path.append(point)
        }
        return (path.map(f), path)
    }

    /// At (4, 4) the Hessian of T is 4.27 I (∂²T/∂x² = −(1/90)(6x − 12) y² (y − 6) = 256/60), so
    /// gradient descent converges for rates below 2 / 4.27 = 0.47; at 0.5 it settles into a
    /// two-cycle between x = y ≈ 3.5 and x = y ≈ 4.39.
    static func saunaRun(rate: Double = 0.1) -> TrainingPlotData {
        let run = descend(from: [3, 3], rate: rate, steps: 200, sauna, gradient: saunaGradient)
        let title = "minimize T by gd(rate: \(PlotNumberFormat.compact(rate)), steps: 200)"
        return TrainingPlotData(title: title, losses: run.losses,
                                parameterNames: ["x", "y"], path: run.path, maximize: false)
    }

    static var sumOfSquaresRun: TrainingPlotData {
        let run = descend(from: [0, 0], rate: 0.05, steps: 1000, sumOfSquares, gradient: sumOfSquaresGradient)
        return TrainingPlotData(title: "minimize E by gd(rate: 0.05, steps: 1000)", losses: run.losses,
                                parameterNames: ["m", "b"], path: run.path, maximize: false)
    }

    /// f(x) = x² from x = 3 with rate 0.1: each step multiplies x by 1 − 0.2 = 0.8.
    static var parabolaRun: TrainingPlotData {
        let run = descend(from: [3], rate: 0.1, steps: 20, { $0[0] * $0[0] }, gradient: { [2 * $0[0]] })
        return TrainingPlotData(title: "minimize f by gd(rate: 0.1, steps: 20)", losses: run.losses,
                                parameterNames: ["x"], path: run.path, maximize: false)
    }
}
