import Testing
@testable import SlopeCore
import SlopeTestSupport

private func table(_ source: String) throws -> ValueTable {
    let program = try #require(InProcess.lower(source).program)
    return ValueTable(program)
}

@Test func theValuesAreThoseAtTheInitialValues() throws {
    // f = x² + y² at (2, 3) is 13; grad(f, x) = 2x = 4.
    let values = try table("param x = 2\nparam y = 3\nf = x^2 + y^2\ng = grad(f, x)\nminimize f by gd(rate: 0.1, steps: 5)\n")
    #expect(values.value(of: "f") == Tensor(13))
    #expect(values.value(of: "g") == Tensor(4))
    #expect(values.trained == ["x", "y", "f", "g"])
}

@Test func anIntegralIsEvaluated() throws {
    // ∫₀² 3t² dt = 8.
    let values = try table("fn v(t) = 3*t^2\nd = integral(v, 0, 2)\n")
    let d = try #require(values.value(of: "d")?.scalarValue)
    #expect(abs(d - 8) < 1e-12)
}

@Test func aReductionCostsWhatItReadsAndAProductWhatItMultiplies() throws {
    let reduced = try #require(InProcess.lower("param W: [1000, 1000] = 1\ns = sum(W)\n").program)
    // The leaf's million elements, and the sum reading them.
    #expect(ValueTable.work(of: reduced.graph, reachable: reduced.graph.reachable(from: reduced.graph.ids)) == 2_000_000)
    let product = try #require(InProcess.lower("param A: [20, 30] = 1\nparam B: [30, 40] = 1\nC = A @ B\n").program)
    // 600 + 1200 elements of leaves, and 20·40 results of 30 multiply-adds each.
    #expect(ValueTable.work(of: product.graph, reachable: product.graph.reachable(from: product.graph.ids)) == 600 + 1200 + 800 * 30)
}

@Test func aProgramWithErrorsHasNoValues() {
    guard case .skipped(let reason) = ValueTable(nil).contents else {
        Issue.record("values for a program with errors")
        return
    }
    #expect(reason == "the program has errors")
}
