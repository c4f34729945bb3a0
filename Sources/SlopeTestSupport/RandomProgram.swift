import Foundation
import SlopeCore

/// A random well-typed, differentiable program, the same for the same seed on every machine,
/// for the property tests of autodiff and the optimizer.
///
/// It declares one to three params and up to two inputs (shapes [], [2], [3], [2, 3], [3, 2],
/// values in [-1, 1] written as literals), builds three to eight named values `t1`, `t2`, …
/// from earlier ones (a DAG: operands are chosen among all earlier values, preferring those
/// nothing reads yet), and ends with `f = sum(tᵢ) + …` over the values nothing else reads.
///
/// Every op the language has appears, in a form that keeps values finite and away from
/// kinks and poles, so central differences are meaningful at the program's point:
/// exp and log see bounded or positive arguments (`exp(tanh(v))`, `log(1 + v*v)`), divisors
/// and bases of `^` lie in [0.5, 3], and relu, abs and mask see arguments at least 0.5 from
/// their kink (`relu(tanh(v) + 1.5)` is always active, `relu(tanh(v) - 1.5)` never); the
/// operands of elementwise max and min are at least 1 apart (`max(tanh(a) + 2, tanh(b) - 2)`),
/// and max and min reductions see random values, which tie with probability 0.
public struct RandomProgram: Sendable, CustomStringConvertible {
    public let seed: UInt64
    public let source: String
    /// The params, in declaration order.
    public let params: [String]

    public var description: String { "seed \(seed):\n\(source)" }

    /// With `namesLikeSlopes`, params, inputs and values are named as Slope names what it makes
    /// up (`t7`, `d_t3`, `t2_2`, `g1`, `d_` of a param, and the descriptive `error`, `product`,
    /// `z_f`, `exp_p0`, …), in an order that has nothing to do
    /// with their positions, so printed gradient programs must keep clear of every name the
    /// program uses (a `param t2` declared after an unnamed %2 once printed as `t2_2`).
    ///
    /// With `integrals`, some values are integrals of functions of t that read earlier values
    /// (`fn g3(t) = sin(t1*t) + t^2`, `t3 = integral(g3, -0.5, tanh(t2))`): smooth integrands,
    /// scalar or tensor, over bounds that are constants or depend on the params. Off by
    /// default, so the programs of the other property tests stay what they were.
    public init(seed: UInt64, namesLikeSlopes: Bool = false, integrals: Bool = false) {
        var generator = Generator(seed: seed)
        generator.namesLikeSlopes = namesLikeSlopes
        generator.integrals = integrals
        let (source, params) = generator.program()
        self.seed = seed
        self.source = source
        self.params = params
    }
}

private struct Generator {
    struct Value {
        let name: String
        let shape: [Int]
        /// The params this value depends on.
        let params: Set<String>
    }

    var random: Random
    var values: [Value] = []
    var read: Set<String> = []
    var lines: [String] = []
    var counter = 0
    var namesLikeSlopes = false
    var integrals = false

    init(seed: UInt64) { random = Random(seed: seed ^ 0x5EED_0F_A11_D1FF) }

    static let shapes: [[Int]] = [[], [2], [3], [2, 3], [3, 2]]

    mutating func int(_ bound: Int) -> Int { Int(random.nextBits() % UInt64(bound)) }
    mutating func chance(_ probability: Double) -> Bool { random.nextUniform() < probability }
    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

    mutating func program() -> (String, [String]) {
        var params: [String] = []
        for index in 0..<(1 + int(3)) {
            let name = namesLikeSlopes ? nameLikeSlopes() : "p\(index)"
            declare("param", name, pick(Self.shapes))
            values[values.count - 1] = Value(name: name, shape: values.last!.shape, params: [name])
            params.append(name)
        }
        for index in 0..<int(3) { declare("input", namesLikeSlopes ? nameLikeSlopes() : "x\(index)", pick(Self.shapes)) }
        let leafCount = values.count
        let operations = 3 + int(6)
        while values.count - leafCount < operations {
            var attempts = 0
            while attempts < 20, !operation() { attempts += 1 }
        }
        var sinks = values[leafCount...].filter { !read.contains($0.name) }.map { "sum(\($0.name))" }
        if namesLikeSlopes {
            // A param declared after the values, named as Slope would name an unnamed node
            // before it: its declaration is copied as written, so the name must stay its own.
            var name = "t\(leafCount + int(8))"
            while values.contains(where: { $0.name == name }) { name += "_2" }
            lines.append("param \(name) = \(literal([]))")
            params.append(name)
            sinks.append("\(name)*\(name)")
        }
        lines.append("f = " + sinks.joined(separator: " + "))
        return (lines.joined(separator: "\n") + "\n", params)
    }

