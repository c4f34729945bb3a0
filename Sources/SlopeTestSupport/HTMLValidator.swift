import Foundation

/// `Tools/report/check_html.py`, the validator of `slope report`'s pages (html5lib in strict
/// mode, and the checks that make a page self-contained), run with the tests' Python
/// environment (`PythonEnvironment`), where `.ci/run` installs Tools/report/requirements.txt.
/// Without it the validation tests are skipped with `skipMessage`, except under CI.
public enum HTMLValidator {
    public static let script = PackagePaths.root.appendingPathComponent("Tools/report/check_html.py")

    /// The environment exists and has html5lib.
    public static let isAvailable: Bool = {
        guard PythonEnvironment.isAvailable else { return false }
        return (try? PythonEnvironment.run(["-c", "import html5lib"]).status) == 0
    }()

    public static let skipMessage = "needs html5lib in the Python environment at .build/pyenv: run bash .ci/run, or "
        + ".build/pyenv/bin/pip install -r Tools/report/requirements.txt"

    /// Validates the files; the result's stdout has one line per file (`PATH: ok` or its problems).
    public static func check(_ files: [URL]) throws -> PythonEnvironment.Result {
        try PythonEnvironment.run([script.path] + files.map(\.path))
    }
}
