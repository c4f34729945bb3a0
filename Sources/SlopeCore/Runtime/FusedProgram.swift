import Foundation

/// A fused group compiled for execution: a short program of elementwise instructions run over
/// the group's elements one chunk at a time. Intermediate values live in chunk-sized registers
/// (a few kilobytes, so they stay in L1); only values read after the group are written to the
/// arena; reductions accumulate chunk by chunk.
final class FusedProgram: @unchecked Sendable {
    /// Where an instruction reads or writes.
    enum Operand: Equatable {
        /// A chunk register.
        case register(Int)
        /// A full-size value in the arena, at this offset (read or written at the chunk's offset).
        case buffer(Int)
        /// One value in the arena, at this offset.
        case scalar(Int)
        /// A row vector tiled to the chunk length: scratch tile number.
        case tiled(Int)
        /// A column whose values each repeat `period` times, spread to the chunk (refilled for
        /// every chunk): scratch spread number.
        case spread(Int)
    }

    /// What an instruction computes.
    enum Operation {
        case unary(UnaryOp)
        case binary(BinaryOp)
        /// y = x: a broadcast written out from inside the group.
        case copy
        /// sigmoid and softplus of x and of −x, computed together into the places given
        /// (`ElementwiseKernels.logistic`); the instruction's destination is the first of them.
        case logistic(LogisticOutputs<Operand>)
        /// y = t₀ ± t₁ ± …, left to right, in one pass: a chain of adds and subtracts over
        /// products by a scalar, values and scalars (`Planner.fuseCombinations`).
        case combination([Term])

        var name: String {
            switch self {
            case .unary(let op): return op.name
            case .binary(let op): return op.name
            case .copy: return "copy"
            case .logistic(let outputs):
                let names = ["sigmoid", "sigmoid-", "softplus", "softplus-"]
                return "logistic(" + zip(names, outputs.places).compactMap { $1 == nil ? nil : $0 }.joined(separator: ",") + ")"
            case .combination(let terms):
                // combination(v*s+v*s+s): v a chunk's values, s a scalar.
                return "combination(" + terms.enumerated().map { index, term in
                    let sign = index == 0 ? "" : term.subtracted ? "-" : "+"
                    switch (term.value, term.coefficient) {
                    case (.some, .some): return sign + "v*s"
                    case (.some, nil): return sign + "v"
                    case (nil, _): return sign + "s"
                    }
                }.joined() + ")"
            }
        }

        /// The operation of an elementwise node (a member of a fused group is one).
        static func elementwise(_ op: Op) -> Operation {
            switch op {
            case .unary(let unary): return .unary(unary)
            case .binary(let binary): return .binary(binary)
            case .constant, .leaf, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum, .integral:
                preconditionFailure("internal error: \(op.name) is not elementwise")
            }
        }
    }

    /// One term of a combination: `value` times `coefficient` (a scalar), `value` alone, or
    /// `coefficient` alone; added to the terms before it, or subtracted.
    struct Term: Equatable {
        let value: Operand?
        let coefficient: Operand?
        let subtracted: Bool

        var operands: [Operand] { [value, coefficient].compactMap { $0 } }
    }

    struct Instruction {
        let operation: Operation
        let destination: Operand
        /// The first operand (of a combination: its first term's value, or its coefficient).
        let a: Operand
        /// The second operand; nil for unary ops and combinations.
        let b: Operand?

        /// Every operand the instruction reads.
        var inputs: [Operand] {
            if case .combination(let terms) = operation { return terms.flatMap(\.operands) }
            return [a] + (b.map { [$0] } ?? [])
        }

        func reads(_ operand: Operand) -> Bool {
            if case .combination(let terms) = operation { return terms.contains { $0.value == operand || $0.coefficient == operand } }
            return a == operand || b == operand
        }

        func writes(_ operand: Operand) -> Bool {
            if case .logistic(let outputs) = operation { return outputs.places.contains { $0 == operand } }
            return destination == operand
        }
    }

    enum Reduction {
        /// Sum of every element into one value.
        case all(source: Operand, output: Int, divisor: Double)
        /// Sum of the products a·b, each rounded, over every element: a product read only by a
        /// sum, which is then never stored (`Planner.fuseProducts`); the same bits.
        case dot(a: Operand, b: Operand, output: Int, divisor: Double)
        /// Column sums of a [rows, period] layout into `period` values.
        case columns(source: Operand, output: Int, period: Int, divisor: Double)
        /// The largest or the smallest element (`op` is max or min): NaN if any element is.
        case extreme(source: Operand, output: Int, op: ReduceOp)

        /// How `slope ir --passes` names it.
        var name: String {
            switch self {
            case .all: return "sum"
            case .dot: return "dot"
            case .columns: return "sum-columns"
            case .extreme(_, _, let op): return op.name
            }
        }

