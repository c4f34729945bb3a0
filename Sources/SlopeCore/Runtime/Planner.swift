/// Turns a graph into an `ExecutionPlan`:
/// 1. views: `reshape` shares its operand's buffer; a matrix `transpose` read only by matmuls is
///    folded into them (the kernel reads the original with transposed indexing);
/// 2. fusion: `FusionScheduler` groups elementwise chains (and their reductions) into fused steps;
/// 3. memory: every materialised value gets an arena offset by liveness, best fit, reusing a
///    buffer once its last reader has run; leaves, constants and outputs keep their own.
public enum Planner {
    /// Buffers are padded to this many doubles (64 bytes), so every value starts on a cache line.
    static let alignment = 8
    /// Elements per chunk of a fused loop without a row period.
    static let chunk = 512

    public static func plan(_ graph: Graph, outputs: [NodeID], fuse: Bool = true) -> ExecutionPlan {
        let live = graph.reachable(from: outputs)
        let count = graph.count
        var producer = (0..<count).map(NodeID.init)
        var skipped = [Bool](repeating: false, count: count)
        var persistent = [Bool](repeating: false, count: count)
        var leaves: [NodeID] = []
        let users = graph.users()
        let outputSet = Set(outputs)
        var folded = [Bool](repeating: false, count: count)

        for index in 0..<count where live[index] {
            let node = graph.nodes[index]
            switch node.op {
            case .constant, .leaf:
                skipped[index] = true
                persistent[index] = true
                if node.op.constantValue == nil { leaves.append(NodeID(index)) }
            case .reshape:
                skipped[index] = true
                producer[index] = producer[node.operands[0].int]
            case .transpose:
                guard node.shape.rank == 2 && !outputSet.contains(NodeID(index)) else { break }
                let liveUsers = users[index].filter { live[$0.int] }
                if !liveUsers.isEmpty && liveUsers.allSatisfy({ graph[$0].op == .matmul && graph[$0].shape.rank == 2
                        && graph[graph[$0].operands[0]].shape.rank == 2 && graph[graph[$0].operands[1]].shape.rank == 2 }) {
                    skipped[index] = true
                    folded[index] = true
                    producer[index] = producer[node.operands[0].int]
                }
            case .unary, .binary, .reduce, .matmul, .broadcast, .sumTo, .stack, .index:
                break
            }
        }
        for output in outputs { persistent[producer[output.int].int] = true }

        // Items in execution order.
        let scheduler = FusionScheduler(graph: graph, live: live, producer: producer)
        let items = fuse ? scheduler.schedule(skipped: skipped)
                         : (0..<count).filter { live[$0] && !skipped[$0] }.map { FusionScheduler.Item.single(NodeID($0)) }

        // Which item computes each node, and what each item reads.
        var itemOf = [Int](repeating: -1, count: count)
        for (position, item) in items.enumerated() {
            switch item {
            case .single(let id): itemOf[id.int] = position
            case .group(let group):
                for member in group.members { itemOf[member.int] = position }
                for reduction in group.reductions { itemOf[reduction.int] = position }
            }
        }
        var lastUse = [Int](repeating: -1, count: count)
        var readOutside = [Bool](repeating: false, count: count)
        for (position, item) in items.enumerated() {
            let nodes: [NodeID]
            switch item {
            case .single(let id): nodes = [id]
            case .group(let group): nodes = group.members + group.reductions
            }
            for id in nodes {
                for operand in graph[id].operands {
                    let root = producer[operand.int].int
                    lastUse[root] = max(lastUse[root], position)
                    if itemOf[root] != position { readOutside[root] = true }
                }
            }
        }
        for output in outputs { readOutside[producer[output.int].int] = true }

        // Arena offsets: persistent values first, then by liveness.
        var offsets = [Int?](repeating: nil, count: count)
        var allocator = ArenaAllocator()
        for index in 0..<count where live[index] && persistent[index] && producer[index].int == index {
            offsets[index] = allocator.allocate(padded(graph.nodes[index].shape.count))
        }
        var freeAfter = [[Int]](repeating: [], count: items.count)
        for index in 0..<count where live[index] && !persistent[index] && lastUse[index] >= 0 && producer[index].int == index {
            freeAfter[lastUse[index]].append(index)
        }
        var steps: [ExecutionPlan.Step] = []
        var scratch = 0
        for (position, item) in items.enumerated() {
            var written: [Int] = []
            switch item {
            case .single(let id): written = [id.int]
            case .group(let group):
                written = group.members.filter { readOutside[$0.int] || persistent[$0.int] }.map(\.int)
                    + group.reductions.map(\.int)
            }
            for index in written where offsets[index] == nil {
                offsets[index] = allocator.allocate(padded(graph.nodes[index].shape.count))
            }
            switch item {
            case .single(let id):
                let node = graph[id]
                let inputs = node.operands.map { offsets[producer[$0.int].int]! }
                let stepKernel = kernel(for: node, in: graph, folded: folded)
                if case .matmul(let m, let k, let n, _, _) = stepKernel {
                    scratch = max(scratch, MatmulKernels.scratchCount(m: m, k: k, n: n))
                }
                steps.append(ExecutionPlan.Step(kernel: stepKernel, inputs: inputs,
                                                output: offsets[id.int]!, count: node.shape.count, node: id))
            case .group(let group):
                let program = compile(group, graph: graph, producer: producer, offsets: offsets, stored: Set(written.map(NodeID.init)))
                scratch = max(scratch, 2 * program.scratchPerThread)
                steps.append(ExecutionPlan.Step(kernel: .fused(program), inputs: [], output: 0,
                                                count: group.shape.count, node: group.members.last ?? group.reductions[0]))
            }
            // Free what this item read for the last time, and what it wrote that nobody reads.
            // (Members kept in registers have no buffer to free.)
            for dead in freeAfter[position] where !written.contains(dead) {
                if let offset = offsets[dead] { allocator.release(offset, padded(graph.nodes[dead].shape.count)) }
            }
            for index in written where !persistent[index] && lastUse[index] <= position {
                allocator.release(offsets[index]!, padded(graph.nodes[index].shape.count))
            }
        }
        for index in 0..<count where live[index] && producer[index].int != index {
            offsets[index] = offsets[producer[index].int]
        }
        var constants: [(Int, [Double])] = []
        for index in 0..<count where live[index] {
            if let value = graph.nodes[index].op.constantValue { constants.append((offsets[index]!, value.values)) }
        }
        return ExecutionPlan(steps: steps, offsets: offsets, arenaSize: max(allocator.size, alignment),
                             constants: constants, graph: graph, outputs: outputs, leaves: leaves,
                             scratchSize: scratch, fused: fuse)
    }

