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

    ///
    /// With `partialOutputs` (some of `outputs`), the plan also holds the steps that compute only
    /// those (`ExecutionPlan.partialSteps`): a subsequence of the steps, over the same arena, with
    /// each fused group cut down to the members those outputs need. Every value they compute has
    /// the bits the full run gives it (a cut-down group keeps its chunks and its halves, so its
    /// sums add in the same order).
    public static func plan(_ graph: Graph, outputs: [NodeID], fuse: Bool = true, partialOutputs: [NodeID]? = nil) -> ExecutionPlan {
        let live = graph.reachable(from: outputs)
        let partialLive = partialOutputs.map { graph.reachable(from: $0) }
        let count = graph.count
        var producer = (0..<count).map(NodeID.init)
        var skipped = [Bool](repeating: false, count: count)
        var persistent = [Bool](repeating: false, count: count)
        var leaves: [NodeID] = []
        // Constants found by the first walk, so that listing their values needs no other walk
        // over every node (each walk over a long graph reads all of its memory).
        var constantNodes: [Int] = []
        // Who reads each node: needed only to fold a transpose, so built on the first one.
        var users: Users?
        let outputSet = Set(outputs)
        var folded = [Bool](repeating: false, count: count)

        for index in 0..<count where live[index] {
            // The node's fields read in place: a copy of the node retains and releases each.
            switch graph.nodes[index].op {
            case .constant, .leaf:
                skipped[index] = true
                persistent[index] = true
                if case .leaf = graph.nodes[index].op { leaves.append(NodeID(index)) } else { constantNodes.append(index) }
            case .reshape:
                skipped[index] = true
                producer[index] = producer[graph.nodes[index].operands[0].int]
            case .transpose:
                guard graph.nodes[index].shape.rank == 2 && !outputSet.contains(NodeID(index)) else { break }
                if users == nil { users = graph.users() }
                let liveUsers = users![index].filter { live[$0.int] }
                if !liveUsers.isEmpty && liveUsers.allSatisfy({ graph[$0].op == .matmul && graph[$0].shape.rank == 2
                        && graph[graph[$0].operands[0]].shape.rank == 2 && graph[graph[$0].operands[1]].shape.rank == 2 }) {
                    skipped[index] = true
                    folded[index] = true
                    producer[index] = producer[graph.nodes[index].operands[0].int]
                }
            case .unary, .binary, .reduce, .matmul, .broadcast, .sumTo, .stack, .index, .cumsum, .integral:
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
            switch item {
            case .single(let id):
                noteReads(of: id, at: position, graph, producer, itemOf, &lastUse, &readOutside)
            case .group(let group):
                for id in group.members { noteReads(of: id, at: position, graph, producer, itemOf, &lastUse, &readOutside) }
                for id in group.reductions { noteReads(of: id, at: position, graph, producer, itemOf, &lastUse, &readOutside) }
            }
        }
        for output in outputs { readOutside[producer[output.int].int] = true }

        // Arena offsets: persistent values first, then by liveness.
        var offsets = [Int?](repeating: nil, count: count)
        var allocator = ArenaAllocator()
        for index in 0..<count where live[index] && persistent[index] && producer[index].int == index {
            offsets[index] = allocator.allocate(padded(graph.nodes[index].shape.count))
        }
        // The buffers each item frees after it runs, in node order: one array sliced by item
        // (compressed rows), not an array per item.
        var freeStart = [Int](repeating: 0, count: items.count + 1)
        for index in 0..<count where isFreed(index, live, persistent, lastUse, producer) { freeStart[lastUse[index] + 1] += 1 }
        for position in 0..<items.count { freeStart[position + 1] += freeStart[position] }
        var freeList = [Int](repeating: 0, count: freeStart[items.count])
        var nextFree = freeStart
        for index in 0..<count where isFreed(index, live, persistent, lastUse, producer) {
            freeList[nextFree[lastUse[index]]] = index
            nextFree[lastUse[index]] += 1
        }
        var steps: [ExecutionPlan.Step] = []
        steps.reserveCapacity(items.count)
        var partialSteps: [ExecutionPlan.Step] = []
        var integrals: [IntegralProgram] = []
        var scratch = 0
        // What the current item writes: one array reused for every item.
        var written: [Int] = []
        for (position, item) in items.enumerated() {
            written.removeAll(keepingCapacity: true)
            switch item {
            case .single(let id): written.append(id.int)
            case .group(let group):
                for member in group.members where readOutside[member.int] || persistent[member.int] { written.append(member.int) }
                for reduction in group.reductions { written.append(reduction.int) }
            }
            for index in written where offsets[index] == nil {
                offsets[index] = allocator.allocate(padded(graph.nodes[index].shape.count))
            }
            switch item {
            case .single(let id):
                // Read in place: a copy of the node retains and releases its shape and name.
                let inputs = StepInputs(graph.nodes[id.int].operands) { offsets[producer[$0.int].int]! }
                var stepKernel: ExecutionPlan.Kernel
                if case .integral(let integrand) = graph.nodes[id.int].op {
                    integrals.append(IntegralProgram(integrand))
                    stepKernel = .integral(slot: integrals.count - 1)
                } else {
                    stepKernel = kernel(for: id, in: graph, folded: folded)
                }
                if case .matmul(let m, let k, let n, _, _) = stepKernel {
                    scratch = max(scratch, MatmulKernels.scratchCount(m: m, k: k, n: n))
                }
                steps.append(ExecutionPlan.Step(kernel: stepKernel, inputs: inputs,
                                                output: offsets[id.int]!, count: graph.nodes[id.int].shape.count, node: id))
                if partialLive?[id.int] == true { partialSteps.append(steps[steps.count - 1]) }
            case .group(let group):
                let program = compile(group, graph: graph, producer: producer, offsets: offsets, stored: Set(written.map(NodeID.init)))
                scratch = max(scratch, 2 * program.scratchPerThread)
                steps.append(ExecutionPlan.Step(kernel: .fused(program), inputs: StepInputs([]), output: 0,
                                                count: group.shape.count, node: group.members.last ?? group.reductions[0]))
                guard let partialLive else { break }
                var part = group
                part.members = group.members.filter { partialLive[$0.int] }
                part.reductions = group.reductions.filter { partialLive[$0.int] }
                if part.members.count == group.members.count && part.reductions.count == group.reductions.count {
                    partialSteps.append(steps[steps.count - 1])
                } else if !part.members.isEmpty || !part.reductions.isEmpty {
                    part.memberSet = Set(part.members)
                    part.reductionSet = Set(part.reductions)
                    let partProgram = compile(part, graph: graph, producer: producer, offsets: offsets,
                                              stored: Set(written.filter { partialLive[$0] }.map(NodeID.init)),
                                              runsInHalves: program.runsInHalves)
                    scratch = max(scratch, 2 * partProgram.scratchPerThread)
                    partialSteps.append(ExecutionPlan.Step(kernel: .fused(partProgram), inputs: StepInputs([]), output: 0,
                                                           count: group.shape.count, node: part.members.last ?? part.reductions[0]))
                }
            }
            // Free what this item read for the last time, and what it wrote that nobody reads.
            // (Members kept in registers have no buffer to free.)
            for dead in freeList[freeStart[position]..<freeStart[position + 1]] where !written.contains(dead) {
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
        for index in constantNodes {
            if let value = graph.nodes[index].op.constantValue { constants.append((offsets[index]!, value.values)) }
        }
        return ExecutionPlan(steps: steps, offsets: offsets, arenaSize: max(allocator.size, alignment),
                             constants: constants, graph: graph, outputs: outputs, leaves: leaves,
                             scratchSize: scratch, fused: fuse, integrals: integrals,
                             partialOutputs: partialOutputs, partialSteps: partialOutputs == nil ? nil : partialSteps)
    }

    /// Records that the item at `position` reads the operands of `id`: their last use, and
    /// whether a reader lies outside the item that computes them. (A static function with
    /// `inout` arrays, not a local one capturing them: a local function that writes what it
    /// captures checks exclusive access at run time on every write.)
    private static func noteReads(of id: NodeID, at position: Int, _ graph: Graph, _ producer: [NodeID], _ itemOf: [Int],
                                  _ lastUse: inout [Int], _ readOutside: inout [Bool]) {
        for operand in graph.nodes[id.int].operands {
            let root = producer[operand.int].int
            lastUse[root] = max(lastUse[root], position)
            if itemOf[root] != position { readOutside[root] = true }
        }
    }

    /// Whether the buffer of node `index` is freed after its last reader (a live value with a
    /// buffer of its own that is not kept for the whole run).
    private static func isFreed(_ index: Int, _ live: [Bool], _ persistent: [Bool], _ lastUse: [Int], _ producer: [NodeID]) -> Bool {
        live[index] && !persistent[index] && lastUse[index] >= 0 && producer[index].int == index
    }

    static func padded(_ count: Int) -> Int { max(alignment, (count + alignment - 1) / alignment * alignment) }
}
