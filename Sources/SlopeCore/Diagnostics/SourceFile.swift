/// The text of one source file (a user's `.graph` file, the prelude, or a `--set` value),
/// with the byte offset of every line start so a byte offset maps to a line and column.
///
/// Immutable and shared by reference: every `SourceRange` points at its file.
public final class SourceFile: Sendable {
    /// The path as the user wrote it; diagnostics print it verbatim.
    public let path: String
    /// The file's bytes. Invalid UTF-8 is kept as is; the lexer reports it.
    public let bytes: [UInt8]
    /// Byte offsets where each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    public convenience init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// The 1-based line holding `offset` (binary search over line starts).
    public func line(of offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    /// The bytes of 1-based `line`, without its line break.
    public func lineBytes(_ line: Int) -> ArraySlice<UInt8> {
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return bytes[start..<max(start, end)]
    }

    /// The 1-based column of `offset`: characters (Unicode scalars) counted from the line start.
    /// Continuation bytes of a UTF-8 sequence do not count, so `é` is one column.
    public func column(of offset: Int) -> Int {
        let start = lineStarts[line(of: offset) - 1]
        var column = 1
        var index = start
        while index < offset && index < bytes.count {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        // A continuation byte at `offset` itself belongs to the previous column.
        return column
    }

    /// The source text of a byte range, decoded leniently.
    public func text(_ start: Int, _ end: Int) -> String {
        let lower = max(0, min(start, bytes.count)), upper = max(lower, min(end, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }
}
