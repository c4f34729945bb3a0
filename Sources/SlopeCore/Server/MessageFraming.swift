import Foundation

/// The base protocol of the Language Server Protocol: each message is a header block, lines of
/// `Name: value` ended by `\r\n` and closed by an empty line, then a body of exactly
/// `Content-Length` bytes of UTF-8 JSON.
///
///     Content-Length: 49\r\n
///     \r\n
///     {"jsonrpc": "2.0", "id": 1, "method": "shutdown"}
///
/// `MessageReader` cuts a byte stream into bodies. A header block it cannot use (no
/// `Content-Length`, a value that is not a length, a header that never ends) is reported as
/// `.malformed`, and reading resumes at the next `Content-Length:` in the stream, so one bad
/// message costs that message (and its body), not the session.
public enum MessageFraming {
    /// The largest body accepted: more than any document a person edits (SPEC.md 5.7).
    public static let maximumContentLength = 64 << 20
    /// The longest header block accepted before giving up on it.
    static let maximumHeaderLength = 8192

    /// `body` with its header, ready to write.
    public static func frame(_ body: String) -> String {
        "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }
}

/// Reads framed messages from a `ByteSource`.
public struct MessageReader<Source: ByteSource> {
    public enum Frame: Equatable {
        /// A message body (not yet parsed as JSON).
        case message([UInt8])
        /// A header block or body that cannot be read, and why.
        case malformed(String)
    }

    var source: Source
    var buffer: [UInt8] = []
    /// Bytes of `buffer` before this index are consumed.
    var start = 0
    var ended = false

    public init(_ source: Source) { self.source = source }

    /// The next frame, or nil at the end of the input.
    public mutating func next() -> Frame? {
        skipLineBreaks()
        let headers: [String]
        switch headerBlock() {
        case .ended:
            guard start < buffer.count else { return nil }
            start = buffer.count
            return .malformed("the input ends inside a message header")
        case .tooLong(let beginning):
            start += 1
            resynchronize()
            return .malformed("a message header longer than \(MessageFraming.maximumHeaderLength) bytes: '\(beginning)…'")
        case .lines(let lines, let end):
            start = end
            headers = lines
        }
        guard let length = Self.contentLength(headers) else {
            resynchronize()
            return .malformed("a message header without a valid Content-Length: '\(Self.printable(headers))'")
        }
        guard length <= MessageFraming.maximumContentLength else {
            resynchronize()
            return .malformed("a Content-Length of \(length) bytes is more than the \(MessageFraming.maximumContentLength) accepted")
        }
        while buffer.count - start < length {
            guard fill() else {
                let missing = length - (buffer.count - start)
                start = buffer.count
                return .malformed("the input ends \(missing) bytes before the end of a body of \(length)")
            }
        }
        let body = Array(buffer[start..<(start + length)])
        start += length
        return .message(body)
    }

    /// Reads more input into the buffer; false at the end. Consumed bytes may be dropped, so
    /// positions in the buffer are only kept relative to `start` across a call.
    mutating func fill() -> Bool {
        guard !ended, let chunk = source.read() else {
            ended = true
            return false
        }
        if start > 65_536 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: chunk)
        return true
    }

    /// Line breaks between messages are not part of either.
    mutating func skipLineBreaks() {
        while true {
            while start < buffer.count, buffer[start] == 13 || buffer[start] == 10 { start += 1 }
            if start < buffer.count || !fill() { return }
        }
    }

    enum HeaderBlock {
        /// The header lines and the offset after the empty line that ends them.
        case lines([String], end: Int)
        /// No empty line within `maximumHeaderLength` bytes; the block's first bytes.
        case tooLong(String)
        /// The input ends before the empty line.
        case ended
    }

    /// The header lines from `start` up to the empty line that ends them (`\r\n`, or a bare
    /// `\n` from a lenient client).
    mutating func headerBlock() -> HeaderBlock {
        while true {
            var lines: [String] = []
            var lineStart = start
            var index = start
            while index < buffer.count {
                if index - start >= MessageFraming.maximumHeaderLength {
                    return .tooLong(String(decoding: buffer[start..<(start + 40)], as: UTF8.self))
                }
                if buffer[index] == 10 {
                    var lineEnd = index
                    if lineEnd > lineStart, buffer[lineEnd - 1] == 13 { lineEnd -= 1 }
                    if lineEnd == lineStart { return .lines(lines, end: index + 1) }
                    lines.append(String(decoding: buffer[lineStart..<lineEnd], as: UTF8.self))
                    lineStart = index + 1
                }
                index += 1
            }
            guard fill() else { return .ended }
        }
    }

    /// The value of the Content-Length header (names are case-insensitive), when every line is
    /// a header and the value is a whole number.
    static func contentLength(_ lines: [String]) -> Int? {
        var length: Int?
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "content-length" {
                guard let number = Int(value), number >= 0 else { return nil }
                length = number
            }
        }
        return length
    }

    /// Skips to the next `Content-Length:` (in any case). It need not start a line: a body
    /// is followed directly by the next header.
    mutating func resynchronize() {
        let marker = Array("content-length:".utf8)
        while true {
            while start + marker.count <= buffer.count {
                if Self.matches(marker, at: start, in: buffer) { return }
                start += 1
            }
            guard fill() else {
                start = buffer.count
                return
            }
        }
    }

    static func matches(_ marker: [UInt8], at index: Int, in bytes: [UInt8]) -> Bool {
        for (offset, byte) in marker.enumerated() {
            let found = bytes[index + offset]
            // ASCII lowercase: set bit 5 of letters.
            let lowered = (found >= 65 && found <= 90) ? found | 0x20 : found
            if lowered != byte { return false }
        }
        return true
    }

    /// The header lines as one line, for a message about them.
    static func printable(_ lines: [String]) -> String {
        let text = lines.joined(separator: "\\r\\n")
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }
}
