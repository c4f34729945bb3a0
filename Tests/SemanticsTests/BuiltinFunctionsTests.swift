import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The table of built-in functions: derived from the op table, the only list of names, and the
/// one SPEC.md documents.
@Suite struct BuiltinFunctionsTests {
    @Test func everyOpWrittenAsACallIsAFunction() {
        for op in UnaryOp.allCases where op.notation == .call {
            guard case .unary(let found)? = BuiltinFunctions[op.name]?.form else { Issue.record("\(op.name)"); continue }
            #expect(found == op)
        }
        for op in BinaryOp.allCases where op.notation == .call {
            switch BuiltinFunctions[op.name]?.form {
            case .binary(let found)?: #expect(found == op)
            case .reduction(_, let elementwise)?: #expect(elementwise == op, "\(op.name)")
            default: Issue.record("\(op.name) is not a function")
            }
        }
        for op in ReduceOp.allCases {
            guard case .reduction(let found, _)? = BuiltinFunctions[op.name]?.form else { Issue.record("\(op.name)"); continue }
            #expect(found == op)
        }
        // The infix operators are not functions.
        for name in ["add", "sub", "mul", "div", "pow", "neg", "matmul"] { #expect(BuiltinFunctions[name] == nil, "\(name)") }
    }

    @Test func namesAreUniqueAndReserved() {
        #expect(Set(BuiltinFunctions.all.map(\.name)).count == BuiltinFunctions.all.count)
        for function in BuiltinFunctions.all {
            let error = InProcess.errors("\(function.name) = 1\nprint \(function.name)\n")
            #expect(error.first?.message == "'\(function.name)' is a built-in function and cannot be redefined", "\(error)")
        }
    }

    @Test func everyFunctionIsDocumentedInSPEC() throws {
        let spec = try String(contentsOf: PackagePaths.root.appendingPathComponent("SPEC.md"), encoding: .utf8)
        let section = try #require(spec.components(separatedBy: "### 2.2 Built-in functions").dropFirst().first?
            .components(separatedBy: "### 2.3").first)
        for function in BuiltinFunctions.all where function.form != .initializer {
            #expect(section.contains("`\(function.name)") || section.contains(" \(function.name) ") || section.contains(" \(function.name)`"),
                    "SPEC.md 2.2 does not mention '\(function.name)'")
        }
    }

    @Test(arguments: ["max", "min"])
    func maxAndMinAreReductionsOrElementwiseByTheirArguments(_ name: String) throws {
        let pick: (Double, Double) -> Double = name == "max" ? { Swift.max($0, $1) } : { Swift.min($0, $1) }
        #expect(try printed("print \(name)([4, 1, 7]), \(name)([[4, 1], [0, 7]], axis: 0), \(name)([4, 1], 2)")
                == [Tensor(pick(pick(4, 1), 7)), tensor([2], [pick(4, 0), pick(1, 7)]), tensor([2], [pick(4, 2), pick(1, 2)])])
        let error = try singleError("print \(name)()")
        #expect(error.message == "'\(name)' is called as \(name)(x), \(name)(x, axis: k), or \(name)(a, b), found 0 arguments")
    }
}
