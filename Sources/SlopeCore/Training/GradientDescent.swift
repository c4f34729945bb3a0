/// Plain gradient descent (and the update of `sgd`): θ ← θ − rate · g.
struct GradientDescent: ParameterUpdate {
    let rate: Double

    mutating func update(params: [UnsafeMutablePointer<Double>], gradients: [UnsafePointer<Double>], counts: [Int], step: Int) {
        for (index, theta) in params.enumerated() {
            let g = gradients[index]
            for i in 0..<counts[index] { theta[i] -= rate * g[i] }
        }
    }
}