    static func padded(_ count: Int) -> Int { max(alignment, (count + alignment - 1) / alignment * alignment) }

    /// The fused program of a group: registers for members read only inside it, arena
    /// buffers for the others, tiles for row vectors, epilogues for reductions.
    static func compile(_ group: FusionScheduler.FusionGroup, graph: Graph, producer: [NodeID], offsets: [Int?],
                        stored: Set<NodeID>) -> FusedProgram {
        let scheduler = FusionScheduler(graph: graph, live: [], producer: producer)
        let chunk: Int
        if let period = group.period { chunk = period * max(1, Planner.chunk / period) } else { chunk = Planner.chunk }
        // Last position inside the group where each member is read.
        let sequence = group.members + group.reductions
        var lastRead: [NodeID: Int] = [:]
        for (position, id) in sequence.enumerated() {
            for operand in graph[id].operands where group.memberSet.contains(operand) { lastRead[operand] = position }
        }
        var freeRegisters: [Int] = []
        var registerCount = 0
        var slot: [NodeID: FusedProgram.Operand] = [:]
        var tiles: [(Int, Int)] = []
        func operand(_ id: NodeID) -> FusedProgram.Operand {
            if let existing = slot[id] { return existing }
            let root = producer[id.int]
            let offset = offsets[root.int]!
            switch scheduler.operandKind(graph[id].shape, in: group.shape) {
            case .scalar: return .scalar(offset)
            case .tiled(let period):
                if let index = tiles.firstIndex(where: { $0.0 == offset }) { return .tiled(index) }
                tiles.append((offset, period))
                return .tiled(tiles.count - 1)
            default: return .buffer(offset)
            }
        }
        var instructions: [FusedProgram.Instruction] = []
        var reductions: [FusedProgram.Reduction] = []
        for (position, id) in sequence.enumerated() {
            let node = graph[id]
            if group.reductionSet.contains(id) {
                var source = operand(node.operands[0])
                if case .scalar = source {
                    // A reduction reads a chunk of consecutive values, but a broadcast scalar
                    // (sum(broadcast(s, shape)), common in unoptimized gradients) is one value:
                    // fill a register with it first. Reductions run after every instruction of
                    // the chunk, so the register is taken for good, never returned to the pool.
                    let register: Int
                    if let number = freeRegisters.popLast() { register = number } else {
                        register = registerCount
                        registerCount += 1
                    }
                    instructions.append(.init(operation: .copy, destination: .register(register), a: source, b: nil))
                    source = .register(register)
                }
                switch scheduler.reductionKind(node, of: group.shape)! {
                case .all(let divisor): reductions.append(.all(source: source, output: offsets[id.int]!, divisor: divisor))
                case .columns(let period, let divisor):
                    reductions.append(.columns(source: source, output: offsets[id.int]!, period: period, divisor: divisor))
                }
            } else if case .broadcast = node.op, !stored.contains(id) {
                // A broadcast inside a group reads its operand in place: no instruction at all.
                slot[id] = operand(node.operands[0])
            } else {
                let a = operand(node.operands[0])
                let b = node.operands.count > 1 ? operand(node.operands[1]) : nil
                let destination: FusedProgram.Operand
                if stored.contains(id) {
                    destination = .buffer(offsets[id.int]!)
                } else if let number = freeRegisters.popLast() {
                    destination = .register(number)
                } else {
                    destination = .register(registerCount)
                    registerCount += 1
                }
                slot[id] = destination
                // Registers whose last reader is this instruction are free for later results —
                // but not for this one: a kernel writing over its own input would fail the
                // compiler's overlap check and fall back to scalar code.
                for read in Set(node.operands) where lastRead[read] == position && group.memberSet.contains(read) {
                    if case .register(let number)? = slot[read] { freeRegisters.append(number) }
                }
                if case .broadcast = node.op {
                    // A broadcast that is read after the group is written out.
                    instructions.append(.init(operation: .copy, destination: destination, a: a, b: nil))
                } else {
                    instructions.append(.init(operation: .elementwise(node.op), destination: destination, a: a, b: b))
                }
            }
        }
        return FusedProgram(count: group.shape.count, chunk: chunk, registerCount: registerCount,
                            instructions: instructions, tiles: tiles, reductions: reductions)
    }

