/// Turns a graph into an `ExecutionPlan`: chooses a kernel per node, makes `reshape` a view of
/// its operand's buffer, and assigns arena offsets by liveness with best-fit reuse.
public enum Planner {
    /// Buffers are padded to this many doubles (64 bytes), so every value starts on a cache line.
    static let alignment = 8

    public static func plan(_ graph: Graph, outputs: [NodeID]) -> ExecutionPlan {
        let live = graph.reachable(from: outputs)
        let count = graph.count
        // Storage: a node's own buffer, or (for reshape) its operand's.
        var storage = [Int](repeating: -1, count: count)
        var kernels: [(NodeID, ExecutionPlan.Kernel)] = []
        var stepOf = [Int](repeating: -1, count: count)
        var persistent = [Bool](repeating: false, count: count)
        for output in outputs { persistent[output.int] = true }
        var leaves: [NodeID] = []

        for index in 0..<count where live[index] {
            let node = graph.nodes[index]
            switch node.op {
            case .constant, .param, .input:
                storage[index] = index
                persistent[index] = true
                if node.op.constantValue == nil { leaves.append(NodeID(index)) }
            case .reshape:
                storage[index] = storage[node.operands[0].int]
            default:
                storage[index] = index
                stepOf[index] = kernels.count
                kernels.append((NodeID(index), kernel(for: node, in: graph)))
            }
        }
        // A persistent alias keeps its storage alive.
        for index in 0..<count where live[index] && persistent[index] { persistent[storage[index]] = true }

        // Last step that reads each storage.
        var lastUse = [Int](repeating: -1, count: count)
        for (stepIndex, (id, _)) in kernels.enumerated() {
            for operand in graph[id].operands {
                let root = storage[operand.int]
                lastUse[root] = max(lastUse[root], stepIndex)
            }
        }
        var offsets = [Int?](repeating: nil, count: count)
        var allocator = ArenaAllocator()
        // Persistent values first, each with its own buffer.
        for index in 0..<count where live[index] && storage[index] == index && persistent[index] {
            offsets[index] = allocator.allocate(padded(graph.nodes[index].shape.count))
        }
        var steps: [ExecutionPlan.Step] = []
        steps.reserveCapacity(kernels.count)
        var freeAfter = [[Int]](repeating: [], count: kernels.count)
        for index in 0..<count where live[index] && storage[index] == index && !persistent[index] && lastUse[index] >= 0 {
            freeAfter[lastUse[index]].append(index)
        }
        for (stepIndex, (id, kernel)) in kernels.enumerated() {
            let node = graph[id]
            if offsets[id.int] == nil {
                offsets[id.int] = allocator.allocate(padded(node.shape.count))
            }
            let inputs = node.operands.map { offsets[storage[$0.int]]! }
            steps.append(ExecutionPlan.Step(kernel: kernel, inputs: inputs, output: offsets[id.int]!,
                                            count: node.shape.count, node: id))
            for dead in freeAfter[stepIndex] where dead != id.int {
                allocator.release(offsets[dead]!, padded(graph.nodes[dead].shape.count))
            }
            // A value nobody reads (only possible for an unused non-output) is freed at once.
            if lastUse[id.int] < 0 && !persistent[id.int] {
                allocator.release(offsets[id.int]!, padded(node.shape.count))
            }
        }
        for index in 0..<count where live[index] && storage[index] != index {
            offsets[index] = offsets[storage[index]]
        }
        var constants: [(Int, [Double])] = []
        for index in 0..<count where live[index] {
            if let value = graph.nodes[index].op.constantValue { constants.append((offsets[index]!, value.values)) }
        }
        var kept = Set(outputs)
        for index in 0..<count where live[index] && persistent[storage[index]] { kept.insert(NodeID(index)) }
        return ExecutionPlan(steps: steps, offsets: offsets, arenaSize: max(allocator.size, alignment),
                             constants: constants, kept: kept, graph: graph, leaves: leaves)
    }

    static func padded(_ count: Int) -> Int { max(alignment, (count + alignment - 1) / alignment * alignment) }

    static func kernel(for node: Node, in graph: Graph) -> ExecutionPlan.Kernel {
        let shapes = node.operands.map { graph[$0].shape }
        switch node.op {
        case .neg, .exp, .log, .sqrt, .abs, .sin, .cos, .tanh, .sigmoid, .relu, .softplus, .sign, .step:
            return .unary(node.op)
        case .add, .sub, .mul, .div, .pow, .mask:
            if shapes[0] == node.shape && shapes[1] == node.shape { return .binary(node.op) }
            if shapes[0].count == 1 && shapes[1] == node.shape { return .binaryScalarLHS(node.op) }
            if shapes[1].count == 1 && shapes[0] == node.shape { return .binaryScalarRHS(node.op) }
            return .binaryBroadcast(node.op, BroadcastLayout(output: node.shape, lhs: shapes[0], rhs: shapes[1]))
        case .sum(let axis), .mean(let axis):
            let isMean: Bool
            if case .mean = node.op { isMean = true } else { isMean = false }
            guard let axis else {
                return isMean ? .meanAll(n: shapes[0].count) : .sumAll(n: shapes[0].count)
            }
            let dimensions = shapes[0].dimensions
            let outer = dimensions[..<axis].reduce(1, *), inner = dimensions[(axis + 1)...].reduce(1, *)
            let n = dimensions[axis]
            return isMean ? .meanAxis(outer: outer, n: n, inner: inner, divisor: Double(n)) : .sumAxis(outer: outer, n: n, inner: inner)
        case .broadcast:
            return .broadcast(BroadcastLayout(output: node.shape, lhs: shapes[0], rhs: node.shape))
        case .sumTo:
            return .sumTo(BroadcastLayout(output: shapes[0], lhs: node.shape, rhs: shapes[0]))
        case .transpose:
            return .transpose(shapes[0].dimensions)
        case .matmul:
            let a = shapes[0], b = shapes[1]
            let m = a.rank == 2 ? a[0] : 1
            let k = a.dimensions.last!
            let n = b.rank == 2 ? b[1] : 1
            return .matmul(m: m, k: k, n: n)
        case .stack:
            return .stack
        case .index(let position):
            return .slice(offset: position * node.shape.count)
        case .reshape, .constant, .param, .input:
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
