import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `Planner.fuseCombinations` turns chains of adds and subtracts over products by a scalar into
/// one pass; a combination computes exactly what the chain computed.
struct CombinationTests {
    typealias Instruction = FusedProgram.Instruction

    /// The arena of the random programs: four inputs, three scalars, three outputs of `count`.
    static let count = 1037
    static let inputs = (0..<4).map { FusedProgram.Operand.buffer($0 * count) }
    static let scalars = (0..<3).map { FusedProgram.Operand.scalar(4 * count + $0) }
    static let outputs = (0..<3).map { FusedProgram.Operand.buffer(4 * count + 3 + $0 * count) }
    static let arenaSize = 7 * count + 3

    /// A random straight-line program of adds, subtracts and products (half of them by a scalar)
    /// over four registers, the inputs, the scalars and the outputs, with registers overwritten
    /// and read again as the planner's allocation does, and a sum or two at the end.
    static func randomProgram(_ random: inout Random) -> (instructions: [Instruction], reductions: [FusedProgram.Reduction]) {
        func pick<T>(_ choices: [T]) -> T { choices[Int(random.nextBits() % UInt64(choices.count))] }
        var written: [FusedProgram.Operand] = []
        var instructions: [Instruction] = []
        for _ in 0..<(3 + Int(random.nextBits() % 10)) {
            let values = inputs + written
            let op = pick([BinaryOp.add, .sub, .mul, .mul])
            // Mostly the value just computed, so chains form.
            let a = random.nextUniform() < 0.6 ? (instructions.last?.destination ?? pick(values)) : pick(values)
            let b = op == .mul && random.nextUniform() < 0.7 ? pick(scalars) : pick(values + scalars)
            let (left, right) = random.nextUniform() < 0.5 ? (a, b) : (b, a)
            // Never a destination the instruction reads (the planner never makes one).
            let places = ((0..<4).map { FusedProgram.Operand.register($0) } + outputs).filter { $0 != left && $0 != right }
            let destination = pick(places)
            instructions.append(.init(operation: .binary(op), destination: destination, a: left, b: right))
            if !written.contains(destination) { written.append(destination) }
        }
        var reductions: [FusedProgram.Reduction] = []
        for (number, operand) in written.filter({ if case .register = $0 { return true } else { return false } }).prefix(2).enumerated()
            where random.nextUniform() < 0.6 {
            reductions.append(.all(source: operand, output: 4 * count + 3 + 3 * count - 1 - number, divisor: 1))
        }
        return (instructions, reductions)
    }

