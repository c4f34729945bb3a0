/// A half-open range of bytes in a source file. Line and column are computed only when rendering.
public struct SourceRange: Sendable {
    public let file: SourceFile
    public let start: Int
    public let end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        guard other.file === file else { return self }
        return SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var line: Int { file.line(of: start) }
    public var column: Int { file.column(of: start) }
    public var text: String { file.text(start, end) }

    /// `path:line:col`, as diagnostics print it.
    public var location: String { "\(file.path):\(line):\(column)" }
}
