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
            // rename(2) replaces an existing target atomically. (FileManager.replaceItemAt on
            // Linux removed the old target and then failed to move the new one in: the file was lost.)
            guard rename(temporary.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                return "cannot write '\(path)': \(reason)"
            }
            return nil
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            return "cannot write '\(path)': \(error.localizedDescription)"
        }
    }
}
