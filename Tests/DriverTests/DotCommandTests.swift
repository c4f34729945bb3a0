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
