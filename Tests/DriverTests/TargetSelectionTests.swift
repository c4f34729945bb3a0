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

    /// The course defines the partial derivatives last: the target is f, not fy.
    static let partials = """
    param x = 1
    param y = 2
    f = 3*x^2*y^3
    fx = grad(f, x)
    fy = grad(f, y)
    """

    @Test func derivativesDefinedLastAreSkipped() throws {
        let program = try program(Self.partials)
        #expect(program.derivatives == ["fx", "fy"])
        let target = try TargetSelection.select(of: nil, wrt: nil, in: program)
        #expect(target.name == "f")
        #expect(target.choice == .lastBesidesDerivatives)
        #expect(target.wrt.map(\.name) == ["x", "y"])
        #expect(target.announcement == "differentiating f (the last value that is not a derivative; choose another with --of)")
    }

    @Test(arguments: [
        "fy = jvp(f, y, 1)",
        "fy = grad(grad(f, y), y)",
        "fy = (grad(f, y))",
        "fn slope_at(v) = grad(f, v)\nfy = slope_at(y)",
        "fx = grad(f, x)\nfy = fx",
    ])
    func everyFormOfADerivativeIsSkipped(_ definition: String) throws {
        let program = try program("param x = 1\nparam y = 2\nf = x*y^2\n" + definition)
        #expect(program.derivatives.contains("fy"))
        #expect(try TargetSelection.select(of: nil, wrt: nil, in: program).name == "f")
    }

    @Test func aValueThatOnlyContainsADerivativeIsNotOne() throws {
        // A gradient penalty is a loss, not a derivative.
        let program = try program("param w = 1\nloss = w^2\npenalized = loss + grad(loss, w)^2\n")
        #expect(program.derivatives.isEmpty)
        let target = try TargetSelection.select(of: nil, wrt: nil, in: program)
        #expect(target.name == "penalized" && target.choice == .lastValue)
        #expect(target.announcement == "differentiating penalized (the last value the program defines; choose another with --of)")
    }

    @Test func aProgramThatComputesOnlyDerivativesDifferentiatesTheLast() throws {
        // Nothing but x itself is left, and d x/dx = 1 is no answer: the last value, f' = 3x², is.
        let target = try TargetSelection.select(of: nil, wrt: nil, in: program("param x = 1\nslope = grad(x^3, x)\n"))
        #expect(target.name == "slope" && target.choice == .lastValue)
    }

    @Test func aTrainingTargetOrAnOfNameIsNeverSkipped() throws {
        let trained = try TargetSelection.select(of: nil, wrt: nil, in: program(Self.partials + "\nminimize f by gd(rate: 0.1, steps: 1)"))
        #expect(trained.name == "f" && trained.choice == .training(.minimize))
        #expect(trained.announcement == "differentiating f (the target of the last minimize statement; choose another with --of)")
        let named = try TargetSelection.select(of: "fy", wrt: nil, in: program(Self.partials))
        #expect(named.name == "fy" && named.choice == nil && named.announcement == nil)
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
