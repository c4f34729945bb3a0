/// What each op looks like as source: the grammar's operators at their levels, calls, and the
/// few spellings that read better than the IR's own and compute the same bits (`x^2` for x·x,
/// `outer(u, v)`, `2*x` for x·2). Every choice here keeps the printed text exact: see
/// `ExpressionPrinter` for the list and SPEC.md for the contract.
extension ExpressionRenderer {
    func describe(_ id: NodeID) -> Rendering {
        let node = graph[id]
        let operands = node.operands
        switch node.op {
        case .constant(let value):
            if let scalar = value.scalarValue { return number(scalar) }
            return rendering([.text(GraphSource.literal(value))], .atom)
        case .leaf:
            return rendering([.text(names[id])], .atom)
        case .unary(let op):
            switch op.notation {
            case .prefix: return negated(operands[0])
            case .infix, .call: return call(op.name, operands.array)
            }
        case .binary(let op):
            if op == .mul, let (base, exponent) = power(id) {
                return rendering(operand(base, atLeast: .atom) + [.text("^\(exponent)")], .power, deeper: 1)
            }
            switch op.notation {
            case .infix(let symbol, let level): return infix(op, symbol, level, operands.array)
            case .prefix, .call: return call(op.name, operands.array)
            }
        case .matmul:
            if let (u, v) = outerProduct(id) { return call("outer", [u, v]) }
            return rendering(operand(operands[0], atLeast: .multiplicative) + [.text(" @ ")] + operand(operands[1], atLeast: .power),
                             .multiplicative, minusNegates: false)
        case .broadcast(let shape):
            // Implicit where every user is elementwise and has another operand of its full
            // shape, so broadcasting restores the shape; explicit otherwise. That operand must not
            // be a broadcast itself, which might be written implicitly too: broadcast(1, [2, 3]) +
            // broadcast(v, [2, 3]) written `1 + v` would have v's shape.
            let implicit = !users[id.int].isEmpty && users[id.int].allSatisfy { user in
                let node = graph[user]
                return node.op.isElementwise && node.operands.contains {
                    $0 != id && graph[$0].shape == node.shape && !ExpressionPrinter.isImplicit(graph[$0].op)
                }
            }
            if implicit, let shown = memo[operands[0].int] {
                return rendering([.node(operands[0])], shown.level, minusNegates: shown.minusNegates)
            }
            return rendering([.text("broadcast(")] + operand(operands[0], atLeast: .additive) + [.text(", \(shape))")], .atom)
        case .reduce(_, let axis):
            return rendering([.text("\(node.op.name)(")] + operand(operands[0], atLeast: .additive)
                                + [.text((axis.map { ", axis: \($0)" } ?? "") + ")")], .atom)
        case .sumTo(let shape):
            return rendering(sumTo(operands[0], to: shape), .atom)
        case .reshape(let shape):
            return rendering([.text("reshape(")] + operand(operands[0], atLeast: .additive) + [.text(", \(shape))")], .atom)
        case .index(let position):
            return rendering([.text("index(")] + operand(operands[0], atLeast: .additive) + [.text(", \(position))")], .atom)
        case .cumsum(let axis):
            // A vector's running sum needs no axis, as the language writes it.
            let argument = operand(operands[0], atLeast: .additive)
            return rendering([.text("cumsum(")] + argument
                                + [.text(graph[operands[0]].shape.rank == 1 ? ")" : ", axis: \(axis))")], .atom)
        case .stack:
            return rendering([.text("[")] + separated(operands.array) + [.text("]")], .atom)
        case .transpose:
            return call("transpose", operands.array)
        // `integral(g, a, b)`: the function is written as its own `fn` statement by
        // `GraphSource`, under the name `functionNames` gives; the captures are its globals.
        case .integral(let integrand):
            let function = functionNames[id] ?? integrand.name
            return rendering([.text("integral(\(function), ")] + separated(Array(operands.prefix(2))) + [.text(")")], .atom)
        }
    }

