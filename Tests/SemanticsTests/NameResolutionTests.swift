import Testing
@testable import SlopeCore
import SlopeTestSupport

@Test func anUndefinedNameSuggestsTheClosestDefinedOne() throws {
    expectDiagnostics("""
        param weight = 1
        y = 1️⃣wieght + 1
        """, .error("1️⃣", "undefined name 'wieght'", id: "semantic.undefined-name"))
    let error = try singleError("param weight = 1\ny = wieght + 1")
    #expect(error.notes.map(\.message) == ["did you mean 'weight'?"])
}

@Test func anUndefinedNameFarFromEveryNameSuggestsNothing() throws {
    let error = try singleError("param weight = 1\ny = zzz + 1")
    #expect(error.message == "undefined name 'zzz'")
    #expect(error.notes.isEmpty)
}

@Test func aUseBeforeTheDefinitionPointsAtTheUseWithANoteAtTheDefinition() throws {
    let source = MarkedSource("""
        y = 1️⃣x + 1
        2️⃣x = 2
        print y
        """)
    let errors = InProcess.errors(source.text)
    expectDiagnostics(errors, in: source, [.error("1️⃣", "'x' is used before it is defined", id: "semantic.use-before-definition")])
    let note = try #require(errors.first?.notes.first)
    #expect(note.message == "'x' is defined later, here; move the definition up")
    #expect(note.range.map { MarkedSource.Location(line: $0.line, column: $0.column) } == source["2️⃣"])
}

@Test func aRedefinitionPointsAtTheSecondDefinitionWithANoteAtTheFirst() throws {
    let source = MarkedSource("""
        1️⃣x = 1
        param 2️⃣x = 2
        """)
    let errors = InProcess.errors(source.text)
    expectDiagnostics(errors, in: source, [.error("2️⃣", "'x' is already defined; a program is a graph, so each name is defined once",
                                                  id: "semantic.redefinition")])
    let note = try #require(errors.first?.notes.first)
    #expect(note.range.map { MarkedSource.Location(line: $0.line, column: $0.column) } == source["1️⃣"])
}

@Test func aValueCannotBeUsedInItsOwnDefinition() {
    expectDiagnostics("x = 1️⃣x + 1", .error("1️⃣", "'x' is used in its own definition", id: "semantic.self-reference"))
    // With an earlier x, the same line is a redefinition instead.
    expectDiagnostics("x = 1\n1️⃣x = x + 1", .error("1️⃣", "'x' is already defined"))
}

@Test func aMisspelledFunctionSuggestsTheBuiltIn() throws {
    expectDiagnostics("y = 1️⃣sigmiod(2)", .error("1️⃣", "unknown function 'sigmiod'", id: "semantic.undefined-function"))
    let error = try singleError("y = sigmiod(2)")
    #expect(error.notes.map(\.message) == ["did you mean 'sigmoid'?"])
}

@Test func aMisspelledPreludeFunctionSuggestsIt() throws {
    let error = try singleError("y = mes(1, 2)")
    #expect(error.notes.map(\.message) == ["did you mean 'mse'?"])
}

@Test func functionsAndValuesAreNotInterchangeable() {
    expectDiagnostics("""
        x = 1
        y = 1️⃣x(2)
        z = 2️⃣exp + 1
        """,
        .error("1️⃣", "'x' is a value, not a function", id: "semantic.value-as-function"),
        .error("2️⃣", "'exp' is a function; call it, as in 'exp(…)'", id: "semantic.function-as-value"))
}

@Test func builtInFunctionsCannotBeRedefined() {
    expectDiagnostics("""
        1️⃣exp = 2
        fn 2️⃣sum(x) = x
        param 3️⃣csv = 1
        """,
        .error("1️⃣", "'exp' is a built-in function and cannot be redefined", id: "semantic.builtin-redefined"),
        .error("2️⃣", "'sum' is a built-in function"),
        .error("3️⃣", "'csv' is a built-in function"))
}

@Test func aFailedDefinitionIsNotReportedAgainAtItsUses() {
    // Only the first error: y and print use x, whose definition already failed.
    expectDiagnostics("""
        x = 1️⃣nothing + 1
        y = x * 2
        print x, y
        """, .error("1️⃣", "undefined name 'nothing'"))
}

