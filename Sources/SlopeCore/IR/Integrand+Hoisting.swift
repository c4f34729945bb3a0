/// Loop-invariant code motion for integrals: what the integrand computes without its variable
/// is computed once, outside, and read as a capture, instead of at every quadrature point.
///
/// Each value of the body is one of three kinds:
/// - *dependent*: it depends on the variable, and stays in the body;
/// - *inside*: a constant, or computed from constants only; it stays in the body (the body's
///   own passes fold it), so a constant is never moved out and back in;
/// - *outside*: computed from captures (and constants) without the variable; it moves to the
///   enclosing graph, where it is built with `emit` (so the enclosing pass's rules apply), and
///   a dependent value that reads it reads a capture instead.
/// A capture whose value in the enclosing graph is a constant becomes that constant in the
/// body (so the body's passes can fold it), and captures nothing reads are dropped.
extension Integrand {
    /// The integrand with its invariant values moved out, and the operands of the integral
    /// after the bounds (its captures, in order). `operands` are the current captures' values
    /// in the enclosing graph and `constants` the values of those that are constants; `emit`
    /// builds a node of the enclosing graph and returns it with its value if it is a constant.
    func hoisting(captures operands: [NodeID], constants: [Tensor?],
                  emit emitOutside: (Op, [NodeID], SourceRange?) -> (NodeID, Tensor?)) -> (integrand: Integrand, captures: [NodeID]) {
        var outerConstants: [NodeID: Tensor] = [:]
        for (operand, value) in zip(operands, constants) { if let value { outerConstants[operand] = value } }
        func constant(_ outer: NodeID) -> Tensor? { outerConstants[outer] }
        func emit(_ op: Op, _ operands: [NodeID], _ range: SourceRange?) -> NodeID {
            let (id, value) = emitOutside(op, operands, range)
            if let value { outerConstants[id] = value }
            return id
        }
        enum Value {
            case dependent(NodeID)
            case inside(NodeID)
            case outside(NodeID)
        }
        var builder = GraphBuilder(hashConsing: true)
        let variableLeaf = builder.add(.leaf(.input, variable), [], shape: .scalar, range: nil, name: variable)
        var values = [Value?](repeating: nil, count: body.count)
        let operandsByCapture = Dictionary(uniqueKeysWithValues: zip(captures, operands))
        // Captures made so far: the enclosing value each reads, and its leaf.
        var captured: [NodeID] = []
        var captureLeaves: [NodeID] = []
        var hints: [NodeID: String] = [:]
        for (name, operand) in operandsByCapture { hints[operand] = name }
        var materialized: [Int: NodeID] = [:]

        /// The body node a dependent value reads for `value`.
        func inBody(_ value: Value) -> NodeID {
            switch value {
            case .dependent(let id), .inside(let id): return id
            case .outside(let outer):
                if let value = constant(outer) { return builder.constant(value, range: nil) }
                if let position = captured.firstIndex(of: outer) { return captureLeaves[position] }
                // A placeholder name, replaced once every capture is known (`leafNames`).
                let leaf = builder.add(.leaf(.input, "capture#\(captured.count)"), [], shape: shape(ofOuter: outer), range: nil)
                captured.append(outer)
                captureLeaves.append(leaf)
                return leaf
            }
        }
        /// Shapes of enclosing values are those of the body values they stand for.
        var outerShapes: [NodeID: Shape] = [:]
        func shape(ofOuter outer: NodeID) -> Shape { outerShapes[outer]! }

        /// The enclosing node for an inside value (a constant-only computation read by an
        /// invariant one): copied out, operands first.
        func outside(_ id: NodeID) -> NodeID {
            if let done = materialized[id.int] { return done }
            var stack = [id]
            while let top = stack.last {
                if materialized[top.int] != nil { stack.removeLast(); continue }
                let node = builder.graph[top]
                let pending = node.operands.filter { materialized[$0.int] == nil }
                if !pending.isEmpty { stack.append(contentsOf: pending); continue }
                stack.removeLast()
                let outer = emit(node.op, node.operands.map { materialized[$0.int]! }, node.range)
                outerShapes[outer] = node.shape
                materialized[top.int] = outer
            }
            return materialized[id.int]!
        }

        let live = body.reachable(from: [self.result])
        for (index, node) in body.nodes.enumerated() where live[index] || node.op.leaf != nil {
            if case .leaf(_, let name) = node.op {
                if name == variable {
                    values[index] = .dependent(variableLeaf)
                } else if let outer = operandsByCapture[name] {
                    outerShapes[outer] = node.shape
                    values[index] = constant(outer).map { .inside(builder.constant($0, range: nil)) } ?? .outside(outer)
                } else {
                    preconditionFailure("internal error: integrand leaf '\(name)' is neither the variable nor a capture")
                }
                continue
            }
            let operandValues = node.operands.map { values[$0.int]! }
            let dependent = operandValues.contains { if case .dependent = $0 { return true }; return false }
            let outsideOperand = operandValues.contains { if case .outside = $0 { return true }; return false }
            if dependent {
                values[index] = .dependent(builder.add(node.op, Operands(operandValues.map(inBody)), shape: node.shape, range: node.range,
                                                       name: node.name))
            } else if outsideOperand {
                let outer = emit(node.op, operandValues.map { value -> NodeID in
                    switch value {
                    case .outside(let id): return id
                    case .inside(let id): return outside(id)
                    case .dependent: preconditionFailure("internal error: unreachable")
                    }
                }, node.range)
                outerShapes[outer] = node.shape
                values[index] = .outside(outer)
            } else {
                values[index] = .inside(builder.add(node.op, Operands(operandValues.map(inBody)), shape: node.shape, range: node.range,
                                                    name: node.name))
            }
        }
        let result = inBody(values[self.result.int]!)
        // Name the captures: after the enclosing value they read where it has a name.
        let names = Integrand.leafNames(variable: variable, hints: captured.map { hints[$0] })
        var graph = builder.finish()
        for (leaf, name) in zip(captureLeaves, names) {
            let node = graph[leaf]
            graph.nodes[leaf.int] = Node(op: .leaf(.input, name), operands: [], shape: node.shape, range: nil, name: name)
        }
        graph.outputs = [Output(name: self.name, node: result)]
        return (Integrand(body: graph.withoutDeadNodes(), variable: variable, captures: names, name: self.name), captured)
    }
}