    /// A scalar constant: a decimal or an exact fraction (`SourceNumber`), or for nan and the
    /// infinities the division that makes them (`0/0`, `1/0`, `-1/0`).
    func number(_ value: Double) -> Rendering {
        guard value.isFinite else { return rendering([.text(GraphSource.literalNumber(value))], .multiplicative, minusNegates: false) }
        let (text, isFraction) = SourceNumber.spelling(value)
        let negative = value.sign == .minus
        return rendering([.text(text)], isFraction ? .multiplicative : negative ? .unary : .atom, minusNegates: !negative)
    }

    /// `a, b, …` at the loosest level, as arguments and elements are written.
    func separated(_ operands: [NodeID]) -> [Piece] {
        var pieces: [Piece] = []
        for (position, id) in operands.enumerated() {
            if position > 0 { pieces.append(.text(", ")) }
            pieces += operand(id, atLeast: .additive)
        }
        return pieces
    }

    /// `name(a, b, …)`.
    func call(_ name: String, _ operands: [NodeID]) -> Rendering {
        rendering([.text("\(name)(")] + separated(operands) + [.text(")")], .atom)
    }

    /// An infix operator at its grammar level. A right operand of equal precedence keeps its
    /// parentheses, so `a - (b - c)` keeps the graph's order; a negated right operand of `*` and
    /// `/` is parenthesised, `x*(-y)`. Signs move where that is exact (`a + -b` is `a - b`), and a
    /// product with a constant puts the constant first: `2*x`, `2*(x*y)`.
    func infix(_ op: BinaryOp, _ symbol: String, _ level: Level, _ operands: [NodeID]) -> Rendering {
        let lhs = operands[0], rhs = operands[1]
        switch op {
        case .add, .sub:
            // a + (−b) = a − b and a − (−b) = a + b: IEEE subtraction is addition of the negation.
            if let positive = negation(ofOperand: rhs) {
                let written = op == .add ? " - " : " + "
                return rendering(operand(lhs, atLeast: .additive) + [.text(written)] + grouped(positive, atLeast: .multiplicative),
                                 .additive)
            }
        case .mul:
            if let (x, c) = scaled(lhs, rhs) {
                // x·c = c·x exactly; x·(−1) = −x exactly.
                if c == -1 { return negated(x) }
                let factor = number(c)
                return rendering(grouped(factor, atLeast: .multiplicative) + [.text("*")] + operand(x, atLeast: .power),
                                 .multiplicative, minusNegates: factor.minusNegates)
            }
        case .div:
            break
        case .pow:
            let base = operand(lhs, atLeast: .atom), exponent = operand(rhs, atLeast: .unary)
            var power = rendering(base + [.text(symbol)] + exponent, .power)
            power.depth = max(rendering(base, .power).depth, rendering(exponent, .power).depth + 1)
            return power
        case .mask, .equal, .max, .min:
            break
        }
        let spaced = level == .additive ? " \(symbol) " : symbol
        let right: Level = level == .multiplicative ? .power : level.next
        let left = operand(lhs, atLeast: level)
        // A product or quotient negates exactly through its left factor; a parenthesised left
        // factor is an atom.
        let minusNegates = level == .multiplicative && (self.level(of: lhs) < level || (memo[lhs.int]?.minusNegates ?? true))
        return rendering(left + [.text(spaced)] + operand(rhs, atLeast: right), level, minusNegates: minusNegates)
    }

    /// The factor and the finite scalar constant of a product `x * c` or `c * x` that prints as
    /// `c*x`; nil when neither or both operands are constants.
    func scaled(_ lhs: NodeID, _ rhs: NodeID) -> (x: NodeID, c: Double)? {
        let a = graph[lhs].op.constantValue, b = graph[rhs].op.constantValue
        if let c = b?.scalarValue, a == nil, c.isFinite { return (lhs, c) }
        if let c = a?.scalarValue, b == nil, c.isFinite { return (rhs, c) }
        return nil
    }

