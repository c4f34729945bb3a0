import Foundation

/// Checks reverse-mode gradients against central finite differences — the course's "delta
/// method": f'(x) ≈ (f(x + h) − f(x − h)) / 2h.
///
/// Step: h = ∛ε · max(1, |x|) ≈ 6.1e-6 · max(1, |x|), which balances the truncation error
/// (∝ h²) against the round-off error (∝ ε|f|/h) of the central difference.
///
/// Tolerance, per element, from the function's own scale rather than a fixed number:
///   round-off   ≈ max(64 ε · max|f|, |Δ⁴f|) / h
///                 (64: a margin for the rounding inside f itself; Δ⁴f = f(x−2h) − 4f(x−h) + 6f(x)
///                 − 4f(x+h) + f(x+2h) is h⁴f⁽⁴⁾ ≈ 0 for a smooth f, so what it measures is the
///                 noise of f's own rounding — large where f cancels, as a sum of terms of size 1
///                 that is 1e-16 does, where max|f| alone would say there is no noise; not counted
///                 beside a kink, where it measures the corner)
///   truncation  ≈ |D(2h) − D(h)| / 3  (Richardson: D(h) = f' + c h², D(2h) = f' + 4c h²)
///   tolerance   = max(10 · (round-off + truncation), 1e-6 · max(|autodiff|, |numeric|))
///
/// The autodiff value has rounding noise of its own, which f's scale does not bound: the
/// derivative of a value that is identically 0 but computed from terms of size 1 (the gradient
/// of sum(softmax(p)), then differentiated again) is a sum of such terms that cancels to about
/// 1e-17, where f and its differences are exactly 0. So an element that would fail is measured
/// once more: the second differences of autodiff itself over tiny steps (2¹⁶ to 2²⁴ ulps of
/// x), where a smooth gradient changes by under 1e-17 times its second derivative but its
/// rounding is drawn afresh, and it passes when its error is within 10 × that noise. A wrong
/// derivative is wrong smoothly, so this hides no error larger than the gradient's rounding.
///
/// Kinks: a difference quotient that straddles a corner means nothing, so such elements are
/// reported as kinks, not failures. A corner is near when, for some op whose derivative jumps
/// (`Op.hasKink`), a probe computed beside the target is at the corner at the point or changes
/// between x − 2h and x + 2h: the input of relu, abs, step or sign and the first operand of mask
/// (its sign); a − b for max, min and equal (its sign); and for max and min reductions, which
/// elements equal the result (more of them than results is a tie).
public struct FiniteDifferences {
    public enum Status: String, Sendable { case ok, fail, kink }

    public struct Element: Sendable {
        public let index: Int
        public let autodiff: Double
        public let numeric: Double
        public let tolerance: Double
        public let status: Status
        public var absoluteError: Double { Swift.abs(autodiff - numeric) }
        public var relativeError: Double {
            let scale = max(Swift.abs(autodiff), Swift.abs(numeric))
            return scale == 0 ? 0 : absoluteError / scale
        }
    }

    public struct Result: Sendable {
        public let name: String
        public let shape: Shape
        public let elements: [Element]
        public var ok: Bool { elements.allSatisfy { $0.status != .fail } }
        public var kinks: Int { elements.filter { $0.status == .kink }.count }
        public var maximumAbsoluteError: Double { elements.filter { $0.status != .kink }.map(\.absoluteError).max() ?? 0 }
        public var maximumRelativeError: Double { elements.filter { $0.status != .kink }.map(\.relativeError).max() ?? 0 }
    }

    /// At most this many elements of one tensor are checked; larger ones are sampled.
    public static let maximumElements = 100

    let graph: Graph
    let target: NodeID
    let executor: Executor
    /// What shows a nearby kink, for each op with one that the target depends on.
    let probes: [KinkProbe]

    /// A value computed beside the target whose change reveals a kink.
    enum KinkProbe {
        /// At a kink where an element is 0; crossing one where an element changes sign.
        case sign(NodeID)
        /// The elements a max or min reduction chose (1) or not (0), over `results` results:
        /// at a kink where more elements than results are chosen (a tie); crossing one where
        /// the choice changes.
        case choice(NodeID, results: Int)

        var node: NodeID {
            switch self {
            case .sign(let node), .choice(let node, _): return node
            }
        }
    }

    public init(graph: Graph, target: NodeID, leafValues: [NodeID: Tensor], options: ExecutionOptions = ExecutionOptions()) {
        let (probed, probes) = Self.probing(graph, target: target)
        self.init(probed: probed, target: target, probes: probes, plan: Self.plan(probed, target: target, probes: probes),
                  leafValues: leafValues, options: options)
    }

