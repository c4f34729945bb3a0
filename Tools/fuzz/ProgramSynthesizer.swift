import Foundation

/// Well-typed programs, the same for the same random stream: params and inputs of small shapes
/// (literals, fills, random draws, CSV columns), `fn` definitions and calls, the prelude, every
/// op and built-in, `grad` (nested too), prints and training statements.
///
/// A *smooth* program uses only forms that keep values finite and away from kinks and poles
/// (as `SlopeTestSupport/RandomProgram.swift` does), so `slope check` must agree with autodiff
/// at its point. A *wild* program may produce NaN, infinities or a diverging training run,
/// which must end in a clean result or a clean diagnostic.
struct ProgramSynthesizer {
    struct Program {
        var source: String
        /// Data files the program reads, by relative path.
        var files: [String: [UInt8]]
        var params: [String]
        var inputs: [String]
        /// Named values (`t1 = …`, the target `f`), in order.
        var named: [String]
        var shapes: [String: [Int]]
        var smooth: Bool
    }

    struct Value {
        let name: String
        let shape: [Int]
        /// The params this value depends on.
        let params: Set<String>
    }

    var random: FuzzRandom
    let smooth: Bool
    var values: [Value] = []
    var read: Set<String> = []
    var lines: [String] = []
    var files: [String: [UInt8]] = [:]
    var functions: [(name: String, arity: Int)] = []
    var counter = 0
    /// Rows of the CSV file, when the program reads one.
    var csvRows: Int?

    init(random: FuzzRandom, smooth: Bool) {
        self.random = random
        self.smooth = smooth
    }

    static func make(_ random: inout FuzzRandom, smooth: Bool) -> Program {
        var synthesizer = ProgramSynthesizer(random: FuzzRandom(seed: random.next()), smooth: smooth)
        return synthesizer.program()
    }

    var shapes: [[Int]] { smooth ? [[], [2], [3], [2, 3], [3, 2]] : [[], [2], [3], [2, 3], [3, 2], [1, 3], [3, 1], [4]] }

    mutating func program() -> Program {
        if random.chance(0.3) { lines.append("# a generated program") }
        if random.chance(0.3) { lines.append("seed \(random.int(1000))") }
        var params: [String] = [], inputs: [String] = []
        for index in 0..<(1 + random.int(3)) {
            params.append("p\(index)")
            declare("param", "p\(index)")
        }
        for index in 0..<random.int(3) {
            inputs.append("x\(index)")
            declare("input", "x\(index)")
        }
        if random.chance(smooth ? 0.2 : 0.4) { defineFunctions() }
        let leafCount = values.count
        let operations = 2 + random.int(smooth ? 6 : 9)
        while values.count - leafCount < operations {
            var attempts = 0
            while attempts < 20, !operation() { attempts += 1 }
            if attempts == 20 { break }
            if !smooth && random.chance(0.15) { printStatement() }
        }
        let sinkValues = values[leafCount...].filter { !read.contains($0.name) }
        var terms = (sinkValues.isEmpty ? [values[leafCount - 1]] : Array(sinkValues)).map { "sum(\($0.name))" }
        // `slope check` differentiates by the params the target depends on: make it one at least.
        if smooth, !sinkValues.contains(where: { !$0.params.isEmpty }) { terms.append("sum(\(params[0]))") }
        lines.append("f = " + terms.joined(separator: " + "))
        values.append(Value(name: "f", shape: [], params: Set(params)))
        if !smooth {
            if random.chance(0.5) { trainingStatement(params) }
            if random.chance(0.7) { printStatement(withTarget: true) }
        } else if random.chance(0.5) {
            lines.append("print f" + params.map { ", grad(f, \($0))" }.joined())
        }
        let named = values.map(\.name).filter { !params.contains($0) && !inputs.contains($0) }
        return Program(source: lines.joined(separator: "\n") + "\n", files: files, params: params, inputs: inputs,
                       named: named, shapes: Dictionary(values.map { ($0.name, $0.shape) }, uniquingKeysWith: { a, _ in a }),
                       smooth: smooth)
    }

    // MARK: Declarations

