import Foundation

/// Adam (Kingma and Ba 2015), computed in PyTorch's order of operations:
/// m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,
/// θ ← θ − (rate / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε),  with t = 1, 2, … the step number.
struct Adam: ParameterUpdate {
    let rate: Double
    let beta1: Double
    let beta2: Double
    let epsilon: Double
    var first: [[Double]]
    var second: [[Double]]

    init(rate: Double, beta1: Double, beta2: Double, epsilon: Double, counts: [Int]) {
        self.rate = rate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        first = counts.map { [Double](repeating: 0, count: $0) }
        second = counts.map { [Double](repeating: 0, count: $0) }
    }

    mutating func update(params: [UnsafeMutablePointer<Double>], gradients: [UnsafePointer<Double>], counts: [Int], step: Int) {
        let t = Double(step + 1)
        let correction1 = 1 - pow(beta1, t)
        let correction2Root = (1 - pow(beta2, t)).squareRoot()
        let stepSize = rate / correction1
        for (index, theta) in params.enumerated() {
            let g = gradients[index]
            first[index].withUnsafeMutableBufferPointer { m in
                second[index].withUnsafeMutableBufferPointer { v in
                    for i in 0..<counts[index] {
                        m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                        let denominator = v[i].squareRoot() / correction2Root + epsilon
                        theta[i] -= stepSize * (m[i] / denominator)
                    }
                }
            }
        }
    }
}
