extension Planner {
    /// The fused program of a group: registers for members read only inside it, arena
    /// buffers for the others, tiles for row vectors, spreads for columns, epilogues for
    /// reductions.
    static func compile(_ group: FusionScheduler.FusionGroup, graph: Graph, producer: [NodeID], offsets: [Int?],
                        stored: Set<NodeID>, runsInHalves: Bool? = nil) -> FusedProgram {
        let scheduler = FusionScheduler(graph: graph, live: [], producer: producer)
        let chunk: Int
        if let period = group.period { chunk = period * max(1, Planner.chunk / period) } else { chunk = Planner.chunk }
        // Last position inside the group where each member is read.
        let sequence = group.members + group.reductions
        var lastRead: [NodeID: Int] = [:]
        for (position, id) in sequence.enumerated() {
            // A column dot reads A, not its folded transpose; every other node its operands, read
            // in place (no array made for each member of each group).
            if scheduler.isColumnDot(graph[id]) {
                for operand in scheduler.groupOperands(graph[id]) where group.memberSet.contains(operand) { lastRead[operand] = position }
            } else {
                for operand in graph[id].operands where group.memberSet.contains(operand) { lastRead[operand] = position }
            }
        }
        let sharing = LogisticSharing(sequence: sequence, graph: graph, stored: stored)
        for (first, family) in sharing.families {
            // The shared instruction reads the base at the first member's position.
            let position = sequence.firstIndex(of: first)!
            lastRead[family.base] = max(lastRead[family.base] ?? position, position)
        }
        var freeRegisters: [Int] = []
        var registerCount = 0
        var slot: [NodeID: FusedProgram.Operand] = [:]
        var tiles: [(Int, Int)] = []
        var spreads: [(Int, Int)] = []
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
            case .spread(let period):
                if let index = spreads.firstIndex(where: { $0.0 == offset }) { return .spread(index) }
                spreads.append((offset, period))
                return .spread(spreads.count - 1)
            default: return .buffer(offset)
            }
        }
        func destination(_ id: NodeID) -> FusedProgram.Operand {
            if stored.contains(id) { return .buffer(offsets[id.int]!) }
            if let number = freeRegisters.popLast() { return .register(number) }
            registerCount += 1
            return .register(registerCount - 1)
        }
        // Registers whose last reader is at this position are free for later results — but not
        // for this position's own: a kernel writing over its own input would fail the
        // compiler's overlap check and fall back to scalar code.
        func release(_ reads: Set<NodeID>, at position: Int) {
            for read in reads where lastRead[read] == position && group.memberSet.contains(read) {
                if case .register(let number)? = slot[read] { freeRegisters.append(number) }
            }
        }
        var instructions: [FusedProgram.Instruction] = []
        var reductions: [FusedProgram.Reduction] = []
        for (position, id) in sequence.enumerated() {
            let node = graph[id]
            if let family = sharing.families[id] {
                let a = operand(family.base)
                let places = family.outputs.map { member -> FusedProgram.Operand in
                    let place = destination(member)
                    slot[member] = place
                    return place
                }
                instructions.append(.init(operation: .logistic(places), destination: places.places.compactMap { $0 }[0], a: a, b: nil))
                release(Set(node.operands).union([family.base]), at: position)
            } else if sharing.computedElsewhere.contains(id) {
                release(Set(node.operands), at: position)
            } else if group.reductionSet.contains(id), case .columnDot(let period)? = scheduler.reductionKind(node, of: group.shape) {
                // Aᵀ · v: the products A · v into a register of their own (reductions run after
                // every instruction of the chunk, so it is taken for good), then its column sums:
                // each product rounded, then added, as `MatmulKernels.matrixVector` does.
                let operands = scheduler.groupOperands(node)
                let register = registerCount
                registerCount += 1
                instructions.append(.init(operation: .binary(.mul), destination: .register(register),
                                          a: operand(operands[0]), b: operand(operands[1])))
                reductions.append(.columns(source: .register(register), output: offsets[id.int]!, period: period, divisor: 1))
            } else if group.reductionSet.contains(id) {
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
                case .extreme(let op): reductions.append(.extreme(source: source, output: offsets[id.int]!, op: op))
                case .columnDot: preconditionFailure("internal error: a column dot compiled as a plain reduction")
                }
            } else if case .broadcast = node.op, !stored.contains(id) {
                // A broadcast inside a group reads its operand in place: no instruction at all.
                slot[id] = operand(node.operands[0])
            } else {
                let a = operand(node.operands[0])
                let b = node.operands.count > 1 ? operand(node.operands[1]) : nil
                let destination = destination(id)
                slot[id] = destination
                release(Set(node.operands), at: position)
                if case .broadcast = node.op {
                    // A broadcast that is read after the group is written out.
                    instructions.append(.init(operation: .copy, destination: destination, a: a, b: nil))
                } else if node.op == .matmul {
                    // An outer product: A spread times B tiled (`FusionScheduler.isOuterProduct`).
                    instructions.append(.init(operation: .binary(.mul), destination: destination, a: a, b: b))
                } else {
                    instructions.append(.init(operation: .elementwise(node.op), destination: destination, a: a, b: b))
                }
            }
        }
        fuseProducts(&instructions, into: &reductions)
        return FusedProgram(count: group.shape.count, chunk: chunk, registerCount: registerCount,
                            instructions: instructions, tiles: tiles, spreads: spreads, reductions: reductions,
                            runsInHalves: runsInHalves)
    }

    /// A product read only by a sum (`sum(dy * x)`, each gradient of a weight) becomes a dot
    /// reduction: its instruction is dropped, and the epilogue multiplies as it sums, so the
    /// product is never stored and read back. The same operations in the same order, so the
    /// same bits. Only when the factors still hold their values at the chunk's end (reductions
    /// run after every instruction) and neither is a scalar.
    static func fuseProducts(_ instructions: inout [FusedProgram.Instruction], into reductions: inout [FusedProgram.Reduction]) {
        for (position, reduction) in reductions.enumerated() {
            guard case .all(let product, let output, let divisor) = reduction, case .register = product,
                  let writer = instructions.lastIndex(where: { $0.writes(product) }),
                  case .binary(.mul) = instructions[writer].operation, let b = instructions[writer].b else { continue }
            let a = instructions[writer].a
            if case .scalar = a { continue }
            if case .scalar = b { continue }
            let later = instructions[(writer + 1)...]
            guard !later.contains(where: { $0.reads(product) || $0.writes(a) || $0.writes(b) }),
                  reductions.indices.allSatisfy({ $0 == position || !reductions[$0].reads(product) }) else { continue }
            instructions.remove(at: writer)
            reductions[position] = .dot(a: a, b: b, output: output, divisor: divisor)
        }
    }
}
