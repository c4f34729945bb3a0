/// What the second-derivative test says about a critical point, from the signs of the Hessian's
/// eigenvalues: for `slope critical`'s points and for where Newton's method ended.
public enum Curvature: String, Sendable {
    /// Every eigenvalue positive: the function curves up in every direction.
    case minimum
    /// Every eigenvalue negative.
    case maximum
    /// Eigenvalues of both signs: up in some directions, down in others.
    case saddle
    /// An eigenvalue within tolerance of zero: the second-derivative test has no verdict
    /// (x⁴ and −x⁴ and x³ at 0 all have f″ = 0).
    case degenerate

    /// The kind of a critical point whose Hessian has `eigenvalues`, with `|λ| ≤ tolerance`
    /// counted as zero. The kind is the same for any Hessian congruent to this one (its
    /// signs are Sylvester's inertia), so the eigenvalues may come from the Hessian in
    /// rescaled coordinates.
    public static func classify(_ eigenvalues: [Double], tolerance: Double) -> Curvature {
        if eigenvalues.contains(where: { Swift.abs($0) <= tolerance || !$0.isFinite }) { return .degenerate }
        let positive = eigenvalues.contains { $0 > 0 }, negative = eigenvalues.contains { $0 < 0 }
        if positive && negative { return .saddle }
        return positive ? .minimum : .maximum
    }
}
