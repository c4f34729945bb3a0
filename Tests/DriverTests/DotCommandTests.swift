import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// `slope dot FILE OPTIONS` in-process on `source` written to a temporary file.
func runDot(_ source: String, _ options: [String] = [], fileName: String = "program.graph")
    throws -> (status: SlopeCore.ExitStatus, out: String, err: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slope-dot-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent(fileName)
    try Data(source.utf8).write(to: file)
    let console = Console.capture()
    let status = Driver.main(["dot", file.path] + options, console: console)
    return (status, console.capturedOut, console.capturedErr)
}

struct DotCommandTests {
    /// micrograd's worked example: L = (a·b + c)·f.
    static let micrograd = """
    param a = 2
    param b = -3
    param c = 10
    param f = -2
    e = a * b
    d = e + c
    L = d * f
    """

    @Test func gradAddsGradientNodesWithDashedEdgesToTheirValues() throws {
        let run = try runDot(Self.micrograd, ["--grad"])
        #expect(run.status == .success)
        let dot = DOTStructure(run.out)
        #expect(dot.text.contains("gradient of L by a, b, c, f"))
        let gradientFill = "fillcolor=\"\(DOTStyle.Kind.gradient.fill)\""
        for name in ["a", "b", "c", "f", "e", "d"] {
            let forward = try #require(dot.node(named: name))
            #expect(!forward.attributes.contains(gradientFill))
            let dashed = dot.edges.filter { $0.isDashed && $0.to == forward.id }
            #expect(dashed.count == 1, "one dashed edge into \(name)")
            #expect(dashed.allSatisfy { dot.nodes[$0.from]?.attributes.contains(gradientFill) == true })
        }
        // The adjoints of the leaves carry the names the IR printer gives them.
        #expect(dot.text.contains("<b><i>d_a</i></b>"))
    }

    @Test func theSeedIsLabelledAfterTheTargetAndNeverSharesAForwardConstant() throws {
        // loss = (1 - y)·w²: the `1` of `1 - y` and the seed dloss/dloss = 1 are equal constants,
        // which hash-consing would merge. The seed is a node of its own, the only one labelled.
        let run = try runDot("param w = 2\ninput y = 0.25\nloss = (1 - y) * w^2\n", ["--grad"])
        #expect(run.status == .success, "\(run.err)")
        let dot = DOTStructure(run.out)
        let gradientFill = "fillcolor=\"\(DOTStyle.Kind.gradient.fill)\""
        let seeds = dot.nodeOrder.filter { dot.nodes[$0]!.attributes.contains("d_loss = 1") }
        try #require(seeds.count == 1, "\(run.out)")
        let seed = try #require(dot.nodes[seeds[0]])
        #expect(seed.attributes.hasPrefix(" [label=<<b><i>d_loss = 1</i></b><br/><i>seed of the backward pass</i>>"))
        #expect(seed.attributes.contains(gradientFill))
        let loss = try #require(dot.node(named: "loss"))
        #expect(dot.edges(from: seed.id, to: loss.id).contains { $0.isDashed }, "d_loss is the gradient of loss")
        // The forward `1` is a grey constant that feeds `1 - y` alone; the seed feeds gradient nodes alone
        // (edges between gradient nodes are written reversed, user first).
        let ones = dot.nodeOrder.filter { dot.nodes[$0]!.attributes.hasPrefix(" [label=<1>") }
        try #require(ones.count == 1, "\(run.out)")
        let one = ones[0]
        #expect(dot.nodes[one]!.attributes.contains("fillcolor=\"\(DOTStyle.Kind.constant.fill)\""))
        #expect(dot.edges.filter { $0.from == one || $0.to == one }.count == 1)
        for edge in dot.edges where !edge.isDashed && (edge.from == seed.id || edge.to == seed.id) {
            let other = edge.from == seed.id ? edge.to : edge.from
            #expect(dot.nodes[other]?.attributes.contains(gradientFill) == true, "\(edge)")
        }
    }

    @Test func withoutGradNothingIsTheSeed() throws {
        #expect(!(try runDot("param w = 2\nloss = (1 - w) * w^2\n", ["--values"]).out.contains("seed")))
    }

