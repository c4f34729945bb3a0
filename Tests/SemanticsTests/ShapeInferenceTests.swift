import Testing
@testable import SlopeCore
import SlopeTestSupport

/// A shape as the language writes it: `[2, 3]`, `[]`.
private func written(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

@Test(arguments: [
    ([2, 3], [3], [2, 3]),           // a row added to every row
    ([3], [2, 3], [2, 3]),           // the same from the left
    ([2, 1], [1, 3], [2, 3]),        // a column and a row make a table
    ([1, 3], [2, 1], [2, 3]),
    ([2, 3], [2, 1], [2, 3]),        // a column added to every column
    ([2, 1], [2, 3], [2, 3]),
    ([], [2, 3], [2, 3]),            // a scalar goes everywhere
    ([2, 3], [], [2, 3]),
    ([4, 1, 3], [2, 1], [4, 2, 3]),  // ranks differ: align on the right
    ([2, 1], [4, 1, 3], [4, 2, 3]),
    ([3], [3], [3]),
    ([1], [5], [5]),
])
func shapesBroadcastLikeNumPy(lhs: [Int], rhs: [Int], expected: [Int]) throws {
    // Every element of a (filled with 1) plus b (filled with 2) is 3, in the broadcast shape.
    let source = "input a: \(written(lhs)) = 1\ninput b: \(written(rhs)) = 2\nz = a + b\nprint z"
    let (program, diagnostics) = InProcess.lower(source)
    #expect(diagnostics.isEmpty)
    let z = try #require(program?.names["z"])
    #expect(program?.graph[z].shape == Shape(expected))
    let values = try printed(source)
    #expect(values == [Tensor(filling: Shape(expected), with: 3)])
}

@Test(arguments: [
    ("+", "add"), ("-", "subtract"), ("*", "multiply"), ("/", "divide"), ("^", "raise"),
])
func aShapeErrorNamesBothShapesAndPointsAtTheOperator(op: String, verb: String) {
    // X @ W is [3, 2]; b is [4]: trailing dimensions 2 and 4 differ. (The parentheses keep
    // ^, which binds tighter than @, applying to the product.)
    expectDiagnostics("""
        input X: [3, 2] = 1
        param W: [2, 2] = 0
        param b: [4] = 0
        z = (X @ W) 1️⃣\(op) b
        """, .error("1️⃣", "cannot \(verb) shapes [3, 2] and [4]", id: "shape.broadcast-mismatch"))
}

@Test func aBadBiasPointsAtThePlusOfTheLayer() {
    expectDiagnostics("""
        input X: [3, 2] = 1
        param W: [2, 2] = 0
        param b: [4] = 0
        z = X @ W 1️⃣+ b
        """, .error("1️⃣", "cannot add shapes [3, 2] and [4]"))
}

@Test func broadcastErrorsExplainTheRule() throws {
    let error = try singleError("input a = [1, 2]\ninput b = [1, 2, 3]\nz = a + b")
    #expect(error.notes.map(\.message) == ["shapes broadcast when their trailing dimensions are equal or 1"])
}

@Test func theOperatorColumnIsFoundInNestedExpressions() {
    expectDiagnostics("""
        input a = [1, 2]
        input b = [1, 2, 3]
        z = sum(exp(a) * 2 - (b 2️⃣* [1, 1]))
        """,
        .error("2️⃣", "cannot multiply shapes [3] and [2]"))
}

@Test(arguments: [
    // [n, k] @ [k, m] = [n, m]; [n, k] @ [k] = [n]; [k] @ [k, m] = [m]; [k] @ [k] = [].
    ([2, 3], [3, 4], [2, 4]),
    ([2, 3], [3], [2]),
    ([3], [3, 4], [4]),
    ([3], [3], []),
    ([1, 1], [1, 1], [1, 1]),
])
func matmulShapesFollowTheVectorAndMatrixRules(lhs: [Int], rhs: [Int], expected: [Int]) throws {
    let source = "input a: \(written(lhs)) = 1\ninput b: \(written(rhs)) = 2\nz = a @ b\nprint z"
    let (program, diagnostics) = InProcess.lower(source)
    #expect(diagnostics.isEmpty)
    let z = try #require(program?.names["z"])
    #expect(program?.graph[z].shape == Shape(expected))
    // Each entry sums k products 1 · 2.
    let k = lhs.last!
    #expect(try printed(source) == [Tensor(filling: Shape(expected), with: Double(2 * k))])
}

@Test(arguments: [
    ([2, 3], [2, 3], "cannot multiply matrices of shapes [2, 3] and [2, 3]: inner dimensions 3 and 2 differ"),
    ([3], [2], "cannot multiply matrices of shapes [3] and [2]: inner dimensions 3 and 2 differ"),
    ([2, 3], [4], "cannot multiply matrices of shapes [2, 3] and [4]: inner dimensions 3 and 4 differ"),
    ([4], [3, 4], "cannot multiply matrices of shapes [4] and [3, 4]: inner dimensions 4 and 3 differ"),
])
func matmulMismatchesNameBothShapes(lhs: [Int], rhs: [Int], message: String) {
    expectDiagnostics("""
        input a: \(written(lhs)) = 1
        input b: \(written(rhs)) = 1
        z = a 1️⃣@ b
        """, .error("1️⃣", message, id: "shape.matmul-mismatch"))
}

@Test func matmulNeedsVectorsOrMatrices() {
    expectDiagnostics("""
        input v = [1, 2]
        z = 2 1️⃣@ v
        """, .error("1️⃣", "'@' multiplies vectors and matrices, not shapes [] and [2]; use '*' for a scalar factor"))
}

@Test func reductionsRemoveTheirAxis() throws {
    let source = """
        input X = [[1, 2, 3], [4, 5, 6]]
        print sum(X), sum(X, axis: 0), sum(X, axis: 1), mean(X, axis: -1), transpose(X)
        """
    // sum = 21; columns 5, 7, 9; rows 6, 15; row means 2, 5; transpose [[1, 4], [2, 5], [3, 6]].
    #expect(try printed(source) == [
        Tensor(21), tensor([3], [5, 7, 9]), tensor([2], [6, 15]), tensor([2], [2, 5]),
        tensor([3, 2], [1, 4, 2, 5, 3, 6]),
    ])
}

