import Foundation

/// A file Slope writes for the user (`--save`, `--log`, `--plot`): opened before anything runs,
/// so a path that cannot be written is reported first; written as the results come; then
/// committed, or discarded on any error.
///
/// A regular file (or a new one) is never written where it stands. The text goes to a
/// temporary file in the same folder, created with `O_CREAT | O_EXCL | O_NOFOLLOW` (a planted
/// file or link at that name is refused, never followed) under an unpredictable name
/// (`.NAME.slope-<16 random hex digits>.tmp`), with mode 0600 while it is written and then the
/// mode of the file it replaces (or 0666 less the umask for a new file). `commit` fsyncs it,
/// renames it over the target — rename(2) is atomic, so the target is the old file or the new
/// one, never a mix — and fsyncs the folder, so the rename survives a crash. A symlink at the
/// path is followed and its target replaced (the link stays). Devices and FIFOs (`/dev/null`)
/// are written in place, and `/dev/stdout` through a duplicate of standard output, as a shell
/// redirection would. See
/// `OutputTarget` for what is refused.
///
///     let file = try OutputFile.open("params.json").get()
///     file.write(text)
///     if let problem = file.commit() { … }
public final class OutputFile {
    /// The path as the user wrote it.
    public let path: String
    private var descriptor: Int32
    /// When replacing: the temporary file, the file it replaces (nil for a new file) at
    /// `target`, and the temporary file's slot in `TemporaryFiles`.
    private let replacement: Replacement?
    /// The first thing that went wrong; once set, nothing more is written.
    public private(set) var problem: OutputProblem?
    private var buffer: [UInt8] = []
    private let bufferLimit: Int
    private var state = State.writing

    enum State { case writing, finished, done }

    struct Replacement {
        let temporary: String
        let target: String
        let existing: OutputTarget.ExistingFile?
        let slot: Int?
    }

    /// True when the file is written to a temporary file and renamed into place (not in place).
    public var replacesFile: Bool { replacement != nil }

    private init(path: String, descriptor: Int32, replacement: Replacement?) {
        self.path = path
        self.descriptor = descriptor
        self.replacement = replacement
        // Rows of a long --log reach a temporary file in large writes; a device or a FIFO
        // (someone may be watching) sees them sooner.
        bufferLimit = replacement == nil ? 4096 : 1 << 16
    }

    deinit { discard() }

    /// Opens `path` for writing, or says why it cannot be written. A path that is one of the
    /// `protecting` files (the program, its data), by any name or link, is refused: an output
    /// never replaces what the run reads.
    public static func open(_ path: String, protecting inputs: [String] = []) -> Result<OutputFile, OutputProblem> {
        if let input = OutputTarget.sameFile(path, asOneOf: inputs) {
            return .failure(OutputProblem(path: path, reason: .isInput(input)))
        }
        switch OutputTarget.resolve(path) {
        case .failure(let reason):
            return .failure(OutputProblem(path: path, reason: reason))
        case .success(.inPlace(let target, let regular)):
            // No O_TRUNC and no O_CREAT: a device or a FIFO is written as it is.
            let flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | (regular ? O_APPEND : 0)
            var descriptor: Int32
            repeat { descriptor = Foundation.open(target, flags) } while descriptor < 0 && errno == EINTR
            guard descriptor >= 0 else { return .failure(OutputProblem(path: path, reason: .system(errno))) }
            return .success(OutputFile(path: path, descriptor: descriptor, replacement: nil))
        case .success(.descriptor(let descriptor)):
            let duplicate = dup(descriptor)
            guard duplicate >= 0 else { return .failure(OutputProblem(path: path, reason: .system(errno))) }
            _ = fcntl(duplicate, F_SETFD, FD_CLOEXEC)
            return .success(OutputFile(path: path, descriptor: duplicate, replacement: nil))
        case .success(.file(let target, let existing)):
            return createTemporary(beside: target).map { temporary, descriptor, slot in
                OutputFile(path: path, descriptor: descriptor,
                           replacement: Replacement(temporary: temporary, target: target, existing: existing, slot: slot))
            }.mapError { OutputProblem(path: path, reason: $0) }
        }
    }

    /// Writes `text` to `path` and commits it: the one-shot form.
    public static func write(_ text: String, to path: String) -> OutputProblem? {
        switch open(path) {
        case .failure(let problem): return problem
        case .success(let file):
            file.write(text)
            return file.commit()
        }
    }

    /// Commits several files together: each is written out and synced first, and only when
    /// all of them are complete are they renamed into place, so a run whose files cannot all
    /// be written replaces none of them. Returns the problems (empty on success).
    public static func commit(_ files: [OutputFile]) -> [OutputProblem] {
        let problems = files.compactMap { $0.finish() }
        guard problems.isEmpty else {
            files.forEach { $0.discard() }
            return problems
        }
        return files.compactMap { $0.commit() }
    }

    /// Appends `text`. A failure is kept in `problem` and reported by `commit`.
    public func write(_ text: String) {
        guard state == .writing, problem == nil else { return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= bufferLimit { flush() }
    }

    /// Appends raw bytes (a binary file such as an ONNX model), as `write(_:)` appends text.
    public func write(bytes: [UInt8]) {
        guard state == .writing, problem == nil else { return }
        buffer.append(contentsOf: bytes)
        if buffer.count >= bufferLimit { flush() }
    }

    /// Hands what is buffered to the kernel now (at the end of a training statement).
    public func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard state == .writing, problem == nil, !buffer.isEmpty else { return }
        if let code = Self.writeAll(buffer, to: descriptor) { problem = OutputProblem(path: path, reason: .system(code)) }
    }

