/// One optimizer's update rule, applied in place to the params after each gradient evaluation.
/// `gradients` already carry the direction: for `maximize` the trainer passes −∇, so every
/// rule here minimizes.
protocol ParameterUpdate {
    mutating func update(params: [UnsafeMutablePointer<Double>], gradients: [UnsafePointer<Double>], counts: [Int], step: Int)
}

extension TrainingMethod {
    /// The update rule of a first-order method, with its state sized for params of `counts`
    /// elements; nil for Newton's method, which solves for its step (Newton.swift).
    func parameterUpdate(counts: [Int]) -> (any ParameterUpdate)? {
        switch kind {
        case .gd, .sgd: return GradientDescent(rate: rate)
        case .momentum: return Momentum(rate: rate, beta: beta, counts: counts)
        case .adam: return Adam(rate: rate, beta1: beta1, beta2: beta2, epsilon: epsilon, counts: counts)
        case .newton: return nil
        }
    }
}
