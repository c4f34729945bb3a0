import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The engine: higher-order and mixed derivatives through `grad(...)` in the language,
/// derivatives of functions at expression arguments, zero gradients, reuse of forward values
/// and source locations on every generated node. Values are chosen so the arithmetic is exact.
@Suite struct ReverseModeTests {
    @Test func secondAndMixedPartialsOfXCubedYSquared() throws {
        // f = x³y² at (2, 3): f_xx = 6xy² = 108, f_xy = f_yx = 6x²y = 72, f_yy = 2x³ = 16,
        // f_xxx = 6y² = 54.
        let printed = try printedJSON("""
            param x = 2
            param y = 3
            f = x^3 * y^2
            print grad(grad(f, x), x), grad(grad(f, x), y), grad(grad(f, y), x), grad(grad(f, y), y)
            print grad(grad(grad(f, x), x), x)
            """)
        #expect(printed == [[108], [72], [72], [16], [54]])
    }

    @Test func aFunctionsDerivativeWorksAtAnExpressionArgument() throws {
        // slope_at(u) = f′(u) = 3u². At u = 2a + 1 = 4 (a = 1.5): 48; d/da 3(2a + 1)² =
        // 12(2a + 1) = 48; at u = a: 3 · 2.25 = 6.75. For a vector, grad(sum(f(x)), x) is
        // elementwise: 3(2v)² = [12, 48, 108] for v = [1, 2, 3].
        let printed = try printedJSON("""
            fn f(x) = x^3
            fn slope_at(x) = grad(f(x), x)
            fn slopes(x) = grad(sum(f(x)), x)
            param a = 1.5
            input v = [1, 2, 3]
            print slope_at(2*a + 1), grad(slope_at(2*a + 1), a), slope_at(a), slopes(v * 2)
            """)
        #expect(printed == [[48], [48], [6.75], [12, 48, 108]])
    }

