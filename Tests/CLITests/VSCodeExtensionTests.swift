import Foundation
import Testing
import SlopeTestSupport

/// `editors/vscode/test/smoke.js`: the VS Code extension's client (extension.js) run by Node
/// against the built `slope lsp`, with a stand-in for the `vscode` module. Skipped where Node
/// is not installed (Slope never needs it).
private let node = ["/usr/bin/node", "/usr/local/bin/node", "/opt/homebrew/bin/node"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

@Test(.enabled(if: node != nil, "node is not installed"))
func theVSCodeExtensionTalksToTheBuiltServer() throws {
    let executable = try #require(PackagePaths.slopeExecutable(), "the slope executable has not been built")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(node))
    process.arguments = [PackagePaths.root.appendingPathComponent("editors/vscode/test/smoke.js").path, executable.path]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(output)\(errors)")
    #expect(output == "vscode extension smoke test: ok\n", "\(errors)")
}
