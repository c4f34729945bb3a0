/// Constant folding (`fold`): a node whose operands are all constants becomes a constant.
///
/// Values are computed exactly as the interpreter would compute them (elementwise ops through
/// the op's own scalar meaning, everything else by running the interpreter on the one node), so folding is
/// exact. A result larger than its largest operand and than `maximumGrowth` elements is not
/// folded: `broadcast(0, [1000, 1000])` stays a broadcast rather than a megabyte of literal.
public enum ConstantFolding {
    public static let pass = Pass(name: "fold") { graph, _, report in
        // Nothing to fold unless some op reads only constants: checked in one cheap scan
        // before rebuilding the graph.
        // An integral's body may hold something to fold, and a constant capture folds into it.
        let foldable = graph.nodes.contains { node in
            node.op.integrand != nil
                || !node.op.isLeaf && !node.operands.isEmpty && node.operands.allSatisfy { graph[$0].op.constantValue != nil }
        }
        guard foldable else { return .unchanged(graph) }
        return Rewriter.rewrite(graph, report: &report) { op in op.isLeaf ? [] : rules }
    }

    /// Results up to this many elements are folded even when they are larger than every operand.
    static let maximumGrowth = 64

    static let rules = [
        // op(c₁, …, cₙ) = c, computed now
        Rule("fold-constants", .exact, needs: .constant) { r, m in
            m.operands.isEmpty ? nil : r.folded(m.op, m.operands)
        },
    ]

    /// The value of `op` on constant operands, or nil when it is too large to keep.
    public static func evaluate(_ op: Op, _ operands: [Tensor]) -> Tensor? {
        guard case .success(let shape) = op.inferShape(operands.map(\.shape)) else { return nil }
        let largest = operands.map(\.shape.count).max() ?? 0
        guard shape.count <= max(largest, maximumGrowth) else { return nil }
        switch op {
        case .unary(let unary):
            return Tensor(shape: shape, values: operands[0].values.map { unary.apply($0) })
        case .binary(let binary):
            return elementwise(binary, operands[0], operands[1], shape: shape)
        case .constant, .leaf, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum:
            return interpret(op, operands)
        // Not folded: an integral is evaluated when the program runs, so its error estimate and
        // evaluation count are reported and a failure is a diagnostic at the call. Its body is
        // folded (`Rewriter+Integrals.swift`), constant captures included.
        case .integral:
            return nil
        }
    }

    /// A binary elementwise op with NumPy broadcasting, element by element through `ScalarMath`.
    static func elementwise(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, shape: Shape) -> Tensor {
        if a.shape == shape && b.shape == shape {
            return Tensor(shape: shape, values: zip(a.values, b.values).map { op.apply($0, $1) })
        }
        // The runtime's broadcast walk: row by row over the output's last axis.
        let layout = BroadcastLayout(output: shape, lhs: a.shape, rhs: b.shape)
        let aInner = layout.lhsStrides.last ?? 0, bInner = layout.rhsStrides.last ?? 0
        var values = [Double]()
        values.reserveCapacity(shape.count)
        layout.forEachRow { _, aOffset, bOffset in
            for i in 0..<layout.innerCount {
                values.append(op.apply(a.values[aOffset + i * aInner], b.values[bOffset + i * bInner]))
            }
        }
        return Tensor(shape: shape, values: values)
    }

    /// Runs the interpreter on a graph of the constants and the one op.
    static func interpret(_ op: Op, _ operands: [Tensor]) -> Tensor? {
        var builder = GraphBuilder()
        let inputs = operands.map { builder.constant($0, range: nil) }
        let output = builder.add(op, Operands(inputs), range: nil)
        let executor = Executor(graph: builder.graph, outputs: [output], leafValues: [:])
        executor.run()
        return executor.value(output)
    }
}
