import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Fused plans compute what unfused plans compute: every elementwise value bit for bit (the
/// same kernels run on the same elements), reductions to 1e-13 relative (a fused sum adds chunk by
/// chunk, an unfused one in four lanes over the whole array).
struct FusionTests {
    /// Lowers `source`, then runs every printed value with fusion (on two threads where a group
    /// is large enough) and without.
    func compare(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (program, diagnostics) = InProcess.lower(source)
        let p = try #require(program, "\(diagnostics.map(\.message))", sourceLocation: sourceLocation)
        let fused = Executor(graph: p.graph, outputs: p.roots, leafValues: p.leafValues, fuse: true,
                             options: ExecutionOptions(threads: 2))
        let unfused = Executor(graph: p.graph, outputs: p.roots, leafValues: p.leafValues, fuse: false)
        fused.run()
        unfused.run()
        for root in p.roots {
            expectClose(fused.value(root), unfused.value(root), tolerance: 1e-13, sourceLocation: sourceLocation)
        }
    }

    @Test func maxAndMinFuseWithTheBitsOfTheSequentialLoop() throws {
        // Ties of signed zeros (y * 0 holds 0 and -0) and NaNs (log of negative numbers) are where
        // a vectorised maximum could differ from the sequential one; 5000 elements run in halves.
        let (program, diagnostics) = InProcess.lower("""
            seed 6
            input x: [5000] = normal(0, 1)
            y = x * 2
            print max(y), min(y), max(y * 0), min(y * 0), max(-(y * 0)), max(log(y)), min(sqrt(y)), sum(y)
            """)
        let p = try #require(program, "\(diagnostics.map(\.message))")
        let fused = Executor(graph: p.graph, outputs: p.roots, leafValues: p.leafValues, fuse: true,
                             options: ExecutionOptions(threads: 2))
        let unfused = Executor(graph: p.graph, outputs: p.roots, leafValues: p.leafValues, fuse: false)
        let reductions = fused.plan.steps.flatMap { step -> [String] in
            guard case .fused(let program) = step.kernel else { return [] }
            return program.reductions.map(\.name)
        }
        #expect(reductions.filter { $0 == "max" || $0 == "min" }.count >= 5, "\(reductions)")
        fused.run()
        unfused.run()
        for root in p.roots.dropLast() {
            let a = fused.value(root).values[0], b = unfused.value(root).values[0]
            #expect(a.bitPattern == b.bitPattern, "\(a) vs \(b)")
        }
    }

    @Test func aProductReadOnlyByASumIsSummedAsADotWithTheSameBits() throws {
        // The gradient of a weight is sum(dy * x): the product is never stored. The fused plan's
        // sums have the bits of the same fused plan computing the product first (both sum chunk by
        // chunk in four lanes), and agree with the unfused plan to rounding.
        let source = """
            seed 3
            input x: [5000] = normal(0, 1)
            input y: [5000] = normal(0, 1)
            d = sigmoid(x * 0.5 + 0.25) - y
            print sum(d * x), sum(d * y), sum(d), mean(d * d), sum(d * 2)
            """
        let (program, diagnostics) = InProcess.lower(source)
        let p = try #require(program, "\(diagnostics.map(\.message))")
        let fused = Executor(graph: p.graph, outputs: p.roots, leafValues: p.leafValues, fuse: true,
                             options: ExecutionOptions(threads: 2))
        let programs = fused.plan.steps.compactMap { step -> FusedProgram? in
            if case .fused(let program) = step.kernel { return program }
            return nil
        }
        let names = programs.flatMap { $0.reductions.map(\.name) }
        #expect(names.filter { $0 == "dot" }.count == 3, "\(names)")   // d*x, d*y, d*d; not d*2
        // Undo the fusion: the same plan with each dot written as its product and a sum.
        var instructions = programs[0].instructions, reductions = programs[0].reductions
        var register = programs[0].registerCount
        for (index, reduction) in reductions.enumerated() {
            guard case .dot(let a, let b, let output, let divisor) = reduction else { continue }
            instructions.append(.init(operation: .binary(.mul), destination: .register(register), a: a, b: b))
            reductions[index] = .all(source: .register(register), output: output, divisor: divisor)
            register += 1
        }
        let unfusedProducts = FusedProgram(count: programs[0].count, chunk: programs[0].chunk, registerCount: register,
                                           instructions: instructions, tiles: programs[0].tiles, reductions: reductions,
                                           runsInHalves: programs[0].runsInHalves)
        #expect(programs.count == 1 && unfusedProducts.instructions.count == programs[0].instructions.count + 3)
        fused.run()
        let viaDots = p.roots.map { fused.value($0).values[0] }
        // The reference program over the same arena (its inputs are there), with its own scratch.
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 2 * unfusedProducts.scratchPerThread)
        defer { scratch.deallocate() }
        unfusedProducts.run(arena: fused.arena, scratch: scratch, worker: nil)
        for (root, value) in zip(p.roots, viaDots) {
            #expect(fused.value(root).values[0].bitPattern == value.bitPattern, "\(value)")
        }
        try compare(source)
    }

    @Test func elementwiseChainsWithScalarsAndRowVectors() throws {
        // A bias row [4] tiled over [300, 4], scalars, a broadcast read in place, and a column sum.
        try compare("""
            seed 3
            input X: [300, 4] = normal(0, 1)
            param b: [4] = uniform(-1, 1)
            param s = 0.5
            h = sigmoid(X * s + b)
            g = h * (1 - h) + broadcast(s, [300, 4])
            print g, sum(g, axis: 0), mean(g), sum_to(g, [4]), softplus(g - 2), exp(-g), log(g + 1)
            """)
    }

    @Test func groupsAboveTheThreadThresholdSplitAndCombineTheirSums() throws {
        // 2^17 elements: two threads, each with its own partial sums.
        try compare("""
            seed 4
            input x: [131072] = uniform(-3, 3)
            y = relu(x) * 2 + abs(x - 1) / 3
            print sum(y), mean(y * y), y
            """)
    }

    @Test func aValueReadAfterItsGroupIsWrittenOut() throws {
        // t is used inside the group and by the matmul after it, so it must be stored.
        try compare("""
            seed 5
            input A: [6, 5] = normal(0, 1)
            input v: [5] = normal(0, 1)
            t = tanh(A) * 2
            u = t @ v
            print sum(t + 1), u, sigmoid(u)
            """)
    }

    @Test func bceSharesOneExponentialBetweenSigmoidAndBothSoftpluses() throws {
        // The stabilised bce reads sigmoid(z), softplus(z) and softplus(−z): one logistic
        // instruction computes all three, and the negation it no longer needs is not computed.
        let source = """
            seed 6
            input x: [5000] = normal(0, 3)
            input y: [5000] = uniform(0, 1)
            z = x * 2 - 1
            p = sigmoid(z)
            print mean(y * softplus(-z) + (1 - y) * softplus(z)), p, sum(p - y)
            """
        try compare(source)
        let (program, _) = InProcess.lower(source)
        let p = try #require(program)
        let plan = Planner.plan(p.graph, outputs: p.roots)
        let operations = plan.steps.flatMap { step -> [String] in
            guard case .fused(let program) = step.kernel else { return [] }
            return program.instructions.map(\.operation.name)
        }
        #expect(operations.contains("logistic(sigmoid,softplus,softplus-)"), "\(operations)")
        #expect(!operations.contains("sigmoid") && !operations.contains("softplus") && !operations.contains("neg"), "\(operations)")
    }

    @Test func sigmoidAndSoftplusOfANegationStoredForLaterStillShareTheExponential() throws {
        // −z is read after the group (by the matmul), so it is computed and stored; the
        // sigmoid of z and the softplus of −z still come from one instruction.
        try compare("""
            seed 7
            input A: [40, 30] = normal(0, 2)
            input v: [30] = normal(0, 1)
            z = A * 3
            n = -z
            print sigmoid(z), softplus(n), n @ v, softplus(z) + sigmoid(n)
            """)
    }

    @Test func theFusedPlanHasFewerStepsAndNoBufferForRegisterValues() throws {
        let (program, _) = InProcess.lower("input x = [1, 2, 3, 4]\nprint sum(exp(x) * 2 + x)")
        let p = try #require(program)
        let fused = Planner.plan(p.graph, outputs: p.roots)
        let unfused = Planner.plan(p.graph, outputs: p.roots, fuse: false)
        // exp, mul, add and the sum become one fused step; unfused they are four.
        #expect(fused.stepCount == 1)
        #expect(unfused.stepCount == 4)
        #expect(fused.arenaSize < unfused.arenaSize)
    }

    @Test func outerProductsAndColumnsJoinTheGroupPastAnIndependentSmallerOne() throws {
        // The backward chain of a sigmoid layer: e ⊗ w (an outer product), a column c spread
        // along the rows, and between them v = w * 2, which starts a group of its own shape but
        // waits until the big group closes. Small (one thread) and above the threshold (two).
        for rows in [300, 40_000] {
            let source = """
                seed 8
                input X: [\(rows), 4] = normal(0, 1)
                input e: [\(rows), 1] = normal(0, 1)
                param w: [4, 1] = uniform(-1, 1)
                param c: [\(rows), 1] = uniform(-1, 1)
                h = sigmoid(X)
                o = e @ transpose(w)
                v = w * 2
                g = o * (h * (1 - h)) + c
                print g, sum(g, axis: 0), v, sum(v)
                """
            try compare(source)
            let (program, _) = InProcess.lower(source)
            let p = try #require(program)
            let plan = Planner.plan(p.graph, outputs: p.roots)
            let groups = plan.steps.compactMap { step -> FusedProgram? in
                guard case .fused(let program) = step.kernel else { return nil }
                return program
            }
            let big = try #require(groups.first { $0.count == rows * 4 }, "\(plan.description)")
            #expect(groups.filter { $0.count == rows * 4 }.count == 1, "one group for the [rows, 4] chain: \(plan.description)")
            #expect(big.spreads.count == 2 && big.tiles.count == 1, "e and c spread, w tiled: \(plan.description)")
            #expect(!plan.steps.contains { if case .matmul = $0.kernel { return true } else { return false } },
                    "the outer product runs inside the group: \(plan.description)")
        }
    }

    @Test func aWeightGradientHtDzRunsAsColumnSumsInTheGroupThatReadsH() throws {
        // The last layer's weight gradient Hᵀ · dz (H [rows, 6], dz [rows, 1]) is scheduled
        // before the chain dH = (dz ⊗ w) · H(1 − H); it moves into that chain's group, whose
        // pass over H then also sums H · dz by columns. H from a buffer (an input) and from a
        // register (computed in the same group); one thread and two halves; and a gradient read
        // by the chain itself, which must stay a product of its own. The chain goes on past
        // H's last member read, so that H's register would be taken for later values if the
        // column sums did not count as a read of it.
        for rows in [300, 40_000] {
            // Positive terms, as sigmoid outputs are, so that the sums do not cancel: the fused
            // halves add in another order than the unfused loop, within 1e-13 only without
            // cancellation.
            for (define, readsGradient) in [("input H: [\(rows), 6] = uniform(0, 1)", false),
                                            ("input X: [\(rows), 6] = normal(0, 1)\nH = sigmoid(X)", false),
                                            ("input H: [\(rows), 6] = uniform(0, 1)", true)] {
                let source = """
                    seed 10
                    \(define)
                    input dz: [\(rows), 1] = uniform(0.5, 1.5)
                    param w: [6, 1] = uniform(-1, 1)
                    gw = transpose(H) @ dz
                    dH = exp((dz @ transpose(\(readsGradient ? "gw" : "w"))) * (H * (1 - H)) * 2 + 1) * 3 - 1
                    print gw, dH, sum(dH, axis: 0)
                    """
                try compare(source)
                let (program, _) = InProcess.lower(source)
                let p = try #require(program)
                let plan = Planner.plan(p.graph, outputs: p.roots)
                let products = plan.steps.filter { if case .matmul = $0.kernel { return true } else { return false } }
                #expect(products.count == (readsGradient ? 1 : 0), "\(define), reads gw \(readsGradient): \(plan.description)")
                if !readsGradient {
                    let group = try #require(plan.steps.compactMap { step -> FusedProgram? in
                        guard case .fused(let program) = step.kernel else { return nil }
                        return program.count == rows * 6 ? program : nil
                    }.first, "\(plan.description)")
                    #expect(group.reductions.map(\.name) == ["sum-columns", "sum-columns"], "\(plan.description)")
                }
            }
        }
    }

    @Test func aLayerRunsItsBiasAndSigmoidAsTheProductsEpilogueWithTheSameBits() throws {
        // sigmoid(X @ W + b): the loop after the product runs over each block of rows as it is
        // finished. Rows not a multiple of the 128-row block, columns not of the 8-column tile;
        // then a product split over two threads by rows. Every value as unfused, to the bit.
        for (rows, depth, columns) in [(1000, 37, 20), (4100, 64, 128)] {
            let source = """
                seed 9
                input X: [\(rows), \(depth)] = normal(0, 1)
                param W: [\(depth), \(columns)] = normal(0, 0.3)
                param b: [\(columns)] = uniform(-1, 1)
                H = sigmoid(X @ W + b)
                print H
                """
            let (program, diagnostics) = InProcess.lower(source)
            let p = try #require(program, "\(diagnostics.map(\.message))")
            let plan = Planner.plan(p.graph, outputs: p.roots)
            let merged = MatmulEpilogue.merging(plan.steps)
            #expect(merged.contains { if case .matmulThen = $0.kernel { return true } else { return false } },
                    "the loop runs as the product's epilogue: \(plan.description)")
            let fused = Executor(plan: plan, leafValues: p.leafValues, options: ExecutionOptions(threads: 2))
            let unfused = Executor(graph: p.graph, outputs: p.roots, leafValues: p.leafValues, fuse: false)
            fused.run()
            unfused.run()
            let h = try #require(p.roots.first)
            #expect(fused.value(h).values.map(\.bitPattern) == unfused.value(h).values.map(\.bitPattern), "rows \(rows)")
        }
    }

    @Test func aLoopThatWritesWhatTheProductReadsIsNotItsEpilogue() throws {
        // A loop writing over A would corrupt the rows still to be computed: the check refuses
        // it, and one that reads the product elsewhere than at each element's own place.
        let (program, _) = InProcess.lower("input X: [64, 16] = normal(0, 1)\nparam W: [16, 32] = normal(0, 1)\nprint relu(X @ W)")
        let p = try #require(program)
        let plan = Planner.plan(p.graph, outputs: p.roots)
        guard let index = plan.steps.firstIndex(where: { if case .matmul = $0.kernel { return true } else { return false } }),
              case .fused(let loop) = plan.steps[index + 1].kernel else {
            Issue.record("expected a matmul and its loop: \(plan.description)")
            return
        }
        let step = plan.steps[index]
        #expect(MatmulEpilogue.qualifies(loop, after: step, m: 64, k: 16, n: 32))
        let overA = FusedProgram(count: 64 * 32, chunk: 512, registerCount: 0,
                                 instructions: [.init(operation: .unary(.relu), destination: .buffer(step.inputs[0]),
                                                      a: .buffer(step.output), b: nil)],
                                 tiles: [], reductions: [])
        #expect(!MatmulEpilogue.qualifies(overA, after: step, m: 64, k: 16, n: 32))
        let shifted = FusedProgram(count: 64 * 32, chunk: 512, registerCount: 0,
                                   instructions: [.init(operation: .unary(.relu), destination: .register(0),
                                                        a: .buffer(step.output + 1), b: nil)],
                                   tiles: [], reductions: [])
        #expect(!MatmulEpilogue.qualifies(shifted, after: step, m: 64, k: 16, n: 32))
    }

    @Test func aNodeReadingBothTheOpenGroupAndAWaitingNodeRunsAfterBoth() throws {
        // v and u wait (another shape, independent of h's group); g reads the group and, through
        // the transpose, u: the group closes, the waiting nodes run, then g. Every value as unfused.
        try compare("""
            seed 10
            input X: [300, 4] = normal(0, 1)
            param w: [4, 1] = uniform(-1, 1)
            h = sigmoid(X)
            v = w * 2
            u = v + 1
            k = h * h
            g = k * 3 + transpose(u)
            print g, sum(g), u, sum(k)
            """)
    }
}