    /// The checker, its plan admitted against the memory budget (`options.memory`) beside the
    /// `held` bytes before its arena is allocated.
    public init(graph: Graph, target: NodeID, leafValues: [NodeID: Tensor], options: ExecutionOptions,
                held: inout Int) throws(Diagnostic) {
        let (probed, probes) = Self.probing(graph, target: target)
        let plan = Self.plan(probed, target: target, probes: probes)
        try options.memory.admit(plan, held: &held)
        self.init(probed: probed, target: target, probes: probes, plan: plan, leafValues: leafValues, options: options)
    }

    init(probed: Graph, target: NodeID, probes: [KinkProbe], plan: ExecutionPlan, leafValues: [NodeID: Tensor],
         options: ExecutionOptions) {
        self.graph = probed
        self.target = target
        self.probes = probes
        executor = Executor(plan: plan, leafValues: leafValues, options: options)
    }

    static func plan(_ graph: Graph, target: NodeID, probes: [KinkProbe]) -> ExecutionPlan {
        Planner.plan(graph, outputs: [target] + Array(Set(probes.map(\.node))).sorted())
    }

    /// `graph` with a probe beside every op with a kink that the target depends on.
    static func probing(_ graph: Graph, target: NodeID) -> (Graph, [KinkProbe]) {
        let live = graph.reachable(from: [target])
        var builder = GraphBuilder(graph, hashConsing: true)
        var probes: [KinkProbe] = []
        for id in graph.ids where live[id.int] && graph[id].op.hasKink {
            let node = graph[id]
            switch node.op {
            case .unary(let op):
                guard let kink = op.kink else { continue }
                let x = node.operands[0]
                probes.append(.sign(kink == 0 ? x : builder.sub(x, builder.constant(kink, range: nil), at: nil)))
            case .binary(let op):
                let (a, b) = (node.operands[0], node.operands[1])
                probes.append(.sign(op == .mask ? a : builder.sub(a, b, at: nil)))
            case .reduce(_, let axis):
                let x = node.operands[0]
                let result = AdjointRules.spread(id, over: axis, to: graph[x].shape, in: &builder, at: nil)
                probes.append(.choice(builder.add(.binary(.equal), [x, result], range: nil), results: node.shape.count))
            case .constant, .leaf, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum, .integral:
                continue
            }
        }
        return (builder.finish(), probes)
    }

    /// Compares `gradient` (the autodiff result for `leaf`, at `value`) with central differences.
    /// `gradientAt` gives the autodiff result at another value of the leaf, for the rounding
    /// noise of an element that would otherwise fail.
    public func check(name: String, leaf: NodeID, value: Tensor, gradient: Tensor,
                      gradientAt: ((Tensor) -> Tensor)? = nil) -> Result {
        let indices = FiniteDifferences.sample(value.shape.count)
        let base = evaluate(leaf, value)
        let baseProbes = probeValues()
        var elements: [Element] = []
        for index in indices {
            let x = value.values[index]
            let h = FiniteDifferences.step(for: x)
            var perturbed = value
            func at(_ offset: Double) -> (Double, [[Double]]) {
                var values = value.values
                values[index] = x + offset
                perturbed = Tensor(shape: value.shape, values: values)
                let f = evaluate(leaf, perturbed)
                return (f, probeValues())
            }
            let (plus, plusSigns) = at(h), (minus, minusSigns) = at(-h)
            let (plus2, plus2Signs) = at(2 * h), (minus2, minus2Signs) = at(-2 * h)
            let numeric = (plus - minus) / (2 * h)
            let numeric2 = (plus2 - minus2) / (4 * h)
            let scale = [base, plus, minus, plus2, minus2].map { Swift.abs($0) }.max() ?? 0
            let nearKink = atKink(baseProbes)
                || [plusSigns, minusSigns, plus2Signs, minus2Signs].contains { $0 != baseProbes }
            // Beside a corner the fourth difference measures the corner, not the noise.
            let noise = nearKink ? 0 : Swift.abs(minus2 - 4 * minus + 6 * base - 4 * plus + plus2)
            let roundoff = max(64 * Double.ulpOfOne * scale, noise) / h
            let truncation = Swift.abs(numeric2 - numeric) / 3
            let autodiff = gradient.values[index]
            var tolerance = max(10 * (roundoff + truncation), 1e-6 * max(Swift.abs(autodiff), Swift.abs(numeric)))
            var status: Status = Swift.abs(autodiff - numeric) <= tolerance ? .ok : .fail
            if autodiff.isNaN || numeric.isNaN { status = .fail }
            if autodiff == numeric { status = .ok }
            if status == .fail, !nearKink, !autodiff.isNaN, !numeric.isNaN, let gradientAt {
                let noise = FiniteDifferences.roundingSpread(at: index, of: value, autodiff: autodiff, gradientAt: gradientAt)
                if Swift.abs(autodiff - numeric) <= 10 * noise {
                    tolerance = 10 * noise
                    status = .ok
                }
            }
            if nearKink && status == .fail { status = .kink }
            elements.append(Element(index: index, autodiff: autodiff, numeric: numeric, tolerance: tolerance, status: status))
        }
        _ = evaluate(leaf, value)
        return Result(name: name, shape: value.shape, elements: elements)
    }

