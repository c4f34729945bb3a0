import Testing
@testable import SlopeCore
import SlopeTestSupport

@Test func theIROfASmallProgramMatchesItsGoldenFile() throws {
    let source = """
        # A dense layer on two inputs.
        input X = [[1, 2], [3, 4]]
        param W: [2, 3] = 0.5
        param b: [3] = 0
        fn layer(x, W, b) = sigmoid(x @ W + b)
        h = layer(X, W, b)
        loss = mean(h^2) / 2
        print loss, sum(h, axis: 0)
        """
    let (program, diagnostics) = InProcess.lower(source, path: "layer.graph")
    #expect(diagnostics.isEmpty)
    let graph = try #require(program).graph
    Golden.expectMatch(IRPrinter.print(graph), command: "ir", name: "layer.txt")
}

@Test func thePrinterNamesUnnamedNodesByPosition() throws {
    let (program, _) = InProcess.lower("param a = 2\ny = -a * 3\nprint sum([y, a], axis: 0)")
    let text = IRPrinter.print(try #require(program).graph, locations: false)
    #expect(text == """
        a: [] = param
        t1: [] = neg(a)
        t2: [] = constant(3)
        y: [] = mul(t1, t2)
        t4: [2] = stack(y, a)
        t5: [] = sum(t4, axis: 0)

        """)
}

@Test func namesThatCollideWithBuiltInsGetASuffix() {
    var b = GraphBuilder()
    let x = b.add(.leaf(.param, "x"), [], shape: .scalar, range: nil, name: "x")
    _ = b.add(.exp, [x], range: nil, name: "x")
    _ = b.add(.exp, [x], range: nil, name: "exp")
    // Printed source avoids the language's names; the IR text has no such rule.
    #expect(NameTable(b.graph, avoiding: BuiltinFunctions.reservedNames).names == ["x", "x_2", "exp_"])
    #expect(NameTable(b.graph).names == ["x", "x_2", "exp"])
}

@Test func onlyNodesReachableFromTheRootsArePrinted() throws {
    let (program, _) = InProcess.lower("param a = 2\nb = a + 1\nc = a * 5\nprint c")
    let graph = try #require(program).graph
    let c = try #require(program?.names["c"])
    let text = IRPrinter.print(graph, roots: [c], locations: false)
    #expect(text == "a: [] = param\nt3: [] = constant(5)\nc: [] = mul(a, t3)\n")
}

@Test func locationsShowLineColumnAndSourceText() throws {
    let (program, _) = InProcess.lower("param a = 2\n\ny =   a + 1\nprint y")
    let text = IRPrinter.print(try #require(program).graph)
    // Comments line up after the widest row, "t1: [] = constant(1)", plus two spaces.
    #expect(text.split(separator: "\n").last == "y: [] = add(a, t1)    # 3:7 a + 1")
}
