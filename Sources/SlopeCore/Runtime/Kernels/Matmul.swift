/// Matrix products on row-major float64 buffers.
enum MatmulKernels {
    /// C[m, n] = A[m, k] @ B[k, n], in i-k-j order so the inner loop streams rows of B and C.
    static func multiply(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                         m: Int, k: Int, n: Int) {
        for i in 0..<m {
            let row = c + i * n
            for j in 0..<n { row[j] = 0 }
            let aRow = a + i * k
            for p in 0..<k {
                let scale = aRow[p]
                let bRow = b + p * n
                for j in 0..<n { row[j] += scale * bRow[j] }
            }
        }
    }
}
