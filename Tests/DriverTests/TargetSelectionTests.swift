import Testing
@testable import SlopeCore

/// The program lowered from `source`.
func program(_ source: String) throws -> Program {
    let (ast, syntax) = Parser.parse(SourceFile(path: "test.graph", text: source))
    #expect(syntax.isEmpty)
    let (program, diagnostics, _) = Lowering.lower(ast)
    return try #require(program, "\(diagnostics.map(\.message))")
}

struct TargetSelectionTests {
    static let fit = """
    input x = [1, 2, 3]
    param k = 7
    param b = 0
    param m = 1
    cost = mean((m*x + b - 2)^2)
    other = m * 3
    minimize cost by gd(rate: 0.1, steps: 10)
    last = k + 1
    """

    @Test func defaultTargetIsTheLastTrainingTarget() throws {
        let program = try program(Self.fit)
        let target = try TargetSelection.select(of: nil, wrt: nil, in: program)
        #expect(target.name == "cost")
        #expect(target.node == program.names["cost"])
    }

    @Test func withoutTrainingTheDefaultTargetIsTheLastDefinedValue() throws {
        let program = try program("param a = 1\nb = a * 2\nc = b + a")
        #expect(TargetSelection.defaultTarget(in: program)?.name == "c")
    }

    @Test func defaultWrtIsEveryParamTheTargetReadsInDeclarationOrder() throws {
        let program = try program(Self.fit)
        let target = try TargetSelection.select(of: nil, wrt: nil, in: program)
        // k is declared first but cost does not read it; x is an input.
        #expect(target.wrt.map(\.name) == ["b", "m"])
    }

    @Test func inputMayBeNamedInWrt() throws {
        let target = try TargetSelection.select(of: "cost", wrt: ["x", "m"], in: program(Self.fit))
        #expect(target.wrt.map(\.name) == ["x", "m"])
        #expect(target.wrt.map(\.kind) == [.input, .param])
    }

    @Test func computedValueInWrtIsAUsageError() throws {
        let program = try program(Self.fit)
        #expect { try TargetSelection.select(of: nil, wrt: ["other"], in: program) } throws: { error in
            let failure = try #require(error as? Compilation.Failure)
            return failure.status == .usageError && failure.diagnostics.first?.id == "usage.wrt-not-leaf"
        }
    }

    @Test func unknownNamesAreUsageErrorsWithASuggestion() throws {
        let program = try program(Self.fit)
        #expect { try TargetSelection.select(of: "cots", wrt: nil, in: program) } throws: { error in
            let failure = try #require(error as? Compilation.Failure)
            return failure.status == .usageError
                && failure.diagnostics.first?.notes.first?.message == "did you mean 'cost'?"
        }
        #expect { try TargetSelection.select(of: nil, wrt: ["mm"], in: program) } throws: { error in
            (error as? Compilation.Failure)?.status == .usageError
        }
    }

    @Test func nonScalarTargetIsRefused() throws {
        let program = try program("param w: [2] = 1\ny = w * 2")
        #expect { try TargetSelection.select(of: nil, wrt: nil, in: program) } throws: { error in
            let failure = try #require(error as? Compilation.Failure)
            return failure.status == .programError && failure.diagnostics.first?.id == "target.non-scalar"
        }
        #expect { try TargetSelection.select(of: "y", wrt: nil, in: program) } throws: { error in
            (error as? Compilation.Failure)?.status == .usageError
        }
    }

    @Test func programThatDefinesNothingHasNoTarget() throws {
        let program = try program("print 1 + 2")
        #expect(TargetSelection.defaultTarget(in: program) == nil)
        #expect { try TargetSelection.select(of: nil, wrt: nil, in: program) } throws: { error in
            (error as? Compilation.Failure)?.diagnostics.first?.id == "target.none"
        }
    }
}
