import Foundation

/// What is at a path Slope was asked to write, and so how `OutputFile` writes it:
///
/// - nothing, or a regular file: replaced atomically through a temporary file in its folder;
/// - a symlink: followed (every link of a chain), and its final target treated as above, so
///   the link stays and the file it points to is updated;
/// - a device, a FIFO or a socket: written in place, never replaced;
/// - a descriptor of this process (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`, whatever it
///   points to): written through a duplicate of it, sharing its offset, as `>&N` would;
/// - a directory, a regular file we may not write, or a path whose folder does not exist:
///   a problem, reported before anything runs.
enum OutputTarget {
    /// A regular file to replace, or to create when `existing` is nil, at `path` (links resolved).
    case file(path: String, existing: ExistingFile?)
    /// A file to open and write as it is; `regular` when it is a regular file after all (a
    /// descriptor of another process), which is then appended to.
    case inPlace(path: String, regular: Bool)
    /// One of this process's open descriptors, to write through a duplicate.
    case descriptor(Int32)

    /// The permissions and owner a replacement keeps.
    struct ExistingFile {
        let mode: mode_t
        let owner: uid_t
        let group: gid_t
    }

    /// Links followed before giving up, as the kernel's own limit (ELOOP).
    static let maximumLinks = 40

    /// The one of `inputs` that `path` names too (the same device and inode, links followed),
    /// when `path` is a regular file that exists.
    static func sameFile(_ path: String, asOneOf inputs: [String]) -> String? {
        var target = stat()
        guard !inputs.isEmpty, stat(path, &target) == 0, target.st_mode & S_IFMT == S_IFREG else { return nil }
        return inputs.first { input in
            var info = stat()
            return stat(input, &info) == 0 && info.st_dev == target.st_dev && info.st_ino == target.st_ino
        }
    }

    static func resolve(_ path: String) -> Result<OutputTarget, OutputProblem.Reason> {
        var current = path
        for _ in 0...maximumLinks {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                guard errno == ENOENT else { return .failure(.system(errno)) }
                return checkFolder(of: current).map { .file(path: current, existing: nil) }
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                if let folder = descriptorFolder(current) {
                    if folder == ownDescriptors, let descriptor = Int32(name(of: current)) { return .success(.descriptor(descriptor)) }
                    var target = stat()
                    let regular = stat(current, &target) == 0 && target.st_mode & S_IFMT == S_IFREG
                    return .success(.inPlace(path: current, regular: regular))
                }
                guard let link = readLink(current) else { return .failure(.system(errno)) }
                current = link.hasPrefix("/") ? link : folder(of: current) + "/" + link
            case S_IFDIR:
                return .failure(.isDirectory)
            case S_IFREG:
                guard isWritable(current, mode: info.st_mode) else {
                    return .failure(errno == EROFS ? .system(EROFS) : .readOnly)
                }
                return .success(.file(path: current, existing: ExistingFile(mode: info.st_mode & 0o777,
                                                                           owner: info.st_uid, group: info.st_gid)))
            default:
                return .success(.inPlace(path: current, regular: false))
            }
        }
        return .failure(.system(ELOOP))
    }

    /// A file that does not exist yet needs a folder to be made in.
    static func checkFolder(of path: String) -> Result<Void, OutputProblem.Reason> {
        let folder = folder(of: path)
        var info = stat()
        guard stat(folder, &info) == 0 else {
            return .failure(errno == ENOENT ? .missingFolder(folder) : .system(errno))
        }
        return info.st_mode & S_IFMT == S_IFDIR ? .success(()) : .failure(.system(ENOTDIR))
    }

    /// Whether we may write an existing regular file. Root may write anything, so for root a
    /// file without any write permission bit counts as read-only: refusing it is the point.
    static func isWritable(_ path: String, mode: mode_t) -> Bool {
        errno = 0
        if geteuid() == 0 { return mode & 0o222 != 0 }
        return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0
    }

    /// The real folder of a link in a folder of /proc (`/proc/self/fd/1`, and `/dev/fd/1`, whose
    /// folder is one), or nil for any other link. Such a link names an open descriptor, and its
    /// text (`pipe:[123]`, or the path of a file that may have been replaced since) is not a
    /// path to follow.
    static func descriptorFolder(_ path: String) -> String? {
        guard let folder = realPath(folder(of: path)), folder.hasPrefix("/proc/") else { return nil }
        return folder
    }

    /// `/proc/self/fd` as its real path (`/proc/<pid>/fd`), where this process's descriptors are.
    static var ownDescriptors: String? { realPath("/proc/self/fd") }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBytes { readlink(path, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count - 1) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// The folder part of a path: "." for a bare name, "/" for a file at the root.
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of a path.
    static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