        func reads(_ operand: Operand) -> Bool {
            switch self {
            case .all(let source, _, _), .columns(let source, _, _, _), .extreme(let source, _, _): return source == operand
            case .dot(let a, let b, _, _): return a == operand || b == operand
            }
        }

        /// Partial results each thread keeps.
        var accumulatorCount: Int {
            switch self {
            case .all, .dot, .extreme: return 1
            case .columns(_, _, let period, _): return period
            }
        }
    }

    let count: Int
    /// Elements per chunk: a multiple of the period when there is one.
    let chunk: Int
    let registerCount: Int
    let instructions: [Instruction]
    /// Arena offsets and periods of the row vectors to tile.
    let tiles: [(offset: Int, period: Int)]
    /// Arena offsets and periods of the columns to spread.
    let spreads: [(offset: Int, period: Int)]
    let reductions: [Reduction]
    /// Scratch doubles one thread needs: registers, tiles, spreads, accumulators and a chunk's sums.
    let scratchPerThread: Int
    let accumulatorCount: Int
    /// Whether the group runs as two halves, each with its own partial reductions (see `run`).
    let runsInHalves: Bool
    /// The sums and dot products among the reductions, with their accumulators: each chunk
    /// computes them in one pass (`ReductionKernels.sums`).
    let sums: [(a: Operand, b: Operand?, accumulator: Int)]
    /// For each reduction, whether it is a min followed by the max of the same source (or the
    /// reverse): the two are found in one pass (`ReductionKernels.minMax`).
    let pairsWithNext: [Bool]

    /// `runsInHalves` is decided from the size of the work unless given: a program that computes
    /// part of another's work (`ExecutionPlan.partial`) takes the other's, so its reductions
    /// sum in the same order and give the same bits.
    init(count: Int, chunk: Int, registerCount: Int, instructions: [Instruction], tiles: [(Int, Int)], spreads: [(Int, Int)] = [],
         reductions: [Reduction], runsInHalves: Bool? = nil) {
        self.count = count
        self.chunk = chunk
        self.registerCount = registerCount
        self.instructions = instructions
        self.tiles = tiles
        self.spreads = spreads
        self.reductions = reductions
        let accumulators = reductions.reduce(0) { $0 + $1.accumulatorCount }
        accumulatorCount = accumulators
        var sums: [(a: Operand, b: Operand?, accumulator: Int)] = []
        var accumulator = 0
        for reduction in reductions {
            switch reduction {
            case .all(let source, _, _): sums.append((source, nil, accumulator))
            case .dot(let a, let b, _, _): sums.append((a, b, accumulator))
            case .columns, .extreme: break
            }
            accumulator += reduction.accumulatorCount
        }
        self.sums = sums
        pairsWithNext = reductions.indices.map { index in
            guard index + 1 < reductions.count, case .extreme(let source, _, let op) = reductions[index],
                  case .extreme(let nextSource, _, let nextOp) = reductions[index + 1] else { return false }
            return source == nextSource && Set([op, nextOp]) == [.min, .max]
        }
        scratchPerThread = (registerCount + tiles.count + spreads.count) * chunk + accumulators + sums.count
        let chunks = (count + chunk - 1) / chunk
        self.runsInHalves = runsInHalves
            ?? (count * (instructions.count + reductions.count) >= FusedProgram.parallelThreshold && chunks >= 4)
    }

    /// Element operations (elements × instructions and reductions) at which a group is worth
    /// splitting over two threads (the hand-off to `WorkerThread` costs a few microseconds).
    static let parallelThreshold = 1 << 17

    /// Runs the whole group. A large group is always computed as two halves, each with its own
    /// partial sums, added at the end — on two threads when `worker` is given, one after the
    /// other otherwise — so a reduction sums in the same order, and gives the same bits,
    /// whatever the thread count. `scratch` holds `2 · scratchPerThread` doubles.
    func run(arena: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>, worker: WorkerThread?) {
        let chunks = (count + chunk - 1) / chunk
        guard runsInHalves else {
            run(range: 0..<count, arena: arena, scratch: scratch)
            finishReductions(arena: arena, first: scratch, second: nil)
            return
        }
        let half = (chunks + 1) / 2 * chunk
        let second = scratch + scratchPerThread
        if let worker {
            let context = UnsafeContext(arena: arena, scratch: second)
            let count = self.count
            worker.run({
                self.run(range: half..<count, arena: context.arena, scratch: context.scratch)
            }, alongside: {
                run(range: 0..<half, arena: arena, scratch: scratch)
            })
        } else {
            run(range: 0..<half, arena: arena, scratch: scratch)
            run(range: half..<count, arena: arena, scratch: second)
        }
        finishReductions(arena: arena, first: scratch, second: second)
    }

