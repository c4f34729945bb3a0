import Foundation

/// The temporary files `OutputFile` is writing, so that SIGINT, SIGTERM or SIGHUP removes them
/// before the process dies: an interrupted `slope run --log big.csv` leaves neither a half-written
/// target nor a hidden `.big.csv.slope-….tmp` beside it. (SIGKILL cannot be caught; the names say
/// what the files are.)
///
/// This is the project's one piece of process-wide mutable state, because a signal is
/// process-wide. The handler may run at any moment on any thread, so it must not lock or
/// allocate: the paths live in a fixed table of C strings that the handler only reads, and a
/// path, once copied in, is never freed (a freed string could be reused for the user's own
/// file name while a handler reads it). A run registers a handful of paths, so the leak is a
/// few hundred bytes.
enum TemporaryFiles {
    /// Signals whose default action ends the process and that a user or a system sends to stop it.
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Adds `path` to the paths removed on a signal; returns its slot for `remove`, or nil when
    /// the table is full (then the file is still removed on every error path, only not on a signal).
    static func add(_ path: String) -> Int? {
        _ = handlersInstalled
        return table.add(path)
    }

    /// Forgets a slot: the file was renamed into place or removed.
    static func remove(_ slot: Int?) {
        if let slot { table.remove(slot) }
    }

    static let table = Table()

    /// Installs the handlers once, for the signals whose action is still the default: a signal
    /// the parent set to be ignored (`nohup`) stays ignored, and a handler someone else installed
    /// is left alone. Such a signal is also unblocked on the installing thread.
    static let handlersInstalled: Bool = {
        _ = table   // made before any handler can read it
        for signal in signals {
            var current = sigaction()
            guard sigaction(signal, nil, &current) == 0, handler(of: current) == nil else { continue }
            var action = sigaction()
            setHandler(removeAndDie, of: &action)
            sigemptyset(&action.sa_mask)
            // SA_RESETHAND: the handler runs once and the action is the default again, so the
            // signal raised again at the end of it ends the process with that signal's status.
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            sigaction(signal, &action, nil)
            // A blocked signal would never reach the handler, and a mask inherited blocked (a
            // parent that spawned us from a thread blocking everything) is not a choice to keep.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, signal)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
        }
        return true
    }()

    /// The table the handler reads: `capacity` slots of C strings, nil when free.
    final class Table: @unchecked Sendable {
        static let capacity = 256
        let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
        let lock = NSLock()

        init() {
            slots = .allocate(capacity: Self.capacity)
            slots.initialize(repeating: nil, count: Self.capacity)
        }

        func add(_ path: String) -> Int? {
            guard let copy = strdup(path) else { return nil }
            return lock.withLock {
                guard let free = (0..<Self.capacity).first(where: { slots[$0] == nil }) else { return nil }
                // One aligned pointer store: the handler sees the old nil or the whole string.
                slots[free] = copy
                return free
            }
        }

        func remove(_ slot: Int) {
            lock.withLock { slots[slot] = nil }
        }

        /// Called from the signal handler: only unlink(2), which is async-signal-safe.
        func unlinkAll() {
            for index in 0..<Self.capacity {
                if let path = slots[index] { unlink(path) }
            }
        }
    }
}

/// The signal handler: remove the temporary files, then raise the signal again with its
/// default action (restored by SA_RESETHAND), so the exit status is the signal's.
private let removeAndDie: @convention(c) (Int32) -> Void = { signal in
    TemporaryFiles.table.unlinkAll()
    raise(signal)
}

#if canImport(Glibc) || canImport(Musl)
private func handler(of action: sigaction) -> (@convention(c) (Int32) -> Void)? {
    // SIG_DFL is the null handler; SIG_IGN and real handlers are not.
    action.__sigaction_handler.sa_handler
}

private func setHandler(_ handler: @escaping @convention(c) (Int32) -> Void, of action: inout sigaction) {
    action.__sigaction_handler.sa_handler = handler
}
#else
private func handler(of action: sigaction) -> (@convention(c) (Int32) -> Void)? {
    action.__sigaction_u.__sa_handler
}

private func setHandler(_ handler: @escaping @convention(c) (Int32) -> Void, of action: inout sigaction) {
    action.__sigaction_u.__sa_handler = handler
}
#endif
