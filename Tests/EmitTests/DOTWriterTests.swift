import Testing
import SlopeTestSupport
@testable import SlopeCore

/// The program lowered from `source`, as `slope dot` sees it.
func lowered(_ source: String, path: String = "test.graph") throws -> Program {
    let (ast, syntax) = Parser.parse(SourceFile(path: path, text: source))
    #expect(syntax.isEmpty, "\(syntax.map(\.message))")
    let (program, diagnostics, _) = Lowering.lower(ast)
    return try #require(program, "\(diagnostics.map(\.message))")
}

/// The program as written, drawn with no options.
func drawn(_ source: String, title: String = "test.graph") throws -> DOTStructure {
    let program = try lowered(source)
    var picture = GraphPicture(graph: program.graph, title: title, roots: program.roots)
    for case .print(let items) in program.actions {
        for item in items { picture.captions[item.node, default: []].append("print " + item.text) }
    }
    let text = DOTWriter.render(picture)
    #expect(DOTStructure.isWellFormed(text))
    return DOTStructure(text)
}

struct DOTWriterTests {
    static let twoLayers = """
    input X = [[0, 1], [1, 0], [1, 1]]
    param W1: [2, 4] = 0.5
    param b1: [4] = 0
    param W2: [4] = 0.25
    param b2 = 0
    fn layer(x, W, b) = sigmoid(x @ W + b)
    hidden = layer(X, W1, b1)
    p = layer(hidden, W2, b2)
    print sum(p)
    """

    @Test func eachFunctionCallIsAClusterTitledWithItsName() throws {
        let dot = try drawn(Self.twoLayers)
        let layers = dot.clusters(calling: "layer")
        #expect(layers.count == 2)
        let hidden = try #require(dot.node(named: "hidden"))
        let p = try #require(dot.node(named: "p"))
        #expect(hidden.cluster == layers.first?.name)
        #expect(p.cluster == layers.last?.name)
        #expect(layers.allSatisfy { $0.parent == nil })
        // Leaves and the top-level sum stay outside the calls.
        #expect(dot.node(named: "W1")?.cluster == nil)
    }

    @Test func clusterTitleShowsTheCallAsWritten() throws {
        let dot = try drawn(Self.twoLayers)
        #expect(dot.clusters(calling: "layer").first?.label.contains("layer(X, W1, b1)") == true)
    }

    @Test func nestedCallsNestClusters() throws {
        let dot = try drawn("""
        fn inner(x) = x * 2
        fn outer(x) = inner(x) + 1
        param a = 1
        y = outer(a)
        """)
        let outer = try #require(dot.clusters(calling: "outer").first)
        let inner = try #require(dot.clusters(calling: "inner").first)
        #expect(inner.parent == outer.name)
        #expect(outer.parent == nil)
        #expect(dot.node(named: "y")?.cluster == outer.name)
    }

    @Test func tensorEdgesCarryTheirShapeAndScalarEdgesNone() throws {
        let dot = try drawn("""
        input X = [[1, 2], [3, 4], [5, 6]]
        param w: [2] = 1
        z = X @ w
        s = sum(z)
        l = s * 2
        """)
        let (x, z, s, l) = try (#require(dot.node(named: "X")), #require(dot.node(named: "z")),
                                #require(dot.node(named: "s")), #require(dot.node(named: "l")))
        #expect(dot.edges(from: x.id, to: z.id).map(\.attributes) == [#" [label="[3, 2]"];"#])
        #expect(dot.edges(from: z.id, to: s.id).map(\.attributes) == [#" [label="[3]"];"#])
        #expect(dot.edges(from: s.id, to: l.id).map(\.attributes) == [";"])
    }

    @Test func kindsOfNodeHaveDistinctLooks() throws {
        #expect(Set(DOTStyle.Kind.allCases.map(\.fill)).count == DOTStyle.Kind.allCases.count)
        let dot = try drawn("""
        param m = 2
        input x = 3
        y = m * x + 1
        print y
        """)
        #expect(dot.node(named: "m")?.attributes.contains("fillcolor=\"\(DOTStyle.Kind.param.fill)\"") == true)
        #expect(dot.node(named: "x")?.attributes.contains("fillcolor=\"\(DOTStyle.Kind.input.fill)\"") == true)
        let y = try #require(dot.node(named: "y"))
        #expect(y.attributes.contains("fillcolor=\"\(DOTStyle.Kind.result.fill)\""))
        #expect(y.attributes.contains("peripheries=2"))
        #expect(y.attributes.contains("<i>print y</i>"))
        let constant = dot.nodes.values.first { $0.attributes.hasPrefix(" [label=<1>") }
        #expect(constant?.attributes.contains("fillcolor=\"\(DOTStyle.Kind.constant.fill)\"") == true)
        #expect(dot.text.contains("rankdir=LR"))
    }

    @Test func labelsNameTheOpAndShape() throws {
        let dot = try drawn(Self.twoLayers)
        #expect(dot.node(named: "hidden")?.attributes.contains("<b>hidden</b><br/>sigmoid [3, 4]") == true)
        #expect(dot.node(named: "W1")?.attributes.contains("<b>W1</b><br/>param [2, 4]") == true)
    }

    @Test func gradientInTheProgramIsDrawnInTheGradientColourWithDashedEdges() throws {
        let dot = try drawn("""
        param x = 3
        f = x^3
        print grad(f, x)
        """)
        let x = try #require(dot.node(named: "x"))
        let dashed = dot.edges.filter(\.isDashed)
        #expect(dashed.contains { $0.to == x.id })
        for edge in dashed {
            #expect(dot.nodes[edge.from]?.attributes.contains("fillcolor=\"\(DOTStyle.Kind.gradient.fill)\"") == true)
        }
        // The step x^2 inside the derivative 3·x^2 belongs to the backward pass too.
        let gradientNodes = dot.nodes.values.filter { $0.attributes.contains(DOTStyle.Kind.gradient.fill) }
        #expect(gradientNodes.count >= 2)
        #expect(dot.node(named: "f")?.attributes.contains(DOTStyle.Kind.gradient.fill) == false)
    }

    @Test func hostileTitleStaysInsideItsLabel() throws {
        let title = "we\"ird\\ {dir} <x> & 'q'\n]]>.graph\\"
        let dot = try drawn("param a = 1\nb = a + 1", title: title)
        // The line break is written visibly as `\n`, whose backslash the quoting then doubles.
        #expect(dot.text.hasPrefix(#"digraph "we\"ird\\ {dir} <x> & 'q'\\n]]>.graph\\" {"#))
        #expect(dot.text.contains("we&quot;ird\\ {dir} &lt;x&gt; &amp; &#39;q&#39;\\n]]&gt;.graph\\"))
        #expect(dot.nodes.count == 3)
    }

    @Test func sourceTextInCaptionsCannotBreakTheLabel() throws {
        let dot = try drawn("""
        param a = 1
        print (a + # "}{<>\\ comment
               1)
        """)
        let result = try #require(dot.nodes.values.first { $0.attributes.contains("peripheries=2") })
        #expect(result.attributes.contains("&quot;}{&lt;&gt;\\ comment\\n"))
    }

    @Test func wellFormednessCheckRejectsBrokenText() {
        #expect(DOTStructure.isWellFormed("digraph { a [label=<x>]; }"))
        #expect(!DOTStructure.isWellFormed(#"digraph { a [label="x\"]; }"#))
        #expect(!DOTStructure.isWellFormed("digraph { a [label=<x<y>]; }"))
        #expect(!DOTStructure.isWellFormed("digraph { a; } }"))
    }
}
