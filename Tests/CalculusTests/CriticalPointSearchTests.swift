import Foundation
import Testing
@testable import SlopeCore

/// The box search against critical points found by hand: each point, its value, its kind and
/// its Hessian's eigenvalues, and nothing else.
@Suite struct CriticalPointSearchTests {
    static func search(_ source: String, of target: String, _ box: [(String, Double, Double)]) throws -> CriticalPointSearch.Result {
        let f = try evaluator(source, of: target, wrt: box.map(\.0))
        return CriticalPointSearch(box: box.map { ($0.1, $0.2) }).run(f)
    }

    @Test(arguments: [(1, 100), (2, 44), (3, 12), (4, 6), (5, 4), (6, 3), (10, 2), (11, 1), (16, 1)])
    func theGridHasAtMostTwoThousandStarts(_ dimension: Int, _ perAxis: Int) {
        // 44² = 1936 ≤ 2000 < 45², 12³ = 1728 ≤ 2000 < 13³, 3⁶ = 729 < 4⁶, 2¹⁰ = 1024 < 2¹¹ = 2048.
        #expect(CriticalPointSearch.startsPerAxis(dimension: dimension) == perAxis)
    }

    @Test func theSaunaHasAMinimumAtFourFourAndASaddleAtSixSix() throws {
        // T = 85 − u(x)u(y)/90 with u = x²(x − 6), u′ = 3x² − 12x = 3x(x − 4), u″ = 6x − 12.
        // T_x = −u′(x)u(y)/90 = 0 and T_y = −u(x)u′(y)/90 = 0: u′(x) = 0 (x = 0, 4) or u(y) = 0
        // (y = 0, 6), and u(x) = 0 (x = 0, 6) or u′(y) = 0 (y = 0, 4). In [1, 7]² that leaves
        // (4, 4) (u′ = 0 twice) and (6, 6) (u = 0 twice); the rest lie on the lines x = 0, y = 0.
        // At (4, 4): u = −32, u′ = 0, u″ = 12, so T_xx = T_yy = −12·(−32)/90 = 64/15, T_xy = 0:
        //   eigenvalues 64/15, 64/15, a minimum, T = 85 − 1024/90.
        // At (6, 6): u = 0, u′ = 36, so T_xx = T_yy = 0, T_xy = −36·36/90 = −14.4:
        //   eigenvalues ±14.4, a saddle, T = 85.
        let result = try Self.search(sauna, of: "T", [("x", 1, 7), ("y", 1, 7)])
        try #require(result.points.count == 2, "\(result.points.map(\.point))")
        let (minimum, saddle) = (result.points[0], result.points[1])
        #expect(minimum.kind == .minimum && saddle.kind == .saddle)
        #expect(minimum.point.allSatisfy { Swift.abs($0 - 4) < 1e-12 }, "\(minimum.point)")
        #expect(saddle.point.allSatisfy { Swift.abs($0 - 6) < 1e-12 }, "\(saddle.point)")
        #expect(Swift.abs(minimum.value - (85 - 1024.0 / 90)) < 1e-12)
        #expect(Swift.abs(saddle.value - 85) < 1e-12)
        #expect(minimum.eigenvalues.allSatisfy { Swift.abs($0 - 64.0 / 15) < 1e-12 }, "\(minimum.eigenvalues)")
        #expect(Swift.abs(saddle.eigenvalues[0] + 14.4) < 1e-12 && Swift.abs(saddle.eigenvalues[1] - 14.4) < 1e-12,
                "\(saddle.eigenvalues)")
    }

    @Test func aCubicInOneVariableHasAMaximumAndAMinimum() throws {
        // f = x³ − 3x: f′ = 3x² − 3 = 0 at x = ±1; f″ = 6x: −6 at −1 (a maximum, f = 2),
        // 6 at 1 (a minimum, f = −2). Sorted by value, the minimum comes first.
        let result = try Self.search("param x = 0\nf = x^3 - 3*x\n", of: "f", [("x", -2, 2)])
        try #require(result.points.count == 2, "\(result.points.map(\.point))")
        let (minimum, maximum) = (result.points[0], result.points[1])
        #expect(minimum.kind == .minimum && Swift.abs(minimum.point[0] - 1) < 1e-14 && Swift.abs(minimum.value + 2) < 1e-14)
        #expect(maximum.kind == .maximum && Swift.abs(maximum.point[0] + 1) < 1e-14 && Swift.abs(maximum.value - 2) < 1e-14)
        #expect(Swift.abs(minimum.eigenvalues[0] - 6) < 1e-13 && Swift.abs(maximum.eigenvalues[0] + 6) < 1e-13)
    }

    @Test func theSearchDoesNotDependOnTheUnits() throws {
        // The same cubic in thousandths: f = (x/1000)³ − 3(x/1000) has its critical points at
        // x = ±1000, with f″ = ±6/10⁶.
        let result = try Self.search("param x = 0\nf = (x/1000)^3 - 3*(x/1000)\n", of: "f", [("x", -2000, 2000)])
        try #require(result.points.count == 2, "\(result.points.map(\.point))")
        #expect(result.points.map(\.kind) == [.minimum, .maximum])
        #expect(Swift.abs(result.points[0].point[0] - 1000) < 1e-9 && Swift.abs(result.points[1].point[0] + 1000) < 1e-9)
    }

    @Test(arguments: ["x^4", "-x^4", "x^3"])
    func aFlatCriticalPointIsDegenerateAndReportedOnce(_ body: String) throws {
        // x⁴, −x⁴ and x³ all have f′(0) = f″(0) = 0: the second-derivative test has no verdict.
        // Newton's method approaches such a point only linearly (x ← 2x/3 for x⁴), from both sides.
        let result = try Self.search("param x = 1\nf = \(body)\n", of: "f", [("x", -1, 1)])
        try #require(result.points.count == 1, "\(result.points.map(\.point))")
        let point = result.points[0]
        #expect(point.kind == .degenerate)
        #expect(Swift.abs(point.point[0]) < 1e-6, "\(point.point)")
        #expect(Swift.abs(point.eigenvalues[0]) < 1e-10, "\(point.eigenvalues)")
    }

    @Test func sinTimesSinHasTwoMaximaTwoMinimaAndASaddle() throws {
        // f = sin x · sin y: f_x = cos x sin y, f_y = sin x cos y. In [0.5, 5.5]² (π/2 ≈ 1.57,
        // π ≈ 3.14, 3π/2 ≈ 4.71) both vanish at (π/2, π/2) and (3π/2, 3π/2), where f = 1 and
        // f_xx = f_yy = −sin x sin y = −1, f_xy = cos x cos y = 0 (maxima); at (π/2, 3π/2) and
        // (3π/2, π/2), f = −1 and the Hessian is the identity (minima); and at (π, π), f = 0,
        // f_xx = f_yy = 0, f_xy = cos²π = 1: eigenvalues ±1, a saddle.
        let result = try Self.search("param x = 0\nparam y = 0\nf = sin(x)*sin(y)\n", of: "f", [("x", 0.5, 5.5), ("y", 0.5, 5.5)])
        let h = Double.pi / 2
        let expected: [([Double], Double, CriticalPoint.Kind, [Double])] = [
            ([h, 3 * h], -1, .minimum, [1, 1]), ([3 * h, h], -1, .minimum, [1, 1]),
            ([2 * h, 2 * h], 0, .saddle, [-1, 1]),
            ([h, h], 1, .maximum, [-1, -1]), ([3 * h, 3 * h], 1, .maximum, [-1, -1]),
        ]
        try #require(result.points.count == expected.count, "\(result.points.map(\.point))")
        for (point, (at, value, kind, eigenvalues)) in zip(result.points, expected) {
            #expect(zip(point.point, at).allSatisfy { Swift.abs($0 - $1) < 1e-12 }, "\(point.point) vs \(at)")
            #expect(Swift.abs(point.value - value) < 1e-12 && point.kind == kind)
            #expect(zip(point.eigenvalues, eigenvalues).allSatisfy { Swift.abs($0 - $1) < 1e-12 }, "\(point.eigenvalues)")
        }
    }

    @Test func aWildCornerDoesNotMakeAnHonestMinimumDegenerate() throws {
        // f = sin(1/x): f′ = −cos(1/x)/x², f″ = −sin(1/x)/x⁴ + 2cos(1/x)/x³. At x = −2/π,
        // 1/x = −π/2: sin = −1 and cos = 0, so f′ = 0, f = −1 and f″ = (π/2)⁴ ≈ 6.09, a minimum,
        // though near 0 in the same box f″ runs to 10⁸ and beyond.
        let result = try Self.search("param x = 0.5\nf = sin(1/x)\n", of: "f", [("x", -1, 1)])
        let point = try #require(result.points.first { Swift.abs($0.point[0] + 2 / Double.pi) < 1e-9 },
                                 "\(result.points.map(\.point))")
        #expect(point.kind == .minimum && Swift.abs(point.value + 1) < 1e-14)
        #expect(Swift.abs(point.eigenvalues[0] - pow(Double.pi / 2, 4)) < 1e-9, "\(point.eigenvalues)")
    }

    @Test func noCriticalPointInTheBoxIsAnEmptyResult() throws {
        // x³ − 3x is increasing on [3, 4] (f′ = 3x² − 3 ≥ 24).
        let result = try Self.search("param x = 0\nf = x^3 - 3*x\n", of: "f", [("x", 3, 4)])
        #expect(result.points.isEmpty && !result.isConstant)
    }

    @Test func aConstantTargetReportsNoPoints() throws {
        let result = try Self.search("param x = 0\nf = 0*x + 2\n", of: "f", [("x", 3, 4)])
        #expect(result.points.isEmpty && result.isConstant)
    }

    @Test func everyStartTakesAtMostTheStepLimit() throws {
        // Six variables, 3⁶ = 729 starts, each evaluated at most 1 + 50 times, whatever f is.
        var source = (1...6).map { "param x\($0) = 0" }.joined(separator: "\n")
        source += "\nf = " + (1...6).map { "sin(x\($0))*x\($0 % 6 + 1)^2" }.joined(separator: " + ") + "\n"
        let box = (1...6).map { ("x\($0)", -3.0, 3.0) }
        let result = try Self.search(source, of: "f", box)
        #expect(result.starts == 729)
        #expect(result.evaluations <= 729 * (CriticalPointSearch.maximumSteps + 1))
    }

    @Test func kindsFollowTheSignsOfTheEigenvalues() {
        typealias Kind = CriticalPoint.Kind
        #expect(Kind.classify([1, 2], tolerance: 1e-6) == .minimum)
        #expect(Kind.classify([-2, -1], tolerance: 1e-6) == .maximum)
        #expect(Kind.classify([-1, 2], tolerance: 1e-6) == .saddle)
        #expect(Kind.classify([1e-9, 2], tolerance: 1e-6) == .degenerate)
        #expect(Kind.classify([-5, 0], tolerance: 1e-6) == .degenerate)
    }
}
