import Foundation
import SlopeCore

/// The reports of the Graphs/ programs, made once per test run and shared by the tests that
/// read them (the validator, the browser, the command blocks), since each takes a second or
/// two: `slope report Graphs/NAME.graph` in-process, with Graphviz when it is installed.
public enum ReportPages {
    public struct Page: Sendable {
        public let name: String
        public let path: String
        public let result: CommandResult
        public var html: String { result.out }
    }

    public static let graphs: [Page] = PackagePaths.graphPrograms().map { url in
        let name = url.deletingPathExtension().lastPathComponent
        return Page(name: name, path: url.path, result: InProcess.run(["report", url.path]))
    }

    public static func page(_ name: String) -> Page? { graphs.first { $0.name == name } }

    /// The pages written into `folder` as NAME.html, for a browser or a validator to open.
    public static func write(to folder: URL) throws -> [(name: String, url: URL)] {
        try graphs.map { page in
            let url = folder.appendingPathComponent(page.name + ".html")
            try Data(page.html.utf8).write(to: url)
            return (page.name, url)
        }
    }
}
