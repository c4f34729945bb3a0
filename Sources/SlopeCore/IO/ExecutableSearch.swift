import Foundation

/// Finds a program the way a shell does: the first of `names` that is an executable file in a
/// folder of PATH (an empty entry is the current folder), or nil.
public enum ExecutableSearch {
    public static func find(_ names: [String],
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "." : String($0) }
        for name in names {
            if let found = folders.map({ $0 + "/" + name }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
                return found
            }
        }
        return nil
    }
}
