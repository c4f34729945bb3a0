import Foundation
import Testing

/// The guide's `--plot` pictures, as `docs/learn/pictures.sh` draws them, so a test can draw
/// each again and compare it with the committed SVG (Slope's own plots are the same bytes on
/// every run; the Graphviz pictures depend on Graphviz's version and are not compared).
public enum GuidePictures {
    /// One line of the script: `"$slope" run ARGUMENTS --plot PICTURE > /dev/null`.
    public struct Plot: Sendable, CustomTestStringConvertible {
        /// The arguments after `slope`, the `--plot` path included.
        public let arguments: [String]
        /// The picture's path relative to the package root.
        public let picture: String
        public var testDescription: String { picture }
    }

    public static let script = PackagePaths.root.appendingPathComponent("docs/learn/pictures.sh")

    /// Every `--plot` line of the script, in order. The script's lines split on spaces: their
    /// arguments hold no quotes or spaces.
    public static func plots(script: URL = script) -> [Plot] {
        guard let text = try? String(contentsOf: script, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> Plot? in
            guard line.hasPrefix("\"$slope\" run "), let redirect = line.range(of: " >") else { return nil }
            let arguments = line[..<redirect.lowerBound].split(separator: " ").dropFirst().map(String.init)
            guard let flag = arguments.firstIndex(of: "--plot"), flag + 1 < arguments.count else { return nil }
            return Plot(arguments: arguments, picture: arguments[flag + 1])
        }
    }
}
