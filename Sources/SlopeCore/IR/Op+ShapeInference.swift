/// The result shape of each op from its operand shapes: the one statement of the shape rules,
/// used by lowering (which turns failures into diagnostics) and by `GraphBuilder` (where a
/// failure is a bug in Slope).
extension Op {
    public enum ShapeError: Error, Sendable, Equatable {
        case broadcast(Shape, Shape)
        case matmul(Shape, Shape)
        case matmulRank(Shape, Shape)
        case axis(Int, Shape)
        case reshape(Shape, Shape)
        case broadcastTo(Shape, Shape)
        case stack(Shape, Shape)
        case index(Int, Shape)
        case arity(Int, Int)
        /// An integral's bound (0 the lower, 1 the upper) is not a scalar.
        case integralBound(Int, Shape)
        /// An integral's capture (by position among the captures) does not have the shape of
        /// its leaf in the body: (position, the leaf's shape, the operand's).
        case integralCapture(Int, Shape, Shape)
    }

    public func inferShape(_ operands: [Shape]) -> Result<Shape, ShapeError> {
        if let arity, arity != operands.count { return .failure(.arity(arity, operands.count)) }
        switch self {
        case .constant(let value): return .success(value.shape)
        case .leaf:
            return .failure(.arity(0, 0))  // leaves carry their shape from the declaration
        case .unary:
            return .success(operands[0])
        case .binary:
            guard let shape = Shape.broadcast(operands[0], operands[1]) else {
                return .failure(.broadcast(operands[0], operands[1]))
            }
            return .success(shape)
        case .reduce(_, let axis):
            guard let axis else { return .success(.scalar) }
            let shape = operands[0]
            guard axis >= 0 && axis < shape.rank else { return .failure(.axis(axis, shape)) }
            var dimensions = shape.dimensions
            dimensions.remove(at: axis)
            return .success(Shape(dimensions))
        case .transpose:
            return .success(Shape(operands[0].dimensions.reversed()))
        case .reshape(let target):
            guard target.count == operands[0].count else { return .failure(.reshape(operands[0], target)) }
            return .success(target)
        case .broadcast(let target):
            guard operands[0].broadcasts(to: target) else { return .failure(.broadcastTo(operands[0], target)) }
            return .success(target)
        case .sumTo(let target):
            guard target.broadcasts(to: operands[0]) else { return .failure(.broadcastTo(target, operands[0])) }
            return .success(target)
        case .matmul:
            return Op.matmulShape(operands[0], operands[1])
        case .stack:
            guard let first = operands.first else { return .success(Shape([0])) }
            for other in operands where other != first { return .failure(.stack(first, other)) }
            return .success(Shape([operands.count] + first.dimensions))
        case .index(let position):
            let shape = operands[0]
            guard shape.rank >= 1, position >= 0, position < shape[0] else { return .failure(.index(position, shape)) }
            return .success(Shape(Array(shape.dimensions.dropFirst())))
        case .cumsum(let axis):
            let shape = operands[0]
            guard axis >= 0 && axis < shape.rank else { return .failure(.axis(axis, shape)) }
            return .success(shape)
        case .integral(let integrand):
            for bound in 0..<2 where !operands[bound].isScalar { return .failure(.integralBound(bound, operands[bound])) }
            for (position, leaf) in integrand.captureNodes.enumerated() {
                let expected = leaf.map { integrand.body[$0].shape }
                if expected != operands[2 + position] {
                    return .failure(.integralCapture(position, expected ?? .scalar, operands[2 + position]))
                }
            }
            return .success(integrand.shape)
        }
    }

    static func matmulShape(_ a: Shape, _ b: Shape) -> Result<Shape, ShapeError> {
        guard (1...2).contains(a.rank), (1...2).contains(b.rank) else { return .failure(.matmulRank(a, b)) }
        let inner = a.dimensions.last!
        let bInner = b.rank == 1 ? b[0] : b[0]
        guard inner == bInner else { return .failure(.matmul(a, b)) }
        var result: [Int] = []
        if a.rank == 2 { result.append(a[0]) }
        if b.rank == 2 { result.append(b[1]) }
        return .success(Shape(result))
    }
}

extension Op.ShapeError {
    /// The message, naming both shapes where there are two.
    public var message: String {
        switch self {
        case .broadcast(let a, let b):
            return "cannot broadcast shapes \(a) and \(b)"
        case .matmul(let a, let b):
            return "cannot multiply matrices of shapes \(a) and \(b): inner dimensions \(a.dimensions.last ?? 0) and \(b[0]) differ"
        case .matmulRank(let a, let b):
            return "'@' multiplies vectors and matrices, not shapes \(a) and \(b); use '*' for a scalar factor"
        case .axis(let axis, let shape):
            return "axis \(axis) is out of range for shape \(shape)"
        case .reshape(let a, let b):
            return "cannot reshape \(a) (\(a.count) elements) to \(b) (\(b.count) elements)"
        case .broadcastTo(let a, let b):
            return "shape \(a) does not broadcast to \(b)"
        case .stack(let a, let b):
            return "cannot stack shapes \(a) and \(b); every element must have the same shape"
        case .index(let position, let shape):
            return "index \(position) is out of range for shape \(shape)"
        case .arity(let expected, let found):
            return "expected \(expected) operands, found \(found)"
        case .integralBound(let bound, let shape):
            return "the \(bound == 0 ? "lower" : "upper") bound of an integral must be a scalar, not shape \(shape)"
        case .integralCapture(let position, let expected, let found):
            return "capture \(position + 1) of the integral has shape \(found), but its integrand reads shape \(expected)"
        }
    }
}
