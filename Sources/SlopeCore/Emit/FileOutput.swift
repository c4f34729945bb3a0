import Foundation

/// Writing the files a user asks for (`--log`, `--plot`, `--save`): to a temporary file beside
/// the target, then a rename, so the target is never half-written.
public enum FileOutput {
    /// Returns an error message, or nil on success.
    public static func writeAtomically(_ text: String, to path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
            if FileManager.default.fileExists(atPath: url.path) {
                _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: url)
            }
            return nil
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            return "cannot write '\(path)': \(error.localizedDescription)"
        }
    }
}
