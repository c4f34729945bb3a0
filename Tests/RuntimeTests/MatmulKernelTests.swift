import Testing
@testable import SlopeCore

/// The blocked matrix product against the textbook triple loop, for shapes that hit every path:
/// edge tiles (m not a multiple of 4, n not a multiple of 8), several k blocks (k > 256),
/// matrix–vector (n = 1, m = 1) and outer products (k = 1), every transposition, one and two threads.
struct MatmulKernelTests {
    static let shapes: [(m: Int, k: Int, n: Int)] = [
        (1, 1, 1), (3, 5, 2), (4, 8, 8), (7, 3, 9), (13, 300, 17), (64, 513, 40), (1, 37, 11), (29, 37, 1),
        (33, 1, 19), (130, 70, 260),
    ]

    /// A deterministic test matrix with entries in [-1, 1).
    static func matrix(_ rows: Int, _ columns: Int, seed: UInt64) -> [Double] {
        var random = Random(seed: seed)
        return (0..<(rows * columns)).map { _ in random.uniform(-1, 1) }
    }

    /// C = op(A) @ op(B) by definition, where A is stored [k, m] when transposed, B [n, k].
    static func reference(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, transposeA: Bool, transposeB: Bool) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var total = 0.0
                for p in 0..<k {
                    let aValue = transposeA ? a[p * m + i] : a[i * k + p]
                    let bValue = transposeB ? b[j * k + p] : b[p * n + j]
                    total += aValue * bValue
                }
                c[i * n + j] = total
            }
        }
        return c
    }

    @Test(arguments: 0..<shapes.count)
    func blockedProductMatchesTheTripleLoop(_ index: Int) {
        let (m, k, n) = Self.shapes[index]
        let a = Self.matrix(m, k, seed: UInt64(index)), b = Self.matrix(k, n, seed: UInt64(100 + index))
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                for worker in [nil, WorkerThread()] {
                    let expected = Self.reference(a, b, m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB)
                    var c = [Double](repeating: .nan, count: m * n)
                    a.withUnsafeBufferPointer { pa in
                        b.withUnsafeBufferPointer { pb in
                            c.withUnsafeMutableBufferPointer { pc in
                                MatmulKernels.multiply(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, m: m, k: k, n: n,
                                                       transposeA: transposeA, transposeB: transposeB, worker: worker)
                            }
                        }
                    }
                    // Sums of k products of values below 1 in magnitude: reordering changes them by
                    // at most about k · ε.
                    let worst = zip(c, expected).map { Swift.abs($0 - $1) }.max() ?? 0
                    #expect(worst <= Double(k) * 4e-16, "m \(m) k \(k) n \(n) tA \(transposeA) tB \(transposeB) threads \(worker == nil ? 1 : 2)")
                }
            }
        }
    }

    @Test func largeProductSplitOverTwoThreadsMatchesOneThread() {
        // Above the parallel threshold; rows split when m ≥ n, columns otherwise. Every element is
        // computed by exactly one thread with the same blocking, so the results are identical.
        for (m, k, n) in [(300, 64, 128), (64, 300, 256)] {
            let a = Self.matrix(m, k, seed: 1), b = Self.matrix(k, n, seed: 2)
            var one = [Double](repeating: 0, count: m * n), two = one
            let worker = WorkerThread()
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    one.withUnsafeMutableBufferPointer { MatmulKernels.multiply(pa.baseAddress!, pb.baseAddress!, $0.baseAddress!, m: m, k: k, n: n) }
                    two.withUnsafeMutableBufferPointer { MatmulKernels.multiply(pa.baseAddress!, pb.baseAddress!, $0.baseAddress!, m: m, k: k, n: n, worker: worker) }
                }
            }
            #expect(one == two)
        }
    }
}
