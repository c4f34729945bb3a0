import Foundation
#if arch(x86_64)
import SlopeAVX2
#endif

/// Matrix products on row-major float64 buffers: C[m, n] = op(A) @ op(B), where op(A) reads A
/// transposed when its flag is set (A stored as [k, m]), and likewise for B (stored as [n, k]).
/// Transposes are folded into the packing, so the backward pass never materialises one.
///
/// The general case is blocked in the BLIS manner: panels of B (KC × NC) and of A (MC × KC) are
/// packed into contiguous micro-panels, and a 4 × 8 micro-kernel keeps the C tile in eight
/// four-lane registers, updating it with fused multiply-adds. With AVX2 a 6 × 8 kernel (twelve
/// accumulators) takes the rows of each block up to a multiple of 12 and the 4 × 8 one the rest;
/// the AVX2 kernels read a row-major A in place (its rows stay in L1 across the panels of B), so
/// only B is packed. Rows of C are split over two
/// threads for large products. Matrix–vector products (n = 1 or m = 1) and outer products
/// (k = 1) take direct loops, split by rows of C over two threads when large: packing would
/// cost more than it saves.
///
/// The packed panels live in scratch memory the caller provides (the plan's scratch, sized by
/// `packingCount`), so a product allocates nothing. The micro-kernel runs as the AVX2 one of
/// `SlopeAVX2` when the CPU has it, otherwise as the Swift one below; both round every fused
/// multiply-add the same way, so C is the same to the bit. Which rows go to which thread does
/// not change how any element is summed, so C does not depend on the thread count either.
enum MatmulKernels {
    typealias Lanes = SIMD4<Double>
    static let mr = 4
    static let nr = 8
    static let kc = 256
    static let mc = 128
    static let nc = 2048
    /// Multiply-adds above which a product is split over two threads.
    static let parallelThreshold = 1 << 20

    /// Whether a product of these sizes is blocked (and needs packing space), rather than a
    /// direct loop.
    static func isBlocked(m: Int, k: Int, n: Int) -> Bool { m > 1 && n > 1 && k > 1 }

    /// Doubles of packing space one thread needs for a product of these sizes: a KC × NC panel
    /// of B and an MC × KC panel of A, each no larger than the product needs.
    static func packingCount(m: Int, k: Int, n: Int) -> Int {
        guard isBlocked(m: m, k: k, n: n) else { return 0 }
        let depth = min(kc, k)
        return depth * roundedUp(min(nc, n), to: nr) + roundedUp(min(mc, m), to: mr) * depth
    }

    /// Doubles of scratch `multiply` needs: packing space for each of two threads.
    static func scratchCount(m: Int, k: Int, n: Int) -> Int { 2 * packingCount(m: m, k: k, n: n) }

    static func roundedUp(_ value: Int, to multiple: Int) -> Int { (value + multiple - 1) / multiple * multiple }

    /// A fused loop run over C's rows as they are finished (`MatmulEpilogue`): its elementwise
    /// work reads each block of rows while it is still in cache. `scratch` holds the loop's
    /// scratch for two threads.
    struct Epilogue: @unchecked Sendable {
        let program: FusedProgram
        let arena: UnsafeMutablePointer<Double>
        let scratch: UnsafeMutablePointer<Double>

        /// Runs the loop over rows `rows` of an n-column C, with one thread's scratch.
        func run(rows: Range<Int>, n: Int, thread: Int) {
            program.run(range: rows.lowerBound * n..<rows.upperBound * n, arena: arena,
                        scratch: scratch + thread * program.scratchPerThread)
        }
    }

    /// C = op(A) @ op(B), then the epilogue's loop if there is one. `scratch` holds
    /// `scratchCount(m:k:n:)` doubles.
    static func multiply(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                         m: Int, k: Int, n: Int, transposeA: Bool = false, transposeB: Bool = false,
                         scratch: UnsafeMutablePointer<Double>, worker: WorkerThread? = nil,
                         instructionSet: InstructionSet = .host, epilogue: Epilogue? = nil) {
        // A blocked product finishes whole rows block by block unless its threads split the
        // columns: then each block's epilogue runs as soon as its last panel of k is added;
        // otherwise the loop runs over the whole product afterwards.
        let byRows = isBlocked(m: m, k: k, n: n) && !splitsColumns(m: m, k: k, n: n, worker: worker)
        product(a, b, c, m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB, scratch: scratch,
                worker: worker, instructionSet: instructionSet, epilogue: byRows ? epilogue : nil)
        if let epilogue, !byRows {
            epilogue.program.run(arena: epilogue.arena, scratch: epilogue.scratch, worker: worker)
        }
    }

