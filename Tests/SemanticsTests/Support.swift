import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The printed values of a program that must compile.
func printed(_ source: String, options: LoweringOptions = LoweringOptions(),
             sourceLocation: SourceLocation = #_sourceLocation) throws -> [Tensor] {
    switch InProcess.printedValues(source, options: options) {
    case .success(let values): return values
    case .failure(let error):
        Issue.record("the program does not compile:\n\(error)", sourceLocation: sourceLocation)
        throw error
    }
}

/// The one error a program must report.
func singleError(_ source: String, options: LoweringOptions = LoweringOptions(),
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> Diagnostic {
    let errors = InProcess.errors(source, options: options)
    try #require(errors.count == 1, "expected one error, found \(errors.count):\n\(DiagnosticsError(diagnostics: errors))",
                 sourceLocation: sourceLocation)
    return errors[0]
}

/// A tensor from its shape and row-major values.
func tensor(_ shape: [Int], _ values: [Double]) -> Tensor { Tensor(shape: Shape(shape), values: values) }