    /// Pointers that may cross into the worker threads: the arena and scratch outlive the call,
    /// and the two halves write disjoint ranges and disjoint scratch.
    struct UnsafeContext: @unchecked Sendable {
        let arena: UnsafeMutablePointer<Double>
        let scratch: UnsafeMutablePointer<Double>
    }

    func run(range: Range<Int>, arena: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        let registers = scratch
        let tileBase = scratch + registerCount * chunk
        let spreadBase = tileBase + tiles.count * chunk
        let accumulators = spreadBase + spreads.count * chunk
        var first = 0
        for reduction in reductions {
            switch reduction {
            case .all, .dot: accumulators[first] = 0
            case .columns(_, _, let period, _): for j in 0..<period { accumulators[first + j] = 0 }
            case .extreme(_, _, let op): accumulators[first] = op.identity
            }
            first += reduction.accumulatorCount
        }
        // Tile each row vector once to the chunk length (chunks start at multiples of it).
        for (number, tile) in tiles.enumerated() {
            let target = tileBase + number * chunk
            var position = 0
            while position < chunk {
                (target + position).update(from: arena + tile.offset, count: tile.period)
                position += tile.period
            }
        }
        // Each chunk's sums and dots: their factors' addresses (a, then b) on the stack, their
        // totals in scratch after the accumulators.
        let sumCount = sums.count
        let totals = accumulators + accumulatorCount
        withUnsafeTemporaryAllocation(of: UnsafePointer<Double>?.self, capacity: max(2 * sumCount, 1)) { factors in
        let a = factors.baseAddress!, b = a + sumCount
        var start = range.lowerBound
        while start < range.upperBound {
            let length = min(chunk, range.upperBound - start)
            // Spread each column's values of this chunk's rows (chunks start at row boundaries).
            for (number, spread) in spreads.enumerated() {
                let target = spreadBase + number * chunk
                let source = arena + spread.offset + start / spread.period
                var position = 0, row = 0
                while position < length {
                    (target + position).update(repeating: source[row], count: spread.period)
                    position += spread.period
                    row += 1
                }
            }
            for instruction in instructions {
                execute(instruction, start: start, length: length, arena: arena, registers: registers, tiles: tileBase)
            }
            if sumCount > 0 {
                for (j, sum) in sums.enumerated() {
                    a[j] = UnsafePointer(address(sum.a, start, arena, registers, tileBase))
                    b[j] = sum.b.map { UnsafePointer(address($0, start, arena, registers, tileBase)) }
                }
                ReductionKernels.sums(sumCount, a, b, length, totals)
                for (j, sum) in sums.enumerated() { accumulators[sum.accumulator] += totals[j] }
            }
            var accumulator = 0
            var pairedDone = false
            for (index, reduction) in reductions.enumerated() {
                if pairedDone {
                    pairedDone = false
                    accumulator += 1
                    continue
                }
                switch reduction {
                case .all, .dot:
                    accumulator += 1
                case .extreme(let source, _, let op) where pairsWithNext[index]:
                    let pointer = UnsafePointer(address(source, start, arena, registers, tileBase))
                    let (smallest, largest) = ReductionKernels.minMax(pointer, length)
                    let (first, second) = op == .min ? (smallest, largest) : (largest, smallest)
                    let nextOp: ReduceOp = op == .min ? .max : .min
                    accumulators[accumulator] = op.withCombine { $0(accumulators[accumulator], first) }
                    accumulators[accumulator + 1] = nextOp.withCombine { $0(accumulators[accumulator + 1], second) }
                    accumulator += 1
                    pairedDone = true
                case .columns(let source, _, let period, _):
                    let pointer = address(source, start, arena, registers, tileBase)
                    let target = accumulators + accumulator
                    var row = 0
                    while row < length {
                        let values = pointer + row
                        for j in 0..<period { target[j] += values[j] }
                        row += period
                    }
                    accumulator += period
                case .extreme(let source, _, let op):
                    let pointer = UnsafePointer(address(source, start, arena, registers, tileBase))
                    let extreme = ReductionKernels.reduce(op, pointer, length)
                    accumulators[accumulator] = op.withCombine { $0(accumulators[accumulator], extreme) }
                    accumulator += 1
                }
            }
            start += length
        }
        }
    }

