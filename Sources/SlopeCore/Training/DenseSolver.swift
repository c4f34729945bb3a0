/// Solves the small dense systems of Newton's method, H · Δ = g, by Gaussian elimination with
/// partial pivoting. Returns nil when H is singular to working precision: a pivot smaller than
/// n · ε · max|H| means the Hessian has (numerically) no inverse.
enum DenseSolver {
    static func solve(_ matrix: [[Double]], _ rhs: [Double]) -> [Double]? {
        let n = rhs.count
        var a = matrix
        var b = rhs
        let scale = scale(of: a)
        guard scale.isFinite, scale > 0 else { return nil }
        let threshold = Double(n) * Double.ulpOfOne * scale
        for column in 0..<n {
            var pivot = column
            for row in (column + 1)..<max(column + 1, n) where Swift.abs(a[row][column]) > Swift.abs(a[pivot][column]) { pivot = row }
            guard Swift.abs(a[pivot][column]) > threshold else { return nil }
            if pivot != column {
                a.swapAt(pivot, column)
                b.swapAt(pivot, column)
            }
            for row in (column + 1)..<max(column + 1, n) {
                let factor = a[row][column] / a[column][column]
                if factor == 0 { continue }
                for k in column..<n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<max(row + 1, n) { sum -= a[row][k] * x[k] }
            x[row] = sum / a[row][row]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }

    /// max|H|, the scale that singularity and a zero gradient are judged against.
    static func scale(of matrix: [[Double]]) -> Double {
        matrix.joined().map { Swift.abs($0) }.max() ?? 0
    }
}
