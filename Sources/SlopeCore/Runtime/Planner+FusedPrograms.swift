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
        fuseCombinations(&instructions, reductions: reductions)
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
    /// Terms a combination holds at most (the AVX2 loop is specialised for each count).
    static let combinationTerms = 4

    /// A chain of adds and subtracts over products by a scalar — a perceptron's `w1*x1 + w2*x2 +
    /// b`, a line's residual `m*x + b - y` — becomes one combination, which computes every term
    /// and adds them in the chain's order in one pass over the chunk, instead of a pass (a store
    /// and a reload) for each product and each add. The same operations on the same values in
    /// the same order, so the same bits. A product or combination is taken into the add only
    /// when it is in a register the add alone reads, and its factors still hold their values at
    /// the add.
    static func fuseCombinations(_ instructions: inout [FusedProgram.Instruction], reductions: [FusedProgram.Reduction]) {
        typealias Term = FusedProgram.Term
        var kept: [FusedProgram.Instruction?] = []
        for (position, instruction) in instructions.enumerated() {
            guard case .binary(let op) = instruction.operation, op == .add || op == .sub, let b = instruction.b,
                  instruction.a != b else {
                kept.append(instruction)
                continue
            }
            /// The terms `operand` stands for, and the kept instruction that computed them when
            /// they can move into the add.
            func terms(of operand: FusedProgram.Operand) -> (terms: [Term], producer: Int?) {
                if case .scalar = operand { return ([Term(value: nil, coefficient: operand, subtracted: false)], nil) }
                let alone = ([Term(value: operand, coefficient: nil, subtracted: false)], nil as Int?)
                guard case .register = operand, let writer = kept.lastIndex(where: { $0?.writes(operand) == true }),
                      let producer = kept[writer], producer.destination == operand else { return alone }
                let inner: [Term]
                switch (producer.operation, producer.a, producer.b) {
                case (.binary(.mul), .scalar, .scalar): return alone
                case (.binary(.mul), .scalar, let value?): inner = [Term(value: value, coefficient: producer.a, subtracted: false)]
                case (.binary(.mul), let value, .scalar?): inner = [Term(value: value, coefficient: producer.b, subtracted: false)]
                case (.combination(let terms), _, _): inner = terms
                default: return alone
                }
                let between = kept[(writer + 1)...].compactMap { $0 }
                guard !between.contains(where: { $0.reads(operand) }),
                      !producer.inputs.contains(where: { input in between.contains { $0.writes(input) } }) else { return alone }
                for later in instructions[(position + 1)...] {
                    if later.reads(operand) { return alone }
                    if later.writes(operand) { return (inner, writer) }
                }
                return reductions.contains { $0.reads(operand) } ? alone : (inner, writer)
            }
            var left = terms(of: instruction.a), right = terms(of: b)
            // The chain goes on from one side; the other must be one term (a + (c + d) is not
            // (a + c) + d). A sum is the same either way round; a difference only left to right.
            if right.terms.count > 1 && (op == .sub || left.terms.count > 1) {
                right = ([Term(value: b, coefficient: nil, subtracted: false)], nil)
            }
            let chain = right.terms.count > 1 ? right : left, single = right.terms.count > 1 ? left : right
            let last = Term(value: single.terms[0].value, coefficient: single.terms[0].coefficient, subtracted: op == .sub)
            let combined = chain.terms + [last]
            guard chain.producer != nil || single.producer != nil, combined.count <= combinationTerms else {
                kept.append(instruction)
                continue
            }
            for producer in [chain.producer, single.producer].compactMap({ $0 }) { kept[producer] = nil }
            kept.append(.init(operation: .combination(combined), destination: instruction.destination,
                              a: combined[0].value ?? combined[0].coefficient!, b: nil))
        }
        instructions = kept.compactMap { $0 }
    }
}
