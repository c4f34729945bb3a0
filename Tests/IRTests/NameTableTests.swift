import Testing
@testable import SlopeCore
import SlopeTestSupport

/// A user's names are the user's: made-up names keep clear of every name the program gives,
/// wherever in the graph the named node stands.
@Suite struct NameTableTests {
    @Test func madeUpNamesAvoidTheUsersNamesEvenWhenTheyComeLater() throws {
        // %1 is x*x, unnamed: it would be t1, but the user calls %3 t1; the adjoint of x
        // would be d_x, which the user also uses.
        let (program, _) = InProcess.lower("param x = 2\nt1 = x*x + 1\nd_x = t1*3\nprint d_x\n")
        var graph = try #require(program).graph
        let t1 = try #require(graph.namedValues["t1"]), x = try #require(graph.namedValues["x"])
        let target = try #require(graph.namedValues["d_x"])
        let gradient = graph.appendGradients(of: target, wrt: [x], asOutputs: false)[0]
        let names = NameTable(graph)
        #expect(names[t1] == "t1")
        #expect(names[target] == "d_x")
        #expect(names[NodeID(1)] == "t1_2")
        #expect(names[gradient] == "d_x_2")
        #expect(Set(names.names).count == names.names.count)
    }

    @Test func preferredNamesComeFirst() throws {
        var b = GraphBuilder()
        let x = b.add(.leaf(.param, "x"), [], shape: .scalar, range: nil, name: "x")
        let named = b.add(.exp, [x], range: nil, name: "d_x")
        let gradient = b.add(.neg, [named], range: nil)
        let names = NameTable(b.graph, preferring: [gradient: "d_x"])
        #expect(names.names == ["x", "d_x_2", "d_x"])
    }

    @Test func aNameUsedManyTimesGetsSuffixesInOrder() {
        var b = GraphBuilder()
        let x = b.add(.leaf(.param, "x"), [], shape: .scalar, range: nil, name: "x")
        for _ in 0..<4 { b.add(.exp, [x], range: nil, name: "y") }
        #expect(NameTable(b.graph).names == ["x", "y", "y_2", "y_3", "y_4"])
    }

    /// Descriptive names of `source`'s values, by the printed text of each node's definition.
    static func descriptive(_ source: String, shown: Set<NodeID>? = nil) throws -> (Graph, NameTable) {
        let (program, diagnostics) = InProcess.lower(source)
        let graph = try #require(program, "\(diagnostics)").graph
        return (graph, NameTable(graph, avoiding: BuiltinFunctions.reservedNames, style: .descriptive, shown: shown))
    }

    @Test(arguments: [
        ("input y = 1\nparam a = 2\nr = 2*(exp(a) - y)", "exp(a)", "exp_a"),
        ("input y = 1\nparam a = 2\nr = 2*(exp(a) - y)", "(exp(a) - y)", "error"),
        ("param x = 2\nr = x*x + 1", "x*x", "x_squared"),
        ("param x = 2\nr = x^3 + 1", "x^3", "x_cubed"),
        ("param x = 2\nr = 2*(x - 6)", "(x - 6)", "x_minus_6"),
        ("param x = 2\nr = 2*(x + -6)", "(x + -6)", "x_minus_6"),
        ("param x = 2\nr = 2*(x + 1)", "(x + 1)", "x_plus_1"),
        ("param p = 0.5\nr = 2*(1 - p)", "(1 - p)", "one_minus_p"),
        ("param x = 2\nr = 2*(-x)", "(-x)", "minus_x"),
        ("param x = [1, 2]\nr = 2*sum(x)", "sum(x)", "sum_x"),
        ("param w = 2\nparam b = 1\ninput X = 3\nhidden = sigmoid(X*w + b)", "X*w + b", "z_hidden"),
        ("param x = 2\nparam y = 3\nr = exp(x*y)", "x*y", "z_r"),
        ("param x = 2\nparam y = 3\nr = 2*exp(x*y)", "x*y", "xy"),
        ("param x = 2\nparam yyy = 3\nr = 2*exp(x*yyy)", "x*yyy", "x_times_yyy"),
        ("param X = [[1, 2]]\nparam w = [3, 4]\nr = 2*exp(X @ w)", "X @ w", "Xw"),
        ("param X = [[1, 2]]\nparam w = [3, 4]\nparam b = 1\nr = 2*exp(X @ w + b)", "X @ w + b", "Xw_plus_b"),
        ("param x = 2\nparam y = 3\nr = 2*exp(x*y*x)", "x*y*x", "xyx"),
        ("param x = 2\nparam y = 3\nr = 2*exp(x*2*y)", "x*2", "product"),
        ("param x = 2\nparam y = 3\nr = 2*exp(x/y)", "x/y", "quotient"),
        ("param x = 2\nparam y = 3\nr = 2*exp(x*2*y + 1)", "x*2*y + 1", "total"),
        ("param x = 2\nparam y = 3\nr = 2*exp(x*y + 1)", "x*y + 1", "xy_plus_1"),
    ])
    func aMadeUpNameSaysWhatTheValueIs(_ source: String, _ definition: String, _ expected: String) throws {
        let (graph, names) = try Self.descriptive(source)
        let node = try #require(graph.ids.first { graph[$0].range?.text == definition && graph[$0].name == nil }, "no node for \(definition)")
        #expect(names[node] == expected)
    }

    @Test func descriptiveNamesKeepClearOfTheUsersAndOfEachOther() throws {
        // The user calls a value error and another x_squared; the made-up ones take suffixes.
        let (graph, names) = try Self.descriptive("""
            input y = 1
            param a = 2
            error = 5
            x_squared = a
            r = (exp(a) - y)*(exp(a) - y)*(a*a)*(a*a)
            """)
        #expect(Set(names.names).count == names.names.count)
        let made = graph.ids.filter { graph[$0].name == nil && !graph[$0].op.isLeaf }.map { names[$0] }
        #expect(!made.contains("error") && !made.contains("x_squared"))
        #expect(made.contains("error_2") && made.contains("error_3"))
    }

    @Test func theGradientOfAPreActivationIsNamedAfterTheActivation() throws {
        var (graph, _) = try Self.descriptive("param w = 2\nparam b = 1\ninput X = 3\nhidden = sigmoid(X*w + b)\nloss = hidden^2")
        let loss = try #require(graph.namedValues["loss"]), w = try #require(graph.namedValues["w"])
        graph.appendGradients(of: loss, wrt: [w], asOutputs: false)
        let names = NameTable(graph, avoiding: BuiltinFunctions.reservedNames, style: .descriptive)
        let adjoints = graph.ids.filter { graph[$0].adjointOf != nil }.map { names[$0] }
        #expect(adjoints.contains("d_z_hidden") && adjoints.contains("d_hidden"), "\(adjoints)")
        #expect(NameTable(graph).names.contains { $0.hasPrefix("d_t") }, "the IR keeps positional names")
    }

    @Test func onlyShownValuesCountForSuffixes() throws {
        // Three products with a constant, which no rule describes; only the last is shown: it
        // is `product`, not `product_3`.
        let (graph, _) = try Self.descriptive("param x = 2\nparam y = 3\nr = exp(x*2) + exp(y*3) + exp(x*4)")
        let products = graph.ids.filter { graph[$0].op == .mul }
        let last = try #require(products.last)
        let names = NameTable(graph, avoiding: BuiltinFunctions.reservedNames, style: .descriptive, shown: [last])
        #expect(names[last] == "product")
        let all = NameTable(graph, avoiding: BuiltinFunctions.reservedNames, style: .descriptive)
        #expect(all[last] == "product_\(products.count)")
    }
}