@Test func callsCheckTheirArguments() {
    expectDiagnostics("""
        a = 1️⃣exp(1, 2)
        b = exp(2️⃣x: 1)
        c = 3️⃣transpose()
        d = sum([1, 2], 4️⃣axes: 0)
        """,
        .error("1️⃣", "'exp' takes 1 argument, found 2", id: "semantic.argument-count"),
        .error("2️⃣", "'exp' has no setting 'x'", id: "semantic.unexpected-label"),
        .error("3️⃣", "'transpose' takes 1 argument, found 0"),
        .error("4️⃣", "'sum' has no setting 'axes'"))
}

@Test func initializersOnlyGiveInitialValues() {
    expectDiagnostics("y = 1 + 1️⃣normal(0, 1)",
                      .error("1️⃣", "'normal(...)' can only give a param or input its initial value",
                             id: "semantic.initializer-outside-declaration"))
}

@Test func theSeedIsSetOnce() {
    expectDiagnostics("seed 1\n1️⃣seed 2\nprint 1", .error("1️⃣", "the seed is already set", id: "semantic.seed-repeated"))
    expectDiagnostics("seed 1️⃣1.5", .error("1️⃣", "the seed must be a whole number, found 1.5"))
}

@Test func gradNeedsANameAndAScalar() {
    expectDiagnostics("""
        param w = 1
        input v = [1, 2]
        a = grad(w^2, 1️⃣2)
        b = grad(2️⃣v * w, w)
        c = grad(w, 3️⃣nothing)
        """,
        .error("1️⃣", "the second argument of 'grad' must be a name", id: "semantic.grad-needs-name"),
        .error("2️⃣", "'grad' needs a scalar expression, found shape [2]", id: "semantic.grad-of-non-scalar"),
        .error("3️⃣", "undefined name 'nothing'"))
}

@Test func trainingTargetsMustBeScalarsThatDependOnAParam() {
    expectDiagnostics("""
        param w: [2] = 0
        input x = 3
        minimize 1️⃣w by gd(rate: 0.1, steps: 1)
        minimize 2️⃣x^2 by gd(rate: 0.1, steps: 1)
        """,
        .error("1️⃣", "'minimize' needs a scalar, found shape [2]", id: "semantic.non-scalar-target"),
        .error("2️⃣", "'minimize' has nothing to train: the target depends on no param", id: "semantic.nothing-to-train"))
}

@Test func namedValuesKeepTheirNamesInTheGraph() throws {
    let (program, diagnostics) = InProcess.lower("param m = 2\ninput x = 3\ny = m * x\nz = y\nprint z")
    #expect(diagnostics.isEmpty)
    let graph = try #require(program).graph
    let y = try #require(program?.names["y"])
    #expect(graph[y].name == "y")
    #expect(graph[y].op == .mul)
    // z = y names nothing new: z is the same node as y.
    #expect(program?.names["z"] == y)
    #expect(program?.definitions.map(\.name) == ["m", "x", "y", "z"])
}

@Test func aMisspelledFunctionIsReportedEvenWhenItsArgumentFailed() throws {
    // z's definition fails on a shape error; the call on the next line still names the typo.
    let (program, diagnostics) = InProcess.lower("""
        input X = [[1, 2], [3, 4]]
        param b: [3] = 0
        z = X + b
        print sigmiod(z)
        """)
    #expect(program == nil)
    let unknown = try #require(diagnostics.first { $0.id == "semantic.undefined-function" })
    #expect(unknown.message == "unknown function 'sigmiod'")
    #expect(unknown.notes.first?.message == "did you mean 'sigmoid'?")
    #expect(unknown.range?.line == 4 && unknown.range?.column == 7)
}

@Test func aOneLetterNameGetsNoWholeNameSuggestion() throws {
    // 'q' is one edit from 'b', but replacing every letter is no suggestion.
    let (_, diagnostics) = InProcess.lower("param b = 1\nprint q")
    let undefined = try #require(diagnostics.first { $0.id == "semantic.undefined-name" })
    #expect(undefined.notes.isEmpty)
}
