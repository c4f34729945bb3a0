import Testing
@testable import SlopeCore
import SlopeTestSupport

@Test func eachCallInlinesTheBodyAndRecordsItsFrame() throws {
    let (program, diagnostics) = InProcess.lower("fn sq(x) = x^2\ny = sq(3) + sq(4)\nprint y")
    #expect(diagnostics.isEmpty)
    let graph = try #require(program).graph
    #expect(graph.frames.map(\.function) == ["sq", "sq"])
    #expect(graph.frames.map(\.range.text) == ["sq(3)", "sq(4)"])
    #expect(graph.frames.allSatisfy { $0.parent == nil })
    // Each call's pow node belongs to its own frame.
    let frames = graph.nodes.filter { $0.op == .pow }.map(\.frame)
    #expect(frames == [0, 1])
    // 3^2 + 4^2 = 25
    #expect(try printed("fn sq(x) = x^2\ny = sq(3) + sq(4)\nprint y") == [Tensor(25)])
}

@Test func nestedCallsRecordTheirParentFrame() throws {
    let source = "fn inc(x) = x + 1\nfn twice(x) = inc(x) * 2\ny = twice(1)\nprint y"
    let (program, _) = InProcess.lower(source)
    let frames = try #require(program).graph.frames
    #expect(frames.map(\.function) == ["twice", "inc"])
    #expect(frames.map(\.parent) == [nil, 0])
    // twice(1) = (1 + 1) * 2 = 4
    #expect(try printed(source) == [Tensor(4)])
}

@Test func parametersShadowGlobalNames() throws {
    // Inside f, x is the argument (10), not the global x (1): f(10) = 10 + 1 = 11.
    #expect(try printed("x = 1\nfn f(x) = x + 1\nprint f(10), x") == [Tensor(11), Tensor(1)])
}

@Test func aFunctionBodyMayReadGlobalValues() throws {
    // k is read at the call: scale(3) = 3 * 5 = 15.
    #expect(try printed("param k = 5\nfn scale(x) = x * k\nprint scale(3)") == [Tensor(15)])
}

@Test func recursionIsDiagnosed() {
    expectDiagnostics("""
        fn f(x) = 1️⃣f(x) + 1
        y = f(1)
        """, .error("1️⃣", "'f' calls itself; functions are inlined, so recursion is not allowed", id: "semantic.recursive-function"))
    expectDiagnostics("""
        fn f(x) = g(x)
        fn g(x) = 1️⃣f(x) * 2
        y = f(1)
        """, .error("1️⃣", "'f' calls itself"))
}

@Test func anErrorInsideABodyNotesTheCallThatLedThere() throws {
    let source = MarkedSource("""
        fn f(x) = x 1️⃣+ [1, 2, 3]
        input v = [1, 2]
        y = 2️⃣f(v)
        """)
    let errors = InProcess.errors(source.text)
    expectDiagnostics(errors, in: source, [.error("1️⃣", "cannot add shapes [2] and [3]")])
    let note = try #require(errors.first?.notes.last)
    #expect(note.message == "in this call to 'f'")
    #expect(note.range.map { MarkedSource.Location(line: $0.line, column: $0.column) } == source["2️⃣"])
}

@Test func functionsCheckTheirArgumentCountAndParameters() {
    expectDiagnostics("""
        fn f(a, b) = a + b
        y = 1️⃣f(1)
        fn g(a, 2️⃣a) = a
        """,
        .error("1️⃣", "'f' takes 2 arguments, found 1"),
        .error("2️⃣", "parameter 'a' appears twice", id: "semantic.duplicate-parameter"))
}

@Test func aUserFunctionReplacesThePreludes() throws {
    #expect(try printed("fn mse(a, b) = 7\nprint mse(1, 2)") == [Tensor(7)])
}

@Test func gradWithRespectToAParameterIsTheDerivativeWhereverItIsCalled() throws {
    // d/dx x^3 = 3x^2: 12 at x = 2 and 27 at x = 3; the argument may itself be computed.
    let source = """
        fn slope_at(x) = grad(x^3, x)
        param a = 1
        print slope_at(2), slope_at(a + 2)
        """
    #expect(try printed(source) == [Tensor(12), Tensor(27)])
    // The placeholder leaf used to build it is gone from the final graph.
    let (program, _) = InProcess.lower(source)
    let inputs = try #require(program).graph.nodes.filter { if case .leaf(.input, _) = $0.op { return true }; return false }
    #expect(inputs.isEmpty)
}

@Test func gradWithSumGivesElementwiseDerivatives() throws {
    // d/dx_i sum(x^2) = 2 x_i.
    #expect(try printed("input x = [1, -2, 3]\nprint grad(sum(x^2), x)") == [tensor([3], [2, -4, 6])])
}

@Test func gradMayBeDifferentiatedAgain() throws {
    // f = x^3: f' = 3x^2 = 12 and f'' = 6x = 12 at x = 2.
    #expect(try printed("param x = 2\nf = x^3\ndf = grad(f, x)\nprint df, grad(df, x)") == [Tensor(12), Tensor(12)])
}

// MARK: The graph-size budget

