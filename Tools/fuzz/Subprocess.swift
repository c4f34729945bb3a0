import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the `slope` binary as a child process in a process group of its own, with its standard
/// input from a buffer (or /dev/null), both output streams captured up to a cap, FIFOs it may
/// write drained, and a timeout after which the whole group is killed: the child's own CPU time
/// (so a busy machine does not turn a slow run into a "hang"), or four times as much wall-clock
/// time for a child that waits without computing.
enum Subprocess {
    struct Limits {
        /// CPU seconds of the child (or four times as many seconds of wall-clock time) before the
        /// process group is killed.
        var timeout: Double
        /// Bytes kept of each stream; the rest is read and counted but dropped.
        var captureBytes: Int
        /// Bytes on one stream after which the group is killed: runaway output.
        var killBytes: Int
    }

    /// How a run ended.
    enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
        case outputLimit
        /// posix_spawn refused (an argument list too long for the kernel): nothing to judge.
        case notStarted(Int32)
    }

    struct Outcome: Sendable {
        var termination: Termination
        var stdout: [UInt8]
        var stderr: [UInt8]
        /// The bytes written to each stream, kept or not.
        var stdoutCount: Int
        var stderrCount: Int
        var seconds: Double

        var stdoutTruncated: Bool { stdoutCount > stdout.count }
        var stderrTruncated: Bool { stderrCount > stderr.count }
        var status: Int32? { if case .exited(let status) = termination { return status } else { return nil } }
    }

    /// Runs `executable ARGUMENTS…` in the current directory. `environment` is added to the
    /// fuzzer's own; `fifos` are FIFOs the child may open for writing, which are kept open
    /// (read and write) by the fuzzer and drained so the child never blocks on them.
    static func run(_ executable: String, _ arguments: [[UInt8]], environment: [String: String] = [:],
                    stdin: [UInt8]? = nil, fifos: [String] = [], limits: Limits) -> Outcome {
        let start = DispatchTime.now().uptimeNanoseconds
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1], inPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0, stdin == nil || pipe(&inPipe) == 0 else {
            fatalError("slope-fuzz: cannot create pipes: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdin != nil {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
            posix_spawn_file_actions_addclose(&actions, inPipe[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for descriptor in [outPipe[0], errPipe[0], outPipe[1], errPipe[1]] {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        if stdin != nil { posix_spawn_file_actions_addclose(&actions, inPipe[0]) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), empty = sigset_t()
        sigfillset(&defaults)
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        // The FIFOs are opened read-write before the child starts, so its open for writing
        // finds a reader and never blocks, and they never report end-of-file to our poll.
        let fifoDescriptors = fifos.map { open($0, O_RDWR | O_NONBLOCK | O_CLOEXEC) }.filter { $0 >= 0 }
        defer { fifoDescriptors.forEach { close($0) } }

        let argv = CStrings([Array(executable.utf8)] + arguments)
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let envp = CStrings(merged.sorted { $0.key < $1.key }.map { Array("\($0.key)=\($0.value)".utf8) })
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv.pointers, envp.pointers)
        close(outPipe[1])
        close(errPipe[1])
        if stdin != nil { close(inPipe[0]) }
        guard spawned == 0 else {
            for descriptor in [outPipe[0], errPipe[0]] + (stdin == nil ? [] : [inPipe[1]]) { close(descriptor) }
            return Outcome(termination: .notStarted(spawned), stdout: [], stderr: [], stdoutCount: 0, stderrCount: 0, seconds: 0)
        }

        var collector = Collector(limits: limits)
        collector.watch(outPipe[0], stream: .out)
        collector.watch(errPipe[0], stream: .err)
        for descriptor in fifoDescriptors { collector.watch(descriptor, stream: .drain) }
        if let stdin { collector.feed(inPipe[1], stdin) }

        let checkFrom = start + UInt64(limits.timeout * 1e9)
        let deadline = start + UInt64(4 * limits.timeout * 1e9)
        var termination: Termination?
        var waitStatus: Int32 = 0
        var exitedAt: UInt64?
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            if exitedAt == nil, waitpid(pid, &waitStatus, WNOHANG) == pid { exitedAt = now }
            // Done when the child has exited and its streams are closed (or a grandchild still
            // holds them a second later).
            if let exitedAt, collector.streamsClosed || now > exitedAt + 1_000_000_000 { break }
            if exitedAt == nil, now >= deadline || (now >= checkFrom && cpuSeconds(pid) >= limits.timeout) {
                termination = .timedOut
                break
            }
            if collector.overLimit { termination = .outputLimit; break }
            let wait = Int32(min(100, max(1, (deadline - now) / 1_000_000)))
            collector.poll(milliseconds: collector.streamsClosed ? 1 : exitedAt == nil ? wait : 10)
        }
        // The group is killed only while it surely exists: the child is not yet reaped, or a member
        // (a grandchild) still holds its pipes. So the id can never name someone else's group.
        if exitedAt == nil {
            kill(-pid, SIGKILL)
            while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
        } else if !collector.streamsClosed {
            kill(-pid, SIGKILL)
        }
        collector.finish()
        if termination == nil { termination = decode(waitStatus) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Outcome(termination: termination!, stdout: collector.kept[0], stderr: collector.kept[1],
                       stdoutCount: collector.counts[0], stderrCount: collector.counts[1], seconds: seconds)
    }

    /// The user and system CPU seconds a running child has used (/proc/PID/stat fields 14 and
    /// 15, in clock ticks); infinity where /proc cannot say, so the timeout falls back to the wall
    /// clock's.
    static func cpuSeconds(_ pid: pid_t) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return .infinity }
        // Fields after the command name (which may hold spaces) start with field 3, the state.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .infinity }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// waitpid's status word, decoded as the WIFEXITED/WTERMSIG macros do.
    static func decode(_ status: Int32) -> Termination {
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }

    /// The usual name of a signal number.
    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS",
                                      SIGFPE: "SIGFPE", SIGSEGV: "SIGSEGV", SIGKILL: "SIGKILL", SIGPIPE: "SIGPIPE",
                                      SIGXFSZ: "SIGXFSZ", SIGXCPU: "SIGXCPU", SIGTERM: "SIGTERM", SIGINT: "SIGINT"]
        return names[signal] ?? "signal \(signal)"
    }
}

