import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The rewrite's walk in place (`Rewriter+InPlace.swift`): whatever it keeps, it keeps exactly as
/// the rebuild would have built it, so a rewrite with the walk and one without give the same
/// graph, node for node, with the same map, firings and fixed point.
@Suite struct RewriterInPlaceTests {
    /// Both rewrites of `graph`, with the roots `roots` and the rules of `admitted`.
    static func bothRewrites(_ graph: Graph, roots: [NodeID], admitted: Set<Exactness>)
        -> (walked: PassResult, rebuilt: PassResult, walkedReport: PassReport, rebuiltReport: PassReport) {
        var walkedReport = PassReport(), rebuiltReport = PassReport()
        let rules = AlgebraicSimplification.rulesFolding(for:)
        let walked = Rewriter.rewrite(graph, keeping: roots, report: &walkedReport, reportMerges: true, admitted: admitted,
                                      rules: rules)
        let rebuilt = Rewriter.rewrite(graph, keeping: roots, report: &rebuiltReport, reportMerges: true, admitted: admitted,
                                       walkingInPlace: false, rules: rules)
        return (walked, rebuilt, walkedReport, rebuiltReport)
    }

    /// Records every difference between the two rewrites of `graph`.
    static func expectTheSame(_ graph: Graph, roots: [NodeID], admitted: Set<Exactness>, _ context: String) {
        let (walked, rebuilt, walkedReport, rebuiltReport) = bothRewrites(graph, roots: roots, admitted: admitted)
        #expect(walked.changed == rebuilt.changed, "changed, \(context)")
        #expect(walked.atFixedPoint == rebuilt.atFixedPoint || !walked.changed, "fixed point, \(context)")
        #expect(walked.replacement == rebuilt.replacement, "replacement, \(context)")
        #expect(walkedReport.firings.map(\.rule) == rebuiltReport.firings.map(\.rule), "firings, \(context)")
        #expect(walkedReport.firings.map { $0.range?.start } == rebuiltReport.firings.map { $0.range?.start }, "firing ranges, \(context)")
        #expect(walked.graph.count == rebuilt.graph.count, "node count, \(context)")
        guard walked.graph.count == rebuilt.graph.count else { return }
        for index in 0..<walked.graph.count {
            let a = walked.graph.nodes[index], b = rebuilt.graph.nodes[index]
            let same = a.op == b.op && a.operands == b.operands && a.shape == b.shape && a.name == b.name
                && a.adjointOf == b.adjointOf && a.frame == b.frame && a.range?.start == b.range?.start && a.range?.end == b.range?.end
            #expect(same, "node %\(index): \(a.op.name)\(Array(a.operands)) '\(a.name ?? "")' against \(b.op.name)\(Array(b.operands)) '\(b.name ?? "")', \(context)")
            if !same { return }
        }
    }

    static let seeds: [UInt64] = Array(0..<120)

    @Test(arguments: seeds)
    func aRandomProgramAndItsGradientRewriteAsTheRebuildRewritesThem(_ seed: UInt64) throws {
        let random = RandomProgram(seed: seed)
        let program = try #require(PassTesting.lower(random.source))
        let roots = PassTesting.roots(program)
        for admitted in [Exactness.keepingValues, Set(Exactness.allCases)] {
            Self.expectTheSame(program.graph, roots: roots, admitted: admitted, "lowered, \(random)")
            // The graph with its backward pass: built with hash-consing, in canonical order,
            // so most of it is kept as it is.
            let target = try #require(program.names["f"])
            var builder = GraphBuilder(program.graph, hashConsing: true)
            let gradients = ReverseMode.gradients(of: target, wrt: program.params.map(\.node), in: &builder)
            Self.expectTheSame(builder.finish(), roots: roots + [target] + gradients, admitted: admitted, "with its gradient, \(random)")
        }
    }