/// `fn f1(x) = x*x`, `fn fk(x) = f{k-1}(f{k-1}(x))` up to `levels`, and `y = f{levels}(x)`.
private func doublingFunctions(_ levels: Int) -> String {
    let functions = ["fn f1(x) = x*x"] + (2...levels).map { "fn f\($0)(x) = f\($0 - 1)(f\($0 - 1)(x))" }
    return functions.joined(separator: "\n") + "\n"
}

@Test func theBudgetIsDocumented() throws {
    // SPEC.md 1.2 names the limit; the 24 levels ask for 2^23 nodes.
    #expect(Lowering.maximumNodes == 1_000_000)
    let spec = try String(contentsOf: PackagePaths.root.appendingPathComponent("SPEC.md"), encoding: .utf8)
    #expect(spec.contains("at most 1,000,000 nodes"))
}

@Test func aCallThatDoublesPastTheBudgetIsADiagnosticAtTheCall() throws {
    // f12 is 2^11 = 2048 products; with a budget of 1000 nodes the call in the statement is
    // reported, with a note at the call where the limit was reached (the innermost, f1 in f2:
    // the first call to finish after the graph passed 1000 nodes).
    let source = MarkedSource(doublingFunctions(12) + "param x = 1\ny = 1️⃣f12(x)\nprint y\n")
    let options = LoweringOptions(maximumNodes: 1000)
    let (program, diagnostics) = InProcess.lower(source.text, options: options)
    #expect(program == nil)
    expectDiagnostics(diagnostics, in: source, [
        .error("1️⃣", "inlining 'f12' makes the program's graph larger than 1000 nodes", id: "semantic.graph-too-large"),
    ])
    let notes = try #require(diagnostics.first?.notes)
    #expect(notes.map(\.message) == ["the limit was reached in this call to 'f1'",
                                     "every call to a fn is inlined, so a function that calls another twice doubles it"])
    #expect(notes[0].range.map { MarkedSource.Location(line: $0.line, column: $0.column) } == .init(line: 2, column: 12))
    // Lowering stopped at the limit: it never built the 2048 products.
    let (_, below) = InProcess.lower(doublingFunctions(9) + "param x = 1\ny = f9(x)\nprint y\n", options: options)
    #expect(below.filter(\.isError).isEmpty, "f9 is 256 products, under the budget")
}

@Test func statementsAfterTheCrossingAreNotLowered() throws {
    // One diagnostic: the statements after the one that crossed are not lowered (z would be
    // another 2048 products), and nothing reports z's use of the poisoned y.
    let source = doublingFunctions(12) + "param x = 1\ny = f12(x)\nz = f12(x) + y\nprint z\n"
    let errors = InProcess.errors(source, options: LoweringOptions(maximumNodes: 1000))
    #expect(errors.map(\.id) == ["semantic.graph-too-large"])
}

@Test func nestedGradsPastTheBudgetAreADiagnosticAtTheGradThatCrossedIt() throws {
    // Each derivative of sin(sin(x)) is a new function of x (Faà di Bruno): nested grads grow
    // fast, and with a budget of 2000 nodes one of the 30 grads crosses it.
    var expression = "sin(sin(x))"
    for _ in 0..<30 { expression = "grad(\(expression), x)" }
    let source = "param x = 0.5\nh = \(expression)\nprint h\n"
    let (_, diagnostics) = InProcess.lower(source, options: LoweringOptions(maximumNodes: 2000))
    let error = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(error.id == "semantic.graph-too-large")
    #expect(error.message == "this 'grad' makes the program's graph larger than 2000 nodes")
    #expect(error.notes.map(\.message) == ["each derivative adds to the graph, and a 'grad' or 'jvp' around it differentiates that again"])
    let range = try #require(error.range)
    #expect(range.line == 2 && range.text.hasPrefix("grad(") && range.text.hasSuffix(", x)"))
}

@Test func aStatementWithoutCallsCanCrossTheBudgetToo() throws {
    let terms = Array(repeating: "x", count: 600).joined(separator: " + ")
    let source = MarkedSource("param x = 1\n1️⃣y = \(terms)\nprint y\n")
    let (_, diagnostics) = InProcess.lower(source.text, options: LoweringOptions(maximumNodes: 500))
    expectDiagnostics(diagnostics, in: source, [
        .error("1️⃣", "this statement makes the program's graph larger than 500 nodes", id: "semantic.graph-too-large"),
    ])
}

@Test func nestedTangentsPastTheBudgetAreADiagnosticAtAJvp() throws {
    // The derivatives of sin(sin(x)) by forward mode grow like those by reverse mode.
    var expression = "sin(sin(x))"
    for _ in 0..<30 { expression = "jvp(\(expression), x, 1)" }
    let (_, diagnostics) = InProcess.lower("param x = 0.5\nh = \(expression)\nprint h\n", options: LoweringOptions(maximumNodes: 2000))
    let error = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(error.id == "semantic.graph-too-large")
    #expect(error.message == "this 'jvp' makes the program's graph larger than 2000 nodes")
    let range = try #require(error.range)
    #expect(range.line == 2 && range.text.hasPrefix("jvp(") && range.text.hasSuffix(", x, 1)"))
}