    @Test func valuesWriteDataAndGradLikeMicrograd() throws {
        let dot = DOTStructure(try runDot(Self.micrograd, ["--grad", "--values"]).out)
        // e = 2·-3 = -6, d = -6 + 10 = 4, L = 4·-2 = -8; dL/dd = f = -2, dL/de = dL/dc = -2,
        // dL/da = -2·b = 6, dL/db = -2·a = -4, dL/df = d = 4, dL/dL = 1.
        let expected: [(String, String, String)] = [
            ("a", "2", "6"), ("b", "-3", "-4"), ("c", "10", "-2"), ("f", "-2", "4"),
            ("e", "-6", "-2"), ("d", "4", "-2"), ("L", "-8", "1"),
        ]
        for (name, data, grad) in expected {
            let label = try #require(dot.node(named: name)).attributes
            #expect(label.contains("data \(data)</font>"), "\(name): \(label)")
            #expect(label.contains("grad \(grad)</font>"), "\(name): \(label)")
        }
    }

    @Test func valuesWithoutGradWriteOnlyData() throws {
        let dot = DOTStructure(try runDot(Self.micrograd, ["--values"]).out)
        #expect(dot.node(named: "L")?.attributes.contains("data -8") == true)
        #expect(!dot.text.contains(">grad "))
        #expect(!dot.edges.contains { $0.isDashed })
    }

    @Test func tensorValuesAreSummarised() throws {
        let dot = DOTStructure(try runDot("input x = [3, 1, 4, 1, 5]\ny = x * 2\nprint sum(y)", ["--values"]).out)
        let label = try #require(dot.node(named: "y")).attributes
        #expect(label.contains("data 6, 2, 8, …"))
        #expect(label.contains("min 2, max 10"))
    }

    @Test func trainingProgramIsDrawnAtItsInitialValues() throws {
        let run = try runDot("""
        param m = 0.5
        input x = [1, 2]
        loss = mean((m * x - 1)^2)
        minimize loss by gd(rate: 0.1, steps: 100)
        """, ["--grad", "--values"])
        #expect(run.status == .success)
        let dot = DOTStructure(run.out)
        let m = try #require(dot.node(named: "m"))
        // mean((0.5x - 1)^2) over x = 1, 2: ((-0.5)^2 + 0^2)/2 = 0.125; d/dm = mean(2(mx - 1)x) = (-1 + 0)/2.
        #expect(m.attributes.contains("data 0.5</font>"))
        #expect(m.attributes.contains("grad -0.5</font>"))
        #expect(dot.node(named: "loss")?.attributes.contains("<i>minimize loss</i>") == true)
        #expect(dot.node(named: "loss")?.attributes.contains("data 0.125</font>") == true)
    }

    @Test func optDropsValuesNothingReads() throws {
        let source = "param a = 1\nunused = a * 3\nb = a + 1\nprint b"
        let plain = DOTStructure(try runDot(source).out)
        let optimized = DOTStructure(try runDot(source, ["--opt"]).out)
        #expect(plain.node(named: "unused") != nil)
        #expect(optimized.node(named: "unused") == nil)
        #expect(optimized.node(named: "b") != nil)
        #expect(optimized.nodes.count == plain.nodes.count - 2)
    }

    @Test func optKeepsTheGradientAndWhatItReads() throws {
        let dot = DOTStructure(try runDot(Self.micrograd, ["--opt", "--grad", "--values"]).out)
        #expect(dot.node(named: "a")?.attributes.contains("grad 6</font>") == true)
        #expect(dot.edges.contains { $0.isDashed })
    }

    @Test func ofAndWrtChooseTheGradient() throws {
        let dot = DOTStructure(try runDot(Self.micrograd, ["--grad", "--values", "--of", "d", "--wrt", "c"]).out)
        #expect(dot.text.contains("gradient of d by c"))
        #expect(dot.node(named: "c")?.attributes.contains("grad 1</font>") == true)
        #expect(dot.node(named: "a")?.attributes.contains(">grad ") == false)
    }

