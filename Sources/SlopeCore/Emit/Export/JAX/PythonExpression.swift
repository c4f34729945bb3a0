import Foundation

/// Each Slope op as a JAX expression (`jnp`, and the module's helpers for the ops whose
/// numerically careful form Slope defines: sigmoid, softplus, relu, sign, step, logsumexp,
/// sum_to; `JAXRuntime`). The forms compute what the op's scalar meaning in `UnaryOp`,
/// `BinaryOp` and `ReduceOp` computes, with the same branches, so values agree to the last bits
/// except where XLA's kernels (exp, log, pow, the order of a sum) round differently.
enum PythonExpression {
    /// The expression computing `node` from its operands' Python names; nil for an op that is not
    /// one expression (`integral`, whose integrand `PythonFunction` writes as a function of its own).
    static func of(_ node: Node, operands x: [String], in graph: Graph) -> String? {
        switch node.op {
        case .constant(let tensor): return literal(tensor)
        case .leaf(let kind, let name): return "\(kind == .param ? "params" : "inputs")[\(string(name))]"
        case .unary(let op):
            switch op {
            case .neg: return "-\(x[0])"
            case .exp, .log, .sqrt, .abs, .sin, .cos, .tanh: return "jnp.\(op.name)(\(x[0]))"
            case .sigmoid, .softplus, .relu, .sign, .step: return "\(op.name)(\(x[0]))"
            }
        case .binary(let op):
            switch op {
            case .add: return "\(x[0]) + \(x[1])"
            case .sub: return "\(x[0]) - \(x[1])"
            case .mul: return "\(x[0]) * \(x[1])"
            case .div: return "\(x[0]) / \(x[1])"
            case .pow: return "power(\(x[0]), \(x[1]))"
            case .max: return "jnp.maximum(\(x[0]), \(x[1]))"
            case .min: return "jnp.minimum(\(x[0]), \(x[1]))"
            case .equal: return "jnp.where(\(x[0]) == \(x[1]), 1.0, 0.0)"
            case .mask: return "mask(\(x[0]), \(x[1]))"
            }
        case .reduce(let op, let axis):
            let axisText = axis.map { ", axis=\($0)" } ?? ""
            switch op {
            case .sum, .mean, .max, .min: return "jnp.\(op.name)(\(x[0])\(axisText))"
            case .logsumexp: return "logsumexp(\(x[0])\(axisText))"
            }
        case .matmul: return "\(x[0]) @ \(x[1])"
        case .transpose: return "jnp.transpose(\(x[0]))"
        case .reshape(let shape): return "jnp.reshape(\(x[0]), \(tuple(shape)))"
        case .broadcast(let shape): return "jnp.broadcast_to(\(x[0]), \(tuple(shape)))"
        case .sumTo(let shape): return "sum_to(\(x[0]), \(tuple(shape)))"
        case .stack: return "jnp.stack([\(x.joined(separator: ", "))])"
        case .index(let position): return "\(x[0])[\(position)]"
        case .cumsum(let axis): return "jnp.cumsum(\(x[0]), axis=\(axis))"
        case .integral: return nil
        }
    }

    /// `(2, 3)`, `(3,)`, `()`.
    static func tuple(_ shape: Shape) -> String {
        shape.rank == 1 ? "(\(shape[0]),)" : "(" + shape.dimensions.map(String.init).joined(separator: ", ") + ")"
    }

    /// A float64 that reads back as the same bits in Python.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "math.nan" }
        if value.isInfinite { return value < 0 ? "-math.inf" : "math.inf" }
        // Swift's description is the shortest string that reads back exactly, as Python's repr.
        let text = "\(value)"
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }

    /// A constant: a Python float for a scalar, else an array literal (row-major, nested).
    static func literal(_ tensor: Tensor) -> String {
        if tensor.shape.isScalar { return number(tensor.values[0]) }
        if let fill = tensor.uniformValue { return "jnp.full(\(tuple(tensor.shape)), \(number(fill)))" }
        return "jnp.array(\(nested(tensor.values[...], tensor.shape.dimensions[...])))"
    }

    static func nested(_ values: ArraySlice<Double>, _ dims: ArraySlice<Int>) -> String {
        guard let first = dims.first else { return number(values.first ?? 0) }
        let stride = dims.dropFirst().reduce(1, *)
        let items = (0..<first).map { index -> String in
            let start = values.startIndex + index * stride
            return nested(values[start..<(start + stride)], dims.dropFirst())
        }
        return "[" + items.joined(separator: ", ") + "]"
    }

    /// A Python string literal.
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default:
                if scalar.value < 0x20 { result += String(format: "\\x%02x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