/// Null-terminated C strings and the null-terminated array of pointers execve wants, freed
/// when the value goes away. A NUL byte inside an argument ends it, as it would for execve.
private final class CStrings {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let count: Int

    init(_ strings: [[UInt8]]) {
        count = strings.count
        pointers = .allocate(capacity: strings.count + 1)
        for (index, bytes) in strings.enumerated() {
            let cut = bytes.prefix { $0 != 0 }
            let string = UnsafeMutablePointer<CChar>.allocate(capacity: cut.count + 1)
            for (offset, byte) in cut.enumerated() { string[offset] = CChar(bitPattern: byte) }
            string[cut.count] = 0
            pointers[index] = string
        }
        pointers[strings.count] = nil
    }

    deinit {
        for index in 0..<count { pointers[index]?.deallocate() }
        pointers.deallocate()
    }
}

/// Reads the child's streams and FIFOs and writes its standard input, without blocking.
private struct Collector {
    enum Stream { case out, err, drain }

    let limits: Subprocess.Limits
    var watched: [(descriptor: Int32, stream: Stream)] = []
    var input: (descriptor: Int32, bytes: [UInt8], offset: Int)?
    var kept: [[UInt8]] = [[], []]
    var counts = [0, 0]
    var open = 0

    init(limits: Subprocess.Limits) { self.limits = limits }

    var streamsClosed: Bool { open == 0 }
    var overLimit: Bool { counts.contains { $0 > limits.killBytes } }

    mutating func watch(_ descriptor: Int32, stream: Stream) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        watched.append((descriptor, stream))
        if stream != .drain { open += 1 }
    }

    mutating func feed(_ descriptor: Int32, _ bytes: [UInt8]) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        input = (descriptor, bytes, 0)
        if bytes.isEmpty { closeInput() }
    }

    mutating func closeInput() {
        if let input { close(input.descriptor) }
        input = nil
    }

    mutating func poll(milliseconds: Int32) {
        var descriptors = watched.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
        if let input { descriptors.append(pollfd(fd: input.descriptor, events: Int16(POLLOUT), revents: 0)) }
        guard !descriptors.isEmpty else { usleep(UInt32(milliseconds) * 1000); return }
        let ready = Glibc.poll(&descriptors, nfds_t(descriptors.count), milliseconds)
        guard ready > 0 else { return }
        var closed: [Int32] = []
        for (index, item) in watched.enumerated() where descriptors[index].revents != 0 {
            if !drain(item.descriptor, item.stream) { closed.append(item.descriptor) }
        }
        if closed.count > 0 {
            for descriptor in closed { close(descriptor) }
            watched.removeAll { closed.contains($0.descriptor) }
            open -= closed.count
        }
        if let current = input, descriptors.last!.revents != 0 {
            let written = current.bytes[current.offset...].withUnsafeBytes { write(current.descriptor, $0.baseAddress, $0.count) }
            if written > 0 { input!.offset += written }
            if written < 0 && errno != EAGAIN && errno != EINTR || input!.offset >= current.bytes.count { closeInput() }
        }
    }

    /// Reads what is available; false at end of file.
    mutating func drain(_ descriptor: Int32, _ stream: Stream) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return stream == .drain }
            if count < 0 { return errno == EAGAIN || errno == EINTR || stream == .drain }
            guard stream != .drain else { continue }
            let slot = stream == .out ? 0 : 1
            counts[slot] += count
            let room = limits.captureBytes - kept[slot].count
            if room > 0 { kept[slot].append(contentsOf: buffer[0..<min(room, count)]) }
            if counts[slot] > limits.killBytes { return true }
        }
    }

    /// Reads whatever is left after the child is gone, then closes everything.
    mutating func finish() {
        for item in watched where item.stream != .drain {
            _ = drain(item.descriptor, item.stream)
            close(item.descriptor)
        }
        watched.removeAll()
        closeInput()
    }
}
