import Foundation

/// Where the package's files are, found from this file's own path, so tests read `Graphs/`,
/// `Tests/Golden/` and `Tests/Cases/` wherever the package was cloned.
public enum PackagePaths {
    /// The package root: this file is `<root>/Sources/SlopeTestSupport/PackagePaths.swift`.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let graphs = root.appendingPathComponent("Graphs")
    public static let golden = root.appendingPathComponent("Tests/Golden")
    public static let cases = root.appendingPathComponent("Tests/Cases")

    /// The example programs in `Graphs/`, sorted by name.
    public static func graphPrograms() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: graphs.path)) ?? []
        return names.filter { $0.hasSuffix(".graph") }.sorted().map { graphs.appendingPathComponent($0) }
    }

    /// The built `slope` executable: beside the running test bundle when the build put it there,
    /// else under `.build/debug`. Nil when neither exists.
    public static func slopeExecutable() -> URL? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            // <build>/debug/SlopePackageTests.xctest (a file on Linux, a bundle on macOS).
            var folder = executable.deletingLastPathComponent()
            while folder.path.count > 1 {
                candidates.append(folder.appendingPathComponent("slope"))
                if folder.pathExtension == "xctest" || folder.lastPathComponent == "debug"
                    || folder.lastPathComponent == "release" { break }
                folder = folder.deletingLastPathComponent()
            }
            candidates.append(executable.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("slope"))
        }
        candidates.append(root.appendingPathComponent(".build/debug/slope"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) && !isDirectory($0) }
    }

    static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }
}
