import Foundation

/// Where a command writes: standard output, standard error, and whether standard error is a
/// terminal (live progress lines) or not (periodic plain lines). Tests capture both streams.
///
/// A write to standard output that fails (a full disk, a closed descriptor) is remembered, and
/// `Driver` turns it into an error after the command: output that did not arrive is never a
/// success. A reader that went away (`slope ir FILE | head`, EPIPE) only ends the output.
public final class Console: @unchecked Sendable {
    public private(set) var capturedOut = ""
    public private(set) var capturedErr = ""
    /// Where each stream goes: a file descriptor, or nil to collect it in `capturedOut` / `capturedErr`.
    let outDescriptor: Int32?
    let errDescriptor: Int32?
    public let errorIsTerminal: Bool
    /// The errno of the first failed write to standard output; nothing more is written after it.
    public private(set) var outputError: Int32?
    /// True once the reader of standard output has gone away (EPIPE).
    private var outputClosed = false

    /// Writes to the process's standard output and error.
    public static func standard() -> Console {
        Console(out: 1, err: 2, errorIsTerminal: isatty(2) == 1)
    }

    /// Collects everything written, for tests.
    public static func capture() -> Console { Console(capturing: true, errorIsTerminal: false) }

    /// Writes standard output to `descriptor` and collects standard error, for tests of
    /// output that cannot be written (`/dev/full`).
    public static func capture(outputTo descriptor: Int32) -> Console {
        Console(out: descriptor, err: nil, errorIsTerminal: false)
    }

    init(capturing: Bool, errorIsTerminal: Bool) {
        self.outDescriptor = capturing ? nil : 1
        self.errDescriptor = capturing ? nil : 2
        self.errorIsTerminal = errorIsTerminal
    }

    init(out: Int32?, err: Int32?, errorIsTerminal: Bool) {
        self.outDescriptor = out
        self.errDescriptor = err
        self.errorIsTerminal = errorIsTerminal
    }

    public func out(_ text: String) {
        guard let descriptor = outDescriptor else { capturedOut += text; return }
        guard outputError == nil && !outputClosed else { return }
        switch Console.write(text, to: descriptor) {
        case nil: break
        case EPIPE?: outputClosed = true
        case let code?: outputError = code
        }
    }

    /// Standard error is where problems are reported, so a failure to write it has nowhere to go.
    public func err(_ text: String) {
        guard let descriptor = errDescriptor else { capturedErr += text; return }
        _ = Console.write(text, to: descriptor)
    }

    /// Writes all of `text` to a file descriptor; returns the errno of a write that failed.
    /// (FileHandle.write would trap on a closed pipe or a full disk.)
    static func write(_ text: String, to descriptor: Int32) -> Int32? {
        OutputFile.writeAll(Array(text.utf8), to: descriptor)
    }
}