    @Test func theTitleSaysHowADefaultTargetWasChosen() throws {
        let partials = "param x = 1\nparam y = 2\nf = 3*x^2*y^3\nfx = grad(f, x)\nfy = grad(f, y)\n"
        let run = try runDot(partials, ["--grad"])
        #expect(run.status == .success && run.err.isEmpty, "\(run.err)")
        // The subtitle's row, then the announcement's (as wide as the legend: colspan = its cells).
        #expect(run.out.contains("\">gradient of f by x, y</td></tr><tr><td align=\"left\" "), "\(run.out)")
        #expect(run.out.contains("\"><font point-size=\"9\">differentiating f (the last value that is not a derivative; "
                                 + "choose another with --of)</font></td></tr>"), "\(run.out)")
        let named = try runDot(partials, ["--grad", "--of", "fy"])
        #expect(named.out.contains("gradient of fy by x, y") && !named.out.contains("differentiating"))
        #expect(!(try runDot(partials).out.contains("differentiating")))
    }

    @Test func unknownOfIsAUsageError() throws {
        let run = try runDot(Self.micrograd, ["--grad", "--of", "LL"])
        #expect(run.status == .usageError)
        #expect(run.err.contains("--of names 'LL'"))
        #expect(run.out.isEmpty)
    }

    @Test func fileThatDoesNotCompileIsAProgramError() throws {
        let run = try runDot("param a = \ny = a +")
        #expect(run.status == .programError)
        #expect(run.out.isEmpty)
        #expect(run.err.contains("error:"))
    }

    @Test func hostileFileNameIsEscapedInTheTitle() throws {
        let run = try runDot("param a = 1\nb = a * 2", fileName: "q\"uo\\te {b} <t>.graph")
        #expect(run.status == .success)
        #expect(DOTStructure.isWellFormed(run.out))
        #expect(run.out.contains("q&quot;uo\\te {b} &lt;t&gt;.graph</b>"))
    }
}

extension DotCommandTests {
    static let network = """
        input X = [[0.1, 0.2], [0.3, -0.4], [-0.5, 0.6]]
        input y = [0, 1, 1]
        param W1: [2, 3] = 0.5
        param b1: [3] = 0
        param W2: [3] = 0.5
        param b2 = 0
        fn layer(x, W, b) = sigmoid(x @ W + b)
        hidden = layer(X, W1, b1)
        p = layer(hidden, W2, b2)
        loss = bce(p, y)
        print loss, accuracy(p, y)
        """

    /// Each fn call and prelude function is one box named after its result, its operands'
    /// edges entering it once; `--expand` draws the nodes inside, in clusters.
    @Test func eachCallIsOneBoxUnlessExpanded() throws {
        let run = try runDot(Self.network)
        #expect(run.status == .success, "\(run.err)")
        let dot = DOTStructure(run.out)
        #expect(run.out.contains("\"call0\" [label=<<b>hidden</b><br/>layer(X, W1, b1) [3, 3]>, shape=box3d"), "\(run.out)")
        #expect(run.out.contains("<b>loss</b><br/>bce(p, y) []<br/>"), "\(run.out)")
        #expect(run.out.contains("accuracy(p, y) []<br/>"), "\(run.out)")
        #expect(!run.out.contains("cluster_call") && !run.out.contains("sigmoid ["), "\(run.out)")
        #expect(run.out.components(separatedBy: "\"n0\" -> \"call0\"").count == 2, "X enters layer once")
        #expect(dot.node(named: "W1") != nil)
        let expanded = try runDot(Self.network, ["--expand"])
        #expect(expanded.out.contains("subgraph \"cluster_call_0\"") && expanded.out.contains("sigmoid [3, 3]"), "\(expanded.out)")
        #expect(!expanded.out.contains("box3d"))
    }

    /// With --grad, a call's backward pass is a box of its own, labelled with the gradients it
    /// hands back (of values outside the call), with a dashed edge to the call; values only
    /// something other than the target needs (the printed accuracy) are not drawn.
    @Test func theBackwardPassOfACallIsABoxOfItsOwn() throws {
        let run = try runDot(Self.network, ["--grad"])
        #expect(run.status == .success, "\(run.err)")
        #expect(run.out.contains("<b><i>d_b1, d_W1</i></b><br/>backward of layer(X, W1, b1)>"), "\(run.out)")
        #expect(run.out.contains("<b><i>d_b2, d_hidden, d_W2</i></b><br/>backward of layer(hidden, W2, b2)>"), "\(run.out)")
        #expect(run.out.contains("<b><i>d_p</i></b><br/>backward of bce(p, y)>"), "\(run.out)")
        #expect(run.out.contains("\"call0_backward\" -> \"call0\" [style=dashed"), "\(run.out)")
        #expect(!run.out.contains("accuracy"), "\(run.out)")
        #expect(try runDot(Self.network, ["--grad", "--expand"]).out.contains("<b><i>d_W1</i></b><br/>matmul [2, 3]"))
    }
}