    /// Writes out the buffer, syncs and closes: after this the text is on the disk (or the
    /// problem is known), and only `commit` or `discard` remain.
    @discardableResult
    public func finish() -> OutputProblem? {
        guard state == .writing else { return problem }
        flush()
        state = .finished
        if let replacement { Self.setPermissions(descriptor, like: replacement.existing) }
        // A device or a FIFO has nothing to sync (EINVAL); only a replacement's sync matters.
        var synced: Int32
        repeat { synced = fsync(descriptor) } while synced != 0 && errno == EINTR
        if synced != 0 && replacement != nil && problem == nil { problem = OutputProblem(path: path, reason: .system(errno)) }
        // close(2) is where some file systems report a failed write; it is not retried (on
        // Linux the descriptor is gone even after EINTR).
        if close(descriptor) != 0 && errno != EINTR && problem == nil { problem = OutputProblem(path: path, reason: .system(errno)) }
        descriptor = -1
        return problem
    }

    /// Finishes and renames the temporary file over the target; on a problem, removes it.
    @discardableResult
    public func commit() -> OutputProblem? {
        if state == .writing { finish() }
        guard state == .finished, problem == nil else {
            discard()
            return problem
        }
        state = .done
        guard let replacement else { return nil }
        guard rename(replacement.temporary, replacement.target) == 0 else {
            problem = OutputProblem(path: path, reason: .system(errno))
            unlink(replacement.temporary)
            TemporaryFiles.remove(replacement.slot)
            return problem
        }
        TemporaryFiles.remove(replacement.slot)
        Self.syncFolder(of: replacement.target)
        return nil
    }

    /// Closes without committing: a temporary file is removed and the target left as it was.
    public func discard() {
        guard state != .done else { return }
        if state == .writing { close(descriptor) }
        state = .done
        descriptor = -1
        if let replacement {
            unlink(replacement.temporary)
            TemporaryFiles.remove(replacement.slot)
        }
    }

    /// Creates the temporary file in `target`'s folder, mode 0600, registered for removal on a signal.
    static func createTemporary(beside target: String) -> Result<(String, Int32, Int?), OutputProblem.Reason> {
        let folder = OutputTarget.folder(of: target)
        // A name of at most 255 bytes: the target's name is cut to leave room for the rest.
        var name = OutputTarget.name(of: target)
        while name.utf8.count > 200 { name.removeLast() }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let temporary = folder + "/." + name + ".slope-" + String(format: "%016llx", generator.next() as UInt64) + ".tmp"
            // Registered before it exists, so no moment has a file that a signal would leave.
            let slot = TemporaryFiles.add(temporary)
            var descriptor: Int32
            repeat {
                descriptor = Foundation.open(temporary, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0o600)
            } while descriptor < 0 && errno == EINTR
            guard descriptor >= 0 else {
                let code = errno
                TemporaryFiles.remove(slot)
                if code == EEXIST { continue }
                return .failure(.system(code))
            }
            return .success((temporary, descriptor, slot))
        }
        return .failure(.system(EEXIST))
    }

    /// Gives a finished temporary file the permissions of the file it replaces, or of a new
    /// file (0666 less the umask, what open(2) would have made). The owner is kept where we may
    /// (root may; others keep at least a group they are in), before the mode, which fchown may clear bits of.
    static func setPermissions(_ descriptor: Int32, like existing: OutputTarget.ExistingFile?) {
        guard let existing else {
            fchmod(descriptor, 0o666 & ~fileCreationMask)
            return
        }
        if fchown(descriptor, existing.owner, existing.group) != 0 { _ = fchown(descriptor, uid_t.max, existing.group) }
        fchmod(descriptor, existing.mode)
    }

    /// The process's umask, read without changing it (umask(2) can only set it, which would
    /// race with other threads creating files): from /proc/self/status on Linux, else 022.
    static let fileCreationMask: mode_t = {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
           let mask = mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8) {
            return mask
        }
        return 0o022
    }()

    /// Syncs a folder, so a rename in it is durable. Some file systems cannot; that is not an error.
    static func syncFolder(of path: String) {
        let folder = Foundation.open(OutputTarget.folder(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return }
        _ = fsync(folder)
        close(folder)
    }

    /// Writes all of `bytes` with write(2), retrying short writes and interruptions; returns the
    /// errno of a write that failed, or nil.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return written < 0 ? errno : EIO }
                offset += written
            }
            return nil
        }
    }
}

/// Why an output file cannot be written; `DriverMessages.outputFile` words it.
public struct OutputProblem: Error, Sendable, Equatable {
    public enum Reason: Error, Sendable, Equatable {
        /// The path names a directory.
        case isDirectory
        /// An existing file without write permission for us: refused, not replaced.
        case readOnly
        /// The folder the file would be made in does not exist.
        case missingFolder(String)
        /// What the system said (an errno).
        case system(Int32)
        /// The file is one the run reads (the program or a CSV file it names), by this name.
        case isInput(String)
    }

    public let path: String
    public let reason: Reason
}