    /// Whether a blocked product runs on two threads (`parallelThreshold` multiply-adds or more),
    /// and whether they split C's rows (the longer side, so each thread packs only its share of
    /// the other operand) or its columns.
    static func isSplit(m: Int, k: Int, n: Int, worker: WorkerThread?) -> Bool {
        worker != nil && m * n * k >= parallelThreshold && max(m, n) >= 2 * nr
    }

    static func splitsColumns(m: Int, k: Int, n: Int, worker: WorkerThread?) -> Bool {
        isSplit(m: m, k: k, n: n, worker: worker) && m < n
    }

    static func product(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                        m: Int, k: Int, n: Int, transposeA: Bool, transposeB: Bool,
                        scratch: UnsafeMutablePointer<Double>, worker: WorkerThread?,
                        instructionSet: InstructionSet, epilogue: Epilogue?) {
        if m == 0 || n == 0 { return }
        if k == 0 { for i in 0..<(m * n) { c[i] = 0 }; return }
        let direct = DirectOperands(a: a, b: b, c: c)
        if n == 1 {
            return split(m, work: m * k, worker: worker) { rows in
                matrixVector(direct.a, direct.b, direct.c, m: m, k: k, transposeA: transposeA, rows: rows,
                             instructionSet: instructionSet)
            }
        }
        if m == 1 {
            // c[1, n] = a[1, k] @ B: the same as Bᵀ @ a with the flag flipped.
            return split(n, work: n * k, worker: worker) { rows in
                matrixVector(direct.b, direct.a, direct.c, m: n, k: k, transposeA: !transposeB, rows: rows,
                             instructionSet: instructionSet)
            }
        }
        if k == 1 {
            return split(m, work: m * n, worker: worker) { rows in outer(direct.a, direct.b, direct.c, n: n, rows: rows) }
        }
        let packing = packingCount(m: m, k: k, n: n)
        let operands = Operands(a: a, b: b, c: c, m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB,
                                instructionSet: instructionSet, epilogue: epilogue)
        if let worker, isSplit(m: m, k: k, n: n, worker: worker) {
            let splitRows = !splitsColumns(m: m, k: k, n: n, worker: worker)
            let half = splitRows ? roundedUp(m / 2, to: mr) : roundedUp(n / 2, to: nr)
            let second = Scratch(pointer: scratch + packing)
            worker.run({
                operands.blocked(rows: splitRows ? half..<m : 0..<m, columns: splitRows ? 0..<n : half..<n,
                                 packing: second.pointer, thread: 1)
            }, alongside: {
                operands.blocked(rows: splitRows ? 0..<half : 0..<m, columns: splitRows ? 0..<n : 0..<half,
                                 packing: scratch, thread: 0)
            })
        } else {
            operands.blocked(rows: 0..<m, columns: 0..<n, packing: scratch, thread: 0)
        }
    }