    mutating func declare(_ keyword: String, _ name: String) {
        var shape = random.pick(shapes)
        var initial: String
        var annotate = !shape.isEmpty || random.chance(0.3)
        switch random.weighted(smooth ? [6, 2, 0, 2] : [5, 2, 2, 2]) {
        case 0: initial = literal(shape)
        case 1:
            initial = smooth ? random.decimal(-1, 1) : random.pick(["0", "1", "-2", "0.5", "1e-3", random.decimal(-3, 3)])
            annotate = true
        case 2:
            initial = random.chance(0.5) ? "normal(0, \(random.pick(["1", "0.1", "2"])))" : "uniform(-1, 1)"
        default:
            let (text, columns) = csvColumns()
            initial = text
            shape = columns == 0 ? [csvRows!] : [csvRows!, columns]
            annotate = random.chance(0.3)
        }
        let annotation = annotate ? ": [" + shape.map(String.init).joined(separator: ", ") + "]" : ""
        lines.append("\(keyword) \(name)\(annotation) = \(initial)")
        values.append(Value(name: name, shape: shape, params: keyword == "param" ? [name] : []))
    }

    /// Entries in [-1, 1] with two decimals (wilder numbers in a wild program), as a literal.
    mutating func literal(_ shape: [Int]) -> String {
        guard let first = shape.first else {
            if !smooth && random.chance(0.1) { return random.pick(["0", "-0", "1e300", "1e-300", "3", "-1"]) }
            return random.decimal(-1, 1)
        }
        var items: [String] = []
        for _ in 0..<first { items.append(literal(Array(shape.dropFirst()))) }
        return "[" + items.joined(separator: ", ") + "]"
    }

