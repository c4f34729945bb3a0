import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Lowers `source` (its errors, rendered, are the thrown error).
func lowered(_ source: String) throws -> Program {
    let (program, diagnostics) = InProcess.lower(source)
    guard let program, !diagnostics.contains(where: \.isError) else { throw DiagnosticsError(diagnostics: diagnostics) }
    return program
}

/// The derivatives of the value `target` of `source` with respect to its scalar leaves `names`.
func evaluator(_ source: String, of target: String, wrt names: [String], withHessian: Bool = true) throws -> DerivativeEvaluator {
    let program = try lowered(source)
    let node = try #require(program.names[target])
    let variables = try names.map { try #require(program.leaf(named: $0)) }
    return DerivativeEvaluator(graph: program.graph, target: node, variables: variables, withHessian: withHessian,
                               execution: ExecutionOptions())
}

/// The sauna, T(x, y) = 85 − (1/90) x²(x − 6) y²(y − 6), as Graphs/sauna.graph writes it.
let sauna = """
    param x = 3
    param y = 3
    T = 85 - (1/90) * x^2 * (x - 6) * y^2 * (y - 6)
    """
