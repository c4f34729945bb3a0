#if arch(x86_64)
import SlopeAVX2
#endif

/// Reductions: over everything, along one axis, and sums down to a broadcast-compatible shape.
enum ReductionKernels {
    /// `op` over n contiguous values: sums in four lanes, max and min through the op's combine.
    static func reduce(_ op: ReduceOp, _ x: UnsafePointer<Double>, _ n: Int) -> Double {
        switch op {
        case .sum: return sum(x, n)
        case .mean: return sum(x, n) / Double(n)
        case .logsumexp: return logSumExp(x, n, stride: 1)
        case .max, .min:
            #if arch(x86_64)
            if InstructionSet.host.hasAVX2 {
                var result = 0.0
                if slope_avx2_extreme(x, n, op == .max ? 1 : 0, &result) != 0 { return result }
            }
            #endif
            return op.withCombine { combine in
                var accumulated = op.identity
                for i in 0..<n { accumulated = combine(accumulated, x[i]) }
                return accumulated
            }
        }
    }

    /// (min, max) of n contiguous values in one pass: each what `reduce(.min)` and
    /// `reduce(.max)` give.
    static func minMax(_ x: UnsafePointer<Double>, _ n: Int) -> (min: Double, max: Double) {
        #if arch(x86_64)
        if InstructionSet.host.hasAVX2 {
            var smallest = 0.0, largest = 0.0
            let exact = slope_avx2_min_max(x, n, &smallest, &largest)
            return (exact & 1 != 0 ? smallest : reduce(.min, x, n), exact & 2 != 0 ? largest : reduce(.max, x, n))
        }
        #endif
        return (reduce(.min, x, n), reduce(.max, x, n))
    }

    /// x viewed as [outer, n, inner]; y[o, i] = op over a of x[o, a, i].
    static func reduceAxis(_ op: ReduceOp, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                           outer: Int, n: Int, inner: Int) {
        switch op {
        case .sum:
            sumAxis(x, y, outer: outer, n: n, inner: inner)
        case .mean:
            sumAxis(x, y, outer: outer, n: n, inner: inner)
            let divisor = Double(n)
            for i in 0..<(outer * inner) { y[i] /= divisor }
        case .logsumexp:
            for o in 0..<outer {
                for i in 0..<inner { y[o * inner + i] = logSumExp(x + o * n * inner + i, n, stride: inner) }
            }
        case .max, .min:
            op.withCombine { combine in
                for o in 0..<outer {
                    let out = y + o * inner
                    let base = x + o * n * inner
                    for i in 0..<inner { out[i] = op.identity }
                    for a in 0..<n {
                        let row = base + a * inner
                        for i in 0..<inner { out[i] = combine(out[i], row[i]) }
                    }
                }
            }
        }
    }

    /// log Σ exp(xᵢ) over n values `stride` apart, in two passes: the maximum m, then
    /// m + log Σ exp(xᵢ − m), so no exponential overflows and the largest term is exactly 1.
    /// NaN if any value is NaN; inf if any is inf; -inf if all are -inf (or n is 0).
    static func logSumExp(_ x: UnsafePointer<Double>, _ n: Int, stride: Int) -> Double {
        var largest = -Double.infinity
        for i in 0..<n {
            let value = x[i * stride]
            if value.isNaN { return value }
            if value > largest { largest = value }
        }
        if largest.isInfinite { return largest }
        var total = 0.0
        for i in 0..<n { total += VectorMath.exp(x[i * stride] - largest) }
        return largest + VectorMath.log(total)
    }

    /// Sum of n contiguous values, accumulated in four lanes (pairwise-ish, and vectorisable).
    /// The AVX2 loop keeps the same four totals in one register.
    static func sum(_ x: UnsafePointer<Double>, _ n: Int, instructionSet: InstructionSet = .host) -> Double {
        #if arch(x86_64)
        if instructionSet.hasAVX2 { return slope_avx2_sum(x, n) }
        #endif
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= n {
            s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3]
            i += 4
        }
        while i < n { s0 += x[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// Σ a[i]·b[i], in four lanes (each product rounded, then added).
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int, instructionSet: InstructionSet = .host) -> Double {
        #if arch(x86_64)
        if instructionSet.hasAVX2 { return slope_avx2_dot(a, b, n) }
        #endif
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= n {
            s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]; s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3]
            i += 4
        }
        while i < n { s0 += a[i] * b[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// totals[j] = `dot(a[j], b[j], n)`, or `sum(a[j], n)` where b[j] is nil, for j < k: the
    /// sums of a fused group's chunk in one pass (the AVX2 loop runs them as independent chains).
    static func sums(_ k: Int, _ a: UnsafePointer<UnsafePointer<Double>?>, _ b: UnsafePointer<UnsafePointer<Double>?>,
                     _ n: Int, _ totals: UnsafeMutablePointer<Double>, instructionSet: InstructionSet = .host) {
        #if arch(x86_64)
        if instructionSet.hasAVX2 { return slope_avx2_sums(k, a, b, n, totals) }
        #endif
        for j in 0..<k {
            let x = a[j]!
            totals[j] = b[j].map { dot(x, $0, n, instructionSet: instructionSet) } ?? sum(x, n, instructionSet: instructionSet)
        }
    }

    /// x viewed as [outer, n, inner]; y[o, i] = Σ_a x[o, a, i].
    static func sumAxis(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, outer: Int, n: Int, inner: Int) {
        if inner == 1 {
            for o in 0..<outer { y[o] = sum(x + o * n, n) }
            return
        }
        for o in 0..<outer {
            let out = y + o * inner
            let base = x + o * n * inner
            for i in 0..<inner { out[i] = base[i] }
            for a in 1..<max(n, 1) {
                let row = base + a * inner
                for i in 0..<inner { out[i] += row[i] }
            }
            if n == 0 { for i in 0..<inner { out[i] = 0 } }
        }
    }

    /// x viewed as [outer, n, inner]; y[o, a, i] = Σ_{b ≤ a} x[o, b, i], summed in order.
    static func cumsum(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, outer: Int, n: Int, inner: Int) {
        for o in 0..<outer {
            let base = o * n * inner
            for i in 0..<inner { y[base + i] = x[base + i] }
            for a in 1..<max(n, 1) {
                let row = base + a * inner, previous = row - inner
                for i in 0..<inner { y[row + i] = y[previous + i] + x[row + i] }
            }
        }
    }

    /// Sums x (of `layout.shape`) into y over the axes where y's strides are 0.
    static func sumTo(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, outputCount: Int, layout: BroadcastLayout) {
        for i in 0..<outputCount { y[i] = 0 }
        let inner = layout.innerCount
        let yInner = layout.lhsStrides.last ?? 0
        layout.forEachRow { row, yOffset, _ in
            let source = x + row * inner
            if yInner == 1 {
                let target = y + yOffset
                for i in 0..<inner { target[i] += source[i] }
            } else {
                y[yOffset] += sum(source, inner)
            }
        }
    }
}