    /// A `csv(...)` initial value over the program's data file (written on first use): one
    /// column (0 returned) or k columns.
    mutating func csvColumns() -> (String, Int) {
        if csvRows == nil {
            let rows = random.pick([2, 3]), columns = 3
            csvRows = rows
            var text = (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
            for _ in 0..<rows {
                text += (0..<columns).map { _ in random.decimal(-1, 1) }.joined(separator: ",") + "\n"
            }
            files["data.csv"] = Array(text.utf8)
        }
        switch random.int(3) {
        case 0: return ("csv(\"data.csv\", \"c\(random.int(3))\")", 0)
        case 1: return ("csv(\"data.csv\", \"c2\", \"c0\")", 2)
        default: return ("csv(\"data.csv\")", 3)
        }
    }

    mutating func defineFunctions() {
        let bodies = smooth ? ["a * tanh(b) + a", "sin(a) * b", "a * a + b"]
                            : ["a * tanh(b) + a", "log(a) * b", "a / b", "max(a, b) - min(a, b)", "a ^ b", "relu(a - b)"]
        lines.append("fn h0(a, b) = \(random.pick(bodies))")
        functions.append(("h0", 2))
        lines.append("fn u0(a) = \(random.pick(smooth ? ["sin(a) * a", "tanh(a) + 1", "a * a"] : ["sin(a) * a", "exp(a)", "sqrt(a)", "h0(a, a)"]))")
        functions.append(("u0", 1))
        if random.chance(0.5) {
            lines.append("fn s0(a) = grad(sum(u0(a)), a)")
            functions.append(("s0", 1))
        }
    }

    // MARK: Values

    /// An operand: a value nothing reads yet (60%) or any earlier value.
    mutating func operand(where accept: (Value) -> Bool = { _ in true }) -> Value? {
        let fresh = values.filter { !read.contains($0.name) && accept($0) }
        if !fresh.isEmpty && random.chance(0.6) { return random.pick(fresh) }
        let all = values.filter(accept)
        return all.isEmpty ? nil : random.pick(all)
    }

    mutating func define(_ expression: String, _ shape: [Int], from operands: [Value]) {
        counter += 1
        let name = "t\(counter)"
        var text = expression
        // A statement continues inside parentheses: sometimes split one over two lines.
        if !smooth && random.chance(0.05) { text = "(" + text + "\n    )" }
        lines.append("\(name) = \(text)")
        for operand in operands { read.insert(operand.name) }
        values.append(Value(name: name, shape: shape, params: operands.reduce(into: Set()) { $0.formUnion($1.params) }))
    }

    static func fill(_ form: String, _ a: String, _ b: String = "") -> String {
        form.replacingOccurrences(of: "#", with: a).replacingOccurrences(of: "@", with: b)
    }

    /// Adds one value; false when the chosen kind found no suitable operands.
    mutating func operation() -> Bool {
        switch random.int(14) {
        case 0, 1, 2:
            guard let v = operand() else { return false }
            let forms = smooth
                ? ["sin(#)", "cos(#)", "tanh(#)", "sigmoid(#)", "softplus(#)", "exp(tanh(#))", "log(1 + #*#)", "sqrt(1 + #*#)",
                   "relu(tanh(#) + 1.5)", "relu(tanh(#) - 1.5)", "abs(tanh(#) - 2)", "-#", "#^2", "tanh(#)^3"]
                : ["exp(#)", "log(#)", "sqrt(#)", "abs(#)", "sin(#)", "cos(#)", "tanh(#)", "sigmoid(#)", "relu(#)",
                   "softplus(#)", "sign(#)", "step(#)", "-#", "#^2", "#^3", "#^0.5", "#^-1", "1/#", "--#", "exp(log(#))",
                   "log(sigmoid(#))", "log(1 - sigmoid(#))", "# * 0", "# / #", "# - #", "sigmoid(# * 1000)"]
            define(Self.fill(random.pick(forms), v.name), v.shape, from: [v])
        case 3, 4, 5:
            guard let a = operand(), let b = operand(where: { Shapes.broadcast(a.shape, $0.shape) != nil }) else { return false }
            let forms = smooth
                ? ["# + @", "# - @", "# * @", "# / (2 + cos(@))", "(1.5 + sin(#)) ^ tanh(@)", "mask(tanh(#) + 1.5, @)",
                   "max(tanh(#) + 2, tanh(@) - 2)", "min(tanh(#) + 2, sin(@) - 2)"]
                : ["# + @", "# - @", "# * @", "# / @", "# ^ @", "max(#, @)", "min(#, @)", "equal(#, @)", "mask(#, @)",
                   "(# + @) * (# - @)", "mse(#, @)"]
            let form = random.pick(forms)
            let shape = form.hasPrefix("mse") ? [] : Shapes.broadcast(a.shape, b.shape)!
            define(Self.fill(form, a.name, b.name), shape, from: [a, b])
        case 6, 7:
            guard let a = operand(where: { !$0.shape.isEmpty }),
                  let b = operand(where: { Shapes.matmul(a.shape, $0.shape) != nil }) else { return false }
            define("\(a.name) @ \(b.name)", Shapes.matmul(a.shape, b.shape)!, from: [a, b])
        case 8 where random.chance(0.35):
            // The v2 built-ins: softmax and cumsum keep the shape, linspace makes a vector.
            guard let v = operand(where: { !$0.shape.isEmpty }) else { return false }
            let axis = v.shape.count == 1 ? "" : ", axis: \(random.pick([0, 1, -1]))"
            switch random.int(3) {
            case 0: define("softmax(\(v.name)\(axis))", v.shape, from: [v])
            case 1: define("cumsum(\(v.name)\(axis))", v.shape, from: [v])
            default:
                guard v.shape.count == 1, v.shape[0] >= 2 else { return false }
                define("\(v.name) * linspace(\(random.decimal(-1, 0)), \(random.decimal(0, 1)), \(v.shape[0]))", v.shape, from: [v])
            }
        case 8:
            guard let v = operand(where: { !$0.shape.isEmpty }) else { return false }
            let reduction = random.pick(["sum", "mean", "max", "min", "logsumexp"])
            if v.shape.count == 1 || random.chance(0.4) {
                define("\(reduction)(\(v.name))", [], from: [v])
            } else {
                let axis = random.pick([0, 1, -1, -2])
                var shape = v.shape
                shape.remove(at: axis < 0 ? shape.count + axis : axis)
                define("\(reduction)(\(v.name), axis: \(axis))", shape, from: [v])
            }
        case 9:
            guard let v = operand(where: { $0.shape.count == 2 }) else { return false }
            switch random.int(4) {
            case 0: define("transpose(\(v.name))", [v.shape[1], v.shape[0]], from: [v])
            case 1: define("reshape(\(v.name), [\(v.shape[0] * v.shape[1])])", [v.shape[0] * v.shape[1]], from: [v])
            case 2: define("sum_to(\(v.name), [\(v.shape[1])])", [v.shape[1]], from: [v])
            default: define("index(\(v.name), \(random.int(v.shape[0])))", [v.shape[1]], from: [v])
            }
        case 10:
            guard let a = operand(where: { $0.shape.count <= 1 }) else { return false }
            if random.chance(0.5), let b = operand(where: { $0.shape == a.shape }) {
                define("[\(a.name), \(b.name)]", [2] + a.shape, from: [a, b])
            } else {
                let shape = [2] + (a.shape.isEmpty ? [3] : a.shape)
                define("broadcast(\(a.name), [\(shape.map(String.init).joined(separator: ", "))])", shape, from: [a])
            }
        case 11:
            guard let function = functions.isEmpty ? nil : random.pick(functions) else { return false }
            guard let a = operand() else { return false }
            if function.arity == 1 {
                define("\(function.name)(\(a.name))", a.shape, from: [a])
            } else {
                guard let b = operand(where: { Shapes.broadcast(a.shape, $0.shape) != nil }) else { return false }
                define("\(function.name)(\(a.name), \(b.name))", Shapes.broadcast(a.shape, b.shape)!, from: [a, b])
            }
        case 12:
            // The prelude: bce and accuracy of probabilities, dense and linear layers.
            guard let a = operand(where: { !$0.shape.isEmpty }) else { return false }
            if random.chance(0.5), let b = operand(where: { Shapes.broadcast(a.shape, $0.shape) != nil }) {
                let form = random.pick(smooth ? ["bce(sigmoid(#), sigmoid(@))"] : ["bce(sigmoid(#), sigmoid(@))", "bce(#, @)", "accuracy(sigmoid(#), @)"])
                define(Self.fill(form, a.name, b.name), [], from: [a, b])
            } else {
                guard let w = operand(where: { Shapes.matmul(a.shape, $0.shape) != nil }) else { return false }
                let product = Shapes.matmul(a.shape, w.shape)!
                guard let b = operand(where: { Shapes.broadcast(product, $0.shape) == product }) else { return false }
                define("\(random.pick(["linear", "dense"]))(\(a.name), \(w.name), \(b.name))", product, from: [a, w, b])
            }
        default:
            // A gradient inside the program, sometimes of a gradient.
            guard let v = operand(where: { !$0.params.isEmpty && !$0.name.hasPrefix("p") }) else { return false }
            let param = random.pick(v.params.sorted())
            let p = values.first { $0.name == param }!
            if random.chance(0.25) {
                // Forward mode: the directional derivative of v along the param itself.
                define("jvp(\(v.name), \(param), \(param))", v.shape, from: [v])
                return true
            }
            var expression = "grad(sum(\(v.name)), \(param))"
            if random.chance(smooth ? 0.2 : 0.3) { expression = "grad(sum(\(expression) * \(v.name)), \(param))" }
            define(expression, p.shape, from: [v])
        }
        return true
    }

    // MARK: Statements

    mutating func printStatement(withTarget: Bool = false) {
        var items: [String] = []
        for _ in 0..<(1 + random.int(3)) {
            guard let v = values.isEmpty ? nil : random.pick(values) else { break }
            switch random.int(4) {
            case 0: items.append("sum(\(v.name)) * 2")
            case 1 where withTarget: items.append("grad(f, \(random.pick(values.filter { $0.name.hasPrefix("p") }).name))")
            default: items.append(v.name)
            }
        }
        if !items.isEmpty { lines.append("print " + items.joined(separator: ", ")) }
    }

    mutating func trainingStatement(_ params: [String]) {
        let direction = random.chance(0.85) ? "minimize" : "maximize"
        let steps = random.pick([1, 2, 5, 10, 30])
        let rate = random.pick(["0.01", "0.1", "0.001", "1"])
        var method: String
        switch random.int(6) {
        case 0: method = "gd(rate: \(rate), steps: \(steps))"
        case 1: method = "gd(\(rate), \(steps))"
        case 2: method = "sgd(rate: \(rate), steps: \(steps), batch: \(random.pick([1, 2, 3, 32])))"
        case 3: method = "momentum(rate: \(rate), steps: \(steps), beta: 0.9)"
        case 4: method = "adam(rate: \(rate), steps: \(steps))"
        default: method = "newton(steps: \(min(steps, 5)))"
        }
        if random.chance(0.2) { method = String(method.dropLast()) + ", tolerance: 1e-6)" }
        lines.append("\(direction) f by \(method)")
    }
}

/// NumPy broadcasting and matmul shapes.
enum Shapes {
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
}
