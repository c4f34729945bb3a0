import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Every op's adjoint rule against central differences, on random shapes and values: each
/// element of the gradient, the derivative in a random direction, and the second order
/// (the gradient differentiated again, a Hessian–vector product).
///
/// Each case is an expression `y` in params `a` (and `b`), differentiated through
///
///     f = sum(w * y) + sum(y * y) / 2
///
/// with a random weight tensor w, so every element of y's adjoint differs, and a square so the
/// second derivative is not zero even for the linear ops (differentiating the gradient then
/// differentiates the op's adjoint rule itself).
struct GradientCase: Sendable, CustomTestStringConvertible {
    struct Operand: Sendable {
        let shape: Shape
        let domain: Domain
    }

    let expression: String
    let operands: [Operand]
    let seed: UInt64
    /// `fn` statements the expression calls (the integrands of `integral`), each line ending in a newline.
    var functions = ""
    var testDescription: String {
        functions.replacingOccurrences(of: "\n", with: "; ") + expression + " with " + zip(["a", "b"], operands).map { "\($0): \($1.shape)" }.joined(separator: ", ")
    }

    static func operand(_ dimensions: [Int], _ domain: Domain = .any) -> Operand {
        Operand(shape: Shape(dimensions), domain: domain)
    }

    /// The table: every op, shapes drawn from a seeded generator (dimensions 2 to 4).
    static let all: [GradientCase] = {
        var random = Random(seed: 4)
        func dimension() -> Int { 2 + Int(random.nextBits() % 3) }
        var cases: [GradientCase] = []
        func add(_ expression: String, _ operands: Operand...) {
            cases.append(GradientCase(expression: expression, operands: operands, seed: UInt64(cases.count) + 100))
        }
        func integrate(_ function: String, _ expression: String, _ operands: Operand...) {
            cases.append(GradientCase(expression: expression, operands: operands, seed: UInt64(cases.count) + 100,
                                      functions: function + "\n"))
        }
        // Elementwise unary ops on a scalar, a vector and a matrix.
        let unary: [(String, Domain)] = [
            ("-a", .any), ("exp(a)", .any), ("log(a)", .positive), ("sqrt(a)", .positive), ("abs(a)", .awayFromZero),
            ("sin(a)", .any), ("cos(a)", .any), ("tanh(a)", .any), ("sigmoid(a)", .any), ("relu(a)", .awayFromZero),
            ("softplus(a)", .any), ("sign(a)", .awayFromZero), ("step(a)", .awayFromZero), ("a^2", .any), ("a^3", .any), ("a^0.5", .positive), ("a^-1", .positive),
        ]
        for (expression, domain) in unary {
            for shape in [[], [dimension()], [dimension(), dimension()]] { add(expression, operand(shape, domain)) }
        }
        // Binary elementwise ops, broadcasting in every direction.
        let binary: [(String, Domain, Domain)] = [
            ("a + b", .any, .any), ("a - b", .any, .any), ("a * b", .any, .any), ("a / b", .any, .awayFromZero),
            ("a ^ b", .positive, .any), ("mask(a, b)", .awayFromZero, .any),
            ("max(a, b)", .any, .any), ("min(a, b)", .any, .any), ("equal(a, b) * a", .any, .any),
        ]
        for (expression, left, right) in binary {
            let n = dimension(), m = dimension()
            let pairs: [([Int], [Int])] = [([n, m], [n, m]), ([n, m], [m]), ([m], [n, m]), ([n, 1], [1, m]),
                                            ([1, m], [n, 1]), ([], [n, m]), ([n, m], []), ([], [])]
            for (a, b) in pairs { add(expression, operand(a, left), operand(b, right)) }
        }
        // Reductions, whole and along each axis (a negative axis counts from the end).
        let n = dimension(), m = dimension(), k = dimension()
        for reduction in ["sum", "mean", "max", "min", "logsumexp"] {
            let domain: Domain = reduction == "max" || reduction == "min" ? .separated : .any
            add("\(reduction)(a)", operand([n, m], domain))
            add("\(reduction)(a)", operand([n], domain))
            for axis in [0, 1, -1] { add("\(reduction)(a, axis: \(axis))", operand([n, m], domain)) }
            add("\(reduction)(a, axis: 0)", operand([n], domain))
        }
        // Structure.
        add("transpose(a)", operand([n, m]))
        add("transpose(a)", operand([n]))
        add("reshape(a, [\(n * m)])", operand([n, m]))
        add("reshape(a, [\(m), \(n)])", operand([n, m]))
        add("reshape(a, [1, \(n)])", operand([n]))
        add("broadcast(a, [\(n), \(m)])", operand([m]))
        add("broadcast(a, [\(n), \(m)])", operand([n, 1]))
        add("broadcast(a, [\(n), \(m)])", operand([]))
        add("sum_to(a, [\(m)])", operand([n, m]))
        add("sum_to(a, [\(n), 1])", operand([n, m]))
        add("sum_to(a, [])", operand([n, m]))
        // matmul of the four vector/matrix combinations.
        add("a @ b", operand([n, k]), operand([k, m]))
        add("a @ b", operand([n, k]), operand([k]))
        add("a @ b", operand([k]), operand([k, m]))
        add("a @ b", operand([k]), operand([k]))
        // stack (tensor literals of values) and index.
        add("[a, b]", operand([]), operand([]))
        add("[a, b]", operand([n]), operand([n]))
        add("[a, b * 2, a]", operand([n, m]), operand([n, m]))
        add("[[a, b], [b, a]]", operand([]), operand([]))
        add("index(a, \(n - 1))", operand([n, m]))
        add("index(a, 0)", operand([n]))
        // Running sums along each axis.
        add("cumsum(a)", operand([n]))
        for axis in [0, 1, -1] { add("cumsum(a, axis: \(axis))", operand([n, m])) }
        // Integrals (Leibniz's rule): in both bounds; in a capture, scalar or tensor, with a
        // scalar or a tensor integrand; with the capture in the bounds too; nested.
        integrate("fn g(t) = sin(t) * t^2", "integral(g, a, b)", operand([]), operand([]))
        integrate("fn g(t) = exp(a*t) / (1 + t^2)", "integral(g, 0, 1)", operand([]))
        integrate("fn g(t) = a * exp(t)", "integral(g, 0.5, 2)", operand([n]))
        integrate("fn g(t) = sum(a * sin(t)) + b*t^3", "integral(g, -1, 2)", operand([n, m]), operand([]))
        integrate("fn g(t) = a * t + b^2", "integral(g, b, 1 + b^2)", operand([m]), operand([]))
        integrate("fn g(t) = a*t^2", "integral(g, 1, 0)", operand([], .any))
        integrate("fn h(s) = a*s^2\nfn g(t) = integral(h, 0, t) * sin(t)", "integral(g, 0, b)", operand([]), operand([]))
        return cases
    }()
}

