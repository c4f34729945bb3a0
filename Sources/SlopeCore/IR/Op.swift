/// Every operation a node can perform. Cases carry their attributes. The names are the
/// language's names, used unchanged by the printer, DOT labels, SPEC.md and error messages.
public enum Op: Hashable, Sendable {
    // Leaves.
    case constant(Tensor)
    /// A trainable parameter, `param NAME`.
    case param(String)
    /// A fixed input, `input NAME`.
    case input(String)

    // Elementwise, one operand.
    case neg, exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, softplus
    /// sign(x) is -1, 0 or 1; its derivative is zero everywhere it is defined.
    case sign
    /// step(x) is 1 where x > 0 and 0 elsewhere (the Heaviside step; relu's derivative).
    case step

    // Elementwise, two operands with NumPy broadcasting.
    case add, sub, mul, div, pow
    /// mask(x, v) is v where x > 0 and exactly 0 elsewhere, never `0 * v`: relu's adjoint, so
    /// an inactive unit passes a zero gradient even when v is infinite.
    case mask

    // Reductions: over every element (axis nil) or along one axis, which disappears.
    case sum(axis: Int?)
    case mean(axis: Int?)

    // Structure.
    /// Reverses the axes (a matrix transpose; a vector or scalar is unchanged).
    case transpose
    /// The same elements in row-major order with another shape.
    case reshape(Shape)
    /// Repeats the operand along broadcast axes to the given shape.
    case broadcast(Shape)
    /// Sums the operand over broadcast axes down to the given shape: the adjoint of broadcasting.
    case sumTo(Shape)
    /// NumPy matmul of vectors and matrices: [n,k]@[k,m] = [n,m], [n,k]@[k] = [n], [k]@[k,m] = [m], [k]@[k] = [].
    case matmul
    /// Stacks its operands (all of one shape s) into a tensor of shape [count] + s.
    case stack
    /// The operand's slice at this position along the first axis.
    case index(Int)
}

extension Op {
    /// The name used everywhere: lexer, IR text, DOT, SPEC.md.
    public var name: String {
        switch self {
        case .constant: return "constant"
        case .param: return "param"
        case .input: return "input"
        case .neg: return "neg"
        case .exp: return "exp"
        case .log: return "log"
        case .sqrt: return "sqrt"
        case .abs: return "abs"
        case .sin: return "sin"
        case .cos: return "cos"
        case .tanh: return "tanh"
        case .sigmoid: return "sigmoid"
        case .relu: return "relu"
        case .softplus: return "softplus"
        case .sign: return "sign"
        case .step: return "step"
        case .add: return "add"
        case .sub: return "sub"
        case .mul: return "mul"
        case .div: return "div"
        case .pow: return "pow"
        case .mask: return "mask"
        case .sum: return "sum"
        case .mean: return "mean"
        case .transpose: return "transpose"
        case .reshape: return "reshape"
        case .broadcast: return "broadcast"
        case .sumTo: return "sum_to"
        case .matmul: return "matmul"
        case .stack: return "stack"
        case .index: return "index"
        }
    }

    /// The elementwise functions of one argument, by their language names.
    public static let unaryFunctions: [String: Op] = [
        "exp": .exp, "log": .log, "sqrt": .sqrt, "abs": .abs, "sin": .sin, "cos": .cos,
        "tanh": .tanh, "sigmoid": .sigmoid, "relu": .relu, "softplus": .softplus,
        "sign": .sign, "step": .step,
    ]

    public var isLeaf: Bool {
        switch self {
        case .constant, .param, .input: return true
        default: return false
        }
    }

    public var constantValue: Tensor? {
        if case .constant(let value) = self { return value }
        return nil
    }

    /// Number of operands, or nil when it varies (`stack`).
    public var arity: Int? {
        switch self {
        case .constant, .param, .input: return 0
        case .neg, .exp, .log, .sqrt, .abs, .sin, .cos, .tanh, .sigmoid, .relu, .softplus, .sign, .step:
            return 1
        case .add, .sub, .mul, .div, .pow, .mask, .matmul: return 2
        case .sum, .mean, .transpose, .reshape, .broadcast, .sumTo, .index: return 1
        case .stack: return nil
        }
    }

    /// Applies to each element independently (operands broadcast to the result).
    public var isElementwise: Bool {
        switch self {
        case .neg, .exp, .log, .sqrt, .abs, .sin, .cos, .tanh, .sigmoid, .relu, .softplus, .sign, .step,
             .add, .sub, .mul, .div, .pow, .mask:
            return true
        default:
            return false
        }
    }

    /// `a op b == b op a`.
    public var isCommutative: Bool { self == .add || self == .mul }

    /// `(a op b) op c == a op (b op c)` in exact arithmetic.
    public var isAssociative: Bool { self == .add || self == .mul }

    /// The derivative is zero wherever it exists (piecewise constant ops).
    public var hasZeroDerivative: Bool { self == .sign || self == .step }
}
