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
