/// Eigenvalues and eigenvectors of a small symmetric matrix by Jacobi's rotation method, for the
/// Hessians `slope critical` classifies and Newton's end-of-training check (at most a few dozen
/// rows: the method costs about 10 n³ operations, and is accurate to a few ulps of the largest
/// eigenvalue whatever the matrix's condition).
///
/// Each rotation J(p, q, θ) in the (p, q) plane is chosen to zero the off-diagonal a_pq of
/// A ← Jᵀ A J. With θ = (a_qq − a_pp) / (2 a_pq), the rotation's tangent is the smaller root of
/// t² + 2θt − 1 = 0,
///
///     t = sign(θ) / (|θ| + √(θ² + 1)),   c = 1 / √(t² + 1),   s = t·c,
///
/// which keeps |t| ≤ 1 (the rotation by at most 45° that converges; Golub and Van Loan,
/// Matrix Computations, §8.5). Then a_pp ← a_pp − t·a_pq, a_qq ← a_qq + t·a_pq, and the rest of
/// rows and columns p and q are rotated. A cyclic sweep rotates every pair once; the sum of
/// squares off the diagonal falls quadratically from sweep to sweep, so a handful of sweeps
/// leave it at rounding level.
public struct SymmetricEigen: Sendable {
    /// The eigenvalues, ascending.
    public let values: [Double]
    /// `vectors[k]` is the unit eigenvector of `values[k]`.
    public let vectors: [[Double]]

    /// The sweeps after which Jacobi's method stops even if the off-diagonal part is not yet
    /// negligible (it always is by then for finite input: convergence is quadratic).
    static let maximumSweeps = 60

    /// Decomposes the symmetric part ½(A + Aᵀ) of the square matrix `matrix`.
    public init(_ matrix: [[Double]]) {
        let n = matrix.count
        var a = matrix
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                let mean = (matrix[i][j] + matrix[j][i]) / 2
                a[i][j] = mean
                a[j][i] = mean
            }
        }
        var v = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }   // v's columns: the vectors
        let total = a.joined().reduce(0) { $0 + $1 * $1 }
        for _ in 0..<Self.maximumSweeps {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where j != i { off += a[i][j] * a[i][j] } }
            // Stop when what is left off the diagonal is rounding noise relative to the whole.
            guard off > 1e-32 * total, off.isFinite else { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where a[p][q] != 0 {
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = theta.isInfinite ? 1 / (2 * theta)
                        : (theta >= 0 ? 1 : -1) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    let apq = a[p][q]
                    a[p][p] -= t * apq
                    a[q][q] += t * apq
                    a[p][q] = 0
                    a[q][p] = 0
                    for k in 0..<n where k != p && k != q {
                        let akp = a[k][p], akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[p][k] = a[k][p]
                        a[k][q] = s * akp + c * akq
                        a[q][k] = a[k][q]
                    }
                    for k in 0..<n {
                        let vkp = v[k][p], vkq = v[k][q]
                        v[k][p] = c * vkp - s * vkq
                        v[k][q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let diagonal: [Double] = (0..<n).map { a[$0][$0] }
        let order: [Int] = (0..<n).sorted { (i: Int, j: Int) -> Bool in
            diagonal[i] < diagonal[j] || (diagonal[i] == diagonal[j] && i < j)
        }
        values = order.map { diagonal[$0] }
        vectors = order.map { (k: Int) -> [Double] in (0..<n).map { v[$0][k] } }
    }

    /// The solution of A·x = b with the components along eigenvalues within `tolerance` · max|λ|
    /// of zero left out: the pseudo-inverse's answer, x = Σ (vₖ·b / λₖ) vₖ over the kept
    /// eigenvalues (zero when every eigenvalue is dropped). Newton's step on a singular Hessian.
    public func pseudoSolve(_ b: [Double], tolerance: Double = 1e-12) -> [Double] {
        let largest = values.map { Swift.abs($0) }.max() ?? 0
        var x = [Double](repeating: 0, count: b.count)
        guard largest > 0, largest.isFinite else { return x }
        for (lambda, vector) in zip(values, vectors) where Swift.abs(lambda) > tolerance * largest {
            var projection = 0.0
            for i in 0..<b.count { projection += vector[i] * b[i] }
            for i in 0..<b.count { x[i] += projection / lambda * vector[i] }
        }
        return x
    }
}