    /// x·x as (x, 2), and (x·x)·x or x·(x·x) as (x, 3), when the square is not a value of its
    /// own on the page (named or shared): the interpreter computes x^2 as x·x and x^3 as
    /// (x·x)·x (`ScalarMath.power`), and multiplication commutes exactly.
    func power(_ id: NodeID) -> (base: NodeID, exponent: Int)? {
        guard let (base, exponent) = Self.power(id, in: graph) else { return nil }
        if exponent == 3 {
            let square = graph[id].operands.first { $0 != base } ?? base
            guard !bound.contains(square) else { return nil }
        }
        return (base, exponent)
    }

    /// The shape of `power(_:)` read off the graph alone (the square unnamed).
    static func power(_ id: NodeID, in graph: Graph) -> (base: NodeID, exponent: Int)? {
        let node = graph[id]
        guard node.op == .mul else { return nil }
        let a = node.operands[0], b = node.operands[1]
        if a == b { return (a, 2) }
        func square(of x: NodeID, _ s: NodeID) -> Bool {
            let inner = graph[s]
            return inner.op == .mul && inner.operands[0] == x && inner.operands[1] == x && inner.name == nil
        }
        if square(of: a, b) { return (a, 3) }
        if square(of: b, a) { return (b, 3) }
        return nil
    }

    /// The vectors u, v of reshape(u, [n, 1]) @ reshape(v, [1, m]), the outer product that
    /// matmul's adjoint builds, when neither reshape is a value of its own on the page: the
    /// prelude's `outer(u, v)` lowers to exactly these nodes.
    func outerProduct(_ id: NodeID) -> (NodeID, NodeID)? {
        guard let (u, v) = Self.outerProduct(id, in: graph),
              !bound.contains(graph[id].operands[0]), !bound.contains(graph[id].operands[1]) else { return nil }
        return (u, v)
    }

    static func outerProduct(_ id: NodeID, in graph: Graph) -> (NodeID, NodeID)? {
        let node = graph[id]
        guard node.op == .matmul else { return nil }
        let column = graph[node.operands[0]], row = graph[node.operands[1]]
        guard case .reshape(let columnShape) = column.op, case .reshape(let rowShape) = row.op else { return nil }
        let u = column.operands[0], v = row.operands[0]
        guard graph[u].shape.rank == 1, graph[v].shape.rank == 1,
              columnShape.dimensions == [graph[u].shape[0], 1], rowShape.dimensions == [1, graph[v].shape[0]] else { return nil }
        return (u, v)
    }

    /// The operands a node's text writes out, for counting uses: x once for `x^2` and `x^3`,
    /// u and v for `outer(u, v)`, every operand otherwise.
    static func writtenOperands(of id: NodeID, in graph: Graph) -> [NodeID] {
        if let (base, _) = power(id, in: graph) { return [base] }
        if let (u, v) = outerProduct(id, in: graph) { return [u, v] }
        if case .integral = graph[id].op { return Array(graph[id].operands.prefix(2)) }
        return graph[id].operands.array
    }

    /// sum_to as the language writes it where the reduction adds the same numbers in the same
    /// order: `sum(x)` for a vector summed to a scalar, `sum(x, axis: 0)` for one leading axis
    /// removed (the two kernels differ only in the sign of a zero total, which `exact` allows).
    /// Other targets keep the IR's name, `sum_to(x, [])`: summed row by row, a matrix's total
    /// rounds differently from `sum(x)`'s, and so do nested sums of several leading axes.
    func sumTo(_ x: NodeID, to shape: Shape) -> [Piece] {
        let source = graph[x].shape
        let argument = operand(x, atLeast: .additive)
        if shape.isScalar && source.rank <= 1 { return [.text("sum(")] + argument + [.text(")")] }
        guard source.rank == shape.rank + 1, Array(source.dimensions.dropFirst()) == shape.dimensions else {
            return [.text("sum_to(")] + argument + [.text(", \(shape))")]
        }
        return [.text("sum(")] + argument + [.text(", axis: 0)")]
    }
}