    static func kernel(for node: Node, in graph: Graph, folded: [Bool]) -> ExecutionPlan.Kernel {
        let shapes = node.operands.map { graph[$0].shape }
        switch node.op {
        case .unary(let op):
            return .unary(op)
        case .binary(let op):
            if shapes[0] == node.shape && shapes[1] == node.shape { return .binary(op) }
            if shapes[0].count == 1 && shapes[1] == node.shape { return .binaryScalarLHS(op) }
            if shapes[1].count == 1 && shapes[0] == node.shape { return .binaryScalarRHS(op) }
            return .binaryBroadcast(op, BroadcastLayout(output: node.shape, lhs: shapes[0], rhs: shapes[1]))
        case .reduce(let op, let axis):
            guard let axis else { return .reduceAll(op, n: shapes[0].count) }
            let dimensions = shapes[0].dimensions
            let outer = dimensions[..<axis].reduce(1, *), inner = dimensions[(axis + 1)...].reduce(1, *)
            return .reduceAxis(op, outer: outer, n: dimensions[axis], inner: inner)
        case .broadcast:
            return .broadcast(BroadcastLayout(output: node.shape, lhs: shapes[0], rhs: node.shape))
        case .sumTo:
            return .sumTo(BroadcastLayout(output: shapes[0], lhs: node.shape, rhs: shapes[0]))
        case .transpose:
            return .transpose(shapes[0].dimensions)
        case .matmul:
            // A folded transpose is read in its source's layout, with transposed indexing.
            let transposeA = folded[node.operands[0].int], transposeB = folded[node.operands[1].int]
            let m = shapes[0].rank == 2 ? shapes[0][0] : 1
            let k = shapes[0].dimensions.last!
            let n = shapes[1].rank == 2 ? shapes[1][1] : 1
            return .matmul(m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB)
        case .stack:
            return .stack
        case .index(let position):
            return .slice(offset: position * node.shape.count)
        case .reshape, .constant, .leaf:
            preconditionFailure("internal error: \(node.op.name) has no step")
        }
    }
}

/// Best-fit allocation of arena ranges, with freed ranges merged with their neighbours.
struct ArenaAllocator {
    private(set) var size = 0
    /// Free ranges sorted by offset.
    private var free: [(offset: Int, size: Int)] = []

    mutating func allocate(_ count: Int) -> Int {
        var best = -1
        for (index, block) in free.enumerated() where block.size >= count {
            if best < 0 || block.size < free[best].size { best = index }
        }
        if best >= 0 {
            let block = free[best]
            if block.size == count { free.remove(at: best) }
            else { free[best] = (block.offset + count, block.size - count) }
            return block.offset
        }
        // Grow, absorbing a free block at the end of the arena.
        if let last = free.last, last.offset + last.size == size {
            free.removeLast()
            size = last.offset + count
            return last.offset
        }
        let offset = size
        size += count
        return offset
    }

    mutating func release(_ offset: Int, _ count: Int) {
        var index = free.firstIndex { $0.offset > offset } ?? free.count
        free.insert((offset, count), at: index)
        if index + 1 < free.count, free[index].offset + free[index].size == free[index + 1].offset {
            free[index].size += free[index + 1].size
            free.remove(at: index + 1)
        }
        if index > 0, free[index - 1].offset + free[index - 1].size == free[index].offset {
            free[index - 1].size += free[index].size
            free.remove(at: index)
            index -= 1
        }
    }
}
