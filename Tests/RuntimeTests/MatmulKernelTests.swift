import Testing
@testable import SlopeCore

/// The blocked matrix product against the textbook triple loop, for shapes that hit every path:
/// edge tiles (m not a multiple of 4, n not a multiple of 8), rows in 6-row tiles and the 4-row tiles
/// after them (m of 12, 18, 26, 130), several k blocks (k > 256),
/// matrix–vector (n = 1, m = 1) and outer products (k = 1), every transposition, one and two threads.
struct MatmulKernelTests {
    static let shapes: [(m: Int, k: Int, n: Int)] = [
        (1, 1, 1), (3, 5, 2), (4, 8, 8), (7, 3, 9), (13, 300, 17), (64, 513, 40), (1, 37, 11), (29, 37, 1),
        (33, 1, 19), (130, 70, 260), (18, 20, 8), (26, 9, 24), (12, 260, 16),
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

    /// C = op(A) @ op(B) through the kernel, with exactly `scratchCount` doubles of scratch
    /// followed by canaries that must come back untouched (the kernel stays inside its space).
    static func product(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, transposeA: Bool = false, transposeB: Bool = false,
                        worker: WorkerThread? = nil, instructionSet: InstructionSet = .host) -> [Double] {
        let canaries = 64
        let scratchCount = MatmulKernels.scratchCount(m: m, k: k, n: n)
        var scratch = [Double](repeating: .nan, count: scratchCount + canaries)
        for i in scratchCount..<scratch.count { scratch[i] = Double(i) }
        var c = [Double](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    scratch.withUnsafeMutableBufferPointer { ps in
                        MatmulKernels.multiply(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, m: m, k: k, n: n,
                                               transposeA: transposeA, transposeB: transposeB, scratch: ps.baseAddress!,
                                               worker: worker, instructionSet: instructionSet)
                    }
                }
            }
        }
        #expect((scratchCount..<scratch.count).allSatisfy { scratch[$0] == Double($0) }, "m \(m) k \(k) n \(n): wrote past its scratch")
        return c
    }

    @Test(arguments: 0..<shapes.count)
    func blockedProductMatchesTheTripleLoop(_ index: Int) {
        let (m, k, n) = Self.shapes[index]
        let a = Self.matrix(m, k, seed: UInt64(index)), b = Self.matrix(k, n, seed: UInt64(100 + index))
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                for worker in [nil, WorkerThread()] {
                    for instructionSet in InstructionSet.available {
                        let expected = Self.reference(a, b, m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB)
                        let c = Self.product(a, b, m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB,
                                             worker: worker, instructionSet: instructionSet)
                        // Sums of k products of values below 1 in magnitude: reordering changes them by
                        // at most about k · ε.
                        let worst = zip(c, expected).map { Swift.abs($0 - $1) }.max() ?? 0
                        #expect(worst <= Double(k) * 4e-16,
                                "m \(m) k \(k) n \(n) tA \(transposeA) tB \(transposeB) threads \(worker == nil ? 1 : 2) \(instructionSet)")
                    }
                }
            }
        }
    }

    @Test(arguments: 0..<shapes.count)
    func everyInstructionSetGivesTheSameBits(_ index: Int) {
        let (m, k, n) = Self.shapes[index]
        let a = Self.matrix(m, k, seed: UInt64(7 + index)), b = Self.matrix(k, n, seed: UInt64(300 + index))
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let portable = Self.product(a, b, m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB,
                                            instructionSet: .portable)
                for instructionSet in InstructionSet.available {
                    let other = Self.product(a, b, m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB,
                                             instructionSet: instructionSet)
                    #expect(other.map(\.bitPattern) == portable.map(\.bitPattern), "m \(m) k \(k) n \(n) \(instructionSet)")
                }
            }
        }
    }

    @Test func largeProductSplitOverTwoThreadsMatchesOneThread() {
        // Above the parallel threshold; rows split when m ≥ n, columns otherwise. Every element is
        // computed by exactly one thread with the same blocking, so the results are identical.
        // Matrix–vector (n = 1, m = 1) and outer products (k = 1) split by rows of C.
        for (m, k, n) in [(300, 64, 128), (64, 300, 256), (2100, 40, 2100), (8195, 129, 1), (1, 8195, 131), (2053, 1, 515)] {
            let a = Self.matrix(m, k, seed: 1), b = Self.matrix(k, n, seed: 2)
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    let one = Self.product(a, b, m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB)
                    let two = Self.product(a, b, m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB,
                                           worker: WorkerThread())
                    #expect(one.map(\.bitPattern) == two.map(\.bitPattern), "m \(m) k \(k) n \(n) tA \(transposeA) tB \(transposeB)")
                    let expected = Self.reference(a, b, m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB)
                    #expect(zip(two, expected).allSatisfy { Swift.abs($0 - $1) <= Double(k) * 4e-16 }, "m \(m) k \(k) n \(n)")
                }
            }
        }
    }

    /// Every packing gives the same panel, value for value and padding included, for panels that
    /// start inside the matrix, end at its edge, and have k not a multiple of four.
    @Test func everyInstructionSetPacksTheSamePanels() {
        let (m, k, n) = (23, 19, 29)
        let a = Self.matrix(m, k, seed: 11), b = Self.matrix(k, n, seed: 12)
        for transposed in [false, true] {
            for (start, size, p0, depth) in [(0, 23, 0, 19), (5, 18, 3, 13), (16, 7, 18, 1), (8, 12, 4, 8)] {
                func panels(_ instructionSet: InstructionSet, packingA: Bool) -> [UInt64] {
                    let width = packingA ? MatmulKernels.mr : MatmulKernels.nr
                    var packed = [Double](repeating: .nan, count: MatmulKernels.roundedUp(size, to: width) * depth)
                    a.withUnsafeBufferPointer { pa in
                        b.withUnsafeBufferPointer { pb in
                            packed.withUnsafeMutableBufferPointer { target in
                                if packingA {
                                    MatmulKernels.packA(pa.baseAddress!, target.baseAddress!, m: m, k: k, i0: start, mc: min(size, m - start),
                                                        p0: p0, kc: depth, transposed: transposed, instructionSet: instructionSet)
                                } else {
                                    MatmulKernels.packB(pb.baseAddress!, target.baseAddress!, k: k, n: n, p0: p0, kc: depth,
                                                        j0: start, nc: min(size, n - start), transposed: transposed,
                                                        instructionSet: instructionSet)
                                }
                            }
                        }
                    }
                    return packed.map(\.bitPattern)
                }
                for packingA in [true, false] {
                    let portable = panels(.portable, packingA: packingA)
                    #expect(!portable.contains(Double.nan.bitPattern), "every place of the panel is written")
                    for instructionSet in InstructionSet.available {
                        #expect(panels(instructionSet, packingA: packingA) == portable,
                                "\(packingA ? "A" : "B") transposed \(transposed) from \(start) size \(size) p0 \(p0) kc \(depth) \(instructionSet)")
                    }
                }
            }
        }
    }
}