    /// A thread's packing space, handed to the worker thread (the two halves use disjoint space).
    struct Scratch: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Double>
    }

    /// One product's buffers and sizes, shared with the worker thread: the halves read A and B
    /// and write disjoint parts of C.
    struct Operands: @unchecked Sendable {
        let a: UnsafePointer<Double>
        let b: UnsafePointer<Double>
        let c: UnsafeMutablePointer<Double>
        let m: Int, k: Int, n: Int
        let transposeA: Bool, transposeB: Bool
        let instructionSet: InstructionSet
        /// Run over each block of rows once finished; only when the threads split C by rows.
        let epilogue: Epilogue?

        func blocked(rows: Range<Int>, columns: Range<Int>, packing: UnsafeMutablePointer<Double>, thread: Int) {
            MatmulKernels.blocked(a, b, c, rows: rows, columns: columns, m: m, k: k, n: n,
                                  transposeA: transposeA, transposeB: transposeB, packing: packing,
                                  instructionSet: instructionSet, epilogue: epilogue, thread: thread)
        }
    }

    /// The buffers of a matrix–vector or outer product, shared with the worker thread: the halves
    /// read A and B and write disjoint rows of C.
    struct DirectOperands: @unchecked Sendable {
        let a: UnsafePointer<Double>
        let b: UnsafePointer<Double>
        let c: UnsafeMutablePointer<Double>
    }

    /// Runs `body` over 0..<rows, in two halves on two threads when there is a worker and the
    /// product has `parallelThreshold` multiply-adds or more. Each row of C is computed the same
    /// way whichever thread computes it, so the split never changes a bit.
    static func split(_ rows: Int, work: Int, worker: WorkerThread?, _ body: @Sendable (Range<Int>) -> Void) {
        guard let worker, work >= parallelThreshold, rows >= 2 * nr else { return body(0..<rows) }
        let half = roundedUp(rows / 2, to: nr)
        worker.run({ body(half..<rows) }, alongside: { body(0..<half) })
    }

    /// c[rows] of op(A) @ b[k], for A of m rows. With A stored [m, k]: one dot product per row;
    /// stored [k, m]: one scaled row added per p (both stream memory in order).
    static func matrixVector(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                             m: Int, k: Int, transposeA: Bool, rows: Range<Int>, instructionSet: InstructionSet = .host) {
        #if arch(x86_64)
        if transposeA && instructionSet.hasAVX2 {
            return slope_avx2_scaled_row_sums(a, b, c, m, k, rows.lowerBound, rows.upperBound)
        }
        #endif
        if transposeA {
            for i in rows { c[i] = 0 }
            for p in 0..<k {
                let scale = b[p]
                let row = a + p * m
                for i in rows { c[i] += row[i] * scale }
            }
        } else {
            for i in rows { c[i] = ReductionKernels.dot(a + i * k, b, k, instructionSet: instructionSet) }
        }
    }

    /// Rows `rows` of c[m, n] = a[m] ⊗ b[n].
    static func outer(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>, n: Int,
                      rows: Range<Int>) {
        for i in rows {
            let scale = a[i]
            let row = c + i * n
            for j in 0..<n { row[j] = scale * b[j] }
        }
    }

    /// C[rows, columns] = op(A)[rows, :] @ op(B)[:, columns], packing into `packing`
    /// (`packingCount(m:k:n:)` doubles: B's panel first, then A's); the epilogue, if any, runs
    /// over each block of rows when it is finished, with thread `thread`'s scratch.
    static func blocked(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                        rows: Range<Int>, columns: Range<Int>, m: Int, k: Int, n: Int, transposeA: Bool, transposeB: Bool,
                        packing: UnsafeMutablePointer<Double>, instructionSet: InstructionSet,
                        epilogue: Epilogue? = nil, thread: Int = 0) {
        precondition(epilogue == nil || columns == 0..<n, "internal error: an epilogue needs whole rows")
        let packedB = packing
        let packedA = packing + min(kc, k) * roundedUp(min(nc, n), to: nr)
        // With AVX2 the micro-kernel reads full panels of a row-major A in place (element (i, p)
        // at a[i · k + p]: four rows, each read in order); only a last panel of fewer than `mr`
        // rows is packed, so the kernel never reads past A. A transposed A stays packed: read in
        // place, one panel's kc values sit a row of A apart, and for rows of 2^n doubles those
        // lines fall into a few L1 sets and evict each other before the next panel reuses them.
        let readsAInPlace = instructionSet.hasAVX2 && !transposeA
        let rowStride = transposeA ? 1 : k, columnStride = transposeA ? m : 1
        var jc = columns.lowerBound
        while jc < columns.upperBound {
            let ncCurrent = min(nc, columns.upperBound - jc)
            var pc = 0
            while pc < k {
                let kcCurrent = min(kc, k - pc)
                packB(b, packedB, k: k, n: n, p0: pc, kc: kcCurrent, j0: jc, nc: ncCurrent, transposed: transposeB,
                      instructionSet: instructionSet)
                var ic = rows.lowerBound
                while ic < rows.upperBound {
                    let mcCurrent = min(mc, rows.upperBound - ic)
                    let fullRows = mcCurrent / mr * mr
                    if !readsAInPlace {
                        packA(a, packedA, m: m, k: k, i0: ic, mc: mcCurrent, p0: pc, kc: kcCurrent, transposed: transposeA,
                              instructionSet: instructionSet)
                    } else if fullRows < mcCurrent {
                        packA(a, packedA + fullRows * kcCurrent, m: m, k: k, i0: ic + fullRows, mc: mcCurrent - fullRows,
                              p0: pc, kc: kcCurrent, transposed: transposeA, instructionSet: instructionSet)
                    }
                    var jr = 0
                    while jr < ncCurrent {
                        #if arch(x86_64)
                        if instructionSet == .avx512 && jr + 2 * nr <= ncCurrent {
                            // Two full panels of B at once, eight lanes wide.
                            var ir = 0
                            while ir < mcCurrent {
                                let target = c + (ic + ir) * n + jc + jr
                                let b0 = packedB + jr * kcCurrent, b1 = packedB + (jr + nr) * kcCurrent
                                if readsAInPlace && ir < fullRows {
                                    slope_avx512_matmul_4x16(kcCurrent, a + (ic + ir) * rowStride + pc * columnStride, rowStride,
                                                             columnStride, b0, b1, target, n, pc > 0 ? 1 : 0)
                                } else if ir + mr <= mcCurrent {
                                    slope_avx512_matmul_4x16(kcCurrent, packedA + ir * kcCurrent, 1, mr, b0, b1, target, n,
                                                             pc > 0 ? 1 : 0)
                                } else {
                                    for panel in stride(from: jr, through: jr + nr, by: nr) {
                                        microKernel(kc: kcCurrent, a: packedA + ir * kcCurrent, b: packedB + panel * kcCurrent,
                                                    c: c + (ic + ir) * n + jc + panel, ldc: n, accumulate: pc > 0,
                                                    rows: mcCurrent - ir, columns: nr, instructionSet: instructionSet)
                                    }
                                }
                                ir += mr
                            }
                            jr += 2 * nr
                            continue
                        }
                        #endif
                        var ir = 0
                        let columnsHere = min(nr, ncCurrent - jr)
                        #if arch(x86_64)
                        // With AVX2, rows in pairs of 6 × 8 tiles first (twelve accumulators keep
                        // both FMA pipes busy); the 4-row tiles below take the rest from a multiple
                        // of 12, so they start at a packed panel's first row as before.
                        let sixRowEnd = instructionSet.hasAVX2 && columnsHere == nr ? mcCurrent / 12 * 12 : 0
                        while ir < sixRowEnd {
                            let target = c + (ic + ir) * n + jc + jr
                            let panelOfB = packedB + jr * kcCurrent
                            if readsAInPlace {
                                let rows = a + (ic + ir) * rowStride + pc * columnStride
                                slope_avx2_matmul_6x8(kcCurrent, rows, rows, 6, rowStride, columnStride, panelOfB, target, n,
                                                      pc > 0 ? 1 : 0)
                            } else {
                                // Six rows across two packed 4-row panels: the tile starts at a
                                // panel's first row or half-way into it.
                                let panel = packedA + ir / mr * mr * kcCurrent, offset = ir % mr
                                slope_avx2_matmul_6x8(kcCurrent, panel + offset, panel + mr * kcCurrent, mr - offset, 1, mr,
                                                      panelOfB, target, n, pc > 0 ? 1 : 0)
                            }
                            ir += 6
                        }
                        #endif
                        while ir < mcCurrent {
                            let target = c + (ic + ir) * n + jc + jr
                            if readsAInPlace && ir < fullRows {
                                directKernel(kc: kcCurrent, a: a + (ic + ir) * rowStride + pc * columnStride,
                                             rowStride: rowStride, columnStride: columnStride, b: packedB + jr * kcCurrent,
                                             c: target, ldc: n, accumulate: pc > 0, columns: columnsHere)
                            } else {
                                microKernel(kc: kcCurrent, a: packedA + ir * kcCurrent, b: packedB + jr * kcCurrent,
                                            c: target, ldc: n, accumulate: pc > 0,
                                            rows: min(mr, mcCurrent - ir), columns: columnsHere,
                                            instructionSet: instructionSet)
                            }
                            ir += mr
                        }
                        jr += nr
                    }
                    if let epilogue, pc + kcCurrent == k, jc + ncCurrent == columns.upperBound {
                        epilogue.run(rows: ic..<ic + mcCurrent, n: n, thread: thread)
                    }
                    ic += mcCurrent
                }
                pc += kcCurrent
            }
            jc += ncCurrent
        }
    }

    /// C[4, columns] (+)= A[4, kc] · B̂[kc, 8] with A read in place (AVX2 only): a full tile is
    /// written directly, an edge tile of fewer than 8 columns through a 4 × 8 buffer.
    @inline(__always)
    static func directKernel(kc: Int, a: UnsafePointer<Double>, rowStride: Int, columnStride: Int, b: UnsafePointer<Double>,
                             c: UnsafeMutablePointer<Double>, ldc: Int, accumulate: Bool, columns: Int) {
        #if arch(x86_64)
        if columns == nr {
            slope_avx2_matmul_4x8_direct_a(kc, a, rowStride, columnStride, b, c, ldc, accumulate ? 1 : 0)
            return
        }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: mr * nr) { tile in
            guard let base = tile.baseAddress else { return }
            slope_avx2_matmul_4x8_direct_a(kc, a, rowStride, columnStride, b, base, nr, 0)
            for i in 0..<mr {
                for j in 0..<columns {
                    if accumulate { c[i * ldc + j] += base[i * nr + j] } else { c[i * ldc + j] = base[i * nr + j] }
                }
            }
        }
        #else
        preconditionFailure("internal error: A is read in place only with AVX2")
        #endif
    }

    /// Packs B[p0 ..< p0+kc, j0 ..< j0+nc] as micro-panels of `nr` columns, each kc × nr row-major,
    /// zero-padded past the last column: with 256-bit copies when the CPU has AVX2 (the same
    /// values in the same places), otherwise by the loop below.
    static func packB(_ b: UnsafePointer<Double>, _ packed: UnsafeMutablePointer<Double>, k: Int, n: Int,
                      p0: Int, kc: Int, j0: Int, nc: Int, transposed: Bool, instructionSet: InstructionSet) {
        #if arch(x86_64)
        if instructionSet.hasAVX2 {
            return slope_avx2_pack_b(b, packed, k, n, p0, kc, j0, nc, transposed ? 1 : 0)
        }
        #endif
        var panel = 0
        while panel < nc {
            let width = min(nr, nc - panel)
            let target = packed + panel * kc
            for p in 0..<kc {
                let row = target + p * nr
                if transposed {
                    for j in 0..<width { row[j] = b[(j0 + panel + j) * k + p0 + p] }
                } else {
                    let source = b + (p0 + p) * n + j0 + panel
                    for j in 0..<width { row[j] = source[j] }
                }
                for j in width..<nr { row[j] = 0 }
            }
            panel += nr
        }
    }

    /// Packs A[i0 ..< i0+mc, p0 ..< p0+kc] as micro-panels of `mr` rows, each stored kc × mr
    /// (the mr values of one column together), zero-padded past the last row; like `packB`, with
    /// 256-bit copies when the CPU has AVX2.
    static func packA(_ a: UnsafePointer<Double>, _ packed: UnsafeMutablePointer<Double>, m: Int, k: Int,
                      i0: Int, mc: Int, p0: Int, kc: Int, transposed: Bool, instructionSet: InstructionSet) {
        #if arch(x86_64)
        if instructionSet.hasAVX2 {
            return slope_avx2_pack_a(a, packed, m, k, i0, mc, p0, kc, transposed ? 1 : 0)
        }
        #endif
        var panel = 0
        while panel < mc {
            let height = min(mr, mc - panel)
            let target = packed + panel * kc
            if transposed {
                for p in 0..<kc {
                    let source = a + (p0 + p) * m + i0 + panel
                    let column = target + p * mr
                    for i in 0..<height { column[i] = source[i] }
                    for i in height..<mr { column[i] = 0 }
                }
            } else {
                for i in 0..<mr {
                    if i < height {
                        let source = a + (i0 + panel + i) * k + p0
                        for p in 0..<kc { target[p * mr + i] = source[p] }
                    } else {
                        for p in 0..<kc { target[p * mr + i] = 0 }
                    }
                }
            }
            panel += mr
        }
    }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Double>) -> Lanes {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    static func store(_ value: Lanes, _ pointer: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lanes.self)
    }

    /// C[rows, columns] (+)= Â[4, kc] · B̂[kc, 8] from packed micro-panels, for a tile of at most
    /// 4 × 8: a full tile is written in place, an edge tile through a 4 × 8 buffer.
    @inline(__always)
    static func microKernel(kc: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>,
                            ldc: Int, accumulate: Bool, rows: Int, columns: Int, instructionSet: InstructionSet) {
        #if arch(x86_64)
        if instructionSet.hasAVX2 {
            if rows == mr && columns == nr {
                slope_avx2_matmul_4x8(kc, a, b, c, ldc, accumulate ? 1 : 0)
                return
            }
            withUnsafeTemporaryAllocation(of: Double.self, capacity: mr * nr) { tile in
                guard let base = tile.baseAddress else { return }
                slope_avx2_matmul_4x8(kc, a, b, base, nr, 0)
                for i in 0..<rows {
                    for j in 0..<columns {
                        if accumulate { c[i * ldc + j] += base[i * nr + j] } else { c[i * ldc + j] = base[i * nr + j] }
                    }
                }
            }
            return
        }
        #endif
        portableMicroKernel(kc: kc, a: a, b: b, c: c, ldc: ldc, accumulate: accumulate, rows: rows, columns: columns)
    }

    /// The micro-kernel in Swift, in eight four-lane registers.
    @inline(__always)
    static func portableMicroKernel(kc: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>,
                                    ldc: Int, accumulate: Bool, rows: Int, columns: Int) {
        var c00 = Lanes(repeating: 0), c01 = Lanes(repeating: 0)
        var c10 = Lanes(repeating: 0), c11 = Lanes(repeating: 0)
        var c20 = Lanes(repeating: 0), c21 = Lanes(repeating: 0)
        var c30 = Lanes(repeating: 0), c31 = Lanes(repeating: 0)
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0 = load(pb), b1 = load(pb + 4)
            let a0 = Lanes(repeating: pa[0]), a1 = Lanes(repeating: pa[1])
            let a2 = Lanes(repeating: pa[2]), a3 = Lanes(repeating: pa[3])
            c00.addProduct(a0, b0); c01.addProduct(a0, b1)
            c10.addProduct(a1, b0); c11.addProduct(a1, b1)
            c20.addProduct(a2, b0); c21.addProduct(a2, b1)
            c30.addProduct(a3, b0); c31.addProduct(a3, b1)
            pa += 4
            pb += 8
        }
        if rows == mr && columns == nr {
            if accumulate {
                store(load(c) + c00, c); store(load(c + 4) + c01, c + 4)
                store(load(c + ldc) + c10, c + ldc); store(load(c + ldc + 4) + c11, c + ldc + 4)
                store(load(c + 2 * ldc) + c20, c + 2 * ldc); store(load(c + 2 * ldc + 4) + c21, c + 2 * ldc + 4)
                store(load(c + 3 * ldc) + c30, c + 3 * ldc); store(load(c + 3 * ldc + 4) + c31, c + 3 * ldc + 4)
            } else {
                store(c00, c); store(c01, c + 4)
                store(c10, c + ldc); store(c11, c + ldc + 4)
                store(c20, c + 2 * ldc); store(c21, c + 2 * ldc + 4)
                store(c30, c + 3 * ldc); store(c31, c + 3 * ldc + 4)
            }
            return
        }
        // An edge tile: write only the rows and columns inside C.
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 8) { tile in
            tile[0] = c00; tile[1] = c01; tile[2] = c10; tile[3] = c11
            tile[4] = c20; tile[5] = c21; tile[6] = c30; tile[7] = c31
            for i in 0..<rows {
                for j in 0..<columns {
                    let value = tile[i * 2 + j / 4][j % 4]
                    if accumulate { c[i * ldc + j] += value } else { c[i * ldc + j] = value }
                }
            }
        }
    }
}