    /// Adds the partial accumulators of the halves (the second is nil for a group run whole) and
    /// writes the reductions' results.
    func finishReductions(arena: UnsafeMutablePointer<Double>, first: UnsafeMutablePointer<Double>,
                          second: UnsafeMutablePointer<Double>?) {
        guard !reductions.isEmpty else { return }
        let offset = (registerCount + tiles.count + spreads.count) * chunk
        let firstPartials = first + offset
        let secondPartials = second.map { $0 + offset }
        var accumulator = 0
        for reduction in reductions {
            switch reduction {
            case .all(_, let output, let divisor), .dot(_, _, let output, let divisor):
                var total = 0.0 + firstPartials[accumulator]
                if let secondPartials { total += secondPartials[accumulator] }
                arena[output] = divisor == 1 ? total : total / divisor
                accumulator += 1
            case .columns(_, let output, let period, let divisor):
                for j in 0..<period {
                    var total = 0.0 + firstPartials[accumulator + j]
                    if let secondPartials { total += secondPartials[accumulator + j] }
                    arena[output + j] = divisor == 1 ? total : total / divisor
                }
                accumulator += period
            case .extreme(_, let output, let op):
                var extreme = firstPartials[accumulator]
                if let secondPartials { extreme = op.withCombine { $0(extreme, secondPartials[accumulator]) } }
                arena[output] = extreme
                accumulator += 1
            }
        }
    }

    @inline(__always)
    func address(_ operand: Operand, _ start: Int, _ arena: UnsafeMutablePointer<Double>,
                 _ registers: UnsafeMutablePointer<Double>, _ tiles: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<Double> {
        switch operand {
        case .register(let number): return registers + number * chunk
        case .buffer(let offset): return arena + offset + start
        case .scalar(let offset): return arena + offset
        case .tiled(let number): return tiles + number * chunk
        case .spread(let number): return tiles + (self.tiles.count + number) * chunk
        }
    }

    @inline(__always)
    func execute(_ instruction: Instruction, start: Int, length: Int, arena: UnsafeMutablePointer<Double>,
                 registers: UnsafeMutablePointer<Double>, tiles: UnsafeMutablePointer<Double>) {
        let y = address(instruction.destination, start, arena, registers, tiles)
        let a = instruction.a
        let pa = UnsafePointer(address(a, start, arena, registers, tiles))
        switch instruction.operation {
        case .copy:
            if case .scalar = a {
                for i in 0..<length { y[i] = pa[0] }
            } else {
                y.update(from: pa, count: length)
            }
        case .unary(let op):
            if case .scalar = a {
                let value = op.apply(pa[0])
                for i in 0..<length { y[i] = value }
            } else {
                ElementwiseKernels.unary(op, pa, y, length)
            }
        case .logistic(let outputs):
            let places = outputs.map { address($0, start, arena, registers, tiles) }
            if case .scalar = a {
                let x = pa[0]
                let values = [VectorMath.sigmoid(x), VectorMath.sigmoid(-x), VectorMath.softplus(x), VectorMath.softplus(-x)]
                for (place, value) in zip(places.places, values) {
                    if let place { for i in 0..<length { place[i] = value } }
                }
            } else {
                ElementwiseKernels.logistic(pa, places, length)
            }
        case .combination(let terms):
            combine(terms, start: start, length: length, into: y, arena: arena, registers: registers, tiles: tiles)
        case .binary(let op):
            guard let b = instruction.b else { preconditionFailure("internal error: \(op.name) without its second operand") }
            let pb = UnsafePointer(address(b, start, arena, registers, tiles))
            switch (a, b) {
            case (.scalar, .scalar):
                let value = op.apply(pa[0], pb[0])
                for i in 0..<length { y[i] = value }
            case (.scalar, _):
                ElementwiseKernels.binary(op, scalar: pa[0], pb, y, length)
            case (_, .scalar):
                ElementwiseKernels.binary(op, pa, scalar: pb[0], y, length)
            default:
                ElementwiseKernels.binary(op, pa, pb, y, length)
            }
        }
    }

    /// Runs a combination over one chunk: its terms' addresses and scalars on the stack (a
    /// combination has at most `Planner.combinationTerms` terms).
    @inline(__always)
    func combine(_ terms: [Term], start: Int, length: Int, into y: UnsafeMutablePointer<Double>, arena: UnsafeMutablePointer<Double>,
                 registers: UnsafeMutablePointer<Double>, tiles: UnsafeMutablePointer<Double>) {
        withUnsafeTemporaryAllocation(of: UnsafePointer<Double>?.self, capacity: terms.count) { values in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: terms.count) { coefficients in
                var scaled = 0, subtracted = 0
                for (j, term) in terms.enumerated() {
                    values[j] = term.value.map { UnsafePointer(address($0, start, arena, registers, tiles)) }
                    coefficients[j] = term.coefficient.map { address($0, start, arena, registers, tiles)[0] } ?? 1
                    if term.value != nil && term.coefficient != nil { scaled |= 1 << j }
                    if term.subtracted { subtracted |= 1 << j }
                }
                ElementwiseKernels.combination(terms.count, values.baseAddress!, coefficients.baseAddress!, scaled: scaled,
                                               subtracted: subtracted, y, length)
            }
        }
    }
}
