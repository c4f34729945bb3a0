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
}
