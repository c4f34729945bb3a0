import Foundation
import Testing
@testable import SlopeCore

/// The AVX2 loops of `SlopeAVX2` compute exactly what the portable Swift loops compute: the same
/// bits for every value, special ones included, so the CPU a program runs on never changes a
/// result. (On a CPU without AVX2 only the portable set is available and these compare it with
/// itself.)
struct InstructionSetTests {
    /// Values where the definitions branch or round differently: zeros, subnormals, the ends of
    /// exp's range, the boundaries of log's reduction, infinities and NaN, plus a sweep of
    /// random magnitudes from 1e-320 to 1e300 of both signs.
    static let values: [Double] = {
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 2, .pi, .ulpOfOne, .leastNonzeroMagnitude, .leastNormalMagnitude,
                                -.leastNonzeroMagnitude, 2.2250738585072009e-308, .greatestFiniteMagnitude,
                                -.greatestFiniteMagnitude, .infinity, -.infinity, .nan,
                                709.782712893383973096, 709.79, 709.78, -745.133219101941108420, -745.14, -745.13,
                                -708.4, -1100, 1100, -2000, 2000, 1.4142135623730951, 1.4142135623730950,
                                0.7071067811865476, 1e-16, -1e-16, 36.7, -36.7, 1e-300]
        var random = Random(seed: 11)
        for _ in 0..<4000 {
            let magnitude = Foundation.pow(10, random.uniform(-320, 300))
            values.append(random.uniform(0, 1) < 0.5 ? -magnitude : magnitude)
            values.append(random.uniform(-800, 800))
            values.append(random.uniform(-40, 40))
        }
        return values
    }()

    static let vectorised: [UnaryOp] = [.exp, .log, .sigmoid, .softplus]

    /// The op over `values` through the kernel with the given instruction set; `length` values at
    /// a time from an odd offset, so unaligned starts and loop tails are covered.
    static func apply(_ op: UnaryOp, _ instructionSet: InstructionSet, length: Int) -> [Double] {
        var output = [Double](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                var start = 0
                while start < values.count {
                    let count = min(length, values.count - start)
                    ElementwiseKernels.unary(op, x.baseAddress! + start, y.baseAddress! + start, count, instructionSet: instructionSet)
                    start += count
                }
            }
        }
        return output
    }

    @Test(arguments: vectorised)
    func vectorLoopsGiveTheScalarDefinitionsBits(_ op: UnaryOp) {
        let expected = Self.values.map(op.apply)
        for instructionSet in InstructionSet.available {
            for length in [1, 3, 7, 64, Self.values.count] {
                let actual = Self.apply(op, instructionSet, length: length)
                for (index, (a, e)) in zip(actual, expected).enumerated() where !(a.isNaN && e.isNaN) {
                    #expect(a.bitPattern == e.bitPattern, "\(op.name)(\(Self.values[index])) = \(a), expected \(e) [\(instructionSet)]")
                }
            }
        }
    }

    @Test func inPlaceLoopsMatchCopyingOnes() {
        for op in Self.vectorised {
            for instructionSet in InstructionSet.available {
                var buffer = Self.values
                buffer.withUnsafeMutableBufferPointer { y in
                    ElementwiseKernels.unary(op, UnsafePointer(y.baseAddress!), y.baseAddress!, y.count, instructionSet: instructionSet)
                }
                let copied = Self.apply(op, instructionSet, length: Self.values.count)
                #expect(zip(buffer, copied).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }, "\(op.name) \(instructionSet)")
            }
        }
    }

    /// The shared sigmoid/softplus loop, for every choice of outputs, gives each output the bits
    /// of its single op on x or on −x, for both instruction sets, unaligned starts and tails.
    @Test func theSharedLogisticLoopGivesEachOutputItsOpsBits() {
        let x = Self.values
        let expected = [x.map(UnaryOp.sigmoid.apply), x.map { UnaryOp.sigmoid.apply(-$0) },
                        x.map(UnaryOp.softplus.apply), x.map { UnaryOp.softplus.apply(-$0) }]
        for instructionSet in InstructionSet.available {
            for mask in 1..<16 {
                for length in [1, 3, 7, 64, x.count] {
                    let buffer = UnsafeMutablePointer<Double>.allocate(capacity: 4 * x.count)
                    defer { buffer.deallocate() }
                    buffer.initialize(repeating: 7, count: 4 * x.count)
                    x.withUnsafeBufferPointer { px in
                        var start = 0
                        while start < x.count {
                            let count = min(length, x.count - start)
                            func place(_ output: Int) -> UnsafeMutablePointer<Double>? {
                                mask & (1 << output) != 0 ? buffer + output * x.count + start : nil
                            }
                            let places = LogisticOutputs(sigmoid: place(0), sigmoidOfNegative: place(1),
                                                         softplus: place(2), softplusOfNegative: place(3))
                            ElementwiseKernels.logistic(px.baseAddress! + start, places, count, instructionSet: instructionSet)
                            start += count
                        }
                    }
                    let outputs = (0..<4).map { Array(UnsafeBufferPointer(start: buffer + $0 * x.count, count: x.count)) }
                    for output in 0..<4 {
                        if mask & (1 << output) != 0 {
                            #expect(Self.sameBits(outputs[output], expected[output]), "output \(output) of mask \(mask), length \(length) [\(instructionSet)]")
                        } else {
                            #expect(outputs[output].allSatisfy { $0 == 7 }, "output \(output) written though not asked for (mask \(mask))")
                        }
                    }
                }
            }
        }
    }

    static func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    /// Every binary op through the three loop shapes (both operands full, a scalar on the left,
    /// a scalar on the right), on pairs of the special and random values.
    @Test(arguments: BinaryOp.allCases)
    func arithmeticLoopsGiveThePortableBits(_ op: BinaryOp) {
        let a = Self.values, b = Array(Self.values.reversed())
        let scalars: [Double] = [2, -0.5, 0, -0.0, 3, .infinity, .nan, 1e-310]
        func run(_ instructionSet: InstructionSet) -> [[Double]] {
            var results: [[Double]] = []
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    var y = [Double](repeating: 0, count: a.count)
                    y.withUnsafeMutableBufferPointer {
                        ElementwiseKernels.binary(op, pa.baseAddress!, pb.baseAddress!, $0.baseAddress!, a.count, instructionSet: instructionSet)
                    }
                    results.append(y)
                    for s in scalars {
                        y.withUnsafeMutableBufferPointer {
                            ElementwiseKernels.binary(op, scalar: s, pb.baseAddress!, $0.baseAddress!, a.count, instructionSet: instructionSet)
                        }
                        results.append(y)
                        y.withUnsafeMutableBufferPointer {
                            ElementwiseKernels.binary(op, pa.baseAddress!, scalar: s, $0.baseAddress!, a.count, instructionSet: instructionSet)
                        }
                        results.append(y)
                    }
                }
            }
            return results
        }
        let portable = run(.portable)
        // The portable loops are the op's definition.
        #expect(Self.sameBits(portable[0], zip(a, b).map(op.apply)))
        for instructionSet in InstructionSet.available {
            let other = run(instructionSet)
            for (index, (x, y)) in zip(other, portable).enumerated() {
                #expect(Self.sameBits(x, y), "\(op.name) loop \(index) [\(instructionSet)]")
            }
        }
    }

    @Test func combinationsGiveThePortableBitsAndTheChainsBits() {
        // Terms over special values and random ones: products by a scalar, plain values and
        // scalars, added and subtracted, every length from 0 to past a vector step, in place too.
        let x = Self.values, w = Array(Self.values.reversed()), v = Self.values.map { $0 * 0.5 - 1 }
        let n = x.count
        let shapes: [(terms: [(values: [Double]?, coefficient: Double, scaled: Bool)], subtracted: Int)] = [
            ([(x, 2.5, true), (w, -0.75, true), (nil, 1.25, false)], 0),
            ([(nil, 3, false), (x, 1e-300, true), (v, 1, false)], 0b100),
            ([(x, 1, false), (w, .infinity, true), (v, -0.0, true), (nil, .nan, false)], 0b0110),
            ([(x, 0.1, true), (nil, 1e300, false), (v, 0.3, true), (w, -0.0, false)], 0b1010),
            ([(nil, 0.1, false), (nil, 1e-300, false), (v, 0.3, true), (nil, 7, false)], 0b1110),
            ([(w, 0.1, true), (x, 2, true)], 0b10),
            // Five terms: past the AVX2 loop's four, the portable loop for every instruction set.
            ([(x, 0.1, true), (w, 0.2, true), (v, 0.3, true), (x, 0.4, true), (nil, 1e300, false)], 0b10101),
        ]
        for (shape, subtracted) in shapes {
            // The chain of binary loops the combination stands for.
            var expected = [Double](repeating: 0, count: n)
            for (j, term) in shape.enumerated() {
                let values = term.values.map { values in term.scaled ? values.map { $0 * term.coefficient } : values }
                    ?? [Double](repeating: term.coefficient, count: n)
                expected = j == 0 ? values : zip(expected, values).map { subtracted >> j & 1 == 1 ? $0 - $1 : $0 + $1 }
            }
            let pointers = shape.map { term -> UnsafeMutablePointer<Double>? in
                term.values.map { values in
                    let pointer = UnsafeMutablePointer<Double>.allocate(capacity: n)
                    pointer.initialize(from: values, count: n)
                    return pointer
                }
            }
            defer { pointers.forEach { $0?.deallocate() } }
            let values = pointers.map { $0.map { UnsafePointer($0) } }
            let coefficients = shape.map(\.coefficient)
            let scaled = shape.enumerated().reduce(0) { $0 | ($1.element.scaled ? 1 << $1.offset : 0) }
            for instructionSet in InstructionSet.available {
                for length in [0, 1, 7, 8, 9, 64, n] {
                    var y = [Double](repeating: .nan, count: n)
                    ElementwiseKernels.combination(shape.count, values, coefficients, scaled: scaled, subtracted: subtracted,
                                                   &y, length, instructionSet: instructionSet)
                    #expect(Self.sameBits(Array(y[..<length]), Array(expected[..<length])), "\(shape.count) terms n \(length) [\(instructionSet)]")
                }
                // Written over the first values among its terms.
                let first = pointers.compactMap { $0 }[0]
                let saved = Array(UnsafeBufferPointer(start: first, count: n))
                ElementwiseKernels.combination(shape.count, values, coefficients, scaled: scaled, subtracted: subtracted,
                                               first, n, instructionSet: instructionSet)
                #expect(Self.sameBits(Array(UnsafeBufferPointer(start: first, count: n)), expected), "in place [\(instructionSet)]")
                first.update(from: saved, count: n)
            }
        }
    }

    @Test func sumsAndDotProductsGiveThePortableBits() {
        var random = Random(seed: 5)
        let a = (0..<1037).map { _ in random.uniform(-1, 1) * Foundation.pow(10, random.uniform(-8, 8)) }
        let b = (0..<1037).map { _ in random.uniform(-1, 1) }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for n in [0, 1, 3, 4, 5, 17, 1024, 1037] {
                    let sum = ReductionKernels.sum(pa.baseAddress!, n, instructionSet: .portable)
                    let dot = ReductionKernels.dot(pa.baseAddress!, pb.baseAddress!, n, instructionSet: .portable)
                    for instructionSet in InstructionSet.available {
                        #expect(ReductionKernels.sum(pa.baseAddress!, n, instructionSet: instructionSet).bitPattern == sum.bitPattern, "sum n \(n)")
                        #expect(ReductionKernels.dot(pa.baseAddress!, pb.baseAddress!, n, instructionSet: instructionSet).bitPattern == dot.bitPattern,
                                "dot n \(n)")
                    }
                }
            }
        }
    }

    @Test func severalSumsInOnePassGiveEachSumsAndDotsBits() {
        var random = Random(seed: 9)
        let columns = (0..<6).map { _ in (0..<1037).map { _ in random.uniform(-1, 1) * Foundation.pow(10, random.uniform(-6, 6)) } }
        let pointers = columns.map { column in
            let pointer = UnsafeMutablePointer<Double>.allocate(capacity: column.count)
            pointer.initialize(from: column, count: column.count)
            return UnsafePointer(pointer)
        }
        defer { pointers.forEach { UnsafeMutablePointer(mutating: $0).deallocate() } }
        // Six chains, two of them sums (no second factor): a batch of four and one of two.
        let a: [UnsafePointer<Double>?] = [pointers[0], pointers[1], pointers[2], pointers[3], pointers[4], pointers[5]]
        let b: [UnsafePointer<Double>?] = [nil, pointers[0], pointers[5], nil, pointers[2], pointers[2]]
        for n in [0, 1, 3, 4, 7, 512, 1037] {
            for instructionSet in InstructionSet.available {
                var totals = [Double](repeating: .nan, count: 6)
                ReductionKernels.sums(6, a, b, n, &totals, instructionSet: instructionSet)
                for j in 0..<6 {
                    let expected = b[j].map { ReductionKernels.dot(a[j]!, $0, n, instructionSet: .portable) }
                        ?? ReductionKernels.sum(a[j]!, n, instructionSet: .portable)
                    #expect(totals[j].bitPattern == expected.bitPattern, "chain \(j) n \(n) [\(instructionSet)]")
                }
            }
        }
    }

    @Test func minAndMaxInOnePassGiveTheSequentialBits() {
        var random = Random(seed: 10)
        let cases: [[Double]] = [
            (0..<1037).map { _ in random.uniform(-3, 3) },
            [0.0, -0.0, 1, -1, 0.0],                       // a zero maximum... and a signed-zero tie
            [-0.0, 0.0, -0.0, 0.0, -0.0, 0.0],             // both extremes zero
            [1, 2, .nan, 3, 4, 5, 6, -1],                  // a NaN
            [2, 3, -.infinity, .infinity, 1],
            [5], [],
        ]
        for values in cases {
            values.withUnsafeBufferPointer { x in
                let pointer = x.baseAddress ?? UnsafePointer(bitPattern: 8)!
                let (smallest, largest) = ReductionKernels.minMax(pointer, values.count)
                let sequential = { (op: ReduceOp) in op.withCombine { combine in values.reduce(op.identity, combine) } }
                #expect(smallest.bitPattern == sequential(.min).bitPattern, "min of \(values)")
                #expect(largest.bitPattern == sequential(.max).bitPattern, "max of \(values)")
            }
        }
    }

    #if arch(x86_64)
    @Test func theHostReportsAVX2OnThisCI() {
        // Every x86-64 machine CI runs on has AVX2 and FMA (Haswell, 2013, and later): the fast
        // path is tested, not just the portable one.
        #expect(InstructionSet.host != .portable)
    }
    #endif
}
