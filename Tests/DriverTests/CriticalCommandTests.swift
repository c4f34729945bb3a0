import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `slope critical`: the sauna's two critical points and the course's second-derivative test
/// in the table, the JSON form, one variable, a box without critical points, every bad `--in`
/// and the time bound.
@Suite struct CriticalCommandTests {
    static let sauna = PackagePaths.graphs.appendingPathComponent("sauna.graph").path

    @Test func theSaunaHasExactlyAMinimumAndASaddleInItsRoom() {
        // T = 85 − u(x)u(y)/90, u = x²(x − 6): in [1, 7]² only (4, 4) and (6, 6) are critical
        // (worked in CriticalPointSearchTests). At (4, 4) T = 85 − 1024/90 = 73.6222…,
        // T_xx = T_yy = 64/15 = 4.2666…, T_xy = 0, D = (64/15)² = 4096/225 = 18.2044…: a minimum.
        // At (6, 6) T = 85, T_xx = T_yy = 0, T_xy = −14.4, D = −207.36: a saddle.
        let result = InProcess.run(["critical", Self.sauna, "--in", "x=1:7,y=1:7"])
        #expect(result.status == .success, "\(result)")
        #expect(result.err == "slope: differentiating T (the target of the last minimize statement; choose another with --of)\n",
                "the one line naming the target chosen by default, as grad prints it")
        let named = InProcess.run(["critical", Self.sauna, "--of", "T", "--in", "x=1:7,y=1:7"])
        #expect(named.err.isEmpty && named.out == result.out, "\(named)")
        let path = Self.sauna
        #expect(result.out == """
            critical points of T for x in [1, 7], y in [1, 7], by Newton's method from 44 × 44 starts:

            x  y  T            kind     eigenvalues               Txx          Tyy          Txy    D
            4  4  73.62222222  minimum  4.266666667, 4.266666667  4.266666667  4.266666667  0      18.20444444
            6  6  85           saddle   -14.4, 14.4               0            0            -14.4  -207.36

            second-derivative test: D = Txx·Tyy − Txy²; D > 0 and Txx > 0: a minimum, D > 0 and Txx < 0: a maximum,
            D < 0: a saddle, D = 0: no verdict

            """, "\(path)")
    }

    @Test func theSaunasCriticalPointsAsJSON() throws {
        let result = InProcess.run(["critical", Self.sauna, "--in", "x=1:7,y=1:7", "--json"])
        #expect(result.status == .success, "\(result)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(object["of"] as? String == "T")
        let points = try #require(object["points"] as? [[String: Any]])
        try #require(points.count == 2, "\(result.out)")
        let expected: [(Double, Double, String, [Double])] = [
            (4, 85 - 1024.0 / 90, "minimum", [64.0 / 15, 64.0 / 15]), (6, 85, "saddle", [-14.4, 14.4]),
        ]
        for (point, (at, value, kind, eigenvalues)) in zip(points, expected) {
            let coordinates = try #require(point["at"] as? [String: Double])
            #expect(coordinates.keys.sorted() == ["x", "y"])
            #expect(coordinates.values.allSatisfy { Swift.abs($0 - at) < 1e-12 }, "\(coordinates)")
            #expect(Swift.abs(try #require(point["value"] as? Double) - value) < 1e-12)
            #expect(point["kind"] as? String == kind)
            let lambdas = try #require(point["eigenvalues"] as? [Double])
            #expect(zip(lambdas, eigenvalues).allSatisfy { Swift.abs($0 - $1) < 1e-12 }, "\(lambdas)")
        }
        // Keys in the contract's order, coordinates in the variables' order.
        #expect(result.out.hasPrefix(#"{"of": "T", "points": [{"at": {"x": "#), "\(result.out)")
        #expect(result.out.contains(#", "kind": "minimum", "eigenvalues": ["#))
    }

    @Test func aCubicInOneVariableShowsTheSecondDerivative() throws {
        // f = x³ − 3x: f′ = 3(x² − 1) = 0 at ±1, f″ = 6x: a minimum at 1 (f = −2), a maximum at −1 (f = 2).
        let directory = try TemporaryDirectory()
        let path = try directory.write("cubic.graph", "param x = 0\nf = x^3 - 3*x\n")
        let result = InProcess.run(["critical", path, "--in", "x=-2:2"])
        #expect(result.status == .success, "\(result)")
        #expect(result.out == """
            critical points of f for x in [-2, 2], by Newton's method from 100 starts:

            x   f   kind     f''
            1   -2  minimum  6
            -1  2   maximum  -6

            second-derivative test: f'' > 0: a minimum, f'' < 0: a maximum, f'' = 0: no verdict

