import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The oracle of the gradient tests: programs evaluated at chosen leaf values, and derivatives
/// taken by central differences of those evaluations, independently of reverse mode.

/// Lowers `source`; its errors, rendered, are the thrown error.
func lowered(_ source: String, path: String = "test.graph") throws -> Program {
    let (program, diagnostics) = InProcess.lower(source, path: path)
    guard let program, !diagnostics.contains(where: \.isError) else { throw DiagnosticsError(diagnostics: diagnostics) }
    return program
}

/// A graph planned once for some outputs and run at many leaf values.
final class Evaluation {
    let graph: Graph
    let outputs: [NodeID]
    let executor: Executor
    private let leaves: [String: NodeID]

    init(_ graph: Graph, outputs: [NodeID], leafValues: [NodeID: Tensor]) {
        self.graph = graph
        self.outputs = outputs
        executor = Executor(graph: graph, outputs: outputs, leafValues: leafValues)
        var leaves: [String: NodeID] = [:]
        for id in graph.ids {
            switch graph[id].op {
            case .leaf(_, let name): leaves[name] = id
            default: break
            }
        }
        self.leaves = leaves
    }

    /// The program's named values `names`, with its leaf values.
    convenience init(_ program: Program, outputs names: [String]) throws {
        let outputs = try names.map { name in try #require(program.names[name], "no value named '\(name)'") }
        self.init(program.graph, outputs: outputs, leafValues: program.leafValues)
    }

    /// The outputs with the given leaves set to the given values (others keep theirs).
    func callAsFunction(_ values: [String: Tensor]) -> [Tensor] {
        for (name, value) in values {
            guard let leaf = leaves[name] else { preconditionFailure("no leaf named '\(name)'") }
            executor.setValue(leaf, value)
        }
        executor.run()
        return outputs.map(executor.value)
    }
}

/// Central differences of fourth order:
/// f′(x) ≈ (−f(x + 2h) + 8 f(x + h) − 8 f(x − h) + f(x − 2h)) / 12h,
/// whose truncation error is h⁴ f⁽⁵⁾/30 (Taylor: the h² terms of the two central quotients
/// cancel). With h = 1e-3 that is about 1e-13 f⁽⁵⁾, and round-off is about ε|f|/h ≈ 2e-13|f|,
/// so agreement to 1e-6 relative leaves a wide margin while any wrong rule, which is off by a
/// factor, still fails.
enum Differences {
    static let step = 1e-3

    /// d/dt of `f(t)` at t = 0, for a vector-valued f (each component differentiated).
    static func derivative(_ f: (Double) -> [Double], step h: Double = step) -> [Double] {
        let p2 = f(2 * h), p1 = f(h), m1 = f(-h), m2 = f(-2 * h)
        return (0..<p1.count).map { i in (-p2[i] + 8 * p1[i] - 8 * m1[i] + m2[i]) / (12 * h) }
    }

    static func derivative(_ f: (Double) -> Double, step h: Double = step) -> Double {
        derivative({ [f($0)] }, step: h)[0]
    }
}

extension Tensor {
    /// This tensor with `direction` times t added.
    func moved(along direction: Tensor, by t: Double) -> Tensor {
        Tensor(shape: shape, values: zip(values, direction.values).map { $0 + t * $1 })
    }

    /// This tensor with element `index` moved by t.
    func moved(at index: Int, by t: Double) -> Tensor {
        var copy = values
        copy[index] += t
        return Tensor(shape: shape, values: copy)
    }

    var largestMagnitude: Double { values.map(Swift.abs).max() ?? 0 }
}

/// Where random values are drawn from, per operand: log and sqrt want positive inputs, relu,
/// abs, mask's selector and divisors want inputs away from 0, where a difference quotient
/// would straddle a kink or a pole; max and min reductions want elements that do not tie.
enum Domain: Sendable {
    case any, positive, awayFromZero
    /// In [-1.5, 1.5] with every two elements at least 1.2/n apart (n elements): evenly spaced
    /// values, jittered and shuffled, so a max or min reduction has one clear winner per slice
    /// even when the differences move every element.
    case separated