    /// The rounding noise of the autodiff value of element `index`: the second differences
    /// g(x+δ) − 2g(x) + g(x−δ) for δ = 2¹⁶, 2²⁰ and 2²⁴ · ε · max(1, |x|). A smooth g changes
    /// there by δ² times its second derivative (at most 1e-17 times it), while its rounding,
    /// which follows the bits of the terms it cancels, is drawn afresh at each point.
    static func roundingSpread(at index: Int, of value: Tensor, autodiff: Double,
                               gradientAt: (Tensor) -> Tensor) -> Double {
        let x = value.values[index]
        var spread = 0.0
        for power in [16.0, 20.0, 24.0] {
            let delta = Foundation.pow(2, power) * Double.ulpOfOne * max(1, Swift.abs(x))
            func at(_ moved: Double) -> Double {
                var values = value.values
                values[index] = moved
                return gradientAt(Tensor(shape: value.shape, values: values)).values[index]
            }
            let difference = at(x + delta) - 2 * autodiff + at(x - delta)
            guard difference.isFinite else { return 0 }
            spread = max(spread, Swift.abs(difference))
        }
        return spread
    }

    /// The largest error across elements for central differences with each step size in
    /// `steps`: the V of truncation error (large h) against round-off (small h).
    public func sweep(leaf: NodeID, value: Tensor, gradient: Tensor, steps: [Double]) -> [(step: Double, error: Double)] {
        let indices = FiniteDifferences.sample(value.shape.count)
        var rows: [(Double, Double)] = []
        for relative in steps {
            var worst = 0.0
            for index in indices {
                let x = value.values[index]
                let h = relative * max(1, Swift.abs(x))
                var values = value.values
                values[index] = x + h
                let plus = evaluate(leaf, Tensor(shape: value.shape, values: values))
                values[index] = x - h
                let minus = evaluate(leaf, Tensor(shape: value.shape, values: values))
                let error = Swift.abs((plus - minus) / (2 * h) - gradient.values[index])
                worst = error.isNaN ? .nan : max(worst, error)
            }
            rows.append((relative, worst))
        }
        _ = evaluate(leaf, value)
        return rows
    }

    func evaluate(_ leaf: NodeID, _ value: Tensor) -> Double {
        executor.setValue(leaf, value)
        executor.run()
        return executor.pointer(target)![0]
    }

    /// Every probe's values: signs (−1, 0 or 1) of sign probes, the 0/1 choices of choice probes.
    func probeValues() -> [[Double]] {
        probes.map { probe -> [Double] in
            let node = probe.node
            let values = UnsafeBufferPointer(start: executor.pointer(node)!, count: graph[node].shape.count)
            switch probe {
            case .sign: return values.map { UnaryOp.sign.apply($0) }
            case .choice: return Array(values)
            }
        }
    }

    /// Whether the probes' values at a point put it exactly on a kink.
    func atKink(_ values: [[Double]]) -> Bool {
        zip(probes, values).contains { probe, values in
            switch probe {
            case .sign: return values.contains(0)
            case .choice(_, let results): return values.reduce(0, +) > Double(results)
            }
        }
    }

    /// h = ∛ε · max(1, |x|), adjusted so x + h is exactly representable.
    static func step(for x: Double) -> Double {
        let h = cbrt(Double.ulpOfOne) * max(1, Swift.abs(x))
        return (x + h) - x
    }

    /// Every index for small tensors; a fixed, evenly spread sample of `maximumElements` otherwise.
    static func sample(_ count: Int) -> [Int] {
        guard count > maximumElements else { return Array(0..<count) }
        // The first `maximumElements` distinct draws, then sorted. (Sorting 4·maximumElements
        // draws and keeping the smallest, as before, checked only the first quarter or so.)
        var random = Random(seed: 0xC4EC)
        var chosen = Set<Int>()
        while chosen.count < maximumElements { chosen.insert(Int(random.nextBits() % UInt64(count))) }
        return chosen.sorted()
    }
}
