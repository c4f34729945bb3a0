/// A point where the gradient of a scalar function is zero, classified by the second-derivative
/// test: the signs of the Hessian's eigenvalues (`slope critical`; also Newton's check of where
/// training ended).
public struct CriticalPoint: Sendable {
    public typealias Kind = Curvature

    /// The coordinates, one per variable, in the variables' order.
    public let point: [Double]
    public let value: Double
    public let gradient: [Double]
    /// The symmetric Hessian ∂²f/∂xᵢ∂xⱼ at the point.
    public let hessian: [[Double]]
    /// The Hessian's eigenvalues, ascending.
    public let eigenvalues: [Double]
    public let kind: Kind
}
