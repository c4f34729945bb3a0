import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

// MARK: csv(...)

/// A folder holding `data.csv` with the given text, and lowering options that read from it.
private func folder(csv: String) throws -> (TemporaryDirectory, LoweringOptions) {
    let directory = try TemporaryDirectory()
    try directory.write("data.csv", csv)
    return (directory, LoweringOptions(baseDirectory: directory.url.path))
}

private let houses = """
    size,age,price
    1.5,10,200
    2,5,310.5
    3,1,450
    """

@Test func csvReadsOneColumnAsAVectorAndSeveralAsAMatrix() throws {
    let (directory, options) = try folder(csv: houses)
    let values = try printed("""
        input price = csv("data.csv", "price")
        input X = csv("data.csv", "size", "age")
        input all = csv("data.csv")
        print price, X, all
        """, options: options)
    #expect(values == [
        tensor([3], [200, 310.5, 450]),
        tensor([3, 2], [1.5, 10, 2, 5, 3, 1]),
        tensor([3, 3], [1.5, 10, 200, 2, 5, 310.5, 3, 1, 450]),
    ])
    _ = directory
}

@Test func csvPathsAreRelativeToTheGraphFile() throws {
    let directory = try TemporaryDirectory()
    try directory.write("sub/data.csv", "a\n4\n")
    let graph = try directory.write("sub/p.graph", "input a = csv(\"data.csv\", \"a\")\nprint sum(a)\n")
    let result = InProcess.run(["run", graph])
    #expect(result.status == .success)
    #expect(result.out == "sum(a) = 4\n")
}

@Test func aMissingCSVFileIsDiagnosedAtItsPath() throws {
    let (directory, options) = try folder(csv: houses)
    let source = MarkedSource("input x = csv(1️⃣\"nope.csv\", \"a\")")
    let errors = InProcess.errors(source.text, options: options)
    expectDiagnostics(errors, in: source, [.error("1️⃣", "cannot read CSV file 'nope.csv': it does not exist", id: "input.csv-unreadable")])
    #expect(errors.first?.notes.map(\.message) == ["paths are relative to the folder of the .graph file"])
    _ = directory
}

@Test func unknownColumnListsAvailableOnes() throws {
    let (directory, options) = try folder(csv: houses)
    let source = MarkedSource("input y = csv(\"data.csv\", 1️⃣\"prise\")")
    let errors = InProcess.errors(source.text, options: options)
    expectDiagnostics(errors, in: source, [.error("1️⃣", "data.csv has no column 'prise'; its columns are size, age, price",
                                                  id: "input.csv-unknown-column")])
    #expect(errors.first?.notes.map(\.message) == ["did you mean 'price'?"])
    _ = directory
}

@Test func aNonNumericCellIsReportedWithItsRowAndColumn() throws {
    // File line 3 is the second data row; its 'age' cell is "five".
    let (directory, options) = try folder(csv: "size,age\n1,2\n3,five\n4,6\n")
    expectDiagnostics("input X = 1️⃣csv(\"data.csv\", \"size\", \"age\")",
                      .error("1️⃣", "data.csv: line 3, column 'age': 'five' is not a number", id: "input.csv-not-a-number"),
                      options: options)
    _ = directory
}

@Test func aBadCellInAColumnNobodyReadsIsHarmless() throws {
    let (directory, options) = try folder(csv: "name,x\nann,1\nbob,2\n")
    #expect(try printed("input x = csv(\"data.csv\", \"x\")\nprint x", options: options) == [tensor([2], [1, 2])])
    _ = directory
}

@Test func aFileIsReadAndParsedOnceHoweverManyCallsNameIt() throws {
    // The second load finds the table of the first, though the file is gone by then.
    let (directory, _) = try folder(csv: houses)
    var values = InitialValues(seed: 0, baseDirectory: directory.url.path)
    let call = SourceRange(file: SourceFile(path: "test.graph", text: "csv(\"data.csv\")"), start: 4, end: 14)
    let first = values.load("data.csv", at: call)
    try FileManager.default.removeItem(at: directory.url.appendingPathComponent("data.csv"))
    let second = values.load("data.csv", at: call)
    #expect(first?.table.rowCount == 3 && second?.table.rowCount == 3)
    #expect(second?.table.columns == first?.table.columns)
    #expect(values.diagnostics.isEmpty)
}