/// A gradient case lowered with its gradients and Hessian–vector products, at random values.
struct GradientProgram {
    let names: [String]
    let evaluation: Evaluation
    /// a, b, w (y's weights) and the direction va, vb.
    let values: [String: Tensor]

    /// The case's operand names, the declarations of its params a (and b), of y's weights w and
    /// of the directions va (and vb), and y's shape.
    static func declarations(_ testCase: GradientCase) throws -> (names: [String], lines: [String], yShape: Shape) {
        let names = ["a", "b"].prefix(testCase.operands.count).map { $0 }
        var declarations = zip(names, testCase.operands).map { "param \($0): \($1.shape) = 0" }
        // y's shape, from lowering y alone.
        let shapeOfY = try lowered(declarations.joined(separator: "\n") + "\n" + testCase.functions + "y = \(testCase.expression)\n")
        let yShape = shapeOfY.graph[try #require(shapeOfY.names["y"])].shape
        declarations.append("input w: \(yShape) = 0")
        declarations += zip(names, testCase.operands).map { "input v\($0): \($1.shape) = 0" }
        return (names, declarations, yShape)
    }

    /// Draws the operands from their domains, the directions and y's weights, from the case's seed.
    static func values(_ testCase: GradientCase, names: [String], yShape: Shape) -> [String: Tensor] {
        var random = Random(seed: testCase.seed)
        var values: [String: Tensor] = [:]
        for (name, operand) in zip(names, testCase.operands) {
            values[name] = operand.domain.draw(operand.shape, &random)
            values["v" + name] = Domain.any.draw(operand.shape, &random)
        }
        values["w"] = Domain.any.draw(yShape, &random)
        return values
    }

    init(_ testCase: GradientCase) throws {
        let (names, declarations, yShape) = try Self.declarations(testCase)
        let gradients = names.map { "g\($0) = grad(f, \($0))" }
        let direction = names.map { "sum(g\($0) * v\($0))" }.joined(separator: " + ")
        let source = (declarations + [
            testCase.functions + "y = \(testCase.expression)",
            "f = sum(w * y) + sum(y * y) / 2",
        ] + gradients + ["d = \(direction)"] + names.map { "h\($0) = grad(d, \($0))" }).joined(separator: "\n") + "\n"
        let program = try lowered(source)
        let outputs = ["f"] + names.map { "g" + $0 } + names.map { "h" + $0 }
        evaluation = try Evaluation(program, outputs: outputs)
        self.names = names
        values = Self.values(testCase, names: names, yShape: yShape)
    }

    /// f, the gradients and the Hessian–vector products at `values`.
    func evaluate(_ values: [String: Tensor]) -> (f: Double, gradients: [Tensor], hessianVector: [Tensor]) {
        let results = evaluation(values)
        let count = names.count
        return (results[0].values[0], Array(results[1...count]), Array(results[(count + 1)...]))
    }

    /// The values with every operand moved t along its direction.
    func moved(by t: Double) -> [String: Tensor] {
        var moved = values
        for name in names { moved[name] = values[name]!.moved(along: values["v" + name]!, by: t) }
        return moved
    }
}

@Suite struct AdjointRulesTests {
    @Test func theTableCoversEveryOpOfTheOpTable() throws {
        // The ops the cases lower to, against every case of every family: a new op without a
        // row here fails this test.
        var covered: Set<String> = []
        for testCase in GradientCase.all {
            let names = ["a", "b"].prefix(testCase.operands.count)
            let declarations = zip(names, testCase.operands).map { "param \($0): \($1.shape) = 0" }
            let program = try lowered(declarations.joined(separator: "\n") + "\n" + testCase.functions + "y = \(testCase.expression)\n")
            for node in program.graph.nodes {
                switch node.op {
                case .constant, .leaf: break
                case .unary(let op): covered.insert("unary \(op.name)")
                case .binary(let op): covered.insert("binary \(op.name)")
                case .reduce(let op, let axis): covered.insert("reduce \(op.name)\(axis == nil ? "" : " axis")")
                case .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum, .integral:
                    covered.insert(node.op.name)
                }
            }
        }
        let all = UnaryOp.allCases.map { "unary \($0.name)" } + BinaryOp.allCases.map { "binary \($0.name)" }
            + ReduceOp.allCases.flatMap { ["reduce \($0.name)", "reduce \($0.name) axis"] }
            + ["matmul", "transpose", "reshape", "broadcast", "sum_to", "stack", "index", "cumsum", "integral"]
        #expect(Set(all).subtracting(covered).sorted() == [])
    }

