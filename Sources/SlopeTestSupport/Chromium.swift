import Foundation
import SlopeCore

/// Headless Chromium, for the test that opens the report of every Graphs/ program in a real
/// browser (`ReportBrowserTests`). `.ci/run` installs it (`apt-get install chromium`); under CI
/// (`CI=true`) its absence is a failure, elsewhere the browser tests are skipped with
/// `missingMessage`.
///
/// Each run gets a profile folder of its own (so runs in parallel never share a lock), and is
/// stopped after `timeout` seconds. Output goes through files, so no pipe can fill up.
public enum Chromium {
    /// `chromium` (Debian's name) or `chromium-browser` on PATH, or nil.
    public static let executable = ExecutableSearch.find(["chromium", "chromium-browser"])

    /// CI must run the browser tests, never skip them.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    public static let missingMessage = "headless Chromium is not on PATH (apt-get install chromium, as .ci/run does); "
        + "the report's browser tests are skipped"

    /// What one run of Chromium did.
    public struct Run: Sendable, CustomStringConvertible {
        public let status: Int32
        public let out: String
        public let err: String
        public let timedOut: Bool

        /// The messages the page wrote to the browser's console (an error, a refused load, a
        /// failed script), as Chromium logs them with `--enable-logging=stderr`.
        public var consoleMessages: [String] {
            err.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        }

        public var description: String { "exit \(status)\(timedOut ? " (timed out)" : "")\n--- stdout\n\(out)--- stderr\n\(err)" }
    }

    /// The switches every run takes: headless, no sandbox (CI runs as root), no GPU, no first-run
    /// pages, the console logged on stderr.
    static let baseArguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                                "--no-default-browser-check", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
                                "--enable-logging=stderr", "--v=0"]

    /// Runs Chromium on `url` with `arguments` (before the URL).
    public static func run(_ arguments: [String], url: URL, timeout: Double = 90) throws -> Run {
        guard let executable else { throw CocoaError(.fileNoSuchFile) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slope-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = baseArguments + ["--user-data-dir=" + folder.appendingPathComponent("profile").path]
            + arguments + [url.absoluteString]
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        var timedOut = false
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if exited.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
        }
        return Run(status: process.terminationStatus,
                   out: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                   err: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
                   timedOut: timedOut)
    }

    /// A screenshot of `url` in a window `width` × `height` pixels (a phone is 412 wide), as PNG.
    public static func screenshot(of url: URL, width: Int, height: Int) throws -> (png: Data, run: Run) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slope-screenshot-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try run(["--window-size=\(width),\(height)", "--screenshot=" + file.path], url: url)
        return ((try? Data(contentsOf: file)) ?? Data(), run)
    }

    /// The page's DOM after loading, as Chromium serializes it.
    public static func dom(of url: URL) throws -> Run {
        try run(["--dump-dom"], url: url)
    }

    /// How wide the page's document is laid out in a `width`-pixel window, against that window:
    /// the page is loaded in a frame of a small probe page whose script measures it
    /// (`scrollWidth` beyond `clientWidth` is a page a phone must scroll sideways). The report
    /// itself has no script; the probe needs file access across frames, which Chromium grants
    /// with `--allow-file-access-from-files`.
    public static func documentWidth(of url: URL, window width: Int) throws -> (scroll: Int, client: Int)? {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("slope-probe-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: probe) }
        let page = """
        <!DOCTYPE html><html><head><title>probe</title></head><body style="margin:0">
        <iframe id="page" src="\(url.absoluteString)" style="width:\(width)px;height:900px;border:0"></iframe>
        <pre id="width">pending</pre>
        <script>
        document.getElementById("page").addEventListener("load", function () {
          var root = document.getElementById("page").contentDocument.documentElement;
          document.getElementById("width").textContent = "width " + root.scrollWidth + " " + root.clientWidth;
        });
        </script></body></html>
        """
        try Data(page.utf8).write(to: probe)
        let run = try run(["--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom"], url: probe)
        guard let line = run.out.split(separator: "\n").first(where: { $0.contains("<pre id=\"width\">width ") }),
              let start = line.range(of: "width ", options: .backwards) else { return nil }
        let numbers = line[start.upperBound...].prefix { $0 != "<" }.split(separator: " ").compactMap { Int($0) }
        return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
    }

    /// The width and height a PNG file declares in its IHDR chunk, or nil for a file that is not a PNG.
    public static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count == 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func word(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }
}
