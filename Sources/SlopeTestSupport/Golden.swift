import Foundation
import Testing

/// Golden files: expected outputs under `Tests/Golden/<command>/<name>`.
///
/// With `SLOPE_UPDATE_GOLDEN=1` in the environment the file is (re)written and the test fails
/// anyway, so a new baseline is always reviewed as a diff before it is committed.
public enum Golden {
    public static var isUpdating: Bool { ProcessInfo.processInfo.environment["SLOPE_UPDATE_GOLDEN"] == "1" }

    public static func url(command: String, name: String) -> URL {
        PackagePaths.golden.appendingPathComponent(command).appendingPathComponent(name)
    }

    /// Compares `actual` with the golden file, recording an issue (with the first differing
    /// line) when they differ or the file is missing.
    public static func expectMatch(_ actual: String, command: String, name: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        let url = url(command: command, name: name)
        let relative = "Tests/Golden/\(command)/\(name)"
        if isUpdating {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
                Issue.record("wrote \(relative); review the diff and run again without SLOPE_UPDATE_GOLDEN",
                             sourceLocation: sourceLocation)
            } catch {
                Issue.record("cannot write \(relative): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(relative); run with SLOPE_UPDATE_GOLDEN=1 to create it",
                         sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        Issue.record("output differs from \(relative):\n\(firstDifference(expected, actual))", sourceLocation: sourceLocation)
    }

    /// The first line where two texts differ, shown both ways.
    public static func firstDifference(_ expected: String, _ actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? String(a[index]) : "<end of file>"
            let right = index < b.count ? String(b[index]) : "<end of output>"
            if left != right { return "line \(index + 1):\n  expected: \(left)\n  actual:   \(right)" }
        }
        return "(the texts differ only in line endings)"
    }
}
