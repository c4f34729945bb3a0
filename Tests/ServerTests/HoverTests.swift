import Testing
import SlopeCore
import SlopeTestSupport

/// The Markdown of a hover at (line, character) of `source`, from a whole session.
private func hover(_ source: String, line: Int, character: Int) throws -> String {
    let session = LspSession.around([LspSession.open(source), LspSession.request("hover", id: 2, line: line, character: character)])
    return try #require(session.response(2)?["result"]?["contents"]?["value"]?.string, "\(session.bodies)")
}

private let neuron = """
    param w: [2] = 0.5
    input x = [1, 2]
    z = w @ x + 0.25
    print z

    """

@Test func hoverOnAParamShowsItsKindShapeAndValue() throws {
    let text = try hover(neuron, line: 2, character: 4)
    #expect(text.hasPrefix("```graph\n(param) w: [2]\n```"), "\(text)")
    #expect(text.contains("value: `[0.5, 0.5]`"), "\(text)")
}

@Test func hoverOnAValueShowsItsComputedValue() throws {
    // z = w·x + 0.25 = 0.5·1 + 0.5·2 + 0.25 = 1.75.
    let text = try hover(neuron, line: 3, character: 6)
    #expect(text.hasPrefix("```graph\n(value) z: scalar\n```"), "\(text)")
    #expect(text.contains("value: `1.75`"), "\(text)")
}

@Test func hoverOnAnInputNamesItAsAnInput() throws {
    let text = try hover(neuron, line: 1, character: 6)
    #expect(text.hasPrefix("```graph\n(input) x: [2]\n```"), "\(text)")
}

@Test func hoverOnATrainedNameSaysTheValueIsTheOneBeforeTraining() throws {
    let source = neuron + "minimize (z - 3)^2 by gd(rate: 0.1, steps: 10)\n"
    #expect(try hover(source, line: 0, character: 6).contains("value before training: `[0.5, 0.5]`"))
    // The input does not change with training.
    #expect(try hover(source, line: 1, character: 6).contains("value: `[1, 2]`"))
}

@Test func hoverWithAnErrorElsewhereShowsTheShapeButNoValue() throws {
    let text = try hover("param w: [2] = 0.5\nbad = w @ [1, 2, 3]\n", line: 0, character: 6)
    #expect(text.hasPrefix("```graph\n(param) w: [2]\n```"), "\(text)")
    #expect(text.contains("value not shown: the program has errors"), "\(text)")
}

@Test func hoverOnALargeTensorSummarisesIt() throws {
    // 100 values 0, 1, …, 99 (cumsum of ones, minus one): from 0 to 99, mean 49.5.
    let text = try hover("v = cumsum(linspace(1, 1, 100)) - 1\n", line: 0, character: 0)
    #expect(text.contains("value: 100 values from `0` to `99`, mean `49.5`"), "\(text)")
}

@Test func hoverSkipsValuesWhoseEvaluationWouldBeLong() throws {
    // A 2000 × 2000 product costs 8·10⁹ multiply-adds, more than hover spends.
    let text = try hover("param W: [2000, 2000] = 1\nP = W @ W\n", line: 1, character: 0)
    #expect(text.hasPrefix("```graph\n(value) P: [2000, 2000]\n```"), "\(text)")
    #expect(text.contains("value not shown: evaluating the program would take about"), "\(text)")
}

@Test func hoverOnAFunctionShowsItsParametersAndTheCommentAboveIt() throws {
    let source = "# Twice its argument.\nfn double(t) = 2 * t\nprint double(3)\n"
    let text = try hover(source, line: 2, character: 7)
    #expect(text == "```graph\n(fn) double(t)\n```\n\nTwice its argument.", "\(text)")
}

@Test func hoverOnAFunctionParameterNamesItsFunction() throws {
    let text = try hover("fn double(t) = 2 * t\n", line: 0, character: 19)
    #expect(text == "```graph\n(parameter of double) t\n```", "\(text)")
}

@Test func hoverOnAPreludeFunctionShowsItsDefinitionAndComment() throws {
    let text = try hover("e = mse([1, 2], [1, 3])\n", line: 0, character: 5)
    #expect(text.hasPrefix("```graph\n(prelude fn) fn mse(pred, y) = mean((pred - y)^2)\n```"), "\(text)")
    #expect(text.contains("Mean squared error"), "\(text)")
}

@Test func hoverOnABuiltInShowsTheWaysToCallIt() throws {
    let text = try hover("m = max([1, 2])\n", line: 0, character: 5)
    #expect(text == "```graph\n(built-in) max(x)\nmax(x, axis: k)\nmax(a, b)\n```", "\(text)")
}

@Test func hoverAtTheEndOfANameFindsTheName() throws {
    // The cursor just after `z` in `print z`.
    #expect(try hover(neuron, line: 3, character: 7).hasPrefix("```graph\n(value) z"))
}

@Test func hoverOnNothingIsNull() throws {
    let session = LspSession.around([LspSession.open(neuron), LspSession.request("hover", id: 2, line: 2, character: 10)])
    #expect(session.response(2)?["result"]?.isNull == true)
}
