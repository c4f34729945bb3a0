/// A matrix product followed by a fused loop that reads the product only element by element —
/// the bias and sigmoid of a layer, `sigmoid(X @ W + b)` — runs as one step: the loop runs over
/// each block of the product's rows as soon as the block is finished, while it is still in
/// cache, instead of over the whole product afterwards (a pass over memory saved). The same
/// operations on the same values, so the same bits. It is how the executor runs a plan, not a
/// plan of its own: the plan's steps, its description and `slope ir --passes` are unchanged.
enum MatmulEpilogue {
    /// `steps` with each product that is followed by a loop it can run as its epilogue merged
    /// with that loop into one step (kernel `matmulThen`).
    static func merging(_ steps: [ExecutionPlan.Step]) -> [ExecutionPlan.Step] {
        // A plan without a product has nothing to merge: its steps are shared as they are, not
        // copied (a copy of a long program's steps was a sixth of the fresh memory that
        // compiling it touched).
        let hasProduct = steps.contains { if case .matmul = $0.kernel { return true } else { return false } }
        guard hasProduct else { return steps }
        var merged: [ExecutionPlan.Step] = []
        merged.reserveCapacity(steps.count)
        var index = 0
        while index < steps.count {
            let step = steps[index]
            if index + 1 < steps.count, case .matmul(let m, let k, let n, let transposeA, let transposeB) = step.kernel,
               case .fused(let program) = steps[index + 1].kernel, qualifies(program, after: step, m: m, k: k, n: n) {
                merged.append(ExecutionPlan.Step(kernel: .matmulThen(m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB,
                                                                     epilogue: program),
                                                 inputs: step.inputs, output: step.output, count: step.count,
                                                 node: steps[index + 1].node))
                index += 2
            } else {
                merged.append(step)
                index += 1
            }
        }
        return merged
    }

    /// Scratch doubles the merged steps need: the product's packing space, then the loop's
    /// scratch for two threads.
    static func scratchCount(_ steps: [ExecutionPlan.Step]) -> Int {
        steps.reduce(0) { largest, step in
            guard case .matmulThen(let m, let k, let n, _, _, let program) = step.kernel else { return largest }
            return max(largest, MatmulKernels.scratchCount(m: m, k: k, n: n) + 2 * program.scratchPerThread)
        }
    }

    /// Whether `program` can run block by block as the product's rows are finished: it covers
    /// exactly the product's elements, has no reductions (their order of summation would
    /// change), reads the product only at each element's own place, and writes nothing the
    /// product still reads or writes.
    static func qualifies(_ program: FusedProgram, after step: ExecutionPlan.Step, m: Int, k: Int, n: Int) -> Bool {
        guard MatmulKernels.isBlocked(m: m, k: k, n: n), program.count == m * n, program.reductions.isEmpty,
              step.inputs.count == 2 else { return false }
        let product = step.output..<step.output + m * n
        let a = step.inputs[0]..<step.inputs[0] + m * k, b = step.inputs[1]..<step.inputs[1] + k * n
        func reads(_ operand: FusedProgram.Operand) -> Bool {
            switch operand {
            case .register: return true
            case .buffer(let offset): return offset == step.output || !product.overlaps(offset..<offset + m * n)
            case .scalar(let offset): return !product.contains(offset)
            case .tiled(let number):
                let tile = program.tiles[number]
                return !product.overlaps(tile.offset..<tile.offset + tile.period)
            case .spread(let number):
                let spread = program.spreads[number]
                return !product.overlaps(spread.offset..<spread.offset + m * n / spread.period)
            }
        }
        func writes(_ operand: FusedProgram.Operand) -> Bool {
            guard case .buffer(let offset) = operand else { return true }
            let written = offset..<offset + m * n
            return !written.overlaps(product) && !written.overlaps(a) && !written.overlaps(b)
        }
        return program.instructions.allSatisfy { instruction in
            let places: [FusedProgram.Operand]
            if case .logistic(let outputs) = instruction.operation {
                places = outputs.places.compactMap { $0 }
            } else {
                places = [instruction.destination]
            }
            return places.allSatisfy(writes) && instruction.inputs.allSatisfy(reads)
        }
    }
}
