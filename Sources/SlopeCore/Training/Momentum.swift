/// Gradient descent with momentum, in PyTorch's form (no dampening):
/// v ← β v + g, θ ← θ − rate · v, with v = 0 before the first step.
struct Momentum: ParameterUpdate {
    let rate: Double
    let beta: Double
    var velocity: [[Double]]

    init(rate: Double, beta: Double, counts: [Int]) {
        self.rate = rate
        self.beta = beta
        velocity = counts.map { [Double](repeating: 0, count: $0) }
    }

    mutating func update(params: [UnsafeMutablePointer<Double>], gradients: [UnsafePointer<Double>], counts: [Int], step: Int) {
        for (index, theta) in params.enumerated() {
            let g = gradients[index]
            velocity[index].withUnsafeMutableBufferPointer { v in
                for i in 0..<counts[index] {
                    v[i] = beta * v[i] + g[i]
                    theta[i] -= rate * v[i]
                }
            }
        }
    }
}