@Test func anEmptyCellIsNamedAsSuch() throws {
    let (directory, options) = try folder(csv: "a,b\n1,\n")
    let error = try singleError("input b = csv(\"data.csv\", \"b\")", options: options)
    #expect(error.message == "data.csv: line 2, column 'b': an empty cell is not a number")
    _ = directory
}

@Test func raggedRowsAreReportedWithTheirLine() throws {
    let (directory, options) = try folder(csv: "a,b,c\n1,2,3\n4,5\n")
    expectDiagnostics("input x = csv(1️⃣\"data.csv\")",
                      .error("1️⃣", "data.csv: line 3 has 2 fields but the header has 3", id: "input.csv-ragged"),
                      options: options)
    _ = directory
}

@Test(arguments: [
    ("", "data.csv is empty; a CSV file needs a header row of column names"),
    ("a,b\n", "data.csv has a header but no rows"),
    ("a\n\"1\n", "data.csv: the quoted field starting on line 2 never ends"),
])
func emptyAndBrokenFilesAreDiagnosed(text: String, message: String) throws {
    let (directory, options) = try folder(csv: text)
    let error = try singleError("input x = csv(\"data.csv\")", options: options)
    #expect(error.message == message)
    _ = directory
}

@Test func quotedFieldsBlankLinesAndCRLFAreRead() throws {
    let (directory, options) = try folder(csv: "\"x\",\"y, with comma\"\r\n\r\n\"1.5\",2\r\n3,\"-4e1\"\r\n")
    #expect(try printed("input y = csv(\"data.csv\", \"y, with comma\")\nprint y", options: options) == [tensor([2], [2, -40])])
    _ = directory
}

@Test func csvArgumentsMustBeStrings() {
    expectDiagnostics("input x = csv(\"data.csv\", 1️⃣3)",
                      .error("1️⃣", "'csv' takes a file name and column names, all in quotes", id: "input.initializer-arguments"))
}

// MARK: --set

/// Runs `program` from a temporary file with extra command-line arguments.
private func run(_ program: String, _ arguments: [String]) throws -> CommandResult {
    let directory = try TemporaryDirectory()
    let path = try directory.write("p.graph", program)
    return InProcess.run(["run", path] + arguments)
}

@Test func setWithANumberFillsADeclaredShape() throws {
    let result = try run("param W: [2, 2] = 0\nprint W\n", ["--set", "W=3"])
    #expect(result.status == .success)
    #expect(result.out == "W = [[3, 3], [3, 3]]\n")
}

@Test func setWithATensorReplacesTheValueAndItsShape() throws {
    // x becomes [4, 5, 6]: sum = 15.
    let result = try run("input x = [1, 2]\nprint sum(x)\n", ["--set", "x=[4, 5, 6]"])
    #expect(result.status == .success, "\(result)")
    #expect(result.out == "sum(x) = 15\n")
}

@Test func setValuesMayBeNegativeOrComputedFromNumbers() throws {
    let result = try run("param a = 0\nparam b = 0\nprint a, b\n", ["--set", "a=-2", "--set=b=1/4"])
    #expect(result.out == "a = -2\nb = 0.25\n")
}

@Test func setOfAnUnknownNameIsAUsageError() throws {
    let result = try run("param rate = 1\nprint rate\n", ["--set", "rte=2"])
    #expect(result.status == .usageError)
    #expect(result.err.hasPrefix("slope: error: --set names 'rte', which is not a param or input of the program; they are rate\n"))
    #expect(result.err.contains("note: did you mean 'rate'?"))
    #expect(result.out.isEmpty)
}

