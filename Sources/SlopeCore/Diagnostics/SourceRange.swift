/// A half-open range of bytes in a source file. Line and column are computed only when rendering.
///
/// The offsets are stored as 32-bit integers: every IR node carries an optional range, and a
/// smaller range makes a smaller `Node` (less memory to fill and copy when a pass rebuilds a
/// graph of a hundred thousand nodes). Offsets beyond 2³¹ are clamped (no source is that big).
public struct SourceRange: Sendable {
    public let file: SourceFile
    private let storedStart: Int32
    private let storedEnd: Int32
    public var start: Int { Int(storedStart) }
    public var end: Int { Int(storedEnd) }

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        storedStart = Int32(clamping: start)
        storedEnd = Int32(clamping: max(start, end))
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