    mutating func declare(_ keyword: String, _ name: String, _ shape: [Int]) {
        let annotation = "[" + shape.map(String.init).joined(separator: ", ") + "]"
        lines.append("\(keyword) \(name): \(annotation) = \(literal(shape))")
        values.append(Value(name: name, shape: shape, params: []))
    }

    /// Random entries in [-1, 1] with two decimals, as a tensor literal of `shape`.
    mutating func literal(_ shape: [Int]) -> String {
        guard let first = shape.first else { return String(format: "%.2f", random.uniform(-1, 1)) }
        var items: [String] = []
        for _ in 0..<first { items.append(literal(Array(shape.dropFirst()))) }
        return "[" + items.joined(separator: ", ") + "]"
    }

    /// An operand: a value nothing reads yet (60%) or any earlier value.
    mutating func operand(where accept: (Value) -> Bool = { _ in true }) -> Value? {
        let fresh = values.filter { !read.contains($0.name) && accept($0) }
        if !fresh.isEmpty && chance(0.6) { return pick(fresh) }
        let all = values.filter(accept)
        return all.isEmpty ? nil : pick(all)
    }

    /// NumPy broadcasting of two shapes, or nil.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let a = [Int](repeating: 1, count: rank - a.count) + a, b = [Int](repeating: 1, count: rank - b.count) + b
        var result: [Int] = []
        for (x, y) in zip(a, b) {
            guard x == y || x == 1 || y == 1 else { return nil }
            result.append(max(x, y))
        }
        return result
    }

    static func matmul(_ a: [Int], _ b: [Int]) -> [Int]? {
        switch (a.count, b.count) {
        case (2, 2): return a[1] == b[0] ? [a[0], b[1]] : nil
        case (2, 1): return a[1] == b[0] ? [a[0]] : nil
        case (1, 2): return a[0] == b[0] ? [b[1]] : nil
        case (1, 1): return a[0] == b[0] ? [] : nil
        default: return nil
        }
    }

    /// A fresh name of the kinds Slope makes up for unnamed values and adjoints.
    mutating func nameLikeSlopes() -> String {
        let params = values.filter { !$0.params.isEmpty && $0.params == [$0.name] }.map(\.name)
        while true {
            let name: String
            switch int(6) {
            case 0: name = "t\(1 + int(40))"
            case 1: name = "d_" + (params.isEmpty ? "p0" : pick(params))
            case 2: name = "d_t\(1 + int(40))"
            case 3: name = "t\(1 + int(40))_2"
            case 4: name = "g\(1 + int(9))"
            // The descriptive names printed programs make up (`NameTable.Style.descriptive`).
            default: name = pick(["error", "error_2", "product", "product_2", "total", "difference", "quotient", "d_error",
                                  "d_product", "z_f", "minus_p0", "exp_p0", "sum_p0"])
            }
            if !values.contains(where: { $0.name == name }) { return name }
        }
    }

    mutating func define(_ expression: String, _ shape: [Int], from operands: [Value]) {
        counter += 1
        let name = namesLikeSlopes ? nameLikeSlopes() : "t\(counter)"
        lines.append("\(name) = \(expression)")
        for operand in operands { read.insert(operand.name) }
        values.append(Value(name: name, shape: shape, params: operands.reduce(into: Set()) { $0.formUnion($1.params) }))
    }

    /// ∫ of a smooth function of t reading one earlier value, from a constant to a constant or
    /// to a bound that depends on a scalar value; a tensor value gives a tensor integrand.
    mutating func integral() -> Bool {
        guard let v = operand() else { return false }
        let function = "g\(counter + 1)"
        let form = pick(["sin(#*t) + t^2", "exp(tanh(#)*t)", "#*t/(2 + sin(t))", "cos(t)^2*tanh(#)", "sqrt(1 + (#*t)^2)"])
        lines.append("fn \(function)(t) = " + form.replacingOccurrences(of: "#", with: v.name))
        var operands = [v]
        var upper = String(format: "%.2f", random.uniform(0.5, 1.5))
        if let bound = operand(where: { $0.shape.isEmpty && !$0.params.isEmpty }), chance(0.6) {
            upper = "1 + tanh(\(bound.name))"
            operands.append(bound)
        }
        define("integral(\(function), \(String(format: "%.2f", random.uniform(-1, 0))), \(upper))", v.shape, from: operands)
        return true
    }

    /// Adds one value; false when the chosen kind found no suitable operands.
    mutating func operation() -> Bool {
        if integrals && chance(0.2) { return integral() }
        switch int(12) {
        case 0, 1:
            guard let v = operand() else { return false }
            let function = pick(["sin", "cos", "tanh", "sigmoid", "softplus"])
            define("\(function)(\(v.name))", v.shape, from: [v])
        case 2:
            guard let v = operand() else { return false }
            let form = pick(["exp(tanh(#))", "log(1 + #*#)", "sqrt(1 + #*#)", "relu(tanh(#) + 1.5)", "relu(tanh(#) - 1.5)",
                             "abs(tanh(#) - 2)", "-#", "#^2", "tanh(#)^3"])
            define(form.replacingOccurrences(of: "#", with: v.name), v.shape, from: [v])
        case 3, 4, 5:
            guard let a = operand() else { return false }
            guard let b = operand(where: { Self.broadcast(a.shape, $0.shape) != nil }) else { return false }
            let shape = Self.broadcast(a.shape, b.shape)!
            let form = pick(["# + @", "# - @", "# * @", "# * @", "# / (2 + cos(@))", "(1.5 + sin(#)) ^ tanh(@)",
                             "mask(tanh(#) + 1.5, @)", "mask(tanh(#) - 1.5, @)",
                             "max(tanh(#) + 2, tanh(@) - 2)", "min(tanh(#) + 2, sin(@) - 2)"])
            define(form.replacingOccurrences(of: "#", with: a.name).replacingOccurrences(of: "@", with: b.name),
                   shape, from: [a, b])
        case 6, 7:
            guard let a = operand(where: { !$0.shape.isEmpty }),
                  let b = operand(where: { Self.matmul(a.shape, $0.shape) != nil }) else { return false }
            define("\(a.name) @ \(b.name)", Self.matmul(a.shape, b.shape)!, from: [a, b])
        case 8:
            guard let v = operand(where: { !$0.shape.isEmpty }) else { return false }
            if v.shape.count == 1 || chance(0.4) {
                define("\(pick(["sum", "mean", "max", "min"]))(\(v.name))", [], from: [v])
            } else {
                let axis = pick([0, 1, -1])
                var shape = v.shape
                shape.remove(at: axis < 0 ? shape.count + axis : axis)
                define("\(pick(["sum", "mean", "max", "min"]))(\(v.name), axis: \(axis))", shape, from: [v])
            }
        case 9:
            guard let v = operand(where: { $0.shape.count == 2 }) else { return false }
            switch int(4) {
            case 0: define("transpose(\(v.name))", [v.shape[1], v.shape[0]], from: [v])
            case 1: define("reshape(\(v.name), [\(v.shape[0] * v.shape[1])])", [v.shape[0] * v.shape[1]], from: [v])
            case 2: define("sum_to(\(v.name), [\(v.shape[1])])", [v.shape[1]], from: [v])
            default: define("index(\(v.name), \(int(v.shape[0])))", [v.shape[1]], from: [v])
            }
        case 10:
            guard let a = operand(where: { $0.shape.count <= 1 }) else { return false }
            if chance(0.5), let b = operand(where: { $0.shape == a.shape }) {
                define("[\(a.name), \(b.name)]", [2] + a.shape, from: [a, b])
            } else {
                let shape = [2] + (a.shape.isEmpty ? [3] : a.shape)
                define("broadcast(\(a.name), [\(shape.map(String.init).joined(separator: ", "))])", shape, from: [a])
            }
        default:
            // A gradient inside the program: what it computes is differentiated again.
            guard let v = operand(where: { !$0.params.isEmpty && $0.params != [$0.name] }) else { return false }
            let param = pick(v.params.sorted())
            let p = values.first { $0.name == param }!
            define("grad(sum(\(v.name)), \(param))", p.shape, from: [v])
        }
        return true
    }
}
