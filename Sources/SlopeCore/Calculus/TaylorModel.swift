/// The Taylor polynomial of a scalar function at a point a, for `slope tangent`:
///
///     order 1:  T₁(x) = f(a) + Σᵢ ∂ᵢf(a)·(xᵢ − aᵢ)                    (the tangent line, plane or hyperplane)
///     order 2:  T₂(x) = T₁(x) + ½ Σᵢⱼ ∂ᵢ∂ⱼf(a)·(xᵢ − aᵢ)(xⱼ − aⱼ)      (the quadratic model Newton's method steps on)
///
/// Both agree with f at a to the order written: T₁ has f's value and gradient there, T₂ its
/// Hessian too. `Emit/Source/TaylorSource.swift` writes it as a `.graph` program.
public struct TaylorModel: Sendable {
    /// The variables' names, in order.
    public let names: [String]
    /// The point a.
    public let point: [Double]
    public let value: Double
    public let gradient: [Double]
    /// Symmetric, d × d; empty for the first-order model.
    public let hessian: [[Double]]

    public var order: Int { hessian.isEmpty ? 1 : 2 }

    /// The model's value at `x`, summed as the printed program sums it.
    public func evaluate(at x: [Double]) -> Double {
        var total = value
        for i in x.indices { total += gradient[i] * (x[i] - point[i]) }
        for i in hessian.indices {
            for j in i..<hessian.count {
                let weight = i == j ? hessian[i][i] / 2 : hessian[i][j]
                total += weight * (x[i] - point[i]) * (x[j] - point[j])
            }
        }
        return total
    }
}