    @Test func anAdjointSummingThreeFourTermContributionsKeepsEveryTerm() throws {
        // Each product x·sᵢ contributes its sum sᵢ of four leaves to x's adjoint, s₃ first. The
        // deferred sum reaches the eight terms a combination holds at most twice: s₂ + s₃, then
        // s₁ plus what reading that back gives (j, k, l and the partial sum e + f + g + h + i).
        // The leaves are powers of two, so a term dropped anywhere changes d loss/dx = 4095.
        let names = "abcdefghijkl".map(String.init)
        let leaves = names.enumerated().map { "param \($1) = \(1 << $0)" }.joined(separator: "\n")
        let source = """
            param x = 3
            \(leaves)
            loss = x*(a + b + c + d) + x*(e + f + g + h) + x*(i + j + k + l)

            """
        #expect(try printedJSON(source + "print grad(loss, x)\n") == [[4095]])
        let program = try lowered(source)
        let (graph, gradients) = program.graph.appendingGradients(of: try #require(program.names["loss"]),
                                                                   wrt: [try #require(program.leaf(named: "x")).node])
        // The adjoint is sums all the way down to the twelve leaves, each once.
        var added: [String] = [], pending = [gradients[0]]
        while let id = pending.popLast() {
            if graph[id].op == .binary(.add) {
                pending += graph[id].operands
            } else {
                added.append(graph[id].name ?? "\(graph[id].op)")
            }
        }
        #expect(added.sorted() == names)
    }

    @Test func aLeafTheTargetDoesNotReadGetsZerosOfItsShape() throws {
        var builder = GraphBuilder()
        let x = builder.add(.leaf(.param, "x"), [], shape: .scalar, range: nil)
        let W = builder.add(.leaf(.param, "W"), [], shape: Shape([2, 3]), range: nil)
        let f = builder.mul(x, x, at: nil)
        let gradients = ReverseMode.gradients(of: f, wrt: [x, W], in: &builder)
        #expect(builder[gradients[1]].shape == Shape([2, 3]))
        #expect(builder[gradients[1]].op.constantValue == Tensor(filling: Shape([2, 3]), with: 0))
    }

    @Test(arguments: [("sigmoid", Op.unary(.sigmoid)), ("exp", .unary(.exp)), ("tanh", .unary(.tanh)), ("sqrt", .unary(.sqrt))])
    func adjointReusesTheForwardOutput(_ name: String, _ op: Op) throws {
        // d sigmoid = dy·s(1 − s), d exp = dy·y, d tanh = dy(1 − y²), d sqrt = dy/(2y): each reads
        // the forward node y, so differentiating adds no second sigmoid, exp, tanh or sqrt.
        let program = try lowered("param x = 0.5\ny = \(name)(x)\n")
        var builder = GraphBuilder(program.graph, hashConsing: true)
        let y = try #require(program.names["y"])
        let gradient = ReverseMode.gradients(of: y, wrt: [try #require(program.leaf(named: "x")).node], in: &builder)[0]
        let graph = builder.finish()
        let live = graph.reachable(from: [gradient])
        #expect(graph.ids.filter { graph[$0].op == op }.count == 1)
        #expect(live[y.int], "the gradient reads y itself")
    }

    @Test func everyGeneratedNodeRemembersTheForwardLineItCameFrom() throws {
        let source = """
            param w = [0.5, -1]
            input X = [[1, 2], [3, 4]]
            p = sigmoid(X @ w)
            loss = mean((p - 1)^2)
            """
        let program = try lowered(source)
        var builder = GraphBuilder(program.graph, hashConsing: true)
        let first = program.graph.count
        _ = ReverseMode.gradients(of: try #require(program.names["loss"]), wrt: [try #require(program.leaf(named: "w")).node],
                                  in: &builder)
        let graph = builder.finish()
        #expect(graph.count > first)
        for id in graph.ids where id.int >= first {
            let range = try #require(graph[id].range, "node \(id) (\(graph[id].op.name)) has no source range")
            #expect((3...4).contains(range.line), "node \(id) (\(graph[id].op.name)) points at line \(range.line)")
        }
    }

    // MARK: Derivatives of derivatives share what they compute

    /// `grad(…grad(sin(x)*exp(x), x)…, x)`, `depth` deep, at x = 0.5.
    static func nestedDerivative(_ depth: Int) -> String {
        var expression = "sin(x)*exp(x)"
        for _ in 0..<depth { expression = "grad(\(expression), x)" }
        return "param x = 0.5\nh = \(expression)\nprint h\n"
    }

    @Test(arguments: [10, 20, 22])
    func nestedDerivativesOfSinTimesExpStaySmall(_ depth: Int) throws {
        // (eˣ sin x)⁽ⁿ⁾ = 2^(n/2) eˣ sin(x + nπ/4): every derivative is a combination of eˣ sin x
        // and eˣ cos x. In the normal form reverse mode builds, each level adds a few nodes
        // (about 11); without it each level was 1.8 times the last (22 deep: 53 s to compile).
        let (program, diagnostics) = InProcess.lower(Self.nestedDerivative(depth))
        let graph = try #require(program, "\(diagnostics)").graph
        #expect(graph.count <= 12 * depth + 20, "\(graph.count) nodes at depth \(depth)")
        let value = try printedJSON(Self.nestedDerivative(depth))[0][0]
        let exact = pow(2, Double(depth) / 2) * exp(0.5) * sin(0.5 + Double(depth) * Double.pi / 4)
        #expect(Swift.abs(value - exact) <= 1e-13 * Swift.abs(exact), "\(value) against \(exact)")
    }

    @Test func aGradientOfAChainOfSquaresIsLinearInTheChain() throws {
        // t_i = t_{i-1}²: the backward pass visits each of the 1000 values once: d t_{i-1} =
        // 2·t_{i-1}·d t_i is a product, the contribution with its factor and their sum (twice
        // the contribution), with a factor 2^k pulled out of the products while it stays under
        // 2^53 (a new constant every step): at most 4 nodes a value, linear in the chain.
        let count = 1000
        var b = GraphBuilder()
        let x = b.add(.leaf(.param, "x"), [], shape: .scalar, range: nil, name: "x")
        var t = x
        for _ in 0..<count { t = b.mul(t, t, at: nil) }
        var graph = b.finish()
        let before = graph.count
        graph.appendGradients(of: t, wrt: [x], asOutputs: false)
        #expect(graph.count - before <= 4 * count, "\(graph.count - before) nodes for \(count) squares")
    }

    @Test(arguments: ["+", "-"])
    func eachSumOfContributionsIsBuiltOnce(_ sign: String) throws {
        // t_k = sin(t_{k-1}) ± x: x's adjoint sums a contribution from each step, and ±1 from
        // the last. Built whole at each contribution, it left a node nothing reads at each step:
        // `d₉ + 1` once d₈ made `(d₉ + d₈) + 1`, `d₉ - 1` once −d₈ made `(d₉ - d₈) - 1`.
        var source = "param x = 0.5\nt0 = x\n"
        for k in 1...10 { source += "t\(k) = sin(t\(k - 1)) \(k.isMultiple(of: 2) ? sign : "+") x\n" }
        source += "print t10, grad(t10, x)\n"
        let graph = try lowered(source).graph
        var read = [Bool](repeating: false, count: graph.count)
        for id in graph.ids { for operand in graph[id].operands { read[operand.int] = true } }
        for output in graph.outputs { read[output.node.int] = true }
        let unread = graph.ids.filter { !read[$0.int] && [Op.binary(.add), .binary(.sub)].contains(graph[$0].op) }
        #expect(unread.isEmpty, "\(unread.count) sums and differences nothing reads")
    }
}