    /// Runs a program over a fresh copy of `arena`; returns the outputs.
    static func run(_ instructions: [Instruction], _ reductions: [FusedProgram.Reduction], arena: [Double]) -> [Double] {
        let program = FusedProgram(count: count, chunk: 512, registerCount: 4, instructions: instructions, tiles: [],
                                   reductions: reductions, runsInHalves: false)
        var copy = arena
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 2 * program.scratchPerThread)
        defer { scratch.deallocate() }
        scratch.initialize(repeating: 0, count: 2 * program.scratchPerThread)
        copy.withUnsafeMutableBufferPointer { program.run(arena: $0.baseAddress!, scratch: scratch, worker: nil) }
        return Array(copy[(4 * count + 3)...])
    }

    @Test func randomChainsGiveTheBitsOfTheInstructionsTheyReplace() {
        var random = Random(seed: 41)
        var arena = (0..<Self.arenaSize).map { _ in random.uniform(-4, 4) * Foundation.pow(10, random.uniform(-3, 3)) }
        // Special values among the inputs: signed zeros, an infinity, a NaN, a subnormal.
        for (index, value) in [0, -0.0, .infinity, -.infinity, .nan, 1e-310, .greatestFiniteMagnitude].enumerated() {
            arena[index * 97] = value
            arena[Self.count + index * 131] = value
        }
        arena[4 * Self.count] = 0.75
        arena[4 * Self.count + 1] = -2.5
        arena[4 * Self.count + 2] = 1e-3
        var fusedPrograms = 0, absorbed = 0
        for trial in 0..<400 {
            let (instructions, reductions) = Self.randomProgram(&random)
            var fused = instructions
            Planner.fuseCombinations(&fused, reductions: reductions)
            if fused.count < instructions.count {
                fusedPrograms += 1
                absorbed += instructions.count - fused.count
            }
            let expected = Self.run(instructions, reductions, arena: arena)
            let actual = Self.run(fused, reductions, arena: arena)
            let mismatch = actual.indices.first { actual[$0].bitPattern != expected[$0].bitPattern && !(actual[$0].isNaN && expected[$0].isNaN) }
            #expect(mismatch == nil, """
                trial \(trial): output \(mismatch ?? 0) differs
                chain: \(instructions.map { "\($0.destination) = \($0.operation.name) \($0.a) \($0.b.map { "\($0)" } ?? "")" })
                fused: \(fused.map { "\($0.destination) = \($0.operation.name)" })
                """)
        }
        // The generator makes chains the pass takes in, not only ones it must leave alone.
        #expect(fusedPrograms > 100 && absorbed > 120, "\(fusedPrograms) programs fused, \(absorbed) instructions absorbed")
    }

    @Test func aProductReadTwiceOrOverwrittenFactorsStayApart() {
        let x = Self.inputs[0], y = Self.inputs[1], s = Self.scalars[0]
        let r0 = FusedProgram.Operand.register(0), r1 = FusedProgram.Operand.register(1)
        // r0 = x*s is read by the add and again after it: not taken in.
        var readTwice: [Instruction] = [
            .init(operation: .binary(.mul), destination: r0, a: x, b: s),
            .init(operation: .binary(.add), destination: r1, a: r0, b: y),
            .init(operation: .binary(.mul), destination: Self.outputs[0], a: r0, b: r1),
        ]
        Planner.fuseCombinations(&readTwice, reductions: [])
        #expect(readTwice.map(\.operation.name) == ["mul", "add", "mul"])
        // r1 = r0*s, then r0 is overwritten before the add reads r1: the product must be
        // computed where it was.
        var overwritten: [Instruction] = [
            .init(operation: .binary(.add), destination: r0, a: x, b: y),
            .init(operation: .binary(.mul), destination: r1, a: r0, b: s),
            .init(operation: .binary(.sub), destination: r0, a: x, b: y),
            .init(operation: .binary(.add), destination: Self.outputs[0], a: r1, b: r0),
        ]
        Planner.fuseCombinations(&overwritten, reductions: [])
        #expect(overwritten.map(\.operation.name) == ["add", "mul", "sub", "add"])
        // A product a sum reads at the chunk's end stays in its register.
        var summed: [Instruction] = [
            .init(operation: .binary(.mul), destination: r0, a: x, b: s),
            .init(operation: .binary(.add), destination: Self.outputs[0], a: r0, b: y),
        ]
        Planner.fuseCombinations(&summed, reductions: [.all(source: r0, output: 0, divisor: 1)])
        #expect(summed.map(\.operation.name) == ["mul", "add"])
        // b - (x*s + y): a difference takes a chain only from its left.
        var rightChain: [Instruction] = [
            .init(operation: .binary(.mul), destination: r0, a: x, b: s),
            .init(operation: .binary(.add), destination: r1, a: r0, b: y),
            .init(operation: .binary(.sub), destination: Self.outputs[0], a: Self.scalars[1], b: r1),
        ]
        Planner.fuseCombinations(&rightChain, reductions: [])
        #expect(rightChain.map(\.operation.name) == ["combination(v*s+v)", "sub"])
    }

    @Test func perceptronsAndLinesRunAsOneCombination() throws {
        // The affine map of W2 and the residual of W1, in the plans of their training steps.
        for (source, expected) in [
            ("input x1: [4000] = normal(0, 1)\ninput x2: [4000] = normal(0, 1)\ninput y: [4000] = normal(0, 1)\n"
                + "param w1 = 0.5\nparam w2 = -1\nparam b = 0.25\nprint w1*x1 + w2*x2 + b - y", "combination(v*s+v*s+s-v)"),
            ("input x: [4000] = normal(0, 1)\ninput y: [4000] = normal(0, 1)\nparam m = 3\nparam b = 2\n"
                + "print m*x + b - y", "combination(v*s+s-v)"),
        ] {
            let (program, diagnostics) = InProcess.lower("seed 5\n" + source)
            let p = try #require(program, "\(diagnostics.map(\.message))")
            let fused = Executor(graph: p.graph, outputs: p.roots, leafValues: p.leafValues, fuse: true)
            let unfused = Executor(graph: p.graph, outputs: p.roots, leafValues: p.leafValues, fuse: false)
            let names = fused.plan.steps.flatMap { step -> [String] in
                guard case .fused(let program) = step.kernel else { return [] }
                return program.instructions.map(\.operation.name)
            }
            #expect(names == [expected], "\(names)")
            fused.run()
            unfused.run()
            let (a, b) = (fused.value(p.roots[0]).values, unfused.value(p.roots[0]).values)
            #expect(a.count == 4000 && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern })
        }
    }
}
