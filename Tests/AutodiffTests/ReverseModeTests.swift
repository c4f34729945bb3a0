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
}
