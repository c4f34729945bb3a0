import Synchronization

/// Every `SourceFile` the process has read, by number, so a `SourceRange` can name its file with
/// a number instead of a reference.
///
/// Why: every IR node and AST expression carries a range, and a range holding a reference made
/// each copy and each free of a node an atomic reference-count operation on the one shared file
/// (a quarter of compiling a 100,000-node chain). A number makes a range, and so a node's
/// range, plain data.
///
/// Files are kept for the life of the process: a diagnostic may outlive the compilation that
/// read its file (a `--set` value is freed before its diagnostics are rendered), and a range
/// has no reference to keep it alive. Files are small beside the graphs built from them; a
/// long-running language server keeps each version of a document it analysed.
final class SourceFileRegistry: Sendable {
    static let shared = SourceFileRegistry()

    private let files = Mutex<[SourceFile?]>([])

    /// A number for a file about to be created; `fill` stores it once it exists.
    func reserve() -> Int32 {
        files.withLock { files in
            files.append(nil)
            return Int32(files.count - 1)
        }
    }

    func fill(_ id: Int32, with file: SourceFile) {
        files.withLock { $0[Int(id)] = file }
    }

    subscript(id: Int32) -> SourceFile {
        files.withLock { files in
            guard let file = files[Int(id)] else { preconditionFailure("internal error: source file \(id) used before it was created") }
            return file
        }
    }
}