    @Test func theDifferencesRecoverAKnownDerivative() {
        // d/dt sin(1 + t) at 0 is cos(1): the oracle itself is accurate far beyond 1e-6.
        #expect(Swift.abs(Differences.derivative { sin(1 + $0) } - cos(1)) < 1e-12)
        #expect(Swift.abs(Differences.derivative { exp(3 * $0) } - 3) < 1e-11)
    }

    @Test(arguments: GradientCase.all)
    func everyElementOfTheGradientMatchesCentralDifferences(_ testCase: GradientCase) throws {
        let program = try GradientProgram(testCase)
        let base = program.evaluate(program.values)
        for (name, gradient) in zip(program.names, base.gradients) {
            let value = program.values[name]!
            let scale = max(Swift.abs(base.f), gradient.largestMagnitude)
            for index in 0..<value.values.count {
                let h = Differences.step * max(1, Swift.abs(value.values[index]))
                let numeric = Differences.derivative({ t in
                    program.evaluate(program.values.merging([name: value.moved(at: index, by: t)]) { $1 }).f
                }, step: h)
                expectAgreement(gradient.values[index], numeric, scale: scale, "∂f/∂\(name)[\(index)] of \(testCase.testDescription)")
            }
        }
    }

    @Test(arguments: GradientCase.all)
    func theDerivativeInARandomDirectionMatchesCentralDifferences(_ testCase: GradientCase) throws {
        // d/dt f(x + t v) at t = 0 is ∇f · v.
        let program = try GradientProgram(testCase)
        let base = program.evaluate(program.values)
        var directional = 0.0, scale = Swift.abs(base.f)
        for (name, gradient) in zip(program.names, base.gradients) {
            for (g, v) in zip(gradient.values, program.values["v" + name]!.values) {
                directional += g * v
                scale = max(scale, Swift.abs(g * v))
            }
        }
        let numeric = Differences.derivative { t in program.evaluate(program.moved(by: t)).f }
        expectAgreement(directional, numeric, scale: scale, "∇f · v of \(testCase.testDescription)")
    }

    @Test(arguments: GradientCase.all)
    func theGradientDifferentiatedAgainMatchesDifferencesOfTheGradient(_ testCase: GradientCase) throws {
        // grad(sum(∇f · v), x) = H v, and d/dt ∇f(x + t v) at t = 0 is H v too.
        let program = try GradientProgram(testCase)
        let base = program.evaluate(program.values)
        let numeric = Differences.derivative { t in program.evaluate(program.moved(by: t)).gradients.flatMap(\.values) }
        let autodiff = base.hessianVector.flatMap(\.values)
        let scale = max(autodiff.map(Swift.abs).max() ?? 0, base.gradients.map(\.largestMagnitude).max() ?? 0)
        #expect(autodiff.count == numeric.count)
        for (index, (a, n)) in zip(autodiff, numeric).enumerated() {
            expectAgreement(a, n, scale: scale, "(H v)[\(index)] of \(testCase.testDescription)")
        }
    }
}
