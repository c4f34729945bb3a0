/// A half-open range of bytes in a source file. Line and column are computed only when rendering.
///
/// Plain data: the file is named by its number in `SourceFileRegistry`, not by a reference, so
/// copying or freeing a range (and an IR node, which carries one) touches no reference count.
/// The offsets are stored as 32-bit integers, which keeps `Node` small; offsets beyond 2³¹ are
/// clamped (no source is that big).
public struct SourceRange: Sendable {
    private let fileID: Int32
    private let storedStart: Int32
    private let storedEnd: Int32
    /// Whether the file is the prelude's text: asked of every node a pass rewrites, so it is
    /// kept here rather than looked up.
    public let isPrelude: Bool
    public var start: Int { Int(storedStart) }
    public var end: Int { Int(storedEnd) }

    public init(file: SourceFile, start: Int, end: Int) {
        fileID = file.id
        isPrelude = file.isPrelude
        storedStart = Int32(clamping: start)
        storedEnd = Int32(clamping: max(start, end))
    }

    /// The file the range lies in.
    public var file: SourceFile { SourceFileRegistry.shared[fileID] }

    /// Whether both ranges lie in the same file.
    public func isInSameFile(as other: SourceRange) -> Bool { fileID == other.fileID }

    /// Whether the range lies in `file`.
    public func isIn(_ file: SourceFile) -> Bool { fileID == file.id }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        guard isInSameFile(as: other) else { return self }
        return SourceRange(fileID: fileID, isPrelude: isPrelude, start: min(start, other.start), end: max(end, other.end))
    }

    private init(fileID: Int32, isPrelude: Bool, start: Int, end: Int) {
        self.fileID = fileID
        self.isPrelude = isPrelude
        storedStart = Int32(clamping: start)
        storedEnd = Int32(clamping: max(start, end))
    }

    public var line: Int { file.line(of: start) }
    public var column: Int { file.column(of: start) }
    public var text: String { file.text(start, end) }

    /// `path:line:col`, as diagnostics print it.
    public var location: String { "\(file.path):\(line):\(column)" }
}
