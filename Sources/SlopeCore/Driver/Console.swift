import Foundation

/// Where a command writes: standard output, standard error, and whether standard error is a
/// terminal (live progress lines) or not (periodic plain lines). Tests capture both streams.
public final class Console: @unchecked Sendable {
    public private(set) var capturedOut = ""
    public private(set) var capturedErr = ""
    let capturing: Bool
    public let errorIsTerminal: Bool

    /// Writes to the process's standard output and error.
    public static func standard() -> Console {
        Console(capturing: false, errorIsTerminal: isatty(2) == 1)
    }

    /// Collects everything written, for tests.
    public static func capture() -> Console { Console(capturing: true, errorIsTerminal: false) }

    init(capturing: Bool, errorIsTerminal: Bool) {
        self.capturing = capturing
        self.errorIsTerminal = errorIsTerminal
    }

    public func out(_ text: String) {
        if capturing { capturedOut += text } else { Console.write(text, to: 1) }
    }

    public func err(_ text: String) {
        if capturing { capturedErr += text } else { Console.write(text, to: 2) }
    }

    /// Writes all of `text` to a file descriptor with write(2), retrying short writes. A closed
    /// pipe (`slope ir FILE | head`) or a full disk ends the output quietly instead of trapping,
    /// as FileHandle.write would.
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