    func draw(_ shape: Shape, _ random: inout Random) -> Tensor {
        if case .separated = self {
            let n = shape.count, spacing = 3 / Double(max(n, 1))
            var values = (0..<n).map { k in -1.5 + (Double(k) + 0.5) * spacing + random.uniform(-0.3, 0.3) * spacing }
            for k in stride(from: n - 1, to: 0, by: -1) { values.swapAt(k, Int(random.nextBits() % UInt64(k + 1))) }
            return Tensor(shape: shape, values: values)
        }
        return Tensor(shape: shape, values: (0..<shape.count).map { _ in
            switch self {
            case .any: return random.uniform(-1.5, 1.5)
            case .positive: return random.uniform(0.5, 2)
            case .awayFromZero: return (random.nextUniform() < 0.5 ? -1 : 1) * random.uniform(0.3, 1.5)
            case .separated: preconditionFailure("drawn above")
            }
        })
    }
}

/// Autodiff agrees with differences: |a − n| ≤ 1e-6 · max(|a|, |n|) + 1e-9 · scale, where
/// scale is the size of the values involved (at least 1), for results that are about zero.
func expectAgreement(_ autodiff: Double, _ numeric: Double, scale: Double, _ what: @autoclosure () -> String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
    let tolerance = 1e-6 * max(Swift.abs(autodiff), Swift.abs(numeric)) + 1e-9 * max(1, scale)
    let agree = autodiff.isFinite && numeric.isFinite && Swift.abs(autodiff - numeric) <= tolerance
    #expect(agree, "\(what()): autodiff \(autodiff), central differences \(numeric)", sourceLocation: sourceLocation)
}

extension Array where Element == String {
    /// The arguments with `Graphs/…` made absolute, so tests do not depend on the working folder.
    var relativeToPackage: [String] {
        map { $0.hasPrefix("Graphs/") ? PackagePaths.root.appendingPathComponent($0).path : $0 }
    }
}

/// `slope grad FILE --json`: (value, gradient by name).
func gradJSON(path: String, _ arguments: [String] = []) throws -> (value: Double, gradient: [String: [Double]]) {
    let result = InProcess.run(["grad", path, "--json"] + arguments)
    try #require(result.status == .success, "\(result)")
    let object = try #require(JSONNumbers.object(result.out), "\(result.out)")
    let value = try #require(object["value"].flatMap(JSONNumbers.flatten)?.first)
    let gradient = try #require(object["gradient"] as? [String: Any])
    return (value, gradient.compactMapValues(JSONNumbers.flatten))
}

/// `slope grad --json` on a program written to a temporary file.
func gradJSON(_ source: String, _ arguments: [String] = []) throws -> (value: Double, gradient: [String: [Double]]) {
    let directory = try TemporaryDirectory()
    return try gradJSON(path: try directory.write("program.graph", source), arguments)
}

/// `slope run FILE --json`: the printed values, flattened.
func printedJSON(path: String, _ arguments: [String] = []) throws -> [[Double]] {
    let result = InProcess.run(["run", path, "--json", "--quiet"] + arguments)
    try #require(result.status == .success, "\(result)")
    let object = try #require(JSONNumbers.object(result.out), "\(result.out)")
    let prints = try #require(object["prints"] as? [[String: Any]])
    return try prints.map { try #require($0["value"].flatMap(JSONNumbers.flatten)) }
}

/// `slope run --json` on a program written to a temporary file.
func printedJSON(_ source: String, _ arguments: [String] = []) throws -> [[Double]] {
    let directory = try TemporaryDirectory()
    return try printedJSON(path: try directory.write("program.graph", source), arguments)
}

/// The path of a program in Graphs/.
func example(_ name: String) -> String { PackagePaths.graphs.appendingPathComponent(name + ".graph").path }
