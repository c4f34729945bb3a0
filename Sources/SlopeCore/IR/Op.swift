/// Every operation a node can perform, grouped by family. The elementwise and reduction
/// families are small enums of their own (`UnaryOp`, `BinaryOp`, `ReduceOp`) that carry every
/// fact about their members; the structural ops are cases here. Operands stay in the `Node`.
/// The names are the language's names, used unchanged by the printers, DOT labels, SPEC.md and
/// error messages.
public enum Op: Hashable, Sendable {
    /// A literal value.
    case constant(Tensor)
    /// A `param` (trainable) or an `input` (fixed), by name. How its value was given lives in
    /// the graph's leaf table (`Graph.leaves`).
    case leaf(LeafKind, String)
    /// Elementwise, one operand.
    case unary(UnaryOp)
    /// Elementwise, two operands with NumPy broadcasting.
    case binary(BinaryOp)
    /// Over every element (axis nil) or along one axis, which disappears.
    case reduce(ReduceOp, axis: Int?)
    /// NumPy matmul of vectors and matrices: [n,k]@[k,m] = [n,m], [n,k]@[k] = [n], [k]@[k,m] = [m], [k]@[k] = [].
    case matmul
    /// Reverses the axes (a matrix transpose; a vector or scalar is unchanged).
    case transpose
    /// The same elements in row-major order with another shape.
    case reshape(Shape)
    /// Repeats the operand along broadcast axes to the given shape.
    case broadcast(Shape)
    /// Sums the operand over broadcast axes down to the given shape: the adjoint of broadcasting.
    case sumTo(Shape)
    /// Stacks its operands (all of one shape s) into a tensor of shape [count] + s.
    case stack
    /// The operand's slice at this position along the first axis.
    case index(Int)
    /// Running sums along an axis (the shape is kept): yᵢ = x₀ + … + xᵢ along it.
    case cumsum(axis: Int)
    /// ∫ₐᵇ g(t) dt, with g a graph of its own (`Integrand`): operands a, b (scalars), then the
    /// values g reads (its captures). The shape is g's (a tensor g is integrated componentwise).
    case integral(Integrand)
}

/// Whether a leaf is trained (`param`) or held fixed (`input`).
public enum LeafKind: String, Sendable, Hashable { case param, input }

extension Op {
    /// The name used everywhere: IR text, DOT, SPEC.md.
    public var name: String {
        switch self {
        case .constant: return "constant"
        case .leaf(let kind, _): return kind.rawValue
        case .unary(let op): return op.name
        case .binary(let op): return op.name
        case .reduce(let op, _): return op.name
        case .matmul: return "matmul"
        case .transpose: return "transpose"
        case .reshape: return "reshape"
        case .broadcast: return "broadcast"
        case .sumTo: return "sum_to"
        case .stack: return "stack"
        case .index: return "index"
        case .cumsum: return "cumsum"
        case .integral: return "integral"
        }
    }

    /// Number of operands, or nil when it varies (`stack`).
    public var arity: Int? {
        switch self {
        case .constant, .leaf: return 0
        case .unary, .reduce, .transpose, .reshape, .broadcast, .sumTo, .index, .cumsum: return 1
        case .binary, .matmul: return 2
        case .stack: return nil
        case .integral(let integrand): return 2 + integrand.captures.count
        }
    }

    /// The integrand of an `integral`.
    public var integrand: Integrand? {
        if case .integral(let integrand) = self { return integrand }
        return nil
    }

    /// A param, an input or a constant: a node without operands.
    public var isLeaf: Bool {
        switch self {
        case .constant, .leaf: return true
        case .unary, .binary, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum, .integral: return false
        }
    }

    /// The leaf's kind and name for a param or an input.
    public var leaf: (kind: LeafKind, name: String)? {
        if case .leaf(let kind, let name) = self { return (kind, name) }
        return nil
    }

    public var constantValue: Tensor? {
        if case .constant(let value) = self { return value }
        return nil
    }

    /// Applies to each element independently (operands broadcast to the result).
    public var isElementwise: Bool {
        switch self {
        case .unary, .binary: return true
        case .constant, .leaf, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum, .integral: return false
        }
    }

    /// `a op b == b op a`.
    public var isCommutative: Bool {
        if case .binary(let op) = self { return op.isCommutative }
        return false
    }

    /// The derivative is zero wherever it exists (piecewise constant ops).
    public var hasZeroDerivative: Bool {
        switch self {
        case .unary(let op): return op.hasZeroDerivative
        case .binary(let op): return op.hasZeroDerivative
        case .constant, .leaf, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum, .integral: return false
        }
    }

    /// Whether the op's derivative jumps somewhere its operands can be (relu, abs, sign and
    /// step at 0; mask where its first operand is 0; max, min and equal where the operands
    /// tie; max and min reductions where elements tie).
    public var hasKink: Bool {
        switch self {
        case .unary(let op): return op.kink != nil
        case .binary(let op): return op.hasKink
        case .reduce(let op, _): return op.hasKink
        case .constant, .leaf, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum: return false
        // Integrating smooths a kink of the integrand away in the captures; what is left,
        // d/db = g(b), is checked as a value of g, not flagged here.
        case .integral: return false
        }
    }
}

/// Shorthands for the ops that rules and autodiff name most, so `node.op == .mul` reads as the
/// mathematics does. They are values, not patterns: a `switch` over ops matches the families.
extension Op {
    public static let add = Op.binary(.add)
    public static let sub = Op.binary(.sub)
    public static let mul = Op.binary(.mul)
    public static let div = Op.binary(.div)
    public static let pow = Op.binary(.pow)
    public static let neg = Op.unary(.neg)
    public static let exp = Op.unary(.exp)
    public static let log = Op.unary(.log)
    public static let sigmoid = Op.unary(.sigmoid)
}