            """)
    }

    @Test func xToTheFourthAtZeroIsDegenerate() throws {
        // f = x⁴: f′ = 4x³ and f″ = 12x² both vanish at 0, so the test has no verdict (it is a minimum).
        let directory = try TemporaryDirectory()
        let path = try directory.write("quartic.graph", "param x = 1\nf = x^4\n")
        let result = InProcess.run(["critical", path, "--in", "x=-1:1"])
        #expect(result.out.contains("\nx  f  kind        f''\n0  0  degenerate  0\n"), "\(result.out)")
        let json = InProcess.run(["critical", path, "--in", "x=-1:1", "--json"])
        #expect(json.out.contains(#""kind": "degenerate""#), "\(json.out)")
    }

    @Test func aBoxWithoutCriticalPointsIsAnEmptyTableAndANote() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("cubic.graph", "param x = 0\nf = x^3 - 3*x\n")
        let result = InProcess.run(["critical", path, "--in", "x=3:4"])
        #expect(result.status == .success)
        #expect(result.out.contains(":\n\nx  f  kind  f''\n\nsecond-derivative test"), "\(result.out)")
        #expect(result.err.contains("\nslope: note: no critical point of 'f' in the box\n"), "\(result.err)")
        let json = InProcess.run(["critical", path, "--in", "x=3:4", "--json"])
        #expect(json.status == .success && json.out == #"{"of": "f", "points": []}"# + "\n")
        #expect(json.err == result.err)
    }

    @Test func moreThanTwoVariablesListEigenvaluesOnly() throws {
        // f = x² + 2y² − 3z²: one critical point, the origin, with Hessian diag(2, 4, −6).
        let directory = try TemporaryDirectory()
        let path = try directory.write("three.graph", "param x = 1\nparam y = 1\nparam z = 1\nf = x^2 + 2*y^2 - 3*z^2\n")
        let result = InProcess.run(["critical", path, "--in", "x=-1:1,y=-1:1,z=-1:1"])
        #expect(result.out.contains("from 1728 starts (12 per axis):"), "\(result.out)")
        #expect(result.out.contains("\nx  y  z  f  kind    eigenvalues\n0  0  0  0  saddle  -6, 2, 4\n"), "\(result.out)")
    }

    // Bad input.

    @Test func aVariableWithoutARangeIsAUsageError() {
        let result = InProcess.run(["critical", Self.sauna, "--in", "x=1:7"])
        #expect(result.status == .usageError)
        #expect(result.err == "slope: error: --in gives no range for 'y'; 'T' depends on it\n"
                + "slope: note: give a range for every variable: --in x=LOW:HIGH,y=LOW:HIGH\n", "\(result.err)")
    }

    @Test func noInAtAllNamesEveryVariable() {
        let result = InProcess.run(["critical", Self.sauna])
        #expect(result.status == .usageError)
        #expect(result.err.hasPrefix("slope: error: --in gives no range for 'x', 'y'; 'T' depends on them\n"), "\(result.err)")
    }

    @Test(arguments: ["x=7:1,y=1:7", "x=1:1,y=1:7", "x=1,y=1:7", "x=a:b,y=1:7", "x=1:inf,y=1:7", "x=1:2:3,y=1:7", "x=1:7,x=1:7", "x=-1e308:1e308,y=1:7"])
    func aRangeThatIsNotLowBelowHighIsAUsageError(_ text: String) {
        let result = InProcess.run(["critical", Self.sauna, "--in", text])
        #expect(result.status == .usageError, "\(result)")
        #expect(result.err.hasPrefix("slope: error: --in "), "\(result.err)")
        #expect(result.err.contains("usage: slope critical FILE.graph"))
    }

    @Test func aRangeForATensorOrAnUnknownNameIsAUsageError() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("t.graph", "param x = 1\nparam w = [1, 2]\nf = x^2*sum(w)\n")
        let tensor = InProcess.run(["critical", path, "--in", "x=0:1,w=0:1"])
        #expect(tensor.status == .usageError)
        #expect(tensor.err.hasPrefix("\(path):2:1: error: --in names 'w', which has shape [2]"), "\(tensor.err)")
        let unknown = InProcess.run(["critical", path, "--in", "x=0:1,q=0:1"])
        #expect(unknown.status == .usageError)
        #expect(unknown.err.hasPrefix("slope: error: --in names 'q', which the program does not define"), "\(unknown.err)")
    }

    @Test func moreThanSixteenVariablesIsRefused() throws {
        let directory = try TemporaryDirectory()
        let names = (1...17).map { "x\($0)" }
        let source = names.map { "param \($0) = 0" }.joined(separator: "\n") + "\nf = " + names.map { "\($0)^2" }.joined(separator: " + ") + "\n"
        let path = try directory.write("many.graph", source)
        let result = InProcess.run(["critical", path, "--in", names.map { "\($0)=-1:1" }.joined(separator: ",")])
        #expect(result.status == .programError)
        #expect(result.err.contains("error: 'f' depends on 17 scalar params and inputs; critical takes at most 16"), "\(result.err)")
    }

    @Test func aSixVariableSearchFinishesQuickly() throws {
        // 3⁶ = 729 starts of at most 50 Newton steps each, whatever the function: a few seconds
        // at most, even in a debug build on a busy machine. f = Σ (xᵢ² − 1)² has 3⁶ critical
        // points (each xᵢ ∈ {−1, 0, 1}, where ∂f/∂xᵢ = 4xᵢ(xᵢ² − 1) = 0); ∂²f/∂xᵢ² = 12xᵢ² − 4 is
        // 8 at ±1 and −4 at 0 (the Hessian is diagonal), so the 2⁶ points of ±1s are the minima,
        // the origin the maximum and the rest saddles. The grid's cell centres are −0.9, 0.1 and
        // 1.1 on each axis, near but not at them.
        let directory = try TemporaryDirectory()
        let names = (1...6).map { "x\($0)" }
        let source = names.map { "param \($0) = 0" }.joined(separator: "\n")
            + "\nf = " + names.map { "(\($0)^2 - 1)^2" }.joined(separator: " + ") + "\n"
        let path = try directory.write("six.graph", source)
        let start = Date()
        let result = InProcess.run(["critical", path, "--in", names.map { "\($0)=-1.4:1.6" }.joined(separator: ","), "--json"])
        let seconds = Date().timeIntervalSince(start)
        #expect(result.status == .success, "\(result)")
        #expect(seconds < 60, "took \(seconds) s")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let points = try #require(object["points"] as? [[String: Any]])
        let kinds = points.compactMap { $0["kind"] as? String }
        #expect(kinds.filter { $0 == "minimum" }.count == 64, "\(kinds.count) points")
        #expect(kinds.filter { $0 == "maximum" }.count == 1)
        #expect(kinds.count == 729)
    }
}