@Test(arguments: ["x=abc", "x=1 2", "x=[1, [2]]", "x"])
func setValuesThatAreNotNumbersAreUsageErrors(argument: String) throws {
    let result = try run("input x = 1\nprint x\n", ["--set", argument])
    #expect(result.status == .usageError, "\(result)")
    #expect(result.err.contains("error"))
}

@Test func setOfTheWrongShapeForADeclaredShapeIsOneUsageErrorNamingBothShapes() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("p.graph", "param W: [2, 2] = 0\nprint W\n")
    let result = InProcess.run(["run", path, "--set", "W=[1, 2, 3]"])
    #expect(result.status == .usageError)
    #expect(result.out.isEmpty)
    // One error, on the command line (no caret in the file), then where the declaration is;
    // no false "which is not a param" after it.
    #expect(result.err == """
        slope: error: --set gives 'W' a value of shape [3], but 'W' is declared with shape [2, 2]
        \(path):1:10: note: 'W' is declared here; give --set a number (which fills the shape) or a tensor of shape [2, 2]
        param W: [2, 2] = 0
                 ^~~~~~

        """)
}

// MARK: seed, normal(), uniform()

@Test func normalDrawsFollowTheDocumentedGenerator() throws {
    // Random(seed: 42): the first three normal(0, 1) draws, in declaration order and row-major.
    var random = Random(seed: 42)
    let expected = (0..<3).map { _ in random.normal(0, 1) }
    #expect(try printed("seed 42\nparam w: [3] = normal(0, 1)\nprint w") == [tensor([3], expected)])
    // And the draws are the pinned ones (see RandomTests), to the last bits that libm allows.
    let pinned = [-0.303263064678738, 1.3438117634372806, 0.3834617912676943]
    for (value, pin) in zip(expected, pinned) { #expect(Swift.abs(value - pin) <= 4e-16 * Swift.abs(pin)) }
}

@Test func uniformDrawsScaleToTheirInterval() throws {
    // uniform(2, 4) = 2 + 2u with u the generator's uniforms for seed 42 (pinned in RandomTests):
    // u = 0.08386297105988216, 0.3789802506626686 -> 2.1677259421197643, 2.7579605013253374.
    let values = try printed("seed 42\nparam w: [2] = uniform(2, 4)\nprint w")
    #expect(values == [tensor([2], [2.1677259421197643, 2.7579605013253374])])
}

@Test func drawsContinueAcrossDeclarations() throws {
    // a takes the first draw and b the second, exactly as one [2] tensor would.
    let split = try printed("seed 42\nparam a = uniform(0, 1)\nparam b = uniform(0, 1)\nprint a, b")
    let joined = try printed("seed 42\nparam w: [2] = uniform(0, 1)\nprint w")
    #expect(split.flatMap(\.values) == joined.flatMap(\.values))
}

@Test func theSeedOptionOverridesTheProgramsSeed() throws {
    let program = "seed 1\nparam w = uniform(0, 1)\nprint w\n"
    let overridden = try run(program, ["--seed", "42"])
    // The first uniform for seed 42 is 0.08386297105988216.
    #expect(overridden.out == "w = 0.08386297105988216\n")
    let own = try run(program, [])
    #expect(own.out != overridden.out)
}

@Test func withoutASeedTheSeedIsZero() throws {
    var random = Random(seed: 0)
    #expect(try printed("param w = uniform(0, 1)\nprint w") == [Tensor(random.nextUniform())])
}

@Test func initializersCheckTheirArguments() {
    expectDiagnostics("""
        param a = 1️⃣normal(0)
        param b = uniform(0, 2️⃣b)
        input c = [1, 2] + 3️⃣x
        """,
        .error("1️⃣", "'normal' takes two numbers: normal(mean, std)", id: "input.initializer-arguments"),
        .error("2️⃣", "the second argument of 'uniform' must be a number"),
        .error("3️⃣", "an initial value must be a number, a tensor literal", id: "input.not-an-initializer"))
}
