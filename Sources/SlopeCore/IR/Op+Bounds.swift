/// Bounds on each op's result from bounds on its operands: the elementwise ops and reductions
/// take theirs from `UnaryOp`, `BinaryOp` and `ReduceOp`; the rest are here. A nil operand or
/// result means nothing is known (a leaf's value is given from outside; an integral is not
/// bounded).
extension Op {
    /// Bounds on every element of the result, given bounds on every element of each operand
    /// and the operands' shapes.
    public func bounds(_ operands: [ValueBounds], shapes: [Shape]) -> ValueBounds? {
        switch self {
        case .constant(let value): return ValueBounds(of: value.values)
        case .leaf, .integral: return nil
        case .unary(let op): return op.bounds(operands[0])
        case .binary(let op): return op.bounds(operands[0], operands[1])
        case .reduce(let op, let axis):
            let count = axis.map { shapes[0][$0] } ?? shapes[0].count
            return op.bounds(operands[0], count: count)
        case .transpose, .reshape, .broadcast, .index: return operands[0]
        case .sumTo(let target): return operands[0].summed(shapes[0].count / Swift.max(target.count, 1))
        case .cumsum(let axis): return operands[0].summed(shapes[0][axis])
        case .matmul:
            let inner = shapes[0].rank == 1 ? shapes[0][0] : shapes[0][shapes[0].rank - 1]
            return operands[0].times(operands[1]).flatMap { $0.summed(inner) }
        case .stack: return operands.dropFirst().reduce(operands.first) { $0?.union($1) }
        }
    }
}
