import Testing
import SlopeCore
import SlopeTestSupport

/// The labels of the completion items at (line, character) of `source`.
private func labels(_ source: String, line: Int, character: Int) throws -> [String] {
    let session = LspSession.around([LspSession.open(source), LspSession.request("completion", id: 2, line: line, character: character)])
    let items = try #require(session.response(2)?["result"]?["items"]?.array, "\(session.bodies)")
    return items.compactMap { $0["label"]?.string }
}

private let program = """
    param weight = 1
    fn twice(t) = 2 * t
    loss = (twice(weight) - 3)^2
    minimize loss by gd(rate: 0.1, steps: 10)

    """

@Test func completionOffersTheDocumentsNamesTheBuiltInsThePreludeAndTheKeywords() throws {
    let found = try labels(program + "print we", line: 4, character: 8)
    for expected in ["weight", "twice", "loss", "sigmoid", "mse", "grad", "param", "minimize"] {
        #expect(found.contains(expected), "\(expected) is missing from \(found)")
    }
    // A function's parameter is a name only inside its body.
    #expect(!found.contains("t"))
}

@Test func completionOffersEveryBuiltInFunction() throws {
    let found = Set(try labels(program, line: 4, character: 0))
    #expect(Set(BuiltinFunctions.names).subtracting(found).isEmpty)
    #expect(Prelude.functionNames.subtracting(found).isEmpty)
}

@Test func completionInsideAFunctionBodyOffersItsParameters() throws {
    #expect(try labels(program, line: 1, character: 18).contains("t"))
}

@Test func completionAfterByOffersTheTrainingMethods() throws {
    // Line 3: `minimize loss by ` is 17 characters.
    #expect(try labels(program, line: 3, character: 17) == ["gd", "sgd", "momentum", "adam", "newton"])
    // With the start of a method typed, the same list (the client filters it).
    #expect(try labels(program, line: 3, character: 18) == ["gd", "sgd", "momentum", "adam", "newton"])
}

@Test func completionInsideAMethodsParenthesesOffersItsSettingsFirst() throws {
    // Line 3: `minimize loss by gd(` is 20 characters.
    let found = try labels(program, line: 3, character: 20)
    #expect(Array(found.prefix(3)) == ["rate", "steps", "tolerance"], "\(found)")
}

@Test func completionInsideAReductionOffersItsAxisLabel() throws {
    #expect(try labels("x = [[1, 2]]\ns = sum(x, ", line: 1, character: 11).first == "axis")
}