@Test func anAxisOutOfRangeNamesTheShape() {
    expectDiagnostics("""
        input X = [[1, 2, 3], [4, 5, 6]]
        y = 1️⃣sum(X, axis: 2)
        z = mean(X, axis: 2️⃣0.5)
        w = 3️⃣mean(X, axis: -3)
        """,
        .error("1️⃣", "axis 2 is out of range for shape [2, 3]"),
        .error("2️⃣", "'axis' must be a whole number, found 0.5"),
        // The axis as written: -3 (not -3 + rank = -1, which the message used to show).
        .error("3️⃣", "axis -3 is out of range for shape [2, 3]"))
}

@Test func aResultTooLargeToHoldIsDiagnosedAtItsOperator() {
    // [10^5, 1] + [1, 10^5] would be 10^10 elements (80 GB): the run used to abort on the
    // allocation. Four axes of 10^6 multiplied together would reach 10^24, past what Int can
    // count (a trap): the first product, 10^12 elements, is already refused.
    expectDiagnostics("""
        input a: [100000, 1] = 0
        input b: [1, 100000] = 0
        c = a 1️⃣+ b
        d = a 2️⃣@ b
        input p: [1000000, 1, 1, 1] = 0
        input q: [1, 1000000, 1, 1] = 0
        input r: [1, 1, 1000000, 1] = 0
        input s: [1, 1, 1, 1000000] = 0
        e = p 3️⃣* q * r * s
        """,
        .error("1️⃣", "'add' would make a tensor of shape [100000, 100000], 10000000000 elements; the limit is 2147483648",
               id: "shape.too-large"),
        .error("2️⃣", "'matmul' would make a tensor of shape [100000, 100000]"),
        .error("3️⃣", "'mul' would make a tensor of shape [1000000, 1000000, 1, 1]"))
}

@Test func aDeclaredShapeMustMatchTheInitialValue() {
    expectDiagnostics("""
        param W: [2, 3] = 1️⃣[1, 2]
        """, .error("1️⃣", "'W' is declared with shape [2, 3] but its initial value has shape [2]", id: "shape.declaration-mismatch"))
}

@Test func aNumberFillsTheDeclaredShape() throws {
    #expect(try printed("param W: [2, 2] = 0.5\nprint W") == [tensor([2, 2], [0.5, 0.5, 0.5, 0.5])])
}

@Test func tensorLiteralsMustBeRectangular() {
    expectDiagnostics("""
        input x = [[1, 2], 1️⃣[3]]
        param w = 1
        y = [[w, w], 2️⃣[w]]
        """,
        .error("1️⃣", "every element of a tensor must have the same shape: expected [2], found [1]", id: "shape.ragged-literal"),
        .error("2️⃣", "every element of a tensor must have the same shape: expected [2], found [1]"))
}

@Test func tensorLiteralsOfValuesStackThem() throws {
    // [[a, 2a], [3, a^2]] at a = 3 is [[3, 6], [3, 9]].
    #expect(try printed("param a = 3\nprint [[a, 2*a], [3, a^2]]") == [tensor([2, 2], [3, 6, 3, 9])])
}
