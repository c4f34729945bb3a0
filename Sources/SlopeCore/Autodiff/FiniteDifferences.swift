import Foundation

/// Checks reverse-mode gradients against central finite differences — the course's "delta
/// method": f'(x) ≈ (f(x + h) − f(x − h)) / 2h.
///
/// Step: h = ∛ε · max(1, |x|) ≈ 6.1e-6 · max(1, |x|), which balances the truncation error
/// (∝ h²) against the round-off error (∝ ε|f|/h) of the central difference.
///
/// Tolerance, per element, from the function's own scale rather than a fixed number:
///   round-off   ≈ 64 ε · max|f| / h   (64: a margin for the rounding inside f itself)
///   truncation  ≈ |D(2h) − D(h)| / 3  (Richardson: D(h) = f' + c h², D(2h) = f' + 4c h²)
///   tolerance   = max(10 · (round-off + truncation), 1e-6 · max(|autodiff|, |numeric|))
///
/// Kinks: when an input of relu, abs, step, sign or mask is exactly 0 at the point, or changes
/// sign between x − 2h and x + 2h, a difference quotient straddles a corner and means nothing;
/// such elements are reported as kinks, not failures.
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
    /// Inputs of piecewise ops (relu, abs, step, sign, mask) that the target depends on.
    let kinkInputs: [NodeID]

    public init(graph: Graph, target: NodeID, leafValues: [NodeID: Tensor]) {
        self.graph = graph
        self.target = target
        let live = graph.reachable(from: [target])
        var kinks: [NodeID] = []
        for id in graph.ids where live[id.int] {
            switch graph[id].op {
            case .relu, .abs, .step, .sign, .mask: kinks.append(graph[id].operands[0])
            default: break
            }
        }
        kinkInputs = Array(Set(kinks)).sorted()
        executor = Executor(graph: graph, outputs: [target] + kinkInputs, leafValues: leafValues)
    }

    /// Compares `gradient` (the autodiff result for `leaf`, at `value`) with central differences.
    public func check(name: String, leaf: NodeID, value: Tensor, gradient: Tensor) -> Result {
        let indices = FiniteDifferences.sample(value.shape.count)
        let base = evaluate(leaf, value)
        let baseSigns = signs()
        var elements: [Element] = []
        for index in indices {
            let x = value.values[index]
            let h = FiniteDifferences.step(for: x)
            var perturbed = value
            func at(_ offset: Double) -> (Double, [Double]) {
                var values = value.values
                values[index] = x + offset
                perturbed = Tensor(shape: value.shape, values: values)
                let f = evaluate(leaf, perturbed)
                return (f, signs())
            }
            let (plus, plusSigns) = at(h), (minus, minusSigns) = at(-h)
            let (plus2, plus2Signs) = at(2 * h), (minus2, minus2Signs) = at(-2 * h)
            let numeric = (plus - minus) / (2 * h)
            let numeric2 = (plus2 - minus2) / (4 * h)
            let scale = [base, plus, minus, plus2, minus2].map { Swift.abs($0) }.max() ?? 0
            let roundoff = 64 * Double.ulpOfOne * scale / h
            let truncation = Swift.abs(numeric2 - numeric) / 3
            let autodiff = gradient.values[index]
            let tolerance = max(10 * (roundoff + truncation), 1e-6 * max(Swift.abs(autodiff), Swift.abs(numeric)))
            let nearKink = baseSigns.contains(0)
                || [plusSigns, minusSigns, plus2Signs, minus2Signs].contains { $0 != baseSigns }
            var status: Status = Swift.abs(autodiff - numeric) <= tolerance ? .ok : .fail
            if autodiff.isNaN || numeric.isNaN { status = .fail }
            if autodiff == numeric { status = .ok }
            if nearKink && status == .fail { status = .kink }
            elements.append(Element(index: index, autodiff: autodiff, numeric: numeric, tolerance: tolerance, status: status))
        }
        _ = evaluate(leaf, value)
        return Result(name: name, shape: value.shape, elements: elements)
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

    /// The sign of every element of every kink input: −1, 0 or 1.
    func signs() -> [Double] {
        kinkInputs.flatMap { node -> [Double] in
            let count = graph[node].shape.count
            return UnsafeBufferPointer(start: executor.pointer(node)!, count: count).map { ScalarMath.sign($0) }
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
