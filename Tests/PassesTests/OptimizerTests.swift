import Foundation
import Testing
@testable import SlopeCore

/// Every Graphs/ program computes the same printed values and gradients with and without
/// optimization, and optimization never adds nodes.
@Suite struct OptimizerTests {
    static let programs: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: PassTesting.graphsDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".graph") }.sorted()
    }()

    @Test func everyExampleProgramIsFound() {
        #expect(Self.programs.count >= 9)
    }

    /// A program lowered from Graphs/, with its roots: printed values, training targets and the
    /// gradient of every training target with respect to every param.
    struct Case {
        var graph: Graph
        var roots: [NodeID]
        var leafValues: [String: Tensor]
    }

    static func load(_ name: String, frozen: Bool = false) -> Case? {
        let url = PassTesting.graphsDirectory.appendingPathComponent(name)
        guard let source = try? String(contentsOf: url, encoding: .utf8),
              var program = PassTesting.lower(source, path: url.path, baseDirectory: PassTesting.graphsDirectory.path)
        else { return nil }
        if frozen { program = program.freezingInputs() }
        var builder = GraphBuilder(program.graph, hashConsing: true)
        var roots = program.roots
        for case .train(let spec) in program.actions {
            roots += ReverseMode.gradients(of: spec.target, wrt: program.params.map(\.node), in: &builder)
        }
        return Case(graph: builder.graph, roots: roots, leafValues: PassTesting.leafValues(program))
    }

    /// The leaf values moved away from their initial values (often 0, where many terms vanish).
    static func perturbed(_ values: [String: Tensor]) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (offset, name) in values.keys.sorted().enumerated() {
            let value = values[name]!
            guard value.shape.count < 20 else { result[name] = value; continue }
            result[name] = Tensor(shape: value.shape, values: value.values.enumerated().map {
                $0.element + 0.37 * Double(offset + 1) + 0.11 * Double($0.offset)
            })
        }
        return result
    }

    @Test(arguments: programs, [false, true])
    func optimizationPreservesValues(_ name: String, frozen: Bool) throws {
        let example = try #require(Self.load(name, frozen: frozen))
        let optimized = PassTesting.optimize(example.graph, roots: example.roots)
        let exactOnly = optimized.firings.allSatisfy { firing in
            Self.exactness[firing.rule].map { $0 == .exact } ?? true
        }
        for values in [example.leafValues, Self.perturbed(example.leafValues)] {
            let before = PassTesting.evaluate(example.graph, example.roots, leafValues: values)
            let after = PassTesting.evaluate(optimized.graph, optimized.roots, leafValues: values)
            for (index, (a, b)) in zip(before, after).enumerated() {
                #expect(a.shape == b.shape)
                for (x, y) in zip(a.values, b.values) where !Self.agree(x, y, exact: exactOnly) {
                    Issue.record("\(name) root \(index): \(x) unoptimized, \(y) optimized (exact: \(exactOnly))")
                    break
                }
            }
        }
    }

    @Test(arguments: programs)
    func optimizationNeverAddsNodes(_ name: String) throws {
        let example = try #require(Self.load(name))
        let optimized = PassTesting.optimize(example.graph, roots: example.roots)
        var live = example.graph.reachable(from: example.roots)
        for id in example.graph.ids where example.graph[id].op.isLeaf && example.graph[id].op.constantValue == nil {
            live[id.int] = true
        }
        let before = live.filter { $0 }.count
        #expect(optimized.graph.count <= before, "\(name): \(before) nodes before, \(optimized.graph.count) after")
    }

    @Test(arguments: programs)
    func optimizingTwiceChangesNothing(_ name: String) throws {
        let example = try #require(Self.load(name))
        let once = PassTesting.optimize(example.graph, roots: example.roots)
        let twice = PassTesting.optimize(once.graph, roots: once.roots)
        #expect(twice.runs.isEmpty, "\(name): \(twice.runs.map { "\($0.pass): \($0.firings.map(\.rule))" })")
    }

    static let exactness: [String: Exactness] = Dictionary(
        (AlgebraicSimplification.allRules + Stabilization.allRules + ConstantFolding.rules).map { ($0.name, $0.exactness) },
        uniquingKeysWith: { a, _ in a })

    /// Bitwise (NaN equal to NaN, 0 to -0) when only exact rules fired, else within 1e-12
    /// relative with an absolute floor of 1e-14 for values that cancel to about zero.
    static func agree(_ x: Double, _ y: Double, exact: Bool) -> Bool {
        if x.isNaN || y.isNaN { return x.isNaN && y.isNaN }
        if x == y { return true }
        if exact { return false }
        return Swift.abs(x - y) <= 1e-12 * Swift.max(Swift.abs(x), Swift.abs(y)) + 1e-14
    }

    @Test func optimizedProgramRenumbersLeavesNamesAndActions() throws {
        let program = try #require(PassTesting.lower("""
        param x = 3
        unused = x * 1
        y = x * 1 + 0
        print y, x^2
        """))
        let (optimizedProgram, optimized) = Optimizer.optimize(program)
        let leaf = try #require(optimizedProgram.leaf(named: "x"))
        #expect(optimizedProgram.graph[leaf.node].op == .leaf(.param, "x"))
        #expect(optimizedProgram.names["y"] == leaf.node, "y = x*1 + 0 is x itself")
        #expect(optimized.map(try #require(program.names["unused"])) == leaf.node)
        guard case .print(let items) = try #require(optimizedProgram.actions.first) else { Issue.record("no print"); return }
        #expect(items.map { ExpressionPrinter.expression(optimizedProgram.graph, $0.node) } == ["x", "x^2"])
    }

    @Test func replacementIsNilOnlyForValuesNoLongerComputed() throws {
        let program = try #require(PassTesting.lower("""
        param x = 3
        param w = 2
        dead = exp(w)
        print x * 2
        """))
        let optimized = PassTesting.optimize(program.graph, roots: program.roots)
        #expect(optimized.map(try #require(program.names["dead"])) == nil)
        #expect(optimized.map(try #require(program.names["w"])) != nil, "an unused param still binds")
    }

    @Test func simplifyRebuildsOnlyWhatTheRootsOrANameRead() {
        // y = x·2 is the root; exp(x) and its sin are dead and unnamed, `kept` is dead but named.
        var builder = GraphBuilder()
        let x = builder.add(.leaf(.param, "x"), [], shape: .scalar, range: nil, name: "x")
        let unusedExp = builder.add(.unary(.exp), [x], range: nil)
        let unusedSin = builder.add(.unary(.sin), [unusedExp], range: nil)
        let kept = builder.add(.unary(.cos), [x], range: nil, name: "kept")
        let y = builder.add(.binary(.mul), [x, builder.constant(2, range: nil)], range: nil, name: "y")
        var report = PassReport()
        let result = AlgebraicSimplification.pass.run(builder.graph, roots: [y], report: &report)
        #expect(result.changed)
        #expect(result.replacement[unusedExp.int] == nil && result.replacement[unusedSin.int] == nil,
                "unnamed nodes the root does not read are not rebuilt")
        #expect(result.graph.nodes.allSatisfy { $0.op != .unary(.exp) && $0.op != .unary(.sin) })
        let keptNode = try? #require(result.replacement[kept.int])
        #expect(keptNode.map { result.graph[$0].name } == "kept", "a named node is rebuilt, name and all")
        #expect(result.replacement[x.int] != nil && result.replacement[y.int] != nil)
        #expect(result.graph.count == 4, "x, cos(x), 2 and x·2")
    }

    @Test func aLongChainOptimizesQuickly() {
        // x + 1 + 1 + … (100,000 adds): the constants gather into one, without recursion.
        var builder = GraphBuilder()
        let x = builder.add(.leaf(.param, "x"), [], shape: .scalar, range: nil, name: "x")
        var value = x
        for _ in 0..<100_000 {
            let one = builder.constant(1, range: nil)
            value = builder.add(value, one, at: nil)
        }
        let start = Date()
        let optimized = Optimizer.optimize(builder.graph, roots: [value])
        let seconds = Date().timeIntervalSince(start)
        #expect(ExpressionPrinter.expression(optimized.graph, optimized.roots[0]) == "x + 100000")
        // About 1 s in a release build (two rebuilds of 200,000 nodes: every partial sum becomes a
        // new constant); the bound here only catches quadratic behaviour in a debug build.
        #expect(seconds < 60, "100,000 nodes took \(seconds) s")
    }
}

