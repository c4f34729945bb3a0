import Testing
@testable import SlopeCore
import SlopeTestSupport

@Test(arguments: GraphCase.all())
func everyCaseMeetsItsInlineExpectations(_ graphCase: GraphCase) {
    CaseRunner.verify(graphCase)
}

@Test func thereAreCasesToRun() {
    #expect(GraphCase.all().count >= 8)
}

// The runner itself must be able to fail: a wrong value, a missing error and an unexpected
// one are each reported.

@Test func theCaseRunnerReportsAWrongValue() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("wrong.graph", "print 1 + 1, [1, 2]   # expect: 3, [1, 2]\n")
    let problems = CaseRunner.problems(GraphCase(url: directory.url.appendingPathComponent("wrong.graph")))
    #expect(problems == ["line 1: expected 3, printed 2"])
    _ = path
}

@Test func theCaseRunnerReportsMissingAndUnexpectedErrors() throws {
    let directory = try TemporaryDirectory()
    try directory.write("errors.graph", "a = 1 + b    # error(9): undefined name 'c'\nd = e\n")
    let problems = CaseRunner.problems(GraphCase(url: directory.url.appendingPathComponent("errors.graph")))
    #expect(problems.contains("line 1:9: expected an error containing \"undefined name 'c'\""))
    #expect(problems.contains("unexpected error at 1:9: undefined name 'b'"))
    #expect(problems.contains("unexpected error at 2:5: undefined name 'e'"))
}

@Test func expectationsReadNestedTensorsAndSpecialValues() throws {
    let values = try ExpectedValue.parseList(" [[1, 2], [3, 4]], nan, -inf, [], 2.5e-1")
    #expect(values.map(\.shape) == [[2, 2], [], [], [0], []])
    #expect(values[0].values == [1, 2, 3, 4])
    #expect(values[2].values == [-.infinity])
    #expect(values[4].values == [0.25])
    #expect(throws: (any Error).self) { try ExpectedValue.parseList("[[1, 2], [3]]") }
    #expect(throws: (any Error).self) { try ExpectedValue.parseList("1 2") }
}

@Test func valuesMatchToOnePartInATrillion() {
    #expect(ExpectedValue.close(1, 1 + 1e-13))
    #expect(!ExpectedValue.close(1, 1 + 1e-11))
    #expect(ExpectedValue.close(.nan, .nan))
    #expect(!ExpectedValue.close(.infinity, -.infinity))
    #expect(!ExpectedValue.close(0, 1e-300))
}

@Test func theCaseRunnerChecksNotesAndWarnings() throws {
    let directory = try TemporaryDirectory()
    try directory.write("notes.graph", """
        param m = 1
        y = m**2     # error(6): '**' is not an operator # note: no such note
        minimize m^2 by gd(0.1, 1)   # warning(20): 'gd' takes settings by name
        """)
    let problems = CaseRunner.problems(GraphCase(url: directory.url.appendingPathComponent("notes.graph")))
    #expect(problems.contains("line 2:6: expected an error containing \"'**' is not an operator\" with a note containing \"no such note\""))
    // Line 3 is never lowered (the syntax error stops first), so its warning is missing too.
    #expect(problems.contains("line 3:20: expected a warning containing \"'gd' takes settings by name\""))
    #expect(problems.contains("unexpected error at 2:6: '**' is not an operator; Slope writes powers with '^', as in 'x^2'"))
}
