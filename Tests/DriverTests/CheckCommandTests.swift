import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `slope check`: every Graphs/ program passes; kinks are reported as kinks; `--sweep` and
/// `--json` have their documented shape. (A failing check is tested on `FiniteDifferences`
/// directly in AutodiffTests, since autodiff itself gives no wrong gradient to find.)
@Suite struct CheckCommandTests {
    @Test(arguments: GradCommandTests.programs)
    func everyExamplePassesTheCheck(_ name: String) {
        let result = InProcess.run(["check", GradCommandTests.path(name)])
        #expect(result.status == .success, "\(result)")
        #expect(result.out.hasPrefix("check: gradient of "))
        #expect(!result.out.contains("FAIL"))
    }

    static let kink = """
        param x = 0
        param w = 2
        f = relu(x) + w^2
        """

    @Test func aTwoWayTieAgreesWithCentralDifferences() throws {
        // At a = b the shared subgradient, ½ to each, is the mean of the one-sided slopes, which
        // is what a central difference measures: d/da (max(a, b) + min(a, b)²) = ½ + ½·2·2 = 2.5.
        let directory = try TemporaryDirectory()
        let path = try directory.write("tie.graph", "param a = 2\nparam b = 2\nf = max(a, b) + min(a, b)^2\n")
        let result = InProcess.run(["check", path])
        #expect(result.status == .success, "\(result)")
        #expect(!result.out.contains("kink") && !result.out.contains("FAIL"), "\(result.out)")
    }

    @Test func aThreeWayTieIsAKink() throws {
        // max([3, 3, 3]) shares the derivative, ⅓ each, but a central difference in one element
        // sees ½ (the slope is 1 on one side, 0 on the other): the check reports kinks, not failures.
        let directory = try TemporaryDirectory()
        let path = try directory.write("tie.graph", "param v = [3, 3, 3]\nf = max(v)\n")
        let result = InProcess.run(["check", path])
        #expect(result.status == .success, "\(result)")
        #expect(result.out.split(separator: "\n").contains { $0.hasPrefix("v ") && $0.hasSuffix("ok (3 at a kink)") }, "\(result.out)")
    }

    @Test func maxAndMinAwayFromTiesPassTheCheck() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("hinge.graph", """
            input X = [[1, 2], [-1, 0.5], [2, -1]]
            input y = [1, -1, 1]
            param w = [0.1, -0.2]
            param b = 0.05
            loss = mean(max(1 - y*(X @ w + b), 0)) + max(w) - min(w, axis: 0) + sum(min(X*w, 0.3))
            """)
        let result = InProcess.run(["check", path])
        #expect(result.status == .success, "\(result)")
        #expect(!result.out.contains("kink") && !result.out.contains("FAIL"), "\(result.out)")
    }

    @Test func reluAtZeroIsAKinkAndStillExitsZero() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("kink.graph", Self.kink)
        let result = InProcess.run(["check", path])
        #expect(result.status == .success, "\(result)")
        let lines = result.out.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("x ") && $0.hasSuffix("ok (1 at a kink)") }, "\(result.out)")
        #expect(lines.contains { $0.hasPrefix("w ") && $0.hasSuffix("ok") }, "\(result.out)")
        // The per-element table explains the kink: autodiff's subgradient 0 against the central
        // difference (h − 0)/2h = 0.5.
        #expect(lines.contains { $0.hasPrefix("  x ") && $0.contains("kink: finite differences straddle a corner") },
                "\(result.out)")
    }

    @Test func sweepListsTwelveStepsPerName() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("kink.graph", Self.kink)
        let result = InProcess.run(["check", path, "--sweep"])
        #expect(result.status == .success)
        for name in ["x", "w"] {
            #expect(result.out.contains("\nstep sweep for \(name) (largest error over the checked elements):\n"))
        }
        let rows = result.out.split(separator: "\n").filter { $0.hasPrefix("  h = ") }
        #expect(rows.count == 24, "\(result.out)")
        #expect(rows.first?.hasPrefix("  h = 1.00e-01 · max(1, |x|)") == true)
        #expect(rows.last?.hasPrefix("  h = 1.00e-12 · max(1, |x|)") == true)
    }

    @Test func jsonHasOneResultPerName() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("kink.graph", Self.kink)
        let result = InProcess.run(["check", path, "--json"])
        #expect(result.status == .success)
        let object = try #require(JSONNumbers.object(result.out), "\(result.out)")
        #expect(object["of"] as? String == "f")
        #expect(object["ok"] as? Bool == true)
        #expect(JSONNumbers.keys(result.out, of: "results") == ["x", "w"])
        let results = try #require(object["results"] as? [String: [String: Any]])
        for (name, kinks) in [("x", 1.0), ("w", 0)] {
            let entry = try #require(results[name])
            #expect(Set(entry.keys) == ["max_abs_error", "max_rel_error", "checked", "elements", "kinks", "ok"])
            #expect((entry["kinks"] as? NSNumber)?.doubleValue == kinks)
            #expect((entry["checked"] as? NSNumber)?.doubleValue == 1)
        }
    }
}
