/// The text of one source file (a user's `.graph` file, the prelude, or a `--set` value),
/// with the byte offset of every line start so a byte offset maps to a line and column.
///
/// Immutable, and registered in `SourceFileRegistry` when created: a `SourceRange` names its
/// file by `id`.
public final class SourceFile: Sendable {
    /// The file's number in `SourceFileRegistry`.
    public let id: Int32
    /// The path as the user wrote it; diagnostics print it verbatim.
    public let path: String
    /// The file's bytes. Invalid UTF-8 is kept as is; the lexer reports it. A UTF-8 byte-order
    /// mark at the start (which some editors write) is dropped, so it is neither a token nor a
    /// column: offsets count from the first byte after it.
    public let bytes: [UInt8]
    /// Byte offsets where each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]
    /// Offsets of UTF-8 continuation bytes (`10xxxxxx`), ascending. They do not start a
    /// character, so a column is the byte distance from the line start minus the continuation
    /// bytes in between: found by binary search, not by walking the line. (Walking made
    /// printing the IR of a 100,000-term expression on one line quadratic.)
    let continuationOffsets: [Int]
    /// Whether this is the prelude's text (`Prelude.path`): asked of every node a pass
    /// rewrites, so it is a flag rather than a comparison of paths.
    public let isPrelude: Bool

    public init(path: String, bytes: [UInt8]) {
        id = SourceFileRegistry.shared.reserve()
        let bytes = bytes.starts(with: SourceFile.byteOrderMark) ? Array(bytes.dropFirst(3)) : bytes
        self.path = path
        self.isPrelude = path == Prelude.path
        self.bytes = bytes
        var starts = [0]
        var continuations: [Int] = []
        // An index loop over the buffer: this runs once per byte of every file, and a generic
        // `enumerated()` iterator made it a tenth of compiling a large file in debug builds.
        bytes.withUnsafeBufferPointer { buffer in
            for offset in 0..<buffer.count {
                let byte = buffer[offset]
                if byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
                else if byte & 0xC0 == 0x80 { continuations.append(offset) }
            }
        }
        self.lineStarts = starts
        self.continuationOffsets = continuations
        SourceFileRegistry.shared.fill(id, with: self)
    }

    /// EF BB BF, U+FEFF in UTF-8.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

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
    /// A continuation byte at `offset` itself belongs to the previous column.
    /// An offset past the end of the line's text (the `\r` of a `\r\n`) is at the column after its
    /// last character, where the caret is drawn.
    public func column(of offset: Int) -> Int {
        let number = line(of: offset)
        let start = lineStarts[number - 1]
        let end = max(start, min(offset, bytes.count, lineBytes(number).endIndex))
        return 1 + (end - start) - (continuations(before: end) - continuations(before: start))
    }

    /// The number of continuation bytes at offsets below `offset`.
    func continuations(before offset: Int) -> Int {
        var low = 0, high = continuationOffsets.count
        while low < high {
            let mid = (low + high) / 2
            if continuationOffsets[mid] < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The source text of a byte range, decoded leniently.
    public func text(_ start: Int, _ end: Int) -> String {
        let lower = max(0, min(start, bytes.count)), upper = max(lower, min(end, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }
}