    @Test func everyExampleRewritesAsTheRebuildRewritesIt() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: PassTesting.graphsDirectory.path)
            .filter { $0.hasSuffix(".graph") }.sorted()
        #expect(files.count > 10)
        for file in files {
            let url = PassTesting.graphsDirectory.appendingPathComponent(file)
            let program = try #require(PassTesting.lower(try String(contentsOf: url, encoding: .utf8), path: url.path,
                                                         baseDirectory: PassTesting.graphsDirectory.path))
            Self.expectTheSame(program.graph, roots: PassTesting.roots(program), admitted: Exactness.keepingValues, file)
        }
    }

    @Test func aGraphWhoseOnlyChangeIsOperandOrderKeepsEveryNodeWhereItIs() throws {
        let program = try #require(PassTesting.lower("""
        param x = 0.5
        t1 = sin(x) + x
        t2 = sin(t1) * x
        print t2
        """))
        var report = PassReport()
        let result = Rewriter.rewrite(program.graph, keeping: PassTesting.roots(program), report: &report, rules: AlgebraicSimplification.rulesFolding(for:))
        #expect(result.changed)
        #expect(result.atFixedPoint)
        #expect(report.firings.isEmpty)
        #expect(result.graph.count == program.graph.count)
        #expect(result.replacement == program.graph.ids.map { Optional($0) })
        // As written, `sin(x) + x` reads the sine first; the rewrite puts x, the older node, first.
        let add = try #require(program.names["t1"]), mul = try #require(program.names["t2"])
        let x = program.params[0].node
        #expect(Array(program.graph[add].operands) == [NodeID(add.int - 1), x])
        #expect(Array(result.graph[add].operands) == [x, NodeID(add.int - 1)])
        #expect(Array(result.graph[mul].operands) == [x, NodeID(mul.int - 1)])
        // The graph given is not changed.
        #expect(Array(program.graph[add].operands) == [NodeID(add.int - 1), x])
        // The names, and the interface Pass.run carries, stay on the same nodes.
        #expect(result.graph[add].name == "t1")
        #expect(result.graph.namedValues == program.graph.namedValues)
    }

    @Test func aGraphWithNothingToChangeIsHandedBackUnchanged() throws {
        let program = try #require(PassTesting.lower("""
        param x = 0.5
        t1 = x + sin(x)
        print t1
        """))
        var report = PassReport()
        let result = Rewriter.rewrite(program.graph, keeping: PassTesting.roots(program), report: &report, rules: AlgebraicSimplification.rulesFolding(for:))
        #expect(!result.changed)
        #expect(result.graph.count == program.graph.count)
    }

    @Test func theRebuildStartsAtTheFirstNodeThatChanges() throws {
        // `y * 1` is the first node a rule rewrites; the duplicate `sin(x)` the first merge.
        let source = """
        param x = 0.5
        a = sin(x) + x
        b = a * 1
        c = sin(x) + b
        print c
        """
        let program = try #require(PassTesting.lower(source))
        let roots = PassTesting.roots(program)
        Self.expectTheSame(program.graph, roots: roots, admitted: Exactness.keepingValues, source)
        var report = PassReport()
        let result = Rewriter.rewrite(program.graph, keeping: roots, report: &report, reportMerges: true,
                                      rules: AlgebraicSimplification.rulesFolding(for:))
        #expect(report.firings.map(\.rule).contains("merge-duplicate"))
        #expect(report.firings.count >= 2)
        // The nodes before `a * 1` keep their ids; `b` is then `a`'s node, and the second
        // `sin(x)` the first.
        let a = try #require(program.names["a"]), b = try #require(program.names["b"]), c = try #require(program.names["c"])
        #expect(result.replacement[a.int] == a)
        #expect(result.replacement[b.int] == a)
        let sines = result.graph.nodes.filter { $0.op == .unary(.sin) }
        #expect(sines.count == 1)
        let newC = try #require(result.replacement[c.int])
        #expect(Array(result.graph[newC].operands) == [NodeID(a.int - 1), a])
    }

    @Test func aNamedConstantKeepsItsNameThroughTheRebuild() throws {
        // `dt * 1` makes the rebuild run from the start; the constant keeps the name `dt`
        // there as it does in the walk.
        let program = try #require(PassTesting.lower("""
        param v = 3
        dt = 0.01
        s = v * dt * 1
        print s
        """))
        var report = PassReport()
        let rebuilt = Rewriter.rewrite(program.graph, keeping: PassTesting.roots(program), report: &report, walkingInPlace: false,
                                       rules: AlgebraicSimplification.rulesFolding(for:))
        let dtNode = try #require(program.names["dt"])
        let dt = try #require(rebuilt.replacement[dtNode.int])
        #expect(rebuilt.graph[dt].name == "dt")
        #expect(rebuilt.graph[dt].op.constantValue?.scalarValue == 0.01)
    }
}
